package io.rollbook.gateway.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.rollbook.gateway.core.AddressLimit;
import io.rollbook.gateway.core.Admission;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one client address may take from each port, on real ports: clients bind their sockets to addresses of the
 * loopback range (Linux routes all of 127/8 to it) to be different clients. An address over its connections is
 * refused at accept (the binary port sends a Terminate CONNECTION_REFUSED naming the limit, the trader API answers 503
 * TOO_MANY_CONNECTIONS_FROM_ADDRESS) while another address is served, and a closed connection frees its place; an
 * address over its connection rate is refused (the trader API answers 429 CONNECTION_RATE_EXCEEDED with Retry-After)
 * until its bucket refills.
 *
 * <p>The buckets run on a clock the test moves: a token comes back once an hour of it, so a refused connection
 * stays refused however slowly the machine runs, and comes back exactly when the test moves the clock.
 */
@Tag("system")
class AddressLimitSystemTest
{
    private static final int PER_ADDRESS = 2;
    private static final int BURST = 4;
    /** Requests a quiet address may send the trader API at once; each further one waits an hour of the clock. */
    private static final int REQUEST_BURST = 12;
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);
    private static final long DEADLINE_MS = 10_000;
    private static final int REFUSED_CLIENTS = 20;
    private static final String GET = "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final int TRADER = TestService.FIRST_ACCOUNT + 1;

    @TempDir
    static Path data;
    private static final AtomicLong CLOCK_OFFSET_NS = new AtomicLong();
    private static TestService service;
    private static MetricsRegistry metrics;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data, binary -> limits(binary.addressLimits()))
            .http(http -> limits(http.addressLimits()).requestIntervalPerAddress(HOUR_NS, REQUEST_BURST))
            .start();
        metrics = new MetricsRegistry();
        service.service().registerMetrics(metrics);
    }

    private static AddressLimit.Context limits(final AddressLimit.Context limits)
    {
        return limits.maxConnectionsPerAddress(PER_ADDRESS).connectionIntervalPerAddress(HOUR_NS, BURST)
            .connectionClock(AddressLimitSystemTest::nowNs);
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    /**
     * Every test starts with every address's bucket full.
     */
    @BeforeEach
    void refillEveryBucket()
    {
        CLOCK_OFFSET_NS.addAndGet(Math.max(BURST, REQUEST_BURST) * HOUR_NS);
    }

    private static long nowNs()
    {
        return System.nanoTime() + CLOCK_OFFSET_NS.get();
    }

    @Test
    void theBinaryPortRefusesAnAddressOverItsConnectionsWithTheReasonAndServesAnotherAddress() throws Exception
    {
        final LongSupplier open = () -> service.service().binaryGateway().connectionCount();
        final long refusedBefore = refused(true, Admission.ADDRESS);
        try (Socket first = connect("127.0.0.1", service.port()); Socket second = connect("127.0.0.1", service.port()))
        {
            RawHttp.awaitValue(open, PER_ADDRESS, "connections held", DEADLINE_MS);
            try (Socket over = connect("127.0.0.1", service.port()))
            {
                assertEquals("CONNECTION_REFUSED this client address holds its most connections " +
                    "(gateway.maxConnectionsPerAddress, " + PER_ADDRESS + ") already; nothing was read, close one or " +
                    "try again later", RawSession.refusal(over));
            }
            assertEquals(refusedBefore + 1, refused(true, Admission.ADDRESS));
            try (Socket other = connect("127.0.0.2", service.port()))
            {
                RawHttp.awaitValue(open, PER_ADDRESS + 1, "another address is served", DEADLINE_MS);
            }
            RawHttp.awaitValue(open, PER_ADDRESS, "connections held", DEADLINE_MS);

            first.close();
            RawHttp.awaitValue(open, PER_ADDRESS - 1, "connections held after one closed", DEADLINE_MS);
            try (Socket again = connect("127.0.0.1", service.port()))
            {
                RawHttp.awaitValue(open, PER_ADDRESS, "the closed connection's place is taken again", DEADLINE_MS);
            }
            assertEquals(refusedBefore + 1, refused(true, Admission.ADDRESS));
        }
        RawHttp.awaitValue(open, 0, "connections held at the end", DEADLINE_MS);
        assertMetric("binary", "address", refusedBefore + 1);
    }

    @Test
    void theTraderApiAnswersAnAddressOverItsConnections503AndServesAnotherAddress() throws Exception
    {
        final LongSupplier open = () -> service.service().httpGateway().connectionCount();
        final long refusedBefore = refused(false, Admission.ADDRESS);
        try (Socket first = connect("127.0.0.1", service.httpPort());
            Socket second = connect("127.0.0.1", service.httpPort()))
        {
            RawHttp.assertServed(first);
            RawHttp.assertServed(second);
            // Clients that send their request at once, as clients do: the 503 must not be lost to a reset.
            for (int i = 0; i < REFUSED_CLIENTS; i++)
            {
                try (Socket over = connect("127.0.0.1", service.httpPort()))
                {
                    RawHttp.send(over, GET);
                    final String answer = RawHttp.readUntilClosed(over);
                    assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
                    assertTrue(answer.contains("\r\nretry-after: 1\r\n"), answer);
                    assertTrue(answer.endsWith("{\"code\":\"TOO_MANY_CONNECTIONS_FROM_ADDRESS\",\"message\":\"this " +
                        "client address holds its most connections (http.maxConnectionsPerAddress, 2) already; " +
                        "nothing was read, close one or try again later\"}"), answer);
                }
            }
            assertEquals(refusedBefore + REFUSED_CLIENTS, refused(false, Admission.ADDRESS));
            try (Socket other = connect("127.0.0.2", service.httpPort()))
            {
                RawHttp.assertServed(other);
            }
            RawHttp.assertServed(second);

            first.close();
            RawHttp.awaitValue(open, PER_ADDRESS - 1, "connections held after one closed", DEADLINE_MS);
            try (Socket again = connect("127.0.0.1", service.httpPort()))
            {
                RawHttp.assertServed(again);
            }
            assertEquals(refusedBefore + REFUSED_CLIENTS, refused(false, Admission.ADDRESS));
        }
        RawHttp.awaitValue(open, 0, "connections held at the end", DEADLINE_MS);
        assertMetric("http", "address", refusedBefore + REFUSED_CLIENTS);
    }

    @Test
    void theBinaryPortRefusesAnAddressOverItsRateUntilItsBucketRefills() throws Exception
    {
        final LongSupplier open = () -> service.service().binaryGateway().connectionCount();
        final long refusedBefore = refused(true, Admission.RATE);
        for (int i = 0; i < BURST; i++)
        {
            assertBinaryAdmitted("127.0.0.3", open, "burst " + i);
        }
        for (int i = 0; i < 3; i++)
        {
            assertBinaryRefused("127.0.0.3");
        }
        assertEquals(refusedBefore + 3, refused(true, Admission.RATE));
        assertBinaryAdmitted("127.0.0.4", open, "another address has its own bucket");

        CLOCK_OFFSET_NS.addAndGet(HOUR_NS);
        assertBinaryAdmitted("127.0.0.3", open, "the token that came back");
        assertBinaryRefused("127.0.0.3");
        assertEquals(refusedBefore + 4, refused(true, Admission.RATE));
        assertMetric("binary", "rate", refusedBefore + 4);
        assertEquals(1, service.service().binaryGateway().trackedAddresses(),
            "127.0.0.3 is tracked while its bucket refills; the other addresses left once theirs had");

        CLOCK_OFFSET_NS.addAndGet(BURST * HOUR_NS);
        try (Socket socket = connect("127.0.0.7", service.port()))
        {
            RawHttp.awaitValue(open, 1, "held", DEADLINE_MS);
            assertEquals(1, service.service().binaryGateway().trackedAddresses(),
                "every address without connections left the table once its bucket refilled");
        }
    }

    @Test
    void theTraderApiAnswersAnAddressOverItsRate429UntilItsBucketRefills() throws Exception
    {
        final LongSupplier open = () -> service.service().httpGateway().connectionCount();
        final long refusedBefore = refused(false, Admission.RATE);
        for (int i = 0; i < BURST; i++)
        {
            assertHttpServedAndClosed("127.0.0.5", open);
        }
        for (int i = 0; i < 3; i++)
        {
            assertHttpRateRefused("127.0.0.5");
        }
        assertEquals(refusedBefore + 3, refused(false, Admission.RATE));
        assertHttpServedAndClosed("127.0.0.6", open);

        CLOCK_OFFSET_NS.addAndGet(HOUR_NS);
        assertHttpServedAndClosed("127.0.0.5", open);
        assertHttpRateRefused("127.0.0.5");
        assertEquals(refusedBefore + 4, refused(false, Admission.RATE));
        assertMetric("http", "rate", refusedBefore + 4);
    }

    @Test
    void theTraderApiAnswersAnAddressOverItsRequestRate429OnEveryConnectionAndDoesNothingOfTheRequest() throws Exception
    {
        final long refusedBefore = service.service().httpGateway().requestsOverAddressRate();
        final String order = RawHttp.signed(TRADER, TestService.ACCOUNT_KEYS[1].getPrivate(),
            System.currentTimeMillis(), "POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"buy\"," +
            "\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":\"overrate\"}");
        try (Socket first = connect("127.0.0.8", service.httpPort());
            Socket second = connect("127.0.0.8", service.httpPort()))
        {
            for (int i = 0; i < REQUEST_BURST; i++)
            {
                RawHttp.assertServed(i % 2 == 0 ? first : second);
            }
            assertRequestRateRefused(second, GET);
            assertRequestRateRefused(first, order);
            try (Socket other = connect("127.0.0.9", service.httpPort()))
            {
                RawHttp.assertServed(other);
            }

            CLOCK_OFFSET_NS.addAndGet(HOUR_NS);
            // The same signed request again: had the refused one been handled, this would be its replay (401
            // REPLAYED). It reaches the matcher now, which rejects it: the market has no oracle price in this test.
            RawHttp.send(first, order);
            final String answer = RawHttp.readAnswer(first);
            assertTrue(answer.startsWith("HTTP/1.1 422 ") && answer.contains("\"code\":\"NO_ORACLE_PRICE\"") &&
                answer.contains("\"clientId\":\"overrate\""), answer);
            assertRequestRateRefused(second, GET);
        }
        assertEquals(refusedBefore + 3, service.service().httpGateway().requestsOverAddressRate());
        final String line = "\nrollbook_gateway_requests_over_address_rate_total{protocol=\"http\"} " +
            (refusedBefore + 3) + "\n";
        assertTrue(metrics.scrape().contains(line), line + " in\n" + metrics.scrape());
    }

    @Test
    void aWebSocketMessageOverItsAddressRequestRateIsAnsweredWithAnErrorAndTheSessionGoesOn() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort()); Socket socket = connect("127.0.0.1", service.httpPort()))
        {
            ws.send("{\"op\":\"ping\"}");
            ws.await(m -> "pong".equals(m.path("op").asText()), "pong");
            // The handshake and the ping took two of the burst.
            for (int i = 2; i < REQUEST_BURST; i++)
            {
                RawHttp.assertServed(socket);
            }
            ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
            ws.await(m -> "REQUEST_RATE_EXCEEDED".equals(m.path("code").asText()), "the refusal");

            CLOCK_OFFSET_NS.addAndGet(HOUR_NS);
            ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
            ws.await(m -> "book".equals(m.path("channel").asText()) && "snapshot".equals(m.path("type").asText()),
                "the book's snapshot once a token came back");
        }
    }

    private static void assertRequestRateRefused(final Socket socket, final String request) throws IOException
    {
        RawHttp.send(socket, request);
        final String answer = RawHttp.readAnswer(socket);
        assertTrue(answer.startsWith("HTTP/1.1 429 "), answer);
        assertTrue(answer.contains("\r\nretry-after: 3600\r\n"), answer);
        assertTrue(answer.endsWith("{\"code\":\"REQUEST_RATE_EXCEEDED\",\"message\":\"this client address sends " +
            "requests faster than it may over all its connections (after a burst of http.requestBurstPerAddress, " +
            REQUEST_BURST + ", one every " + HOUR_NS / 1_000 + " us: http.requestsPerSecondPerAddress); nothing was " +
            "done, retry in 3600 s\"}"), answer);
        assertFalse(answer.toLowerCase(Locale.ROOT).contains("connection: close"), "keeps the connection: " + answer);
    }

    private static void assertBinaryAdmitted(final String address, final LongSupplier open, final String what)
        throws Exception
    {
        try (Socket socket = connect(address, service.port()))
        {
            RawHttp.awaitValue(open, 1, what + ": held", DEADLINE_MS);
        }
        RawHttp.awaitValue(open, 0, what + ": closed", DEADLINE_MS);
    }

    private static void assertBinaryRefused(final String address) throws IOException
    {
        try (Socket socket = connect(address, service.port()))
        {
            final String refusal = RawSession.refusal(socket);
            assertTrue(refusal.startsWith("CONNECTION_REFUSED this client address opens connections faster than it " +
                "may (after a burst of gateway.connectionBurstPerAddress, " + BURST + ","), refusal);
        }
    }

    /**
     * A connection served one request, then closed by the client, and the server's count back to none; the next
     * connection from the address then meets its rate alone, not its connection limit.
     */
    private static void assertHttpServedAndClosed(final String address, final LongSupplier open) throws Exception
    {
        try (Socket socket = connect(address, service.httpPort()))
        {
            RawHttp.assertServed(socket);
        }
        RawHttp.awaitValue(open, 0, "connections held after the client closed", DEADLINE_MS);
    }

    private static void assertHttpRateRefused(final String address) throws IOException
    {
        try (Socket socket = connect(address, service.httpPort()))
        {
            RawHttp.send(socket, GET);
            final String answer = RawHttp.readUntilClosed(socket);
            assertTrue(answer.startsWith("HTTP/1.1 429 "), answer);
            assertTrue(answer.contains("\r\nretry-after: 3600\r\n"), answer);
            assertTrue(answer.contains("{\"code\":\"CONNECTION_RATE_EXCEEDED\",\"message\":\"this client address " +
                "opens connections faster than it may (after a burst of http.connectionBurstPerAddress, 4,"), answer);
        }
    }

    private static long refused(final boolean binary, final Admission reason)
    {
        return binary ? service.service().binaryGateway().refusedConnections(reason) :
            service.service().httpGateway().refusedConnections(reason);
    }

    private static void assertMetric(final String protocol, final String reason, final long expected)
    {
        final String line = "\nrollbook_gateway_refused_connections_total{protocol=\"" + protocol + "\",reason=\"" +
            reason + "\"} " + expected + "\n";
        assertTrue(metrics.scrape().contains(line), line + " in\n" + metrics.scrape());
    }

    /**
     * @return a connection to the port on 127.0.0.1 from {@code address}, a client of its own
     */
    private static Socket connect(final String address, final int port) throws IOException
    {
        final Socket socket = new Socket();
        socket.bind(new InetSocketAddress(address, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int)DEADLINE_MS);
        socket.setSoTimeout((int)DEADLINE_MS);
        return socket;
    }
}
