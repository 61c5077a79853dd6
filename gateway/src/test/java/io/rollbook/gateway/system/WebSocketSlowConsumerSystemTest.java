package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket client that never reads is disconnected once the server holds more than the connection's outbound
 * bound for it, while the service keeps serving others. The client is a raw socket with a small receive buffer
 * that completes the handshake and then only writes: it subscribes and unsubscribes a deep book again and again,
 * each subscription a large snapshot, so the unread bytes must pass any kernel buffer and then the bound.
 */
@Tag("system")
final class WebSocketSlowConsumerSystemTest
{
    @TempDir
    Path data;

    @Test
    void clientThatDoesNotReadIsClosedAndServiceGoesOn() throws Exception
    {
        try (TestService service = new TestService(data).http(http -> http.outboundLimitBytes(64 * 1024)).start())
        {
            final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
                TestService.OPERATOR_KEY.getPrivate());
            operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
            operator.expect(200, "POST", "/v1/operator/deposits",
                "{\"account\":" + TestService.FIRST_ACCOUNT + ",\"amount\":\"100000000\"}");
            final RestClient trader = RestClient.account(service.httpPort(), TestService.FIRST_ACCOUNT,
                TestService.ACCOUNT_KEYS[0].getPrivate());
            NonReadingClient.deepBook(trader, 5);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try (Socket socket = NonReadingClient.subscribeUntilClosed(service, deadline))
            {
                assertEquals(1, service.service().httpGateway().slowConsumerDisconnects());
                assertTrue(endsWithin(socket, deadline), "the server closed the connection");
            }
            final int before = trader.expect(200, "GET", "/v1/orders", "").get("orders").size();
            assertEquals(500, before, "the service goes on");
            assertEquals(0, service.service().httpGateway().unexpectedErrors());
        }
    }

    private static boolean endsWithin(final Socket socket, final long deadline) throws IOException
    {
        socket.setSoTimeout(1_000);
        final InputStream in = socket.getInputStream();
        final byte[] sink = new byte[65536];
        while (System.nanoTime() < deadline)
        {
            try
            {
                if (in.read(sink) < 0)
                {
                    return true;
                }
            }
            catch (final java.net.SocketTimeoutException ex)
            {
                continue;
            }
            catch (final IOException reset)
            {
                return true;
            }
        }
        return false;
    }
}
