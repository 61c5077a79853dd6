package io.rollbook.gateway.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollbook.client.ClientListener;
import io.rollbook.client.JournalPosition;
import io.rollbook.client.LocalOrderBook;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.json.JsonEvents;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import io.rollbook.protocol.orderentry.MarketDataTradeDecoder;
import io.rollbook.sequencer.ReleaseListener;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who sees what, on a real service: traders place, amend, cancel, mass cancel, trade, withdraw and are refused; the
 * operator changes two accounts' settings (a fee tier, a default self-trade prevention), moves the oracle, applies
 * funding and so liquidates a trader whose position the unfunded insurance fund cannot take over, so that it is
 * auto-deleveraged against two counterparties. Every event the matcher released is
 * recorded whole (a release listener, the ground truth); from it the test derives what each account must see on each
 * output, as a table of (output, event type) to (what is seen), and asserts that each account received exactly
 * that: all of its own events, nothing of another account's, a trade and a position transfer as its own side only.
 * The operator's answers carry every event of its commands whole; the public feeds carry no account, order or
 * client order id. A fee tier's definition is market-wide and travels on every account's {@code account} channel too:
 * what an account pays changes with its tier's rates as it does with its tier.
 */
@Tag("system")
final class WhoSeesWhatSystemTest
{
    private static final int LIQUIDATED = TestService.FIRST_ACCOUNT;
    private static final int SHORT_1 = TestService.FIRST_ACCOUNT + 1;
    private static final int SHORT_2 = TestService.FIRST_ACCOUNT + 2;
    private static final int BYSTANDER = TestService.FIRST_ACCOUNT + 3;
    private static final int[] TRADERS = {LIQUIDATED, SHORT_1, SHORT_2, BYSTANDER};
    private static final String[] PRIVATE_CHANNELS = {"orders", "fills", "positions", "balances", "account"};
    private static final long KEEP_ALIVE_MS = 60_000;

    /**
     * The table: which private channel an account's own view of each event type travels on, and which event types
     * an execution report (binary) is made of. A type absent here ({@code oracle}, {@code funding},
     * {@code marketDefined}, {@code feeTierDefined}: market-wide) is on no private channel as an account's own view;
     * {@code feeTierDefined} is on every account's {@code account} channel whole.
     */
    private static final Map<String, String> CHANNEL_OF_OWN_VIEW = Map.ofEntries(
        Map.entry("accepted", "orders"), Map.entry("rejected", "orders"), Map.entry("resting", "orders"),
        Map.entry("amended", "orders"), Map.entry("canceled", "orders"), Map.entry("massCanceled", "orders"),
        Map.entry("fill", "fills"), Map.entry("position", "positions"), Map.entry("liquidation", "positions"),
        Map.entry("transfer", "positions"), Map.entry("balance", "balances"),
        Map.entry("accountConfigured", "account"));
    private static final Set<String> MARKET_WIDE = Set.of("oracle", "funding", "marketDefined", "feeTierDefined");
    private static final Set<String> REPORTED = Set.of("accepted", "resting", "amended", "canceled", "massCanceled");
    private static final Set<String> ORDER_COMMANDS = Set.of("place", "cancel", "amend", "cancelAll");
    private static final Set<String> PUBLIC_TRADE_KEYS = Set.of("seq", "tradeId", "price", "size", "side",
        "sequence", "timeNs");
    private static final Set<String> WS_TRADE_KEYS = Set.of("channel", "market", "seq", "marketSeq", "tradeId",
        "price", "size", "side", "sequence", "timeNs");

    @TempDir
    Path data;

    private final Truth truth = new Truth();

    @Test
    void eachAccountSeesAllOfItsOwnAndNothingOfAnotherOnEveryOutput() throws Exception
    {
        final Map<Integer, Recorder> live = new TreeMap<>();
        final List<Long> marketDataTrades = new ArrayList<>();
        final List<WsClient> privateSockets = new ArrayList<>();
        final List<RollbookClient> sessions = new ArrayList<>();
        try (TestService service = new TestService(data).sequencer(s -> s.releaseListener(truth)).start();
             WsClient publicWs = new WsClient(service.httpPort()))
        {
            for (final int account : TRADERS)
            {
                final Recorder recorder = new Recorder();
                live.put(account, recorder);
                final ClientListener marketData = new ClientListener()
                {
                    @Override
                    public void onMarketTrade(final LocalOrderBook book, final MarketDataTradeDecoder trade)
                    {
                        marketDataTrades.add(trade.tradeId());
                    }
                };
                final RollbookClient session = service.connect(new Fanout(recorder, marketData));
                session.logon(service.logon(account).keepAliveMs(KEEP_ALIVE_MS));
                sessions.add(session);
                final WsClient ws = new WsClient(service.httpPort());
                ws.auth(account, TestService.ACCOUNT_KEYS[account - TestService.FIRST_ACCOUNT].getPrivate());
                for (final String channel : PRIVATE_CHANNELS)
                {
                    ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}");
                    ws.await(m -> channel.equals(m.path("channel").asText()) &&
                        "snapshot".equals(m.path("type").asText()), "the " + channel + " snapshot");
                }
                assertEquals(settings(account, 0, "expireTaker"), accountSnapshots(ws, 1).get(0).get("settings"),
                    "account " + account + "'s settings before the operator changed any: the matcher's defaults");
                privateSockets.add(ws);
            }
            final RollbookClient bystanderSession = sessions.get(3);
            bystanderSession.subscribe(TestService.BTC);
            bystanderSession.flush();
            for (final String channel : new String[] {"trades", "book", "oracle"})
            {
                publicWs.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"market\":\"BTC-USD\"}");
                publicWs.await(m -> channel.equals(m.path("channel").asText()), "the public " + channel);
            }

            final Map<Long, JsonNode> answers = new TreeMap<>();
            final Map<Long, Integer> requesters = new TreeMap<>();
            final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
                TestService.OPERATOR_KEY.getPrivate());
            final BiFunction<Integer, String[], JsonNode> command = (account, request) ->
            {
                final RestClient client = account == 0 ? operator : rest(service, account);
                final JsonNode answer = client.expect(Integer.parseInt(request[0]), request[1], request[2],
                    request.length > 3 ? request[3] : "");
                answers.put(answer.get("seq").asLong(), answer);
                requesters.put(answer.get("seq").asLong(), account);
                return answer;
            };
            command.apply(0, req(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}"));
            command.apply(0, deposit(LIQUIDATED, "3000"));
            command.apply(0, deposit(SHORT_1, "100000"));
            command.apply(0, deposit(SHORT_2, "100000"));
            command.apply(0, deposit(BYSTANDER, "100000"));
            command.apply(0, req(200, "POST", "/v1/operator/fee-tiers",
                "{\"tier\":7,\"makerFee\":\"0\",\"takerFee\":\"0.0005\"}"));
            command.apply(0, configure(BYSTANDER, "{\"feeTier\":7,\"stp\":\"expireMaker\"}"));
            command.apply(0, configure(SHORT_1, "{\"stp\":\"expireBoth\"}"));

            command.apply(SHORT_1, place("sell", "50000", "0.5", "s1"));
            command.apply(SHORT_2, place("sell", "50000", "0.5", "s2"));
            command.apply(BYSTANDER, place("buy", "49000", "0.1", "b1"));
            command.apply(BYSTANDER, req(200, "PATCH", "/v1/orders/b1", "{\"price\":\"49100\",\"size\":\"0.2\"}"));
            command.apply(LIQUIDATED, place("buy", "50000", "1", "l1"));
            command.apply(BYSTANDER, req(200, "DELETE", "/v1/orders/b1"));
            command.apply(BYSTANDER, place("buy", "48000", "0.1", "b2"));
            command.apply(BYSTANDER, req(200, "DELETE", "/v1/orders?market=BTC-USD"));
            command.apply(BYSTANDER, place("sell", "60000", "1", "b3"));
            command.apply(BYSTANDER, req(422, "POST", "/v1/withdrawals", "{\"amount\":\"1000000\"}"));
            command.apply(SHORT_1, req(200, "POST", "/v1/withdrawals", "{\"amount\":\"1\"}"));
            command.apply(0, req(200, "POST", "/v1/operator/funding", "{\"market\":\"BTC-USD\",\"rate\":\"0.0001\"}"));
            final JsonNode liquidating = command.apply(0,
                req(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"48000\"}"));
            final long lastSeq = liquidating.get("seq").asLong();
            truth.awaitReleased(lastSeq);

            // The scenario did what it is for: the trader was auto-deleveraged against both shorts.
            final List<JsonNode> transfers = truth.ofType("positionTransferred");
            assertEquals(2, transfers.size(), truth.all().toString());
            assertEquals(Set.of(SHORT_1, SHORT_2), Set.of(transfers.get(0).get("to").asInt(),
                transfers.get(1).get("to").asInt()), transfers.toString());
            assertTrue(transfers.stream().allMatch(t -> t.get("autoDeleveraged").asBoolean() &&
                t.get("from").asInt() == LIQUIDATED), transfers.toString());

            assertEquals(List.of(BYSTANDER, SHORT_1), truth.ofType("accountConfigured").stream()
                .map(e -> e.get("account").asInt()).toList(), "the operator changed two accounts' settings");

            // REST answers: the operator every event of its command whole; a trader its own view and the market's.
            for (final Map.Entry<Long, JsonNode> answer : answers.entrySet())
            {
                final int requester = requesters.get(answer.getKey());
                final List<JsonNode> expected = new ArrayList<>();
                for (final JsonNode event : truth.of(answer.getKey()))
                {
                    if (requester == 0 || MARKET_WIDE.contains(event.get("type").asText()))
                    {
                        expected.add(event);
                    }
                    else
                    {
                        expected.addAll(ownViews(event, requester));
                    }
                }
                assertEquals(expected, list(answer.getValue().get("events")),
                    "the answer to " + (requester == 0 ? "the operator" : "account " + requester) + " of seq " +
                        answer.getKey());
            }

            // WebSocket private channels: exactly the account's own views of the events of its channel. Each
            // connection's messages arrive in release order, and every account has events released after the
            // settings changes (each trades or places after them) on a channel checked before "account": by then
            // another account's settings change, had it been sent there, would have arrived too.
            for (int i = 0; i < TRADERS.length; i++)
            {
                final int account = TRADERS[i];
                for (final String channel : PRIVATE_CHANNELS)
                {
                    final List<JsonNode> expected = new ArrayList<>();
                    for (final JsonNode event : truth.all())
                    {
                        // The commands of the test all came after the subscriptions; genesis's tiers were in the
                        // snapshot.
                        if (channel.equals("account") && event.get("type").asText().equals("feeTierDefined") &&
                            answers.containsKey(event.get("seq").asLong()))
                        {
                            expected.add(event);
                        }
                        for (final JsonNode own : ownViews(event, account))
                        {
                            if (channel.equals(CHANNEL_OF_OWN_VIEW.get(own.get("type").asText())))
                            {
                                expected.add(own);
                            }
                        }
                    }
                    assertEquals(expected, awaitEvents(privateSockets.get(i), channel, expected.size()),
                        "account " + account + "'s " + channel + " channel");
                }
            }
            // A new subscription's snapshot holds the settings as the operator left them, and every tier's rates.
            final JsonNode feeTiers = RestClient.anonymous(service.httpPort()).expect(200, "GET", "/v1/fee-tiers", "");
            for (int i = 0; i < TRADERS.length; i++)
            {
                final int account = TRADERS[i];
                final WsClient ws = privateSockets.get(i);
                ws.send("{\"op\":\"unsubscribe\",\"channel\":\"account\"}");
                ws.send("{\"op\":\"subscribe\",\"channel\":\"account\"}");
                final JsonNode snapshot = accountSnapshots(ws, 2).get(1);
                assertEquals(1, snapshot.get("seq").asLong(), snapshot.toString());
                assertEquals(currentSettings(account), snapshot.get("settings"),
                    "account " + account + "'s settings after the operator's changes");
                assertEquals(feeTiers.get("feeTiers"), snapshot.get("feeTiers"),
                    "the fee tiers in account " + account + "'s snapshot, as GET /v1/fee-tiers has them");
            }
            assertTrue(list(feeTiers.get("feeTiers")).stream().anyMatch(t -> t.get("tier").asInt() == 7 &&
                t.get("takerFee").asText().equals("0.0005")), feeTiers.toString());
            assertEquals(settings(BYSTANDER, 7, "expireMaker"), currentSettings(BYSTANDER));
            assertEquals(settings(SHORT_1, 0, "expireBoth"), currentSettings(SHORT_1));

            assertEquals(List.of("liquidation", "transfer", "position", "transfer", "position"),
                awaitEvents(privateSockets.get(0), "positions", 0).stream()
                    .filter(e -> e.get("seq").asLong() == lastSeq).map(e -> e.get("type").asText()).toList(),
                "the liquidated trader's positions channel in the liquidation");

            // Binary execution reports, live and retransmitted from the journal: the account's order events, its
            // side of each trade, the rejections of its order commands; nothing else.
            for (int i = 0; i < TRADERS.length; i++)
            {
                final int account = TRADERS[i];
                final List<String> expected = reportPositions(account);
                final Recorder recorder = live.get(account);
                try
                {
                    sessions.get(i).await(() -> recorder.positions.size() >= expected.size(), 10_000,
                        "account " + account + "'s reports");
                }
                finally
                {
                    assertEquals(expected, positions(recorder), "account " + account + "'s live reports " +
                        recorder.lines);
                }
                final Recorder again = new Recorder();
                try (RollbookClient back = service.connect(again))
                {
                    back.logon(service.logon(account).keepAliveMs(KEEP_ALIVE_MS).resumeAfter(JournalPosition.START));
                    back.await(() -> again.positions.size() >= expected.size(), 10_000, "the retransmission");
                    assertEquals(recorder.reports, again.reports, "account " + account + "'s retransmitted reports");
                }
                assertEquals(0, recorder.count("business"), recorder.lines.toString());
            }

            // Market data: every trade, with no account, order or client order id.
            final List<JsonNode> trades = truth.ofType("trade");
            final Set<Long> tradeIds = new TreeSet<>();
            trades.forEach(t -> tradeIds.add(t.get("tradeId").asLong()));
            bystanderSession.await(() -> marketDataTrades.size() >= trades.size(), 10_000, "the market data trades");
            assertEquals(tradeIds, new TreeSet<>(marketDataTrades), "binary market data trades");
            final JsonNode restTrades = RestClient.anonymous(service.httpPort())
                .expect(200, "GET", "/v1/markets/BTC-USD/trades", "").get("trades");
            assertEquals(trades.size(), restTrades.size(), restTrades.toString());
            for (final JsonNode trade : restTrades)
            {
                assertEquals(PUBLIC_TRADE_KEYS, fieldNames(trade), trade.toString());
                assertTrue(tradeIds.contains(trade.get("tradeId").asLong()), trade.toString());
            }
            for (final JsonNode trade : trades)
            {
                final JsonNode message = publicWs.await(m -> "trades".equals(m.path("channel").asText()) &&
                    m.path("tradeId").asLong() == trade.get("tradeId").asLong(), "trade " + trade);
                assertEquals(WS_TRADE_KEYS, fieldNames(message), message.toString());
                assertEquals(opposite(trade.get("makerSide").asText()), message.get("side").asText(),
                    "the taker's side: " + message);
            }
            for (final JsonNode message : publicWs.messages())
            {
                assertNoIdentity(message);
            }

            // REST reads: each account's own orders and fills, and another account's order is not there.
            for (final int account : TRADERS)
            {
                final RestClient client = rest(service, account);
                final JsonNode view = client.expect(200, "GET", "/v1/account", "");
                assertEquals(account, view.get("account").asInt(), view.toString());
                final List<String> expectedFills = new ArrayList<>();
                for (final JsonNode event : truth.all())
                {
                    for (final JsonNode own : ownViews(event, account))
                    {
                        if ("fill".equals(own.get("type").asText()))
                        {
                            expectedFills.add(0, fillKey(own));
                        }
                    }
                }
                final List<String> fills = new ArrayList<>();
                view.get("fills").forEach(f -> fills.add(fillKey(f)));
                assertEquals(expectedFills, fills, "account " + account + "'s fills");
                final Set<Long> openOrders = new HashSet<>();
                client.expect(200, "GET", "/v1/orders", "").get("orders")
                    .forEach(o -> openOrders.add(o.get("orderId").asLong()));
                assertEquals(account == BYSTANDER ? Set.of(orderId("b3")) : Set.of(), openOrders,
                    "account " + account + "'s open orders");
            }
            final RestClient other = rest(service, SHORT_1);
            other.expect(404, "GET", "/v1/orders/b3", "");
            other.expect(403, "GET", "/v1/order-ids/" + orderId("b3"), "");
            other.expect(403, "DELETE", "/v1/order-ids/" + orderId("b3"), "");
            assertEquals(Set.of(orderId("b3")), Set.of(rest(service, BYSTANDER).expect(200, "GET", "/v1/orders/b3", "")
                .get("orderId").asLong()), "the order is still open");

            // Business rejects: a client order id is looked up within the session's account. The bystander's own
            // live id is refused naming its order; the same id from another account is that account's new order.
            final long b3 = ClientOrderIds.fromString("b3");
            final Recorder bystanderReports = live.get(BYSTANDER);
            bystanderSession.newLimitOrder(b3, TestService.BTC, Side.SELL, 600_000, 1, TimeInForce.GTC);
            bystanderSession.flush();
            bystanderSession.await(() -> bystanderReports.count("business") == 1, 10_000, "the business reject");
            assertEquals(1, bystanderReports.count("business DUPLICATE_CLIENT_ORDER_ID",
                " status=LIVE order=" + orderId("b3") + " "), "the reject names the bystander's own order: " +
                bystanderReports.lines);
            final Recorder shortReports = live.get(SHORT_1);
            final RollbookClient shortSession = sessions.get(1);
            shortSession.newLimitOrder(b3, TestService.BTC, Side.SELL, 600_000, 1, TimeInForce.GTC);
            shortSession.flush();
            shortSession.await(() -> shortReports.count("rested b3") == 1, 10_000, "another account's order b3");
            assertEquals(0, shortReports.count("business"), shortReports.lines.toString());
        }
        finally
        {
            privateSockets.forEach(WsClient::close);
            sessions.forEach(RollbookClient::close);
        }
    }

    /**
     * What an account sees of one whole event: a trade as its fills, a position transfer as its transfer, an event
     * of its own whole, and nothing of any other.
     */
    private static List<JsonNode> ownViews(final JsonNode event, final int account)
    {
        final List<JsonNode> views = new ArrayList<>();
        switch (event.get("type").asText())
        {
            case "trade":
                if (event.get("maker").asInt() == account)
                {
                    views.add(fill(event, true));
                }
                if (event.get("taker").asInt() == account)
                {
                    views.add(fill(event, false));
                }
                break;
            case "positionTransferred":
                if (event.get("from").asInt() == account)
                {
                    views.add(transfer(event, true));
                }
                if (event.get("to").asInt() == account)
                {
                    views.add(transfer(event, false));
                }
                break;
            default:
                if (event.path("account").asInt() == account)
                {
                    views.add(event);
                }
        }
        return views;
    }

    private static JsonNode fill(final JsonNode trade, final boolean maker)
    {
        final String side = maker ? "maker" : "taker";
        final ObjectNode fill = RestClient.JSON.createObjectNode();
        fill.set("seq", trade.get("seq"));
        fill.put("type", "fill");
        for (final String key : new String[] {"tradeId", "market", "price", "size"})
        {
            fill.set(key, trade.get(key));
        }
        fill.set("account", trade.get(side));
        final String makerSide = trade.get("makerSide").asText();
        fill.put("side", maker ? makerSide : opposite(makerSide));
        fill.put("liquidity", side);
        fill.set("orderId", trade.get(side + "OrderId"));
        fill.set("clientId", trade.get(side + "ClientId"));
        fill.set("remaining", trade.get(side + "Remaining"));
        fill.set("fee", trade.get(side + "Fee"));
        return fill;
    }

    private static JsonNode transfer(final JsonNode event, final boolean liquidated)
    {
        final ObjectNode transfer = RestClient.JSON.createObjectNode();
        transfer.set("seq", event.get("seq"));
        transfer.put("type", "transfer");
        transfer.set("market", event.get("market"));
        transfer.set("account", event.get(liquidated ? "from" : "to"));
        final String side = event.get("side").asText();
        transfer.put("side", liquidated ? opposite(side) : side);
        transfer.set("price", event.get("price"));
        transfer.set("size", event.get("size"));
        transfer.put("liquidated", liquidated);
        transfer.set("autoDeleveraged", event.get("autoDeleveraged"));
        return transfer;
    }

    /**
     * The journal positions of the account's execution reports: its order events, its side of each trade (both
     * for a trade with itself), the rejections of its order commands.
     */
    private List<String> reportPositions(final int account)
    {
        final List<String> positions = new ArrayList<>();
        for (final Truth.Released released : truth.released())
        {
            for (int index = 0; index < released.events().size(); index++)
            {
                final JsonNode event = released.events().get(index);
                final String type = event.get("type").asText();
                final int copies;
                if ("trade".equals(type))
                {
                    copies = (event.get("maker").asInt() == account ? 1 : 0) +
                        (event.get("taker").asInt() == account ? 1 : 0);
                }
                else if (REPORTED.contains(type) || ("rejected".equals(type) &&
                    ORDER_COMMANDS.contains(event.get("command").asText())))
                {
                    copies = event.path("account").asInt() == account ? 1 : 0;
                }
                else
                {
                    copies = 0;
                }
                for (int c = 0; c < copies; c++)
                {
                    positions.add(released.sequence() + "/" + index);
                }
            }
        }
        return positions;
    }

    private long orderId(final String clientId)
    {
        return truth.ofType("accepted").stream().filter(a -> clientId.equals(a.get("clientId").asText()))
            .reduce((a, b) -> b).orElseThrow().get("orderId").asLong();
    }

    private static List<String> positions(final Recorder recorder)
    {
        final List<String> positions = new ArrayList<>();
        recorder.positions.forEach(p -> positions.add(p.sequence() + "/" + p.eventIndex()));
        return positions;
    }

    private static String fillKey(final JsonNode fill)
    {
        return fill.get("tradeId") + " " + fill.get("orderId") + " " + fill.get("clientId") + " " + fill.get("side") +
            " " + fill.get("price") + " " + fill.get("size") + " " + fill.get("fee") + " " + fill.get("liquidity");
    }

    /**
     * Waits for at least {@code count} events on one private channel of a socket.
     *
     * @return the events of the channel received so far, in order
     */
    private static List<JsonNode> awaitEvents(final WsClient ws, final String channel, final int count)
    {
        final List<JsonNode> events = new ArrayList<>();
        awaitMessages(ws, m -> channel.equals(m.path("channel").asText()) && m.has("event"), count)
            .forEach(m -> events.add(m.get("event")));
        return events;
    }

    /**
     * Waits for at least {@code count} messages that match on a socket, 10 s at most.
     *
     * @return the matching messages received so far, in order
     */
    private static List<JsonNode> awaitMessages(final WsClient ws, final Predicate<JsonNode> match, final int count)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            final List<JsonNode> matching = new ArrayList<>();
            for (final JsonNode message : ws.messages())
            {
                if (match.test(message))
                {
                    matching.add(message);
                }
            }
            if (matching.size() >= count || System.nanoTime() > deadline)
            {
                return matching;
            }
            try
            {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }

    /**
     * Waits for at least {@code count} snapshots of the account channel on a socket.
     *
     * @return the snapshots received so far, in order
     */
    private static List<JsonNode> accountSnapshots(final WsClient ws, final int count)
    {
        return awaitMessages(ws, m -> "account".equals(m.path("channel").asText()) &&
            "snapshot".equals(m.path("type").asText()), count);
    }

    /**
     * @return the account's settings as the last {@code accountConfigured} event of it left them, the matcher's
     *         defaults if there is none
     */
    private JsonNode currentSettings(final int account)
    {
        return truth.ofType("accountConfigured").stream().filter(e -> e.get("account").asInt() == account)
            .reduce((a, b) -> b).map(e -> settings(account, e.get("feeTier").asInt(), e.get("stp").asText()))
            .orElse(settings(account, 0, "expireTaker"));
    }

    private static JsonNode settings(final int account, final int feeTier, final String stp)
    {
        final ObjectNode settings = RestClient.JSON.createObjectNode();
        settings.put("account", account);
        settings.put("feeTier", feeTier);
        settings.put("stp", stp);
        return settings;
    }

    private static void assertNoIdentity(final JsonNode node)
    {
        for (final String key : new String[] {"account", "maker", "taker", "from", "to", "orderId", "clientId",
            "makerOrderId", "takerOrderId", "makerClientId", "takerClientId"})
        {
            assertFalse(node.has(key), "a public message names " + key + ": " + node);
        }
        node.forEach(WhoSeesWhatSystemTest::assertNoIdentity);
    }

    private static Set<String> fieldNames(final JsonNode node)
    {
        final Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> list(final JsonNode array)
    {
        final List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static String opposite(final String side)
    {
        return "buy".equals(side) ? "sell" : "buy";
    }

    private static RestClient rest(final TestService service, final int account)
    {
        return RestClient.account(service.httpPort(), account,
            TestService.ACCOUNT_KEYS[account - TestService.FIRST_ACCOUNT].getPrivate());
    }

    private static String[] req(final int status, final String method, final String path, final String body)
    {
        return new String[] {Integer.toString(status), method, path, body};
    }

    private static String[] req(final int status, final String method, final String path)
    {
        return new String[] {Integer.toString(status), method, path};
    }

    private static String[] deposit(final int account, final String amount)
    {
        return req(200, "POST", "/v1/operator/deposits", "{\"account\":" + account + ",\"amount\":\"" + amount + "\"}");
    }

    private static String[] configure(final int account, final String settings)
    {
        return req(200, "POST", "/v1/operator/account-settings", "{\"account\":" + account + "," +
            settings.substring(1));
    }

    private static String[] place(final String side, final String price, final String size, final String clientId)
    {
        return req(200, "POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"" + side + "\",\"price\":\"" + price +
            "\",\"size\":\"" + size + "\",\"clientId\":\"" + clientId + "\"}");
    }

    /**
     * Every released command's events, rendered whole as the journal holds them: what the test derives each
     * recipient's due from. Filled on the release thread, read by the test's.
     */
    private static final class Truth implements ReleaseListener
    {
        record Released(long sequence, List<JsonNode> events)
        {
        }

        private final JsonEvents json = new JsonEvents(new MarketDirectory(TestService.MARKETS));
        private final StringBuilder out = new StringBuilder();
        private final List<Released> released = new ArrayList<>();

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
            final List<JsonNode> events = new ArrayList<>();
            int offset = eventsOffset;
            while (offset < eventsOffset + eventsLength)
            {
                out.setLength(0);
                offset += json.append(out, sequence, buffer, offset);
                events.add(RestClient.json(out.toString()));
            }
            synchronized (this.released)
            {
                this.released.add(new Released(sequence, events));
                this.released.notifyAll();
            }
        }

        void awaitReleased(final long sequence) throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            synchronized (released)
            {
                while (released.isEmpty() || released.get(released.size() - 1).sequence() < sequence)
                {
                    final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    assertTrue(leftMs > 0, "command " + sequence + " not released");
                    released.wait(leftMs);
                }
            }
        }

        List<Released> released()
        {
            synchronized (released)
            {
                return new ArrayList<>(released);
            }
        }

        List<JsonNode> of(final long sequence)
        {
            return released().stream().filter(r -> r.sequence() == sequence).findFirst().orElseThrow().events();
        }

        List<JsonNode> all()
        {
            final List<JsonNode> all = new ArrayList<>();
            released().forEach(r -> all.addAll(r.events()));
            return all;
        }

        List<JsonNode> ofType(final String type)
        {
            return all().stream().filter(e -> type.equals(e.get("type").asText())).toList();
        }
    }
}
