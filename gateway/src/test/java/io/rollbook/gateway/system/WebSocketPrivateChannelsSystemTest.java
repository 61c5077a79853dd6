package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.protocol.auth.Ed25519Keys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The private WebSocket channels of four accounts that trade with one another at random (seeded): every message a
 * connection receives is about its own account only (no other account's id, client order id or order, and a fill
 * is the account's side of a trade, never the whole trade), each channel is numbered without a gap, nothing is sent
 * twice, a connection that subscribes in the middle gets every fill after its snapshot and none the snapshot holds,
 * and the fills are those the account view lists. Then one account's key is replaced: its connection is closed, the
 * others go on receiving their own events only, and the account reconnects with its new key, never its old one.
 */
@Tag("system")
final class WebSocketPrivateChannelsSystemTest
{
    private static final int TRADERS = 4;
    private static final int STEPS = 240;
    private static final String[] CHANNELS = {"orders", "fills", "positions", "balances"};
    /** Fields that only the two sides of a whole trade event carry: a fill must never hold one. */
    private static final Set<String> OTHER_SIDE = Set.of("maker", "taker", "makerSide", "makerOrderId",
        "takerOrderId", "makerClientId", "takerClientId", "makerRemaining", "takerRemaining", "makerFee", "takerFee");

    @TempDir
    Path data;

    @Test
    void everyConnectionReceivesItsOwnAccountsEventsOnlyOnceEachAndAfterKeyRotationToo() throws Exception
    {
        final KeyPair rotated = Ed25519Keys.generate();
        final int rotatedAccount = TestService.FIRST_ACCOUNT + TRADERS - 1;
        try (TestService service = new TestService(data).start())
        {
            final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
                TestService.OPERATOR_KEY.getPrivate());
            operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
            final RestClient[] traders = new RestClient[TRADERS];
            final WsClient[] connections = new WsClient[TRADERS];
            WsClient late = null;
            WsClient renewed = null;
            try
            {
                for (int i = 0; i < TRADERS; i++)
                {
                    operator.expect(200, "POST", "/v1/operator/deposits",
                        "{\"account\":" + account(i) + ",\"amount\":\"100000000\"}");
                    traders[i] = RestClient.account(service.httpPort(), account(i),
                        TestService.ACCOUNT_KEYS[i].getPrivate());
                    connections[i] = subscribeAll(service, account(i), TestService.ACCOUNT_KEYS[i]);
                }
                final Random random = new Random(20261202L);
                final int[] clientIds = new int[TRADERS];
                for (int step = 0; step < STEPS; step++)
                {
                    act(random, traders, clientIds);
                    if (step == STEPS / 2)
                    {
                        late = subscribeAll(service, account(0), TestService.ACCOUNT_KEYS[0]);
                    }
                }
                for (int i = 0; i < TRADERS; i++)
                {
                    awaitFillsOfAccountView(traders[i], connections[i], 0);
                    assertOwnOnly(connections[i], i);
                }
                assertOwnOnly(late, 0);
                assertLateGetsEveryFillAfterItsSnapshotOnly(connections[0], late);

                final KeyStore.Builder keys = KeyStore.builder()
                    .operator("test-operator", TestService.OPERATOR_KEY.getPublic());
                for (int i = 0; i < TestService.ACCOUNTS; i++)
                {
                    final int account = TestService.FIRST_ACCOUNT + i;
                    keys.account(account, account == rotatedAccount ? rotated.getPublic() :
                        TestService.ACCOUNT_KEYS[i].getPublic());
                }
                service.service().replaceKeys(keys.build());
                final WsClient old = connections[TRADERS - 1];
                awaitTrue(() -> old.closeCode() != -1, "the rotated key's connection closed");
                assertEquals(1008, old.closeCode(), old.closeReason());
                assertTrue(old.closeReason().contains("replaced or revoked"), old.closeReason());

                try (WsClient stale = new WsClient(service.httpPort()))
                {
                    final long now = System.currentTimeMillis();
                    stale.send("{\"op\":\"auth\",\"account\":" + rotatedAccount + ",\"timestamp\":" + now +
                        ",\"signature\":\"" + io.rollbook.gateway.http.RequestSigning.sign(
                        TestService.ACCOUNT_KEYS[TRADERS - 1].getPrivate(), now, "GET", "/v1/ws", "") + "\"}");
                    stale.await(m -> "BAD_SIGNATURE".equals(m.path("code").asText()), "the old key refused");
                    stale.send("{\"op\":\"subscribe\",\"channel\":\"fills\"}");
                    stale.await(m -> "NOT_AUTHENTICATED".equals(m.path("code").asText()), "no channel on the old key");
                }
                renewed = subscribeAll(service, rotatedAccount, rotated);
                traders[TRADERS - 1] = RestClient.account(service.httpPort(), rotatedAccount, rotated.getPrivate());
                for (int step = 0; step < STEPS / 4; step++)
                {
                    act(random, traders, clientIds);
                }
                for (int i = 0; i < TRADERS - 1; i++)
                {
                    awaitFillsOfAccountView(traders[i], connections[i], 0);
                    assertEquals(-1, connections[i].closeCode(), "the other accounts' connections go on");
                    assertOwnOnly(connections[i], i);
                }
                awaitFillsOfAccountView(traders[TRADERS - 1], renewed, newestInSnapshot(renewed));
                assertOwnOnly(renewed, TRADERS - 1);
                assertOwnOnly(old, TRADERS - 1);
                assertEquals(0, service.service().httpGateway().unexpectedErrors());
            }
            finally
            {
                for (final WsClient ws : new WsClient[] {connections[0], connections[1], connections[2],
                    connections[3], late, renewed})
                {
                    if (ws != null)
                    {
                        ws.close();
                    }
                }
            }
        }
    }

    private static int account(final int trader)
    {
        return TestService.FIRST_ACCOUNT + trader;
    }

    private static WsClient subscribeAll(final TestService service, final int account, final KeyPair key)
        throws Exception
    {
        final WsClient ws = new WsClient(service.httpPort());
        ws.auth(account, key.getPrivate());
        for (final String channel : CHANNELS)
        {
            ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}");
            ws.await(m -> channel.equals(m.path("channel").asText()) && "snapshot".equals(m.path("type").asText()),
                channel + " snapshot");
        }
        return ws;
    }

    /**
     * A trader's random step: a limit order near the one price all four quote around (so that they trade with one
     * another), or a cancel of one of its orders.
     */
    private static void act(final Random random, final RestClient[] traders, final int[] clientIds)
    {
        final int trader = random.nextInt(TRADERS);
        if (random.nextInt(5) == 0 && clientIds[trader] > 0)
        {
            final int status = traders[trader].send("DELETE",
                "/v1/orders/p" + trader + "x" + random.nextInt(clientIds[trader]), "").statusCode();
            assertTrue(status == 200 || status == 404, "cancel answered " + status);
            return;
        }
        final String id = "p" + trader + "x" + clientIds[trader]++;
        traders[trader].expect(200, "POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"" +
            (random.nextBoolean() ? "buy" : "sell") + "\",\"price\":\"" +
            BigDecimal.valueOf(500_000 + random.nextInt(11) - 5, 1).toPlainString() + "\",\"size\":\"" +
            BigDecimal.valueOf(1 + random.nextInt(20), 3).toPlainString() + "\",\"clientId\":\"" + id + "\"}");
    }

    /**
     * Waits until the connection's fills include every fill the account view lists (its last 100) after the trade id
     * given, then checks that they are the same when the connection has fewer than that.
     */
    private static void awaitFillsOfAccountView(final RestClient trader, final WsClient ws, final long afterTradeId)
        throws Exception
    {
        final Set<String> listed = new TreeSet<>();
        for (final JsonNode fill : trader.expect(200, "GET", "/v1/account", "").get("fills"))
        {
            if (fill.get("tradeId").asLong() > afterTradeId)
            {
                listed.add(fill.get("tradeId").asLong() + " " + fill.get("liquidity").asText());
            }
        }
        assertFalse(listed.isEmpty(), "the account traded");
        awaitTrue(() -> fills(ws.messages()).containsAll(listed), "the account view's fills on the fills channel");
        final Set<String> received = fills(ws.messages());
        if (received.size() < 100)
        {
            assertEquals(listed, received);
        }
    }

    /**
     * @return the fills channel's events of these messages as "tradeId liquidity", checking none comes twice
     */
    private static Set<String> fills(final List<JsonNode> messages)
    {
        final Set<String> fills = new TreeSet<>();
        for (final JsonNode message : messages)
        {
            if ("fills".equals(message.path("channel").asText()) && message.has("event"))
            {
                final JsonNode event = message.get("event");
                assertTrue(fills.add(event.get("tradeId").asLong() + " " + event.get("liquidity").asText()),
                    "a fill sent twice: " + message);
            }
        }
        return fills;
    }

    /**
     * Every message of the connection names its own account only, wherever an account, an order's client id or a
     * trade's other side could appear; each channel is numbered 1, 2, 3, ... from its snapshot; no event comes twice.
     */
    private static void assertOwnOnly(final WsClient ws, final int trader)
    {
        final long[] seq = new long[CHANNELS.length];
        final Set<String> events = new HashSet<>();
        for (final JsonNode message : ws.messages())
        {
            assertOwn(message, trader, message);
            final String channel = message.path("channel").asText();
            final int c = List.of(CHANNELS).indexOf(channel);
            if (c < 0 || !message.has("seq"))
            {
                continue;
            }
            if ("snapshot".equals(message.path("type").asText()))
            {
                seq[c] = 0;
            }
            assertEquals(++seq[c], message.get("seq").asLong(), "gap-free " + channel + ": " + message);
            if (message.has("event"))
            {
                assertTrue(events.add(channel + " " + message.get("event")), "an event sent twice: " + message);
            }
            if ("fills".equals(channel) && message.has("event"))
            {
                assertEquals("fill", message.get("event").get("type").asText(), message.toString());
            }
        }
    }

    private static void assertOwn(final JsonNode node, final int trader, final JsonNode message)
    {
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> field = fields.next();
            final JsonNode value = field.getValue();
            assertFalse(OTHER_SIDE.contains(field.getKey()), "another account's side of a trade: " + message);
            if (field.getKey().equals("account") && value.isNumber())
            {
                assertEquals(account(trader), value.asInt(), "another account's event: " + message);
            }
            if (field.getKey().equals("clientId") && value.isTextual())
            {
                assertTrue(value.asText().startsWith("p" + trader + "x"), "another account's order: " + message);
            }
            if (value.isContainerNode())
            {
                assertOwn(value, trader, message);
            }
        }
        if (node.isArray())
        {
            for (final JsonNode element : node)
            {
                assertOwn(element, trader, message);
            }
        }
    }

    /**
     * The connection that subscribed in the middle: its fill events are exactly the early connection's fills after
     * the newest fill its snapshot holds (trade ids rise with the journal), none of those the snapshot holds.
     */
    private static void assertLateGetsEveryFillAfterItsSnapshotOnly(final WsClient early, final WsClient late)
        throws InterruptedException
    {
        final long newestInSnapshot = newestInSnapshot(late);
        assertTrue(newestInSnapshot > 0, "the account had traded before the late subscription");
        final Set<String> expected = new TreeSet<>();
        for (final String fill : fills(early.messages()))
        {
            if (Long.parseLong(fill.substring(0, fill.indexOf(' '))) > newestInSnapshot)
            {
                expected.add(fill);
            }
        }
        assertFalse(expected.isEmpty(), "the account traded after the late subscription");
        awaitTrue(() -> fills(late.messages()).size() >= expected.size(), "the late connection's fills");
        assertEquals(expected, fills(late.messages()), "the late connection's fills");
    }

    /**
     * @return the newest trade id among the fills of the connection's fills snapshot, 0 if it holds none
     */
    private static long newestInSnapshot(final WsClient ws)
    {
        long newest = 0;
        for (final JsonNode message : ws.messages())
        {
            if ("fills".equals(message.path("channel").asText()) && "snapshot".equals(message.path("type").asText()))
            {
                for (final JsonNode fill : message.get("account").get("fills"))
                {
                    newest = Math.max(newest, fill.get("tradeId").asLong());
                }
            }
        }
        return newest;
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier state, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!state.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "not " + what + " within 10 s");
            Thread.sleep(10);
        }
    }
}
