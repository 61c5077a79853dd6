package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.book.OrderBook;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket market data feed under load, as many consumers see it: 200 connections subscribe to the books and
 * trades of two markets while four traders place, batch, amend, cancel and cross orders at random (seeded); some
 * connections unsubscribe and subscribe again (the resynchronisation a client does after a gap) along the way, and
 * one client stops reading and is closed as a slow consumer in the middle. Afterwards the book every connection
 * built from its snapshots and deltas equals the matcher's own book, every subscription's messages were numbered
 * without a gap, the trades of every connection are the same gap-free list, and no other connection was closed.
 */
@Tag("system")
final class WebSocketFeedLoadSystemTest
{
    private static final int SUBSCRIBERS = 200;
    private static final int TRADERS = 4;
    private static final int STEPS = 300;
    private static final long SEED = 20261202L;
    private static final String BOOK_BTC = "{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}";
    private static final String UNSUBSCRIBE_BOOK_BTC =
        "{\"op\":\"unsubscribe\",\"channel\":\"book\",\"market\":\"BTC-USD\"}";
    private static final String BOOK_ETH = "{\"op\":\"subscribe\",\"channel\":\"book\",\"market\":\"ETH-USD\"}";
    private static final String TRADES_BTC = "{\"op\":\"subscribe\",\"channel\":\"trades\",\"market\":\"BTC-USD\"}";

    @TempDir
    Path data;

    @Test
    void everySubscribersBookEqualsTheMatchersThroughResubscribesAndASlowConsumer() throws Exception
    {
        final List<WsClient> subscribers = new ArrayList<>();
        final HttpClient shared = HttpClient.newHttpClient();
        try (TestService service = new TestService(data).http(http ->
        {
            http.outboundLimitBytes(64 * 1024);
            // One test address opens every connection and sends every message: the per-address bounds are
            // another test's subject.
            http.addressLimits().requestRatePerAddress(100_000, 100_000);
        }).start())
        {
            final RestClient[] traders = fund(service);
            for (int i = 0; i < SUBSCRIBERS; i++)
            {
                final WsClient ws = new WsClient(shared, service.httpPort());
                subscribers.add(ws);
                ws.send(BOOK_BTC);
                ws.send(TRADES_BTC);
                if (i % 4 == 0)
                {
                    ws.send(BOOK_ETH);
                }
            }
            awaitEvery(subscribers, ws -> count(ws, m -> "snapshot".equals(m.path("type").asText())) ==
                (subscribers.indexOf(ws) % 4 == 0 ? 2 : 1) &&
                count(ws, m -> "subscribed".equals(m.path("op").asText())) == 1, "every snapshot");

            final Random random = new Random(SEED);
            final List<List<String>> open = new ArrayList<>();
            for (int i = 0; i < TRADERS; i++)
            {
                open.add(new ArrayList<>());
            }
            final int[] clientIds = {0};
            int resubscribes = 0;
            for (int step = 0; step < STEPS; step++)
            {
                act(random, traders, open, clientIds);
                if (step % 50 == 25)
                {
                    // A tenth of the connections resynchronise their BTC book: unsubscribe, subscribe, a new
                    // snapshot numbered 1, while the activity goes on.
                    for (int i = random.nextInt(10); i < SUBSCRIBERS; i += 10)
                    {
                        subscribers.get(i).send(UNSUBSCRIBE_BOOK_BTC);
                        subscribers.get(i).send(BOOK_BTC);
                        resubscribes++;
                    }
                }
                if (step == STEPS / 2)
                {
                    slowConsumer(service, traders[0]);
                }
            }

            final int expectedResubscribes = resubscribes;
            assertEquals(SUBSCRIBERS / 10 * (STEPS / 50), expectedResubscribes);
            for (final MarketSpec market : TestService.MARKETS)
            {
                final long channelSeq = service.service().views().marketData().channelSeq(market.id());
                awaitEvery(subscribers, ws -> !subscribed(ws, market) ||
                    WsBook.of(ws.messages(), market.symbol()).marketSeq == channelSeq,
                    market.symbol() + " books up to the market's channel sequence " + channelSeq);
            }
            for (final WsClient ws : subscribers)
            {
                assertEquals(-1, ws.closeCode(), "only the slow consumer was closed: " + ws.closeReason());
            }
            assertEquals(1, service.service().httpGateway().slowConsumerDisconnects());
            assertEquals(SUBSCRIBERS, service.service().httpGateway().webSocketCount(),
                "the slow consumer's connection is gone, and with it what the server held for it");

            assertSameTrades(subscribers);
            final int snapshots = subscribers.stream().mapToInt(ws -> WsBook.of(ws.messages(), "BTC-USD").snapshots)
                .sum();
            assertEquals(SUBSCRIBERS + expectedResubscribes, snapshots, "a snapshot per BTC book subscription");

            service.service().sequencer().close();
            final Matcher matcher = service.service().sequencer().matcherAfterClose();
            for (final MarketSpec market : TestService.MARKETS)
            {
                final OrderBook expected = matcher.market(market.id()).book();
                assertTrue(expected.bids().levelCount() + expected.asks().levelCount() > 5,
                    "the activity left a book in " + market.symbol());
                for (final WsClient ws : subscribers)
                {
                    if (subscribed(ws, market))
                    {
                        final WsBook book = WsBook.of(ws.messages(), market.symbol());
                        assertEquals(WsBook.levels(expected.bids(), market), book.bids, market.symbol() + " bids");
                        assertEquals(WsBook.levels(expected.asks(), market), book.asks, market.symbol() + " asks");
                    }
                }
            }
            assertEquals(0, service.service().httpGateway().unexpectedErrors());
        }
        finally
        {
            for (final WsClient ws : subscribers)
            {
                ws.close();
            }
        }
    }

    private static RestClient[] fund(final TestService service)
    {
        final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
            TestService.OPERATOR_KEY.getPrivate());
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"ETH-USD\",\"price\":\"3000\"}");
        final RestClient[] traders = new RestClient[TRADERS];
        for (int i = 0; i < TRADERS; i++)
        {
            operator.expect(200, "POST", "/v1/operator/deposits",
                "{\"account\":" + (TestService.FIRST_ACCOUNT + i) + ",\"amount\":\"100000000\"}");
            traders[i] = RestClient.account(service.httpPort(), TestService.FIRST_ACCOUNT + i,
                TestService.ACCOUNT_KEYS[i].getPrivate());
        }
        return traders;
    }

    /**
     * One random step of one trader: a place, a batch, an amend or a cancel, on either market.
     */
    private static void act(final Random random, final RestClient[] traders, final List<List<String>> open,
        final int[] clientIds)
    {
        final int trader = random.nextInt(TRADERS);
        final List<String> mine = open.get(trader);
        final int action = random.nextInt(10);
        if (action < 5 || mine.isEmpty())
        {
            final String id = "w" + clientIds[0]++;
            final JsonNode placed = traders[trader].expect(200, "POST", "/v1/orders", order(random, id));
            if (rests(placed))
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
                ids.add("w" + clientIds[0]++);
                batch.append(k == 0 ? "" : ",").append(order(random, ids.get(k)));
            }
            final JsonNode results = traders[trader].expect(200, "POST", "/v1/orders/batch",
                batch.append(']').toString()).get("results");
            for (int k = 0; k < count; k++)
            {
                assertEquals(200, results.get(k).get("httpStatus").asInt(), results.toString());
                if (rests(results.get(k)))
                {
                    mine.add(ids.get(k));
                }
            }
        }
        else if (action < 8)
        {
            final String id = mine.get(random.nextInt(mine.size()));
            final int status = traders[trader].send("PATCH", "/v1/orders/" + id + "?market=" + symbol(id),
                "{\"price\":\"" + price(random, id) + "\",\"size\":\"" + size(random, id) + "\"}").statusCode();
            assertTrue(status == 200 || status == 404 || status == 422, "amend answered " + status);
        }
        else
        {
            final String id = mine.remove(random.nextInt(mine.size()));
            final int status = traders[trader].send("DELETE", "/v1/orders/" + id + "?market=" + symbol(id), "")
                .statusCode();
            assertTrue(status == 200 || status == 404, "cancel answered " + status);
        }
    }

    private static boolean rests(final JsonNode placed)
    {
        final String status = placed.get("status").asText();
        return status.equals("open") || status.equals("partiallyFilled");
    }

    /**
     * Orders whose clientId has an even number go to BTC-USD, the others to ETH-USD.
     */
    private static String symbol(final String clientId)
    {
        return Integer.parseInt(clientId.substring(1)) % 2 == 0 ? "BTC-USD" : "ETH-USD";
    }

    private static String order(final Random random, final String clientId)
    {
        return "{\"market\":\"" + symbol(clientId) + "\",\"side\":\"" + (random.nextBoolean() ? "buy" : "sell") +
            "\",\"price\":\"" + price(random, clientId) + "\",\"size\":\"" + size(random, clientId) +
            "\",\"clientId\":\"" + clientId + "\"}";
    }

    private static String price(final Random random, final String clientId)
    {
        return (symbol(clientId).equals("BTC-USD") ? BigDecimal.valueOf(500_000 + random.nextInt(41) - 20, 1) :
            BigDecimal.valueOf(300_000 + random.nextInt(41) - 20, 2)).toPlainString();
    }

    private static String size(final Random random, final String clientId)
    {
        return BigDecimal.valueOf(1 + random.nextInt(50), symbol(clientId).equals("BTC-USD") ? 3 : 2).toPlainString();
    }

    /**
     * A client that subscribes to a deep book again and again and never reads, until the server closes it.
     */
    private static void slowConsumer(final TestService service, final RestClient trader) throws Exception
    {
        NonReadingClient.deepBook(trader, 4);
        NonReadingClient.subscribeUntilClosed(service, System.nanoTime() + TimeUnit.SECONDS.toNanos(30)).close();
    }

    private static boolean subscribed(final WsClient ws, final MarketSpec market)
    {
        return market.id() == TestService.BTC || ws.messages().stream()
            .anyMatch(m -> "book".equals(m.path("channel").asText()) &&
                market.symbol().equals(m.path("market").asText()));
    }

    /**
     * Every connection's trades: numbered 1, 2, 3, ... with rising market sequence numbers, and the same trades on
     * every connection (they all subscribed before the first).
     */
    private static void assertSameTrades(final List<WsClient> subscribers)
    {
        List<Long> first = null;
        for (final WsClient ws : subscribers)
        {
            final List<Long> tradeIds = new ArrayList<>();
            long seq = 0;
            long marketSeq = 0;
            for (final JsonNode message : ws.messages())
            {
                if ("trades".equals(message.path("channel").asText()) && message.has("seq"))
                {
                    assertEquals(++seq, message.get("seq").asLong(), "gap-free trades: " + message);
                    assertTrue(message.get("marketSeq").asLong() > marketSeq, "market seq rises: " + message);
                    marketSeq = message.get("marketSeq").asLong();
                    tradeIds.add(message.get("tradeId").asLong());
                }
            }
            if (first == null)
            {
                first = tradeIds;
                assertTrue(first.size() > 10, "the activity traded: " + first);
            }
            assertEquals(first, tradeIds, "every connection saw the same trades");
        }
    }

    private static long count(final WsClient ws, final Predicate<JsonNode> match)
    {
        return ws.messages().stream().filter(match).count();
    }

    private static void awaitEvery(final List<WsClient> clients, final Predicate<WsClient> state, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (final WsClient ws : clients)
        {
            while (!state.test(ws))
            {
                assertTrue(System.nanoTime() < deadline, "not " + what + " within 60 s on connection " +
                    clients.indexOf(ws) + ": " + ws.messages().size() + " messages, closed " + ws.closeCode());
                Thread.sleep(20);
            }
        }
    }
}
