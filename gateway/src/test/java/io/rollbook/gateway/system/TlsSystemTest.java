package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.gateway.core.Admission;
import io.rollbook.gateway.core.ServerTls;
import io.rollbook.gateway.core.TestCertificates;
import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trader API over TLS against the real server, with a test certificate made at start and clients that trust it:
 * REST (an order placed and read back over HTTPS), a wss:// WebSocket's subscription data, the read timeout (408) and
 * the idle timeout, the whole answers that end a connection while the client still sends (413, 400), each followed by
 * the TLS session's end ({@code close_notify}) and then the stream's, and the 503 of a connection over the limit,
 * answered after its handshake. A client that speaks plain HTTP to the port, sends a garbage handshake or stalls
 * half-way through one is closed and counted, and the next client is served.
 *
 * <p>Nothing waits for a time and hopes: each test waits, with a deadline, for the state it expects; the times it
 * compares are lower bounds the server must keep.
 */
@Tag("system")
final class TlsSystemTest
{
    /** Also the handshake timeout: long enough for a cold client JVM's first handshake on a loaded machine. */
    private static final int READ_TIMEOUT_MS = 2_000;
    private static final int IDLE_TIMEOUT_MS = 3_000;
    private static final int MAX_BODY_BYTES = 2048;
    private static final int TRADER = TestService.FIRST_ACCOUNT + 5;
    /** What a client goes on sending after its error: far more than the socket buffers hold. */
    private static final int UPLOAD_BYTES = 4 << 20;
    private static final int CHUNK_BYTES = 64 << 10;
    /** Long enough for any answer here; a test that waits this long has failed. */
    private static final int DEADLINE_MS = 15_000;

    static
    {
        // The JDK's SSLSocket takes the end of the TCP stream for a close_notify unless told not to: this makes the
        // clients here fail on a server that ends a TLS session without one (a cut answer would look whole). It is
        // read once, when the JDK's SSLSocket class loads, which the first SSLSocket of this JVM, below, does.
        System.setProperty("com.sun.net.ssl.requireCloseNotify", "true");
    }

    @TempDir
    static Path data;
    private static TestCertificates.Pair certificate;
    private static SSLContext trusting;
    private static TestService service;

    @BeforeAll
    static void start() throws Exception
    {
        certificate = TestCertificates.generate(Files.createDirectories(data.resolve("tls")), "server");
        trusting = certificate.clientContext();
        service = new TestService(data.resolve("service"))
            .http(http -> http.tls(ServerTls.load(certificate.chain(), certificate.key()))
                .maxBodyBytes(MAX_BODY_BYTES).requestReadTimeoutMs(READ_TIMEOUT_MS).idleTimeoutMs(IDLE_TIMEOUT_MS))
            .start();
        service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, TRADER);
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    private static HttpGateway http()
    {
        return service.service().httpGateway();
    }

    private static RestClient trader()
    {
        return RestClient.account(service.httpPort(), trusting, TRADER, TestService.ACCOUNT_KEYS[5].getPrivate());
    }

    /**
     * @return a TLS connection (the JDK's default protocol, TLS 1.3) whose handshake is done, whose reads give up after
     *         the deadline
     */
    private static SSLSocket connectTls() throws IOException
    {
        return connectTls("TLSv1.3");
    }

    private static SSLSocket connectTls(final String protocol) throws IOException
    {
        final SSLSocket socket = (SSLSocket)trusting.getSocketFactory().createSocket("127.0.0.1", service.httpPort());
        socket.setSoTimeout(DEADLINE_MS);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        assertEquals(protocol, socket.getSession().getProtocol());
        return socket;
    }

    private static void send(final Socket socket, final String text) throws IOException
    {
        final OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void awaitAtLeast(final LongSupplier value, final long atLeast, final String what)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        while (value.getAsLong() < atLeast)
        {
            assertTrue(System.nanoTime() < deadlineNs, what + ": " + value.getAsLong() + ", expected " + atLeast);
            Thread.sleep(5);
        }
    }

    private static void assertServedOverHttps()
    {
        final JsonNode markets = RestClient.json(RestClient.anonymous(service.httpPort(), trusting)
            .send("GET", "/v1/markets", "").body());
        assertEquals("BTC-USD", markets.path("markets").path(0).path("market").asText(), markets.toString());
    }

    @Test
    void anOrderIsPlacedAndReadBackOverHttps()
    {
        final RestClient trader = trader();
        assertTrue(trader.base().startsWith("https://"));
        final JsonNode placed = trader.expect(200, "POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"buy\"," +
            "\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":\"tls1\"}");
        assertEquals("open", placed.get("status").asText(), placed.toString());
        final JsonNode read = trader.expect(200, "GET", "/v1/orders/tls1", "");
        assertEquals("open", read.get("status").asText(), read.toString());
        assertEquals("40000", read.get("price").asText(), read.toString());
        assertEquals(0, http().unexpectedErrors());
    }

    @Test
    void aWssWebSocketGetsItsSnapshotAndTheDeltaOfAnOrderPlacedOverHttps() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort(), trusting))
        {
            ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
            ws.await(m -> "snapshot".equals(m.path("type").asText()), "book snapshot");
            trader().expect(200, "POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"41234.5\"," +
                "\"size\":\"0.02\",\"clientId\":\"tlsws\"}");
            final JsonNode delta = ws.await(m -> "delta".equals(m.path("type").asText()) &&
                m.path("bids").toString().contains("41234.5"), "the order's book delta");
            assertEquals("[[\"41234.5\",\"0.02\"]]", delta.get("bids").toString(), delta.toString());
        }
        assertEquals(0, http().unexpectedErrors());
    }

    /**
     * Sends what is no TLS handshake and asserts that the server closes the connection without an HTTP answer, counts
     * it, and serves the next client.
     */
    private static void assertRefusedAsNoHandshake(final byte[] sent) throws Exception
    {
        final long before = http().tlsHandshakesInvalid();
        try (Socket socket = RawHttp.connect(service.httpPort(), DEADLINE_MS))
        {
            socket.getOutputStream().write(sent);
            socket.getOutputStream().flush();
            final String received = RawHttp.readUntilClosed(socket);
            assertFalse(received.contains("HTTP/1.1"), "no HTTP answer: " + received);
        }
        awaitAtLeast(http()::tlsHandshakesInvalid, before + 1, "invalid handshakes");
        assertServedOverHttps();
        assertEquals(0, http().unexpectedErrors());
    }

    @Test
    void plainHttpToTheTlsPortIsClosedCountedAndTheNextClientIsServed() throws Exception
    {
        assertRefusedAsNoHandshake("GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aGarbageHandshakeIsClosedCountedAndTheNextClientIsServed() throws Exception
    {
        final byte[] garbage = new byte[512];
        new Random(20261202L).nextBytes(garbage);
        // A handshake record's header, then a body that is no ClientHello.
        garbage[0] = 0x16;
        garbage[1] = 0x03;
        garbage[2] = 0x01;
        garbage[3] = 0x01;
        garbage[4] = (byte)0xFB;
        assertRefusedAsNoHandshake(garbage);
    }

    @Test
    void aStalledHandshakeIsClosedAfterTheReadTimeoutAndCounted() throws Exception
    {
        final long before = http().tlsHandshakeTimeouts();
        // Before the connection: the server's clock starts when it accepts, which may come before connect returns.
        final long startNs = System.nanoTime();
        try (Socket stalled = RawHttp.connect(service.httpPort(), DEADLINE_MS))
        {
            // Half of a handshake record's header: the server can only wait for the rest.
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            stalled.getOutputStream().flush();
            RawHttp.readUntilClosed(stalled);
            assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS),
                "closed before the handshake timeout");
        }
        awaitAtLeast(http()::tlsHandshakeTimeouts, before + 1, "handshake timeouts");
        final MetricsRegistry registry = new MetricsRegistry();
        service.service().registerMetrics(registry);
        final String scrape = registry.scrape();
        assertTrue(scrape.contains("rollbook_gateway_tls_handshake_failures_total{reason=\"timeout\"} " +
            http().tlsHandshakeTimeouts()), scrape);
        assertServedOverHttps();
    }

    @Test
    void halfARequestOverTlsIsAnswered408WholeAndTheSessionEnds() throws Exception
    {
        final long before = http().readTimeouts();
        try (SSLSocket socket = connectTls())
        {
            final long startNs = System.nanoTime();
            send(socket, "GET /v1/mar");
            final String answer = RawHttp.readUntilClosed(socket);
            assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(READ_TIMEOUT_MS),
                "answered before the read timeout");
            RawHttp.assertOneWholeAnswer(answer, 408, "REQUEST_TIMEOUT");
        }
        assertEquals(before + 1, http().readTimeouts());
    }

    @Test
    void anIdleTlsConnectionIsClosedAfterTheIdleTimeout() throws Exception
    {
        final long before = http().idleTimeouts();
        // The idle clock starts at accept, before the handshake: before the connection is as early as it can be.
        final long startNs = System.nanoTime();
        try (SSLSocket socket = connectTls())
        {
            assertEquals("", RawHttp.readUntilClosed(socket));
            assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS),
                "closed before the idle timeout");
        }
        awaitAtLeast(http()::idleTimeouts, before + 1, "idle timeouts");
    }

    /**
     * Sends a request's head over TLS and then goes on sending, and asserts that the client reads the whole answer,
     * and then the end of the TLS session (a {@code close_notify}, which this JVM's clients require).
     */
    private static void assertWholeAnswerWhileSending(
        final String protocol, final String head, final int status, final String code) throws Exception
    {
        final byte[] chunk = "x".repeat(CHUNK_BYTES).getBytes(StandardCharsets.US_ASCII);
        try (SSLSocket socket = connectTls(protocol))
        {
            RawHttp.assertOneWholeAnswer(RawHttp.readUntilClosedWhileSending(socket, head, chunk, UPLOAD_BYTES), status,
                code);
        }
        assertEquals(0, http().unexpectedErrors());
        assertServedOverHttps();
    }

    @Test
    void aBodyPastTheLimitThatKeepsComingGetsItsWhole413OverTls() throws Exception
    {
        assertWholeAnswerWhileSending("TLSv1.3", "POST /v1/orders/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
            "Content-Type: application/json\r\nContent-Length: " + UPLOAD_BYTES + "\r\n\r\n", 413, "BODY_TOO_LARGE");
    }

    @Test
    void aClientOfTls12ThatKeepsSendingGetsItsWhole413Too() throws Exception
    {
        // A TLS 1.2 client answers the server's close_notify with its own and stops sending (TLS 1.3 may send on):
        // either way the whole answer comes first, then the close_notify, and no reset.
        assertWholeAnswerWhileSending("TLSv1.2", "POST /v1/orders/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
            "Content-Type: application/json\r\nContent-Length: " + UPLOAD_BYTES + "\r\n\r\n", 413, "BODY_TOO_LARGE");
    }

    @Test
    void aMalformedRequestLineFollowedByMoreBytesGetsItsWhole400OverTls() throws Exception
    {
        assertWholeAnswerWhileSending("TLSv1.3", "GET /v1/markets HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400, "MALFORMED_HTTP");
    }

    @Test
    void aConnectionOverTheLimitIsAnswered503OverTlsAfterItsHandshake(@TempDir final Path limited) throws Exception
    {
        try (TestService one = new TestService(limited)
            .http(http -> http.tls(ServerTls.load(certificate.chain(), certificate.key())).maxConnections(1))
            .start())
        {
            try (SSLSocket held = (SSLSocket)trusting.getSocketFactory().createSocket("127.0.0.1", one.httpPort()))
            {
                held.setSoTimeout(DEADLINE_MS);
                held.startHandshake();
                final SSLSocket over = (SSLSocket)trusting.getSocketFactory().createSocket("127.0.0.1", one.httpPort());
                try (over)
                {
                    over.setSoTimeout(DEADLINE_MS);
                    final String received = RawHttp.readUntilClosed(over);
                    RawHttp.assertOneWholeAnswer(received, 503, "TOO_MANY_CONNECTIONS");
                }
                assertEquals(1, one.service().httpGateway().refusedConnections());
                send(held, "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n");
                final String markets = RawHttp.readAnswer(held);
                assertTrue(markets.startsWith("HTTP/1.1 200 "), "the connection held is unaffected: " + markets);
            }
        }
    }

    @Test
    void aConnectionOverItsAddresssRateIsClosedWithoutAHandshake(@TempDir final Path limited) throws Exception
    {
        // One token, back after an hour: the second connection of this address is over its rate for the whole test.
        try (TestService one = new TestService(limited)
            .http(http -> http.tls(ServerTls.load(certificate.chain(), certificate.key())).addressLimits()
                .connectionIntervalPerAddress(TimeUnit.HOURS.toNanos(1), 1))
            .start())
        {
            final HttpGateway gateway = one.service().httpGateway();
            try (SSLSocket held = (SSLSocket)trusting.getSocketFactory().createSocket("127.0.0.1", one.httpPort()))
            {
                held.setSoTimeout(DEADLINE_MS);
                held.startHandshake();
                try (SSLSocket over = (SSLSocket)trusting.getSocketFactory().createSocket("127.0.0.1", one.httpPort()))
                {
                    over.setSoTimeout(DEADLINE_MS);
                    // A close or a reset, depending on whether the client hello reached the socket before it closed.
                    assertThrows(IOException.class, over::startHandshake, "closed at accept, before any handshake");
                }
                assertEquals(1, gateway.refusedConnections(Admission.RATE));
                assertEquals(0, gateway.tlsHandshakeTimeouts() + gateway.tlsHandshakesClosed() +
                    gateway.tlsHandshakesInvalid(), "the refused connection got no TLS handler to fail in");
                send(held, "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n");
                final String markets = RawHttp.readAnswer(held);
                assertTrue(markets.startsWith("HTTP/1.1 200 "), "the connection held is unaffected: " + markets);
            }
        }
    }

    @Test
    void handshakesDoTheirWorkOffTheEventLoops() throws Exception
    {
        final long before = http().tlsHandshakeTasks();
        try (SSLSocket socket = (SSLSocket)trusting.getSocketFactory().createSocket("127.0.0.1", service.httpPort()))
        {
            socket.setSoTimeout(DEADLINE_MS);
            socket.startHandshake();
            send(socket, "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(RawHttp.readAnswer(socket).startsWith("HTTP/1.1 200 "));
        }
        // The key exchange and the certificate's signature run as the engine's delegated tasks: on the event loop,
        // which the binary sessions share, unless the handler is given another executor.
        assertTrue(http().tlsHandshakeTasks() > before, "the handshake's work ran on the handshake thread");
    }
}
