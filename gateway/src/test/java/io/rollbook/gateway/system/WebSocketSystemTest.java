package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket against the real service: a book built from the snapshot and gap-free deltas equals the REST book
 * after seeded random activity (places, batches, amends, cancels, crossing orders); private channels carry the
 * account's own events only; authentication failures; ping and pong.
 */
@Tag("system")
final class WebSocketSystemTest
{
    private static final int TRADERS = 4;

    @TempDir
    static Path data;
    private static TestService service;
    private static RestClient[] traders;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).start();
        final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
            TestService.OPERATOR_KEY.getPrivate());
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"ETH-USD\",\"price\":\"3000\"}");
        traders = new RestClient[TRADERS];
        for (int i = 0; i < TRADERS; i++)
        {
            operator.expect(200, "POST", "/v1/operator/deposits",
                "{\"account\":" + (TestService.FIRST_ACCOUNT + i) + ",\"amount\":\"100000000\"}");
            traders[i] = RestClient.account(service.httpPort(), TestService.FIRST_ACCOUNT + i,
                TestService.ACCOUNT_KEYS[i].getPrivate());
        }
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    @Test
    void bookFromSnapshotAndDeltasEqualsRestBookAfterRandomActivity() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
            ws.await(m -> "snapshot".equals(m.path("type").asText()), "book snapshot");
            final Random random = new Random(20261201L);
            final List<List<String>> open = new ArrayList<>();
            for (int i = 0; i < TRADERS; i++)
            {
                open.add(new ArrayList<>());
            }
            int clientIds = 0;
            for (int step = 0; step < 300; step++)
            {
                final int trader = random.nextInt(TRADERS);
                final List<String> mine = open.get(trader);
                final int action = random.nextInt(10);
                if (action < 5 || mine.isEmpty())
                {
                    final String id = "r" + clientIds++;
                    final JsonNode placed = traders[trader].expect(200, "POST", "/v1/orders", order(random, id));
                    if ("open".equals(placed.get("status").asText()) ||
                        "partiallyFilled".equals(placed.get("status").asText()))
                    {
                        mine.add(id);
                    }
                }
                else if (action < 7)
                {
                    final StringBuilder batch = new StringBuilder("[");
                    final int count = 1 + random.nextInt(5);
                    final List<String> ids = new ArrayList<>();
                    for (int k = 0; k < count; k++)
                    {
                        ids.add("r" + clientIds++);
                        batch.append(k == 0 ? "" : ",").append(order(random, ids.get(k)));
                    }
                    final JsonNode results = traders[trader].expect(200, "POST", "/v1/orders/batch",
                        batch.append(']').toString()).get("results");
                    assertEquals(count, results.size());
                    for (int k = 0; k < count; k++)
                    {
                        assertEquals(200, results.get(k).get("httpStatus").asInt(), results.toString());
                        final String status = results.get(k).get("status").asText();
                        if (status.equals("open") || status.equals("partiallyFilled"))
                        {
                            mine.add(ids.get(k));
                        }
                    }
                }
                else if (action < 8)
                {
                    final String id = mine.get(random.nextInt(mine.size()));
                    final int status = traders[trader].send("PATCH", "/v1/orders/" + id,
                        "{\"price\":\"" + price(random) + "\",\"size\":\"" + size(random) + "\"}").statusCode();
                    assertTrue(status == 200 || status == 404 || status == 422, "amend answered " + status);
                }
                else
                {
                    final String id = mine.remove(random.nextInt(mine.size()));
                    final int status = traders[trader].send("DELETE", "/v1/orders/" + id, "").statusCode();
                    assertTrue(status == 200 || status == 404, "cancel answered " + status);
                }
            }

            final RestClient anonymous = RestClient.anonymous(service.httpPort());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true)
            {
                final JsonNode rest = RestClient.json(anonymous.send("GET", "/v1/markets/BTC-USD/book?depth=10000", "")
                    .body());
                final WsBook local = WsBook.of(ws.messages(), "BTC-USD");
                if (local.marketSeq == rest.get("seq").asLong())
                {
                    assertEquals(WsBook.levels(rest.get("bids"), true), local.bids, "bids");
                    assertEquals(WsBook.levels(rest.get("asks"), false), local.asks, "asks");
                    assertTrue(local.bids.size() + local.asks.size() > 5, "the activity left a book: " + rest);
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the WebSocket book did not reach the REST book's seq " +
                    rest.get("seq") + " (at " + local.marketSeq + ")");
                Thread.sleep(20);
            }
        }
    }

    private static String order(final Random random, final String clientId)
    {
        return "{\"market\":\"BTC-USD\",\"side\":\"" + (random.nextBoolean() ? "buy" : "sell") + "\",\"price\":\"" +
            price(random) + "\",\"size\":\"" + size(random) + "\",\"clientId\":\"" + clientId + "\"}";
    }

    private static String price(final Random random)
    {
        return BigDecimal.valueOf(500_000 + random.nextInt(41) - 20, 1).toPlainString();
    }

    private static String size(final Random random)
    {
        return BigDecimal.valueOf(1 + random.nextInt(50), 3).toPlainString();
    }

    @Test
    void privateChannelsCarryOnlyTheAccountsOwnEvents() throws Exception
    {
        final int me = TestService.FIRST_ACCOUNT + 2;
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            ws.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            ws.await(m -> "NOT_AUTHENTICATED".equals(m.path("code").asText()), "refusal before auth");
            ws.auth(me, TestService.ACCOUNT_KEYS[2].getPrivate());
            for (final String channel : new String[] {"orders", "fills", "positions", "balances"})
            {
                ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}");
                ws.await(m -> channel.equals(m.path("channel").asText()) && "snapshot".equals(m.path("type").asText()),
                    channel + " snapshot");
            }
            traders[3].expect(200, "POST", "/v1/orders",
                "{\"market\":\"ETH-USD\",\"side\":\"sell\",\"price\":\"3000\",\"size\":\"1\",\"clientId\":\"other\"}");
            traders[2].expect(200, "POST", "/v1/orders",
                "{\"market\":\"ETH-USD\",\"side\":\"buy\",\"price\":\"3000\",\"size\":\"1\",\"clientId\":\"mine\"}");
            final JsonNode fill = ws.await(m -> "fills".equals(m.path("channel").asText()) && m.has("event"), "a fill");
            assertEquals("fill", fill.get("event").get("type").asText(), fill.toString());
            assertEquals(me, fill.get("event").get("account").asInt(), fill.toString());
            assertEquals("taker", fill.get("event").get("liquidity").asText(), fill.toString());
            assertEquals("mine", fill.get("event").get("clientId").asText(), fill.toString());
            ws.await(m -> "positions".equals(m.path("channel").asText()) && m.has("event"), "a position change");
            final JsonNode accepted = ws.await(m -> "orders".equals(m.path("channel").asText()) && m.has("event"),
                "my order's acceptance");
            assertEquals(me, accepted.get("event").get("account").asInt(), accepted.toString());
            for (final JsonNode message : ws.messages())
            {
                final JsonNode event = message.get("event");
                if (event != null && event.has("account"))
                {
                    assertEquals(me, event.get("account").asInt(), "only my events: " + message);
                }
            }
            ws.send("{\"op\":\"ping\"}");
            ws.await(m -> "pong".equals(m.path("op").asText()), "pong");
        }
    }

    @Test
    void authFailuresAreRefusedWithReasons() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            final long now = System.currentTimeMillis();
            ws.send("{\"op\":\"auth\",\"account\":" + TestService.FIRST_ACCOUNT + ",\"timestamp\":" + now +
                ",\"signature\":\"" + io.rollbook.gateway.http.RequestSigning.sign(
                TestService.ACCOUNT_KEYS[1].getPrivate(), now, "GET", "/v1/ws", "") + "\"}");
            ws.await(m -> "BAD_SIGNATURE".equals(m.path("code").asText()), "bad signature");
            final long stale = now - 60_000;
            ws.send("{\"op\":\"auth\",\"account\":" + TestService.FIRST_ACCOUNT + ",\"timestamp\":" + stale +
                ",\"signature\":\"" + io.rollbook.gateway.http.RequestSigning.sign(
                TestService.ACCOUNT_KEYS[0].getPrivate(), stale, "GET", "/v1/ws", "") + "\"}");
            ws.await(m -> "STALE_TIMESTAMP".equals(m.path("code").asText()), "stale timestamp");
            for (final String invalid :
                new String[] {"-1", Long.toString(now + Long.MIN_VALUE), "1.5", "\"" + now + "\""})
            {
                ws.send("{\"op\":\"auth\",\"account\":" + TestService.FIRST_ACCOUNT + ",\"timestamp\":" + invalid +
                    ",\"signature\":\"" + io.rollbook.gateway.http.RequestSigning.sign(
                    TestService.ACCOUNT_KEYS[0].getPrivate(), now, "GET", "/v1/ws", "") + "\"}");
                ws.await(m -> "INVALID_TIMESTAMP".equals(m.path("code").asText()) &&
                    m.path("message").asText().startsWith("timestamp must be milliseconds since the epoch"),
                    "invalid timestamp " + invalid);
            }
            ws.send("{not json");
            ws.await(m -> "MALFORMED_JSON".equals(m.path("code").asText()), "malformed JSON");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"NOPE\"}");
            ws.await(m -> "UNKNOWN_MARKET".equals(m.path("code").asText()), "unknown market");
        }
    }

    @Test
    void aFieldAMessageDoesNotTakeIsRefusedNotIgnored() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            ws.auth(TestService.FIRST_ACCOUNT + 3, TestService.ACCOUNT_KEYS[3].getPrivate());
            ws.send("{\"op\":\"subscribe\",\"channel\":\"orders\",\"market\":\"BTC-USD\"}");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\",\"depth\":5}");
            ws.send("{\"op\":\"ping\",\"id\":7}");
            for (final String refused : new String[] {"market is not a field of the orders channel",
                "depth is not a field of \"subscribe\"", "id is not a field of \"ping\""})
            {
                final JsonNode error = ws.await(m -> m.path("message").asText().startsWith(refused), refused);
                assertEquals("INVALID_FIELD", error.get("code").asText(), error.toString());
            }
            // Nothing was subscribed: each subscription now gets its snapshot, not ALREADY_SUBSCRIBED.
            ws.send("{\"op\":\"subscribe\",\"channel\":\"orders\"}");
            ws.await(m -> "orders".equals(m.path("channel").asText()) && "snapshot".equals(m.path("type").asText()),
                "the orders snapshot");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}");
            ws.await(m -> "book".equals(m.path("channel").asText()) && "snapshot".equals(m.path("type").asText()),
                "the book snapshot");
            ws.send("{\"op\":\"ping\"}");
            ws.await(m -> "pong".equals(m.path("op").asText()), "pong");
            // Messages come in order: the refused ping's pong, had there been one, would have come first.
            assertEquals(1, ws.messages().stream().filter(m -> "pong".equals(m.path("op").asText())).count(),
                ws.messages().toString());
            assertTrue(ws.messages().stream().noneMatch(m -> "ALREADY_SUBSCRIBED".equals(m.path("code").asText())),
                ws.messages().toString());
        }
    }

    @Test
    void fragmentedAndBinaryMessagesAndRepeatedPrivateSubscriptions() throws Exception
    {
        try (WsClient ws = new WsClient(service.httpPort()))
        {
            ws.sendFragments("{\"op\":\"pi", "ng\"}");
            ws.await(m -> "pong".equals(m.path("op").asText()), "the pong of a message sent in two frames");
            ws.sendBinary(new byte[] {1, 2, 3});
            final JsonNode binary = ws.await(m -> "error".equals(m.path("type").asText()), "a binary frame's error");
            assertEquals("MALFORMED_JSON", binary.get("code").asText(), binary.toString());
            assertTrue(binary.get("message").asText().contains("text frame"), binary.toString());

            ws.auth(TestService.FIRST_ACCOUNT + 1, TestService.ACCOUNT_KEYS[1].getPrivate());
            ws.send("{\"op\":\"subscribe\",\"channel\":\"balances\"}");
            ws.await(m -> "balances".equals(m.path("channel").asText()), "balances snapshot");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"balances\"}");
            ws.await(m -> "ALREADY_SUBSCRIBED".equals(m.path("code").asText()), "a second subscription refused");
            ws.send("{\"op\":\"unsubscribe\",\"channel\":\"balances\"}");
            ws.await(m -> "unsubscribed".equals(m.path("op").asText()), "unsubscribed");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"balances\"}");
            ws.await(m -> "balances".equals(m.path("channel").asText()) && ws.messages().stream()
                .filter(one -> "snapshot".equals(one.path("type").asText())).count() == 2, "the second snapshot");
            final List<Long> seqs = new ArrayList<>();
            for (final JsonNode message : ws.messages())
            {
                if ("balances".equals(message.path("channel").asText()) && message.has("seq"))
                {
                    seqs.add(message.get("seq").asLong());
                }
            }
            assertEquals(List.of(1L, 1L), seqs, "each subscription numbers its messages from 1");
        }
    }
}
