package io.rollbook.gateway.system;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.rollbook.client.ClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each port holds at most its configured number of connections: one more is refused at accept (the binary port
 * sends a Terminate CONNECTION_REFUSED that names the limit, the trader API answers 503 TOO_MANY_CONNECTIONS), counted,
 * and the port takes connections again once one closes. The connections it holds are unaffected.
 */
@Tag("system")
class ConnectionLimitSystemTest
{
    private static final int LIMIT = 2;
    private static final long DEADLINE_MS = 10_000;
    private static final int REFUSED_CLIENTS = 20;

    @TempDir
    static Path data;
    private static TestService service;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data, binary -> binary.maxConnections(LIMIT))
            .http(http -> http.maxConnections(LIMIT))
            .start();
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    @Test
    void theBinaryPortRefusesAConnectionOverItsLimitWithTheReasonAndTakesOneAgainOnceOneCloses() throws Exception
    {
        final long refusedBefore = service.service().binaryGateway().refusedConnections();
        final LongSupplier open = () -> service.service().binaryGateway().connectionCount();
        try (Socket first = connect(service.port()); Socket second = connect(service.port()))
        {
            RawHttp.awaitValue(open, LIMIT, "connections held", DEADLINE_MS);
            try (Socket over = connect(service.port()))
            {
                assertEquals("CONNECTION_REFUSED the port holds its most connections (gateway.maxConnections, " +
                    LIMIT + ") already; nothing was read, try again later", RawSession.refusal(over));
            }
            // A market maker's client says why its logon failed.
            final ClientException refused = assertThrows(ClientException.class,
                () -> service.session(TestService.FIRST_ACCOUNT, new Recorder()));
            assertTrue(refused.getMessage().contains("CONNECTION_REFUSED: the port holds its most connections"),
                refused.getMessage());
            assertEquals(refusedBefore + 2, service.service().binaryGateway().refusedConnections());
            assertEquals(LIMIT, open.getAsLong(), "the connections held are unaffected");

            first.close();
            RawHttp.awaitValue(open, LIMIT - 1, "connections held after one closed", DEADLINE_MS);
            try (Socket again = connect(service.port()))
            {
                RawHttp.awaitValue(open, LIMIT, "connections held after a new one", DEADLINE_MS);
                assertEquals(refusedBefore + 2, service.service().binaryGateway().refusedConnections());
            }
        }
    }

    @Test
    void theTraderApiAnswersAConnectionOverItsLimit503AndServesAgainOnceOneCloses() throws Exception
    {
        final long refusedBefore = service.service().httpGateway().refusedConnections();
        try (Socket first = connect(service.httpPort()); Socket second = connect(service.httpPort()))
        {
            RawHttp.assertServed(first);
            RawHttp.assertServed(second);
            // Clients that send their request at once, as clients do: the 503 must not be lost to a reset.
            for (int i = 0; i < REFUSED_CLIENTS; i++)
            {
                try (Socket over = connect(service.httpPort()))
                {
                    RawHttp.send(over, "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n");
                    final String answer = RawHttp.readUntilClosed(over);
                    assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                    assertTrue(answer.contains("\"code\":\"TOO_MANY_CONNECTIONS\""), answer);
                    assertTrue(answer.contains("http.maxConnections, 2"), answer);
                }
            }
            assertEquals(refusedBefore + REFUSED_CLIENTS, service.service().httpGateway().refusedConnections());
            RawHttp.assertServed(second);

            first.close();
            // The server learns of the close on its own time: until it has, a new connection is still refused.
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
            while (true)
            {
                try (Socket again = connect(service.httpPort()))
                {
                    RawHttp.send(again, "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n");
                    final String answer = RawHttp.readAnswer(again);
                    if (answer.startsWith("HTTP/1.1 200 "))
                    {
                        break;
                    }
                    assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                }
                assertTrue(System.nanoTime() < deadlineNs, "no connection served after one closed");
                Thread.sleep(1);
            }
            RawHttp.assertServed(second);
        }
    }

    private static Socket connect(final int port) throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int)DEADLINE_MS);
        return socket;
    }
}
