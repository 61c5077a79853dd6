package io.rollbook.gateway.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A port that cannot be bound stops the start with a message an operator can act on: which address and port, and
 * why (in use, or an address that does not resolve), on either transport.
 */
@Tag("system")
class GatewayServerBindSystemTest
{
    private static final ChannelInitializer<SocketChannel> NOTHING = new ChannelInitializer<>()
    {
        @Override
        protected void initChannel(final SocketChannel channel)
        {
            channel.close();
        }
    };

    @ParameterizedTest
    @EnumSource(value = GatewayServer.Transport.class, names = {"NIO", "AUTO"})
    void aPortInUseAndAnAddressThatDoesNotResolveAreNamed(final GatewayServer.Transport transport) throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            GatewayServer server = new GatewayServer(transport, 1))
        {
            final int port = taken.getLocalPort();
            final IllegalStateException inUse = assertThrows(IllegalStateException.class,
                () -> server.bind("127.0.0.1", port, 1 << 16, NOTHING));
            assertTrue(inUse.getMessage().startsWith("cannot listen on 127.0.0.1:" + port + ": ") &&
                inUse.getMessage().contains("in use"), inUse.getMessage());

            final IllegalStateException unresolved = assertThrows(IllegalStateException.class,
                () -> server.bind("no-such-host.invalid", 0, 1 << 16, NOTHING));
            assertTrue(unresolved.getMessage().equals("cannot listen on no-such-host.invalid:0: the address does " +
                "not resolve"), unresolved.getMessage());
        }
    }
}
