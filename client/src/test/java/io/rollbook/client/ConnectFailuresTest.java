package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;

import org.junit.jupiter.api.Test;

/**
 * The words a market maker or an operator reads when a connection cannot be made, rather than "null" or a class
 * name.
 */
class ConnectFailuresTest
{
    @Test
    void aHostThatDoesNotResolveIsAnUnknownHost() throws IOException
    {
        try (SocketChannel channel = SocketChannel.open())
        {
            final UnresolvedAddressException failure = assertThrows(UnresolvedAddressException.class,
                () -> channel.connect(new InetSocketAddress("rollbook.invalid", 9001)));
            assertEquals("unknown host", ConnectFailures.reason(failure));
            assertEquals("unknown host", ConnectFailures.reason(new ConnectException().initCause(failure)));
        }
    }

    @Test
    void aRefusedConnectionSaysSoEvenWhenOnlyACauseCarriesTheMessage() throws IOException
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0))
        {
            closedPort = socket.getLocalPort();
        }
        try (SocketChannel channel = SocketChannel.open())
        {
            final ConnectException refused = assertThrows(ConnectException.class,
                () -> channel.connect(new InetSocketAddress("127.0.0.1", closedPort)));
            assertEquals(refused.getMessage(), ConnectFailures.reason(refused));
            assertEquals(refused.getMessage(), ConnectFailures.reason(new ConnectException().initCause(refused)));
        }
        assertEquals("connection refused", ConnectFailures.reason(new ConnectException()));
        assertEquals("IOException", ConnectFailures.reason(new IOException()));
    }
}
