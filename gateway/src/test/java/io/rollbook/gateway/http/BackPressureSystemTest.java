package io.rollbook.gateway.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.sequencer.CommandPublisher;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 503 and 504 made deterministic: the HTTP gateway on a real server, in front of a publisher that is told to refuse
 * every command (a full ring), to have stopped, or to take commands that are never released (a matcher that does
 * not answer). Nothing depends on timing but the 504's own short timeout.
 */
@Tag("system")
final class BackPressureSystemTest
{
    private static final int ACCOUNT = 7;
    private static final KeyPair KEY = Ed25519Keys.generate();
    private static final List<MarketSpec> MARKETS = List.of(MarketSpec.builder().id(1).symbol("BTC-USD")
        .tickSize("0.1").lotSize("0.001").minSizeLots(1).maxOrderSizeLots(100_000).maxPositionLots(100_000_000)
        .marketOrderBandPpm(50_000).build());
    private static final String ORDER =
        "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":\"%s\"}";

    /**
     * A publisher in a fixed state.
     */
    private static final class StubPublisher implements CommandPublisher
    {
        final boolean takes;
        final boolean accepting;
        final boolean lowOnDisk;
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger deferredWakes = new AtomicInteger();
        final AtomicInteger wakes = new AtomicInteger();

        StubPublisher(final boolean takes, final boolean accepting)
        {
            this(takes, accepting, false);
        }

        StubPublisher(final boolean takes, final boolean accepting, final boolean lowOnDisk)
        {
            this.takes = takes;
            this.accepting = accepting;
            this.lowOnDisk = lowOnDisk;
        }

        @Override
        public boolean tryPublish(final long source, final DirectBuffer command, final int offset, final int length)
        {
            if (takes)
            {
                published.incrementAndGet();
            }
            return takes;
        }

        @Override
        public boolean tryPublishDeferringWake(
            final long source, final DirectBuffer command, final int offset, final int length)
        {
            deferredWakes.incrementAndGet();
            return tryPublish(source, command, offset, length);
        }

        @Override
        public void wakeConsumer()
        {
            wakes.incrementAndGet();
        }

        @Override
        public boolean isAccepting()
        {
            return accepting;
        }

        @Override
        public boolean isLowOnDisk()
        {
            return lowOnDisk;
        }

        @Override
        public int maxCommandLength()
        {
            return 256;
        }
    }

    private static HttpResponse<String> place(final int port, final String clientId) throws Exception
    {
        return place(port, clientId, System.currentTimeMillis());
    }

    private static HttpResponse<String> place(final int port, final String clientId, final long now) throws Exception
    {
        final String body = String.format(ORDER, clientId);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port +
                "/v1/orders"))
            .header(RequestSigning.ACCOUNT_HEADER, Integer.toString(ACCOUNT))
            .header(RequestSigning.TIMESTAMP_HEADER, Long.toString(now))
            .header(RequestSigning.SIGNATURE_HEADER, RequestSigning.sign(KEY.getPrivate(), now, "POST", "/v1/orders",
                body))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void withGateway(final StubPublisher publisher, final GatewayTest test) throws Exception
    {
        withGateway(publisher, new HttpGateway.Context(), test);
    }

    private static void withGateway(final StubPublisher publisher, final HttpGateway.Context context,
        final GatewayTest test) throws Exception
    {
        try (GatewayServer server = new GatewayServer(GatewayServer.Transport.NIO, 1))
        {
            final GatewayViews views = new GatewayViews(8, 1024, 0);
            // A wide signing window: these tests are about the answers of a refusing sequencer, and a machine
            // busy with other builds can take seconds between signing and the server's check.
            final HttpGateway gateway = new HttpGateway(context.bindAddress("127.0.0.1").port(0)
                .markets(MARKETS).accountCapacity(64).outboxCapacityBytes(1 << 20).requestTimeoutMs(200)
                .timestampWindowMs(60_000),
                server.eventLoops(), views, KeyStore.builder().account(ACCOUNT, KEY.getPublic()).build());
            gateway.start(publisher);
            gateway.bind(server);
            try
            {
                test.run(gateway);
            }
            finally
            {
                gateway.close();
            }
        }
    }

    private interface GatewayTest
    {
        void run(HttpGateway gateway) throws Exception;
    }

    @Test
    void fullRingIs503BusyAndTheClientIdIsFreedAgain() throws Exception
    {
        withGateway(new StubPublisher(false, true), gateway ->
        {
            final long now = System.currentTimeMillis();
            for (int i = 0; i < 2; i++)
            {
                // The very same signed request twice: nothing was done the first time, so it is no replay.
                final HttpResponse<String> response = place(gateway.address().getPort(), "same", now);
                assertEquals(503, response.statusCode(), response.body());
                assertTrue(response.body().startsWith("{\"code\":\"BUSY\""), response.body());
                assertEquals("1", response.headers().firstValue("retry-after").orElse(""));
            }
        });
    }

    @Test
    void stoppedSequencerIs503Unavailable() throws Exception
    {
        withGateway(new StubPublisher(false, false), gateway ->
        {
            final HttpResponse<String> response = place(gateway.address().getPort(), "x");
            assertEquals(503, response.statusCode(), response.body());
            assertTrue(response.body().startsWith("{\"code\":\"UNAVAILABLE\""), response.body());
        });
    }

    @Test
    void lowDiskIs503DiskSpaceLowAndTheSameRequestMayComeAgain() throws Exception
    {
        withGateway(new StubPublisher(false, true, true), gateway ->
        {
            final long now = System.currentTimeMillis();
            for (int i = 0; i < 2; i++)
            {
                final HttpResponse<String> response = place(gateway.address().getPort(), "disk", now);
                assertEquals(503, response.statusCode(), response.body());
                assertTrue(response.body().startsWith("{\"code\":\"DISK_SPACE_LOW\""), response.body());
                assertTrue(response.body().contains("journal.minFreeBytes"), response.body());
                assertEquals("60", response.headers().firstValue("retry-after").orElse(""));
            }
        });
    }

    @Test
    void aFullReplayTableIs503AndRemembersNothingOfTheRequest() throws Exception
    {
        final StubPublisher publisher = new StubPublisher(true, true);
        withGateway(publisher, new HttpGateway.Context().maxRememberedSignatures(2), gateway ->
        {
            final int port = gateway.address().getPort();
            assertEquals(504, place(port, "one").statusCode(), "published, never released");
            assertEquals(504, place(port, "two").statusCode());

            final long now = System.currentTimeMillis();
            for (int i = 0; i < 2; i++)
            {
                final HttpResponse<String> response = place(port, "three", now);
                assertEquals(503, response.statusCode(), response.body());
                assertTrue(response.body().startsWith("{\"code\":\"REPLAY_TABLE_FULL\""), response.body());
                assertEquals("60", response.headers().firstValue("retry-after").orElse(""), "the window, in s");
            }
            assertEquals(2, publisher.published.get(), "nothing of the refused requests was published");
            assertEquals(2, gateway.replays().size());
        });
    }

    @Test
    void noReleaseInTimeIs504() throws Exception
    {
        final StubPublisher publisher = new StubPublisher(true, true);
        withGateway(publisher, gateway ->
        {
            final HttpResponse<String> response = place(gateway.address().getPort(), "late");
            assertEquals(504, response.statusCode(), response.body());
            assertTrue(response.body().startsWith("{\"code\":\"TIMEOUT\""), response.body());
            assertEquals(1, publisher.published.get());
        });
    }

    @Test
    void theOrdersOfABatchRequestWakeTheSequencerOnce() throws Exception
    {
        final StubPublisher publisher = new StubPublisher(true, true);
        withGateway(publisher, gateway ->
        {
            final StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 5; i++)
            {
                body.append(i == 0 ? "" : ",").append(String.format(ORDER, "batch-" + i));
            }
            body.append(']');
            final long now = System.currentTimeMillis();
            final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/v1/orders/batch"))
                .header(RequestSigning.ACCOUNT_HEADER, Integer.toString(ACCOUNT))
                .header(RequestSigning.TIMESTAMP_HEADER, Long.toString(now))
                .header(RequestSigning.SIGNATURE_HEADER, RequestSigning.sign(KEY.getPrivate(), now, "POST",
                    "/v1/orders/batch", body.toString()))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());

            assertTrue(response.body().contains("TIMEOUT"), "never released, so each order times out: " +
                response.body());
            assertEquals(5, publisher.published.get());
            assertEquals(5, publisher.deferredWakes.get(), "every order of the batch defers its wake");
            assertEquals(1, publisher.wakes.get(), "one wake for the whole request");
        });
    }
}
