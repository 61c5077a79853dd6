package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
            for (int batch = 0; batch < 5; batch++)
            {
                final StringBuilder orders = new StringBuilder("[");
                for (int i = 0; i < 100; i++)
                {
                    orders.append(i == 0 ? "" : ",").append("{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"")
                        .append(40000 + batch * 100 + i).append("\",\"size\":\"0.001\",\"clientId\":\"d")
                        .append(batch * 100 + i).append("\"}");
                }
                trader.expect(200, "POST", "/v1/orders/batch", orders.append(']').toString());
            }

            try (Socket socket = new Socket())
            {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", service.httpPort()), 5_000);
                RawWebSocket.handshake(socket);
                final OutputStream out = socket.getOutputStream();

                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int frames = 0;
                while (service.service().httpGateway().slowConsumerDisconnects() == 0)
                {
                    assertTrue(System.nanoTime() < deadline, "no disconnect after " + frames + " subscriptions");
                    try
                    {
                        out.write(RawWebSocket.text("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}"));
                        out.write(RawWebSocket.text("{\"op\":\"unsubscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}"));
                        out.flush();
                        frames += 2;
                    }
                    catch (final IOException closed)
                    {
                        Thread.sleep(10);
                    }
                }
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
