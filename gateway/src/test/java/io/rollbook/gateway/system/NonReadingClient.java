package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket client that never reads, for slow-consumer tests: a raw socket with a small receive buffer that
 * completes the handshake and then only writes. It subscribes and unsubscribes a deep book again and again, each
 * subscription a large snapshot, so that its unread bytes pass any kernel buffer and then the server's bound.
 */
final class NonReadingClient
{
    private static final byte[] SUBSCRIBE =
        RawWebSocket.text("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
    private static final byte[] UNSUBSCRIBE =
        RawWebSocket.text("{\"op\":\"unsubscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");

    private NonReadingClient()
    {
    }

    /**
     * Rests bids of 0.001 at {@code hundreds} hundred prices from 40000 up, far below any other test order, with
     * clientIds {@code deep0}, {@code deep1}, ...: each BTC book snapshot then holds that many levels.
     */
    static void deepBook(final RestClient trader, final int hundreds)
    {
        for (int batch = 0; batch < hundreds; batch++)
        {
            final StringBuilder orders = new StringBuilder("[");
            for (int i = 0; i < 100; i++)
            {
                orders.append(i == 0 ? "" : ",").append("{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"")
                    .append(40000 + batch * 100 + i).append("\",\"size\":\"0.001\",\"clientId\":\"deep")
                    .append(batch * 100 + i).append("\"}");
            }
            trader.expect(200, "POST", "/v1/orders/batch", orders.append(']').toString());
        }
    }

    /**
     * Connects, subscribes and unsubscribes the BTC book until the server has closed one more slow consumer.
     *
     * @return the client's socket, for the caller to watch its end and close
     */
    static Socket subscribeUntilClosed(final TestService service, final long deadlineNs) throws Exception
    {
        final long before = service.service().httpGateway().slowConsumerDisconnects();
        final Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", service.httpPort()), 5_000);
        RawWebSocket.handshake(socket);
        final OutputStream out = socket.getOutputStream();
        int frames = 0;
        while (service.service().httpGateway().slowConsumerDisconnects() == before)
        {
            assertTrue(System.nanoTime() < deadlineNs, "the client that does not read was not closed after " +
                frames + " subscriptions");
            try
            {
                out.write(SUBSCRIBE);
                out.write(UNSUBSCRIBE);
                out.flush();
                frames += 2;
            }
            catch (final IOException closed)
            {
                Thread.sleep(10);
            }
        }
        return socket;
    }
}
