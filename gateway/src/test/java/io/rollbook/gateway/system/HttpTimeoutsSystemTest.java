package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.sequencer.ReleaseListener;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trader API's read and idle timeouts against the real server, with raw sockets and short timeouts: a request
 * that stops half-way or trickles in is answered 408 in JSON and its connection closed; a connection that sends
 * nothing, or nothing more after its answers, is closed; a client that keeps sending requests keeps its connection;
 * a request waiting for its command's release longer than the read timeout is answered normally; a WebSocket that
 * is quiet for longer than the idle timeout, but answers pings, stays open.
 *
 * <p>Nothing waits for a time and hopes: each test waits, with a deadline, for the state it expects, and the times
 * it compares are lower bounds the server must keep. Where a test needs the idle timeout to have passed on the server,
 * a witness connection that sends nothing shows it, by being closed.
 */
@Tag("system")
final class HttpTimeoutsSystemTest
{
    private static final long NOW = 1_764_547_200_000L;
    private static final int READ_TIMEOUT_MS = 300;
    private static final int IDLE_TIMEOUT_MS = 500;
    private static final int TRADER = TestService.FIRST_ACCOUNT + 3;
    /** Long enough for any answer here; a test that waits this long has failed. */
    private static final int DEADLINE_MS = 10_000;

    @TempDir
    static Path data;
    private static TestService service;
    private static final ReleaseHold HOLD = new ReleaseHold();

    /**
     * Holds the journal thread's releases back while armed, so that a request stays in flight for as long as a test
     * needs; it comes before the gateways' listeners.
     */
    private static final class ReleaseHold implements ReleaseListener
    {
        private volatile CountDownLatch gate;
        private final AtomicInteger held = new AtomicInteger();

        void arm()
        {
            held.set(0);
            gate = new CountDownLatch(1);
        }

        void open()
        {
            final CountDownLatch armed = gate;
            gate = null;
            if (armed != null)
            {
                armed.countDown();
            }
        }

        int held()
        {
            return held.get();
        }

        @Override
        public void onReleased(
            final long sequence,
            final long timestampNs,
            final long source,
            final DirectBuffer buffer,
            final int commandOffset,
            final int commandLength,
            final int eventsOffset,
            final int eventsLength)
        {
            final CountDownLatch armed = gate;
            if (armed != null)
            {
                held.incrementAndGet();
                try
                {
                    armed.await(DEADLINE_MS, TimeUnit.MILLISECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data)
            .sequencer(sequencer -> sequencer.releaseListener(HOLD))
            .http(http -> http.clock(() -> NOW).requestReadTimeoutMs(READ_TIMEOUT_MS).idleTimeoutMs(IDLE_TIMEOUT_MS)
                .heartbeatMs(200))
            .start();
        service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, TRADER);
    }

    @AfterAll
    static void stop()
    {
        HOLD.open();
        service.close();
    }

    private static HttpGateway http()
    {
        return service.service().httpGateway();
    }

    private static Socket connect() throws IOException
    {
        return RawHttp.connect(service.httpPort(), DEADLINE_MS);
    }

    private static void send(final Socket socket, final String text) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void assertTimedOutRead(final String answer)
    {
        assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
        assertEquals(1, answer.split("HTTP/1\\.1 ", -1).length - 1, "one answer only: " + answer);
        final String lower = answer.toLowerCase(Locale.ROOT);
        assertTrue(lower.contains("content-type: application/json"), answer);
        assertTrue(lower.contains("connection: close"), answer);
        assertTrue(answer.contains("{\"code\":\"REQUEST_TIMEOUT\",\"message\":\"the request did not arrive whole " +
            "within " + READ_TIMEOUT_MS + " ms"), answer);
    }

    /**
     * Opens a connection that sends nothing and waits for the server to close it: the idle timeout has then passed
     * on the server since this was called.
     */
    private static void awaitIdleTimeoutWitness() throws IOException
    {
        final long startNs = System.nanoTime();
        try (Socket witness = connect())
        {
            assertEquals("", RawHttp.readUntilClosed(witness));
        }
        assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS));
    }

    private static String signedOrder(final String clientId)
    {
        return signed("POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\"," +
            "\"size\":\"0.01\",\"clientId\":\"" + clientId + "\"}");
    }

    private static String signed(final String method, final String path, final String body)
    {
        return RawHttp.signed(TRADER, TestService.ACCOUNT_KEYS[3].getPrivate(), NOW, method, path, body);
    }

    private static void awaitHeld() throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (HOLD.held() == 0)
        {
            assertTrue(System.nanoTime() < deadlineNs, "no release came to hold");
            Thread.sleep(1);
        }
    }

    @Test
    void halfARequestLineIsAnswered408InJsonAndTheConnectionCloses() throws IOException
    {
        final long before = http().readTimeouts();
        try (Socket socket = connect())
        {
            final long startNs = System.nanoTime();
            send(socket, "GET /v1/mar");
            final String answer = RawHttp.readUntilClosed(socket);
            assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS),
                "answered before the read timeout");
            assertTimedOutRead(answer);
        }
        assertEquals(before + 1, http().readTimeouts());
        assertEquals(0, http().unexpectedErrors());
        final MetricsRegistry registry = new MetricsRegistry();
        service.service().registerMetrics(registry);
        final String metrics = registry.scrape();
        assertTrue(metrics.contains("\nrollbook_gateway_http_timeouts_total{kind=\"read\"} " + (before + 1) + "\n"),
            metrics);
    }

    @Test
    void headersTrickledInSlowerThanAllowedAre408ThoughBytesKeepComing() throws Exception
    {
        try (Socket socket = connect())
        {
            final long startNs = System.nanoTime();
            send(socket, "GET /v1/markets HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            final AtomicInteger trickled = new AtomicInteger();
            final Thread trickler = new Thread(() ->
            {
                // One byte every 20 ms, never the end of the header: far more often than the read timeout.
                try
                {
                    while (true)
                    {
                        socket.getOutputStream().write('a');
                        socket.getOutputStream().flush();
                        trickled.incrementAndGet();
                        Thread.sleep(20);
                    }
                }
                catch (final IOException | InterruptedException ex)
                {
                    // The server closed the connection (or the test ended): the trickle ends.
                }
            }, "trickler");
            trickler.setDaemon(true);
            trickler.start();
            try
            {
                final String answer = RawHttp.readUntilClosed(socket);
                assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS),
                    "answered before the read timeout");
                assertTimedOutRead(answer);
                assertTrue(trickled.get() >= 2, "the client kept sending: " + trickled.get() + " bytes");
                // The server read and discarded the rest so as to deliver the 408, then closed all the same.
                trickler.join(DEADLINE_MS);
                assertTrue(!trickler.isAlive(), "the server kept the connection open while the client kept sending");
            }
            finally
            {
                trickler.interrupt();
            }
        }
        assertEquals(0, http().unexpectedErrors());
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws IOException
    {
        final long before = http().idleTimeouts();
        final long startNs = System.nanoTime();
        try (Socket socket = connect())
        {
            assertEquals("", RawHttp.readUntilClosed(socket), "closed without an answer");
        }
        assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS),
            "closed before the idle timeout");
        assertTrue(http().idleTimeouts() > before);
    }

    @Test
    void aKeepAliveConnectionStaysWhileRequestsComeAndClosesOnceIdle() throws Exception
    {
        try (Socket socket = connect())
        {
            final long startNs = System.nanoTime();
            int answered = 0;
            long lastSentNs = startNs;
            // Requests a tenth of the idle timeout apart, for three idle timeouts: all on the one connection.
            while (System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(3 * IDLE_TIMEOUT_MS))
            {
                lastSentNs = System.nanoTime();
                send(socket, "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n");
                final String answer = RawHttp.readAnswer(socket);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
                assertTrue(answer.contains("\"market\":\"BTC-USD\""), answer);
                assertTrue(!answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
                answered++;
                Thread.sleep(IDLE_TIMEOUT_MS / 10);
            }
            assertTrue(answered >= 3, "answered " + answered);
            assertEquals("", RawHttp.readUntilClosed(socket), "closed without an answer once idle");
            // The server's idle time starts after the last request arrived, so after it was sent.
            assertTrue(System.nanoTime() - lastSentNs >= TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS),
                "closed before the idle timeout");
        }
    }

    @Test
    void aLineEndAfterARequestStartsNoRequestAndTheConnectionEndsIdleWithout408() throws IOException
    {
        final long readTimeouts = http().readTimeouts();
        try (Socket socket = connect())
        {
            send(socket, "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(RawHttp.readAnswer(socket).startsWith("HTTP/1.1 200 "));
            // What some clients send after a body: the codec skips it, and it is no request to time.
            send(socket, "\r\n");
            assertEquals("", RawHttp.readUntilClosed(socket), "closed without an answer once idle");
        }
        assertEquals(readTimeouts, http().readTimeouts());
    }

    @Test
    void aRequestWaitingForItsReleaseLongerThanTheReadTimeoutIsAnsweredNormally() throws Exception
    {
        final long readTimeouts = http().readTimeouts();
        HOLD.arm();
        try (Socket socket = connect())
        {
            send(socket, signedOrder("held"));
            awaitHeld();
            // The order was read whole and is in flight; the idle timeout, longer than the read timeout, passes.
            awaitIdleTimeoutWitness();
            HOLD.open();
            final String answer = RawHttp.readAnswer(socket);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.contains("\"clientId\":\"held\""), answer);
            assertTrue(answer.contains("\"status\":\"open\""), answer);
        }
        finally
        {
            HOLD.open();
        }
        assertEquals(readTimeouts, http().readTimeouts());
    }

    @Test
    void a408ComesInOrderAfterTheAnswerOwedBeforeItAndWhatFollowsIsNotDone() throws Exception
    {
        final long readTimeouts = http().readTimeouts();
        final String late = signedOrder("late");
        HOLD.arm();
        try (Socket socket = connect())
        {
            send(socket, signedOrder("first"));
            awaitHeld();
            // The first order is in flight; the second stops half-way and times out behind it.
            send(socket, late.substring(0, late.length() / 2));
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
            while (http().readTimeouts() == readTimeouts)
            {
                assertTrue(System.nanoTime() < deadlineNs, "the second request never timed out");
                Thread.sleep(1);
            }
            send(socket, late.substring(late.length() / 2));
            HOLD.open();
            final String first = RawHttp.readAnswer(socket);
            assertTrue(first.startsWith("HTTP/1.1 200 "), first);
            assertTrue(first.contains("\"clientId\":\"first\""), first);
            assertTimedOutRead(RawHttp.readUntilClosed(socket));
        }
        finally
        {
            HOLD.open();
        }
        try (Socket socket = connect())
        {
            send(socket, signed("GET", "/v1/orders/late", ""));
            final String unknown = RawHttp.readAnswer(socket);
            assertTrue(unknown.startsWith("HTTP/1.1 404 "), unknown);
            assertTrue(unknown.contains("\"code\":\"UNKNOWN_ORDER\""), unknown);
        }
    }

    @Test
    void aQuietWebSocketThatAnswersPingsOutlivesTheIdleTimeout() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            ws.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"market\":\"BTC-USD\"}");
            ws.await(m -> "subscribed".equals(m.path("op").asText()), "subscribed");
            final int messages = ws.messages().size();
            // Twice the idle timeout, and more than three heartbeats: only the client's pongs keep it.
            awaitIdleTimeoutWitness();
            awaitIdleTimeoutWitness();
            assertEquals(-1, ws.closeCode(), "closed: " + ws.closeReason());
            assertEquals(messages, ws.messages().size(), "the connection was quiet");
            ws.send("{\"op\":\"ping\"}");
            ws.await(m -> "pong".equals(m.path("op").asText()), "pong");
            assertEquals(1, http().webSocketCount());
        }
    }
}
