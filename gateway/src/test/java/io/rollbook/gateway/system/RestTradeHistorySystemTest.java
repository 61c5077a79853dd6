package io.rollbook.gateway.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trade history against the real service: an account with more fills than its account view keeps walks every
 * one of them from the journal, page by page ({@code GET /v1/fills}), a market with more trades than its view keeps
 * every one of its trades ({@code GET /v1/markets/{market}/trades?fromSeq=S}), and bad parameters are refused with
 * nothing read.
 */
@Tag("system")
final class RestTradeHistorySystemTest
{
    private static final int TAKER = TestService.FIRST_ACCOUNT;
    private static final int MAKER = TestService.FIRST_ACCOUNT + 1;
    private static final int TRADES = 130;

    @TempDir
    static Path data;
    private static TestService service;
    private static RestClient taker;
    private static RestClient maker;
    /** The taker's fills as its place answers reported them, in order: "seq/tradeId". */
    private static final List<String> reported = new ArrayList<>();
    private static long ethFillSeq;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).start();
        final int port = service.httpPort();
        taker = RestClient.account(port, TAKER, TestService.ACCOUNT_KEYS[0].getPrivate());
        maker = RestClient.account(port, MAKER, TestService.ACCOUNT_KEYS[1].getPrivate());
        final RestClient operator = RestClient.operator(port, "test-operator", TestService.OPERATOR_KEY.getPrivate());
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"ETH-USD\",\"price\":\"3000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + TAKER + ",\"amount\":\"1000000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + MAKER + ",\"amount\":\"1000000\"}");
        maker.expect(200, "POST", "/v1/orders",
            "{\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"50000\",\"size\":\"2\",\"clientId\":\"m\"}");
        maker.expect(200, "POST", "/v1/orders",
            "{\"market\":\"ETH-USD\",\"side\":\"sell\",\"price\":\"3000\",\"size\":\"1\",\"clientId\":\"e\"}");
        for (int i = 0; i < TRADES; i++)
        {
            final JsonNode placed = taker.expect(200, "POST", "/v1/orders",
                "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"50000\",\"size\":\"0.01\",\"clientId\":\"t" + i +
                "\"}");
            record(placed);
            if (i == TRADES / 2)
            {
                final JsonNode eth = taker.expect(200, "POST", "/v1/orders",
                    "{\"market\":\"ETH-USD\",\"side\":\"buy\",\"price\":\"3000\",\"size\":\"0.1\",\"clientId\":\"x\"}");
                ethFillSeq = record(eth);
            }
        }
    }

    private static long record(final JsonNode placed)
    {
        assertEquals("filled", placed.get("status").asText(), placed.toString());
        for (final JsonNode event : placed.get("events"))
        {
            if (event.get("type").asText().equals("fill"))
            {
                reported.add(event.get("seq").asLong() + "/" + event.get("tradeId").asLong());
            }
        }
        return placed.get("seq").asLong();
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    @Test
    void everyFillIsReachedPageByPageInJournalOrder()
    {
        final List<JsonNode> walked = walk(taker, "", 7);
        assertEquals(TRADES + 1, reported.size(), reported.toString());
        assertEquals(reported, keys(walked), "the pages hold every fill the taker's orders reported, in order");

        // The account view's last 100 fills, newest first, are the walk's last 100 field by field.
        final JsonNode recent = taker.expect(200, "GET", "/v1/account", "").get("fills");
        assertEquals(100, recent.size());
        for (int i = 0; i < 100; i++)
        {
            assertEquals(recent.get(i), walked.get(walked.size() - 1 - i), "fill " + i + " from the newest");
        }

        final List<JsonNode> byDefault = walk(taker, "", 0);
        assertEquals(walked, byDefault, "pages of the default limit (100) walk the same fills");

        final List<JsonNode> eth = walk(taker, "&market=ETH-USD", 0);
        assertEquals(1, eth.size(), eth.toString());
        assertEquals(ethFillSeq, eth.get(0).get("seq").asLong());
        assertEquals("taker", eth.get(0).get("liquidity").asText());
        assertEquals(TRADES, walk(taker, "&market=BTC-USD", 50).size());

        final List<JsonNode> made = walk(maker, "", 100);
        assertEquals(TRADES + 1, made.size());
        for (int i = 0; i < made.size(); i++)
        {
            assertEquals("maker", made.get(i).get("liquidity").asText());
            assertEquals(walked.get(i).get("tradeId"), made.get(i).get("tradeId"));
            assertEquals("sell", made.get(i).get("side").asText());
        }
    }

    @Test
    void aPageFromTheMiddleStartsAtItsSequence()
    {
        final long from = Long.parseLong(reported.get(50).split("/")[0]);
        final JsonNode page = taker.expect(200, "GET", "/v1/fills?fromSeq=" + from + "&limit=3", "");
        assertEquals(3, page.get("fills").size(), page.toString());
        assertEquals(from, page.get("fills").get(0).get("seq").asLong());
        final long last = page.get("fills").get(2).get("seq").asLong();
        assertEquals(last + 1, page.get("next").asLong(), page.toString());
        assertEquals(last, page.get("scannedTo").asLong(), page.toString());
    }

    @Test
    void badParametersAreRefused()
    {
        refused("/v1/fills?fromSeq=abc", "INVALID_PARAMETER", "fromSeq");
        refused("/v1/fills?fromSeq=-1", "INVALID_PARAMETER", "fromSeq");
        refused("/v1/fills?fromSeq=1.5", "INVALID_PARAMETER", "fromSeq");
        refused("/v1/fills?limit=0", "INVALID_PARAMETER", "limit");
        refused("/v1/fills?limit=101", "INVALID_PARAMETER", "limit");
        refused("/v1/fills?limit=x", "INVALID_PARAMETER", "limit");
        final JsonNode unknownMarket = taker.expect(404, "GET", "/v1/fills?market=NOPE-USD", "");
        assertEquals("UNKNOWN_MARKET", unknownMarket.get("code").asText(), unknownMarket.toString());
        refused("/v1/fills?fromSeq=1&side=buy", "INVALID_PARAMETER", "side");
        final RestClient anonymous = RestClient.anonymous(service.httpPort());
        assertEquals(401, anonymous.send("GET", "/v1/fills?fromSeq=1", "").statusCode());
    }

    @Test
    void everyTradeOfAMarketIsReachedPageByPageInJournalOrder()
    {
        final List<JsonNode> walked = walkTrades("BTC-USD", 7);
        final List<String> expected = new ArrayList<>(reported);
        expected.remove(TRADES / 2 + 1);
        assertEquals(expected, tradeKeys(walked), "the pages hold every trade of the market, in order");
        for (final JsonNode trade : walked)
        {
            assertEquals("buy", trade.get("side").asText(), "the taker's side: " + trade);
            assertEquals("0.01", trade.get("size").asText(), trade.toString());
        }
        assertEquals(walked, walkTrades("BTC-USD", 0), "pages of the default limit (100) walk the same trades");

        // The view's last 100 trades, newest first, are the walk's last 100, field by field but for the channel
        // sequence, which the journal's pages do not give.
        final JsonNode recent = RestClient.anonymous(service.httpPort())
            .expect(200, "GET", "/v1/markets/BTC-USD/trades", "").get("trades");
        assertEquals(100, recent.size());
        for (int i = 0; i < 100; i++)
        {
            final ObjectNode withoutChannelSeq = recent.get(i).deepCopy();
            withoutChannelSeq.remove("seq");
            assertEquals(withoutChannelSeq, walked.get(walked.size() - 1 - i), "trade " + i + " from the newest");
        }

        final List<JsonNode> eth = walkTrades("ETH-USD", 0);
        assertEquals(1, eth.size(), eth.toString());
        assertEquals(ethFillSeq, eth.get(0).get("sequence").asLong());
    }

    @Test
    void theRecentTradesCanBeCut()
    {
        final RestClient anonymous = RestClient.anonymous(service.httpPort());
        final JsonNode all = anonymous.expect(200, "GET", "/v1/markets/BTC-USD/trades", "").get("trades");
        final JsonNode five = anonymous.expect(200, "GET", "/v1/markets/BTC-USD/trades?limit=5", "").get("trades");
        assertEquals(5, five.size(), five.toString());
        for (int i = 0; i < 5; i++)
        {
            assertEquals(all.get(i), five.get(i));
        }
    }

    @Test
    void badTradeHistoryParametersAreRefused()
    {
        final RestClient anonymous = RestClient.anonymous(service.httpPort());
        for (final String query : List.of("fromSeq=abc", "fromSeq=-1", "fromSeq=1.5", "fromSeq=0&limit=0",
            "fromSeq=0&limit=101", "limit=0", "limit=101", "limit=x", "fromSeq=0&side=buy"))
        {
            final JsonNode error = anonymous.expect(400, "GET", "/v1/markets/BTC-USD/trades?" + query, "");
            assertEquals("INVALID_PARAMETER", error.get("code").asText(), query + ": " + error);
            final String named = query.contains("side") ? "side" : query.contains("limit") ? "limit" : "fromSeq";
            assertTrue(error.get("message").asText().contains(named), query + ": " + error);
        }
        final JsonNode unknownMarket = anonymous.expect(404, "GET", "/v1/markets/NOPE-USD/trades?fromSeq=0", "");
        assertEquals("UNKNOWN_MARKET", unknownMarket.get("code").asText(), unknownMarket.toString());
    }

    private static void refused(final String path, final String code, final String named)
    {
        final JsonNode error = taker.expect(400, "GET", path, "");
        assertEquals(code, error.get("code").asText(), path + ": " + error);
        assertTrue(error.get("message").asText().contains(named), path + ": " + error);
    }

    /**
     * Every fill from sequence 0 on, following {@code next} until a page reaches what was released.
     */
    private static List<JsonNode> walk(final RestClient client, final String filter, final int limit)
    {
        return walk(client, "/v1/fills?fromSeq=", "fills", filter, limit);
    }

    /**
     * Every trade of the market from sequence 0 on, as {@link #walk(RestClient, String, int)} walks fills.
     */
    private static List<JsonNode> walkTrades(final String market, final int limit)
    {
        return walk(RestClient.anonymous(service.httpPort()), "/v1/markets/" + market + "/trades?fromSeq=", "trades",
            "", limit);
    }

    private static List<JsonNode> walk(
        final RestClient client, final String path, final String array, final String filter, final int limit)
    {
        final List<JsonNode> items = new ArrayList<>();
        long from = 0;
        for (int pages = 0; ; pages++)
        {
            assertTrue(pages < 1000, "the walk ends");
            final JsonNode page = client.expect(200, "GET",
                path + from + filter + (limit > 0 ? "&limit=" + limit : ""), "");
            final JsonNode got = page.get(array);
            assertTrue(got.size() <= (limit > 0 ? limit : 100), page.toString());
            long previous = -1;
            for (final JsonNode item : got)
            {
                final long seq = item.get(array.equals("fills") ? "seq" : "sequence").asLong();
                assertTrue(seq >= from, page.toString());
                assertTrue(seq >= previous, page.toString());
                previous = seq;
                items.add(item);
            }
            final long next = page.get("next").asLong();
            assertTrue(next > from, "next moves on: " + page);
            from = next;
            if (page.get("scannedTo").asLong() >= page.get("released").asLong())
            {
                return items;
            }
        }
    }

    private static List<String> tradeKeys(final List<JsonNode> trades)
    {
        final List<String> keys = new ArrayList<>();
        for (final JsonNode trade : trades)
        {
            keys.add(trade.get("sequence").asLong() + "/" + trade.get("tradeId").asLong());
        }
        return keys;
    }

    private static List<String> keys(final List<JsonNode> fills)
    {
        final List<String> keys = new ArrayList<>();
        for (final JsonNode fill : fills)
        {
            keys.add(fill.get("seq").asLong() + "/" + fill.get("tradeId").asLong());
        }
        return keys;
    }
}
