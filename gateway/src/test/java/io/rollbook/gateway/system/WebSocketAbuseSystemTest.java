package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.rollbook.gateway.system.RawWebSocket.CLOSE;
import static io.rollbook.gateway.system.RawWebSocket.PING;
import static io.rollbook.gateway.system.RawWebSocket.PONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket as a careless or hostile client uses it: every kind of bad message, subscription storms and
 * duplicates, messages in many frames and too large, WebSocket pings (answered with their payload, and a flood of
 * them from a client that does not read closed as a slow consumer), the client's close, and a handshake that never
 * ends. Each bad input gets its own error or close, changes nothing, and leaves the service and a watching
 * subscriber, whose book must still equal the REST book, running.
 */
@Tag("system")
final class WebSocketAbuseSystemTest
{
    private static final int MAX_SUBSCRIPTIONS = 4;
    private static final String BOOK_BTC = "{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}";

    @TempDir
    static Path data;
    private static TestService service;
    private static RestClient trader;
    private static WsClient watcher;
    private static int orders;

    @BeforeAll
    static void start() throws Exception
    {
        service = new TestService(data).http(http ->
        {
            http.outboundLimitBytes(64 * 1024).maxSubscriptions(MAX_SUBSCRIPTIONS).requestReadTimeoutMs(1_000);
            http.addressLimits().requestRatePerAddress(100_000, 100_000);
        }).start();
        final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
            TestService.OPERATOR_KEY.getPrivate());
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits",
            "{\"account\":" + TestService.FIRST_ACCOUNT + ",\"amount\":\"100000000\"}");
        trader = RestClient.account(service.httpPort(), TestService.FIRST_ACCOUNT,
            TestService.ACCOUNT_KEYS[0].getPrivate());
        watcher = new WsClient(service.httpPort());
        watcher.send(BOOK_BTC);
        watcher.await(m -> "snapshot".equals(m.path("type").asText()), "the watcher's snapshot");
    }

    @AfterAll
    static void stop()
    {
        watcher.close();
        service.close();
    }

    @Test
    void everyBadMessageGetsItsOwnErrorChangesNothingAndTheConnectionGoesOn() throws Exception
    {
        final String[][] refused = {
            {"{\"op\":\"subscribe\",\"channel\":\"candles\",\"market\":\"BTC-USD\"}", "UNKNOWN_CHANNEL"},
            {"{\"op\":\"subscribe\"}", "UNKNOWN_CHANNEL"},
            {"{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"DOGE-USD\"}", "UNKNOWN_MARKET"},
            {"{\"op\":\"unsubscribe\",\"channel\":\"book\",\"market\":\"DOGE-USD\"}", "UNKNOWN_MARKET"},
            {"{\"op\":\"subscribe\",\"channel\":\"book\"}", "INVALID_FIELD"},
            {"{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":7}", "INVALID_FIELD"},
            {"{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\",\"depth\":5}", "INVALID_FIELD"},
            {"{\"op\":\"dance\"}", "UNKNOWN_OP"},
            {"{}", "UNKNOWN_OP"},
            {"{\"op\":7}", "UNKNOWN_OP"},
            {"[1,2]", "MALFORMED_JSON"},
            {"\"subscribe\"", "MALFORMED_JSON"},
            {"", "MALFORMED_JSON"},
            {"{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"", "MALFORMED_JSON"},
            {"{\"op\":{\"nested\":{\"deeper\":[1]}}}", "MALFORMED_JSON"},
            {"{\"op\":\"subscribe\",\"channel\":\"orders\"}", "NOT_AUTHENTICATED"},
            {"{\"op\":\"unsubscribe\",\"channel\":\"fills\"}", "NOT_AUTHENTICATED"},
            {"{\"op\":\"auth\",\"account\":\"ten\"}", "MISSING_SIGNATURE"},
            {"{\"op\":\"auth\",\"account\":999,\"timestamp\":1,\"signature\":\"AA==\"}", "UNKNOWN_ACCOUNT"},
            {"{\"op\":\"auth\",\"account\":-1,\"timestamp\":1,\"signature\":\"AA==\"}", "UNKNOWN_ACCOUNT"},
            {"{\"op\":\"auth\",\"account\":" + TestService.FIRST_ACCOUNT + ",\"timestamp\":1,\"signature\":\"AA==\"}",
                "STALE_TIMESTAMP"},
        };
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            for (int i = 0; i < refused.length; i++)
            {
                final String[] bad = refused[i];
                ws.send(bad[0]);
                final int answers = i + 1;
                awaitTrue(() -> ws.messages().size() >= answers, "an answer to " + bad[0]);
                final JsonNode error = ws.messages().get(i);
                assertEquals("error", error.path("type").asText(), bad[0] + " -> " + error);
                assertEquals(bad[1], error.path("code").asText(), bad[0] + " -> " + error);
                assertTrue(error.path("message").asText().length() > 10, bad[0] + " -> " + error);
            }
            ws.sendBinary(new byte[] {'{', '}'});
            ws.await(m -> m.path("message").asText().contains("binary frame"), "the binary frame's error");

            // Nothing was subscribed or authenticated: a subscription now is the connection's first.
            ws.send(BOOK_BTC);
            ws.await(m -> "snapshot".equals(m.path("type").asText()), "a snapshot");
            assertEquals(refused.length + 2, ws.messages().size(), "one answer per message: " + ws.messages());
            assertEquals(1, ws.messages().get(refused.length + 1).get("seq").asLong());
            assertEquals(-1, ws.closeCode());
            placeAndAssertBooks(ws);
        }
        assertEquals(0, service.service().httpGateway().unexpectedErrors());
    }

    /**
     * A field of the wrong type is named with what came, under the code of what it is (an account, a signature), so
     * that a client that quotes its account id, or sends its signature's bytes as a number, learns which field to
     * fix instead of being told that something it did send is missing.
     */
    @Test
    void aFieldOfTheWrongTypeIsNamedWithWhatCame() throws Exception
    {
        final String[][] refused = {
            {"{\"op\":\"auth\",\"account\":\"" + TestService.FIRST_ACCOUNT + "\",\"timestamp\":1,\"signature\":\"AA==\"}",
                "UNKNOWN_ACCOUNT", "account must be the account id as a JSON number, got the string \"" +
                TestService.FIRST_ACCOUNT + "\""},
            {"{\"op\":\"auth\",\"account\":" + TestService.FIRST_ACCOUNT + ",\"timestamp\":1,\"signature\":7}",
                "BAD_SIGNATURE", "signature must be the base64 text of the signature, a JSON string, got 7"},
            {"{\"op\":\"auth\",\"account\":" + TestService.FIRST_ACCOUNT + "}", "MISSING_SIGNATURE",
                "auth takes account (number), timestamp (milliseconds, number) and signature (base64 string); " +
                "missing: timestamp, signature"},
            {"{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":7}", "INVALID_FIELD",
                "market must be a market's symbol as a JSON string (\"BTC-USD\"), got 7"},
        };
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            for (int i = 0; i < refused.length; i++)
            {
                final String[] bad = refused[i];
                ws.send(bad[0]);
                final int answers = i + 1;
                awaitTrue(() -> ws.messages().size() >= answers, "an answer to " + bad[0]);
                final JsonNode error = ws.messages().get(i);
                assertEquals(bad[1], error.path("code").asText(), bad[0] + " -> " + error);
                assertEquals(bad[2], error.path("message").asText(), bad[0] + " -> " + error);
            }
            assertEquals(-1, ws.closeCode());
        }
    }

    @Test
    void subscriptionStormsDuplicatesAndTheSubscriptionBound() throws Exception
    {
        final long subscriptionsBefore = service.service().httpGateway().marketSubscriptionCount();
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            final int pairs = 500;
            for (int i = 0; i < pairs; i++)
            {
                ws.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"market\":\"ETH-USD\"}");
                ws.send("{\"op\":\"unsubscribe\",\"channel\":\"trades\",\"market\":\"ETH-USD\"}");
            }
            awaitTrue(() -> ws.messages().size() >= 2 * pairs, () -> "an answer to each of the storm's messages: " +
                ws.messages().size() + " answers, the last " + ws.messages().get(ws.messages().size() - 1) +
                ", closed " + ws.closeCode() + " " + ws.closeReason());
            for (int i = 0; i < 2 * pairs; i++)
            {
                assertEquals(i % 2 == 0 ? "subscribed" : "unsubscribed", ws.messages().get(i).path("op").asText(),
                    "answer " + i + ": " + ws.messages().get(i));
            }
            assertEquals(subscriptionsBefore, service.service().httpGateway().marketSubscriptionCount(),
                "the storm left no subscription behind");

            // The book, unsubscribed and subscribed again while orders change it: each snapshot starts anew.
            for (int i = 0; i < 20; i++)
            {
                ws.send(BOOK_BTC);
                trader.expect(200, "POST", "/v1/orders", order("buy", "4990" + i % 10, "storm" + i));
                ws.send("{\"op\":\"unsubscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
            }
            ws.send(BOOK_BTC);
            ws.send(BOOK_BTC);
            ws.await(m -> "ALREADY_SUBSCRIBED".equals(m.path("code").asText()), "a duplicate subscription refused");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"trades\",\"market\":\"BTC-USD\"}");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"oracle\",\"market\":\"BTC-USD\"}");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"ETH-USD\"}");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"oracle\",\"market\":\"ETH-USD\"}");
            final JsonNode tooMany = ws.await(m -> "TOO_MANY_SUBSCRIPTIONS".equals(m.path("code").asText()),
                "the subscription past the bound refused");
            assertTrue(tooMany.get("message").asText().contains(Integer.toString(MAX_SUBSCRIPTIONS)), tooMany.toString());
            ws.send("{\"op\":\"unsubscribe\",\"channel\":\"trades\",\"market\":\"ETH-USD\"}");
            awaitTrue(() -> ws.messages().stream().filter(m -> "unsubscribed".equals(m.path("op").asText()) &&
                "ETH-USD".equals(m.path("market").asText())).count() == pairs + 1,
                "an unsubscription of what the connection does not hold answered all the same");
            assertEquals(subscriptionsBefore + MAX_SUBSCRIPTIONS,
                service.service().httpGateway().marketSubscriptionCount());
            placeAndAssertBooks(ws);
            assertEquals(21, WsBook.of(ws.messages(), "BTC-USD").snapshots, "a snapshot per book subscription");
        }
        awaitTrue(() -> service.service().httpGateway().marketSubscriptionCount() == subscriptionsBefore,
            "the closed connection's subscriptions gone");
    }

    @Test
    void aMessageInManyFramesIsOneAndOneTooLargeInSeveralIsClosedWith1009() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            final String[] parts = new String[200];
            Arrays.fill(parts, " ");
            parts[0] = "{\"op\":";
            parts[parts.length - 1] = "\"ping\"}";
            ws.sendFragments(parts);
            ws.await(m -> "pong".equals(m.path("op").asText()), "the pong of a message in 200 frames");

            final String half = " ".repeat(40 * 1024);
            ws.sendFragments("{\"op\":\"ping\"" + half, half + "}");
            awaitTrue(() -> ws.closeCode() != -1, "the close of a message over the bound");
            assertEquals(1009, ws.closeCode(), ws.closeReason());
        }
        assertServed();
    }

    @Test
    void aPingIsAnsweredWithItsPayloadAndTheClientsCloseWithAClose() throws Exception
    {
        try (Socket socket = RawHttp.connect(service.httpPort(), 10_000))
        {
            RawWebSocket.handshake(socket);
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            final byte[] payload = "are you there".getBytes(StandardCharsets.US_ASCII);
            out.write(RawWebSocket.frame(true, PING, payload));
            out.flush();
            final RawWebSocket.Frame pong = RawWebSocket.read(in);
            assertEquals(PONG, pong.opcode);
            assertArrayEquals(payload, pong.payload);

            final byte[] close = {0x03, (byte)0xe8, 'b', 'y', 'e'};
            out.write(RawWebSocket.frame(true, CLOSE, close));
            out.flush();
            final RawWebSocket.Frame answer = RawWebSocket.read(in);
            assertEquals(1000, answer.closeCode(), "the close answered with the client's code");
            assertNull(RawWebSocket.read(in), "then the end of the stream");
        }
        assertServed();
    }

    @Test
    void aClientThatPingsWithoutReadingIsClosedAsASlowConsumer() throws Exception
    {
        final long before = service.service().httpGateway().slowConsumerDisconnects();
        try (Socket socket = new Socket())
        {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", service.httpPort()), 5_000);
            RawWebSocket.handshake(socket);
            final OutputStream out = socket.getOutputStream();
            final byte[] ping = RawWebSocket.frame(true, PING, new byte[125]);
            final byte[] many = new byte[ping.length * 100];
            for (int i = 0; i < 100; i++)
            {
                System.arraycopy(ping, 0, many, i * ping.length, ping.length);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (service.service().httpGateway().slowConsumerDisconnects() == before)
            {
                assertTrue(System.nanoTime() < deadline, "a client that pings and never reads was not closed");
                try
                {
                    out.write(many);
                    out.flush();
                }
                catch (final IOException closed)
                {
                    Thread.sleep(10);
                }
            }
            assertEquals(before + 1, service.service().httpGateway().slowConsumerDisconnects());
        }
        assertEquals(-1, watcher.closeCode(), "the watcher goes on");
        assertServed();
    }

    @Test
    void aHandshakeThatNeverEndsIsAnswered408AndClosed() throws Exception
    {
        try (Socket socket = RawHttp.connect(service.httpPort(), 10_000))
        {
            socket.getOutputStream().write(("GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" +
                "Connection: Upgrade\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.contains("REQUEST_TIMEOUT"), answer);
        }
        assertServed();
    }

    private static String order(final String side, final String price, final String clientId)
    {
        return "{\"market\":\"BTC-USD\",\"side\":\"" + side + "\",\"price\":\"" + price +
            "\",\"size\":\"0.001\",\"clientId\":\"" + clientId + "\"}";
    }

    /**
     * Changes the book, then checks that the connection's book and the watcher's equal the REST book.
     */
    private static void placeAndAssertBooks(final WsClient ws) throws Exception
    {
        final String id = "ab" + orders++;
        trader.expect(200, "POST", "/v1/orders", order("sell", "5100" + orders % 10, id));
        final RestClient anonymous = RestClient.anonymous(service.httpPort());
        final JsonNode rest = anonymous.expect(200, "GET", "/v1/markets/BTC-USD/book?depth=1000", "");
        for (final WsClient client : List.of(ws, watcher))
        {
            awaitTrue(() -> WsBook.of(client.messages(), "BTC-USD").marketSeq == rest.get("seq").asLong(),
                "the book up to the REST book's seq " + rest.get("seq"));
            final WsBook book = WsBook.of(client.messages(), "BTC-USD");
            assertEquals(WsBook.levels(rest.get("bids"), true), book.bids);
            assertEquals(WsBook.levels(rest.get("asks"), false), book.asks);
        }
    }

    private static void assertServed() throws IOException
    {
        try (Socket other = RawHttp.connect(service.httpPort(), 10_000))
        {
            RawHttp.assertServed(other);
        }
        assertEquals(0, service.service().httpGateway().unexpectedErrors());
    }

    private static void awaitTrue(final BooleanSupplier state, final String what) throws InterruptedException
    {
        awaitTrue(state, () -> what);
    }

    private static void awaitTrue(final BooleanSupplier state, final Supplier<String> what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!state.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, () -> "not " + what.get() + " within 10 s");
            Thread.sleep(10);
        }
    }
}
