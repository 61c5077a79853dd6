package io.rollbook.gateway.system;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole life of orders over REST against the real service: funding and prices through the operator endpoints,
 * place, list, get, amend, a fill against another account, the account's position and fills, cancel, mass cancel,
 * withdrawals; every answer checked against what the matcher must have done.
 */
@Tag("system")
final class RestOrderLifecycleSystemTest
{
    private static final int BUYER = TestService.FIRST_ACCOUNT;
    private static final int SELLER = TestService.FIRST_ACCOUNT + 1;

    @TempDir
    static Path data;
    private static TestService service;
    private static RestClient buyer;
    private static RestClient seller;
    private static RestClient operator;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).start();
        final int port = service.httpPort();
        buyer = RestClient.account(port, BUYER, TestService.ACCOUNT_KEYS[0].getPrivate());
        seller = RestClient.account(port, SELLER, TestService.ACCOUNT_KEYS[1].getPrivate());
        operator = RestClient.operator(port, "test-operator", TestService.OPERATOR_KEY.getPrivate());
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + BUYER + ",\"amount\":\"1000000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + SELLER + ",\"amount\":\"1000000\"}");
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    @Test
    void placeAmendFillCancel()
    {
        final JsonNode placed = buyer.expect(200, "POST", "/v1/orders",
            "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"49990\",\"size\":\"0.5\",\"clientId\":\"b1\"}");
        assertEquals("open", placed.get("status").asText(), placed.toString());
        assertEquals("b1", placed.get("clientId").asText());
        assertEquals("0", placed.get("filled").asText());
        final long orderId = placed.get("orderId").asLong();
        assertTrue(placed.get("events").get(0).get("type").asText().equals("accepted"), placed.toString());

        final JsonNode open = buyer.expect(200, "GET", "/v1/orders", "");
        assertEquals(1, open.get("orders").size(), open.toString());
        assertEquals(orderId, open.get("orders").get(0).get("orderId").asLong());
        assertEquals("49990", open.get("orders").get(0).get("price").asText());
        assertEquals("0.5", open.get("orders").get(0).get("remaining").asText());
        assertEquals("open", buyer.expect(200, "GET", "/v1/orders/b1", "").get("status").asText());

        final JsonNode book = RestClient.json(RestClient.anonymous(service.httpPort())
            .send("GET", "/v1/markets/BTC-USD/book?depth=10", "").body());
        assertEquals("[[\"49990\",\"0.5\"]]", book.get("bids").toString());

        buyer.expect(200, "PATCH", "/v1/orders/b1", "{\"price\":\"49995\",\"size\":\"0.4\"}");
        final JsonNode amended = buyer.expect(200, "GET", "/v1/orders/b1", "");
        assertEquals("49995", amended.get("price").asText(), amended.toString());
        assertEquals("0.4", amended.get("size").asText());

        final JsonNode sold = seller.expect(200, "POST", "/v1/orders",
            "{\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"49995\",\"size\":\"0.1\",\"clientId\":\"s1\"}");
        assertEquals("filled", sold.get("status").asText(), sold.toString());
        assertEquals("0.1", sold.get("filled").asText());

        final JsonNode partly = buyer.expect(200, "GET", "/v1/orders/b1", "");
        assertEquals("partiallyFilled", partly.get("status").asText(), partly.toString());
        assertEquals("0.3", partly.get("remaining").asText());

        final JsonNode account = buyer.expect(200, "GET", "/v1/account", "");
        assertEquals(BUYER, account.get("account").asInt());
        assertEquals(1, account.get("positions").size(), account.toString());
        final JsonNode position = account.get("positions").get(0);
        assertEquals("0.1", position.get("size").asText());
        assertEquals("long", position.get("side").asText());
        assertEquals("49995", position.get("entryPrice").asText());
        assertEquals("0.5", position.get("unrealizedPnl").asText());
        assertEquals(1, account.get("fills").size());
        assertEquals("maker", account.get("fills").get(0).get("liquidity").asText());

        final JsonNode trades = RestClient.json(RestClient.anonymous(service.httpPort())
            .send("GET", "/v1/markets/BTC-USD/trades", "").body());
        assertEquals("sell", trades.get("trades").get(0).get("side").asText(), trades.toString());
        assertEquals("49995", trades.get("trades").get(0).get("price").asText());

        final JsonNode filled = seller.expect(200, "GET", "/v1/orders/s1", "");
        assertEquals("filled", filled.get("status").asText(), filled.toString());
        assertEquals("0.1", filled.path("filled").asText(), filled.toString());

        final JsonNode canceled = buyer.expect(200, "DELETE", "/v1/orders/b1?market=BTC-USD", "");
        assertEquals("canceled", canceled.get("events").get(0).get("type").asText(), canceled.toString());
        final JsonNode ended = buyer.expect(200, "GET", "/v1/orders/b1", "");
        assertEquals("canceled", ended.get("status").asText(), ended.toString());
        assertEquals("0.1", ended.path("filled").asText(), "canceled after a fill of 0.1 of its 0.4: " + ended);
        assertEquals(0, buyer.expect(200, "GET", "/v1/orders", "").get("orders").size());
        buyer.expect(404, "DELETE", "/v1/orders/b1", "");
    }

    /**
     * A trader who lost the answer to an IOC order (a 504, a dropped connection) looks it up: "canceled" alone would
     * say nothing traded, and a resend would double the position. The ended order says what it filled.
     */
    @Test
    void anIocOrderCanceledAfterAPartialFillSaysWhatItFilled()
    {
        // Accounts of their own: the other tests count the buyer's and the seller's positions and fills.
        final int takerAccount = TestService.FIRST_ACCOUNT + 2;
        final int makerAccount = TestService.FIRST_ACCOUNT + 3;
        final RestClient taker = RestClient.account(service.httpPort(), takerAccount,
            TestService.ACCOUNT_KEYS[2].getPrivate());
        final RestClient maker = RestClient.account(service.httpPort(), makerAccount,
            TestService.ACCOUNT_KEYS[3].getPrivate());
        operator.expect(200, "POST", "/v1/operator/deposits",
            "{\"account\":" + takerAccount + ",\"amount\":\"100000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits",
            "{\"account\":" + makerAccount + ",\"amount\":\"100000\"}");
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"ETH-USD\",\"price\":\"3000\"}");
        maker.expect(200, "POST", "/v1/orders",
            "{\"market\":\"ETH-USD\",\"side\":\"sell\",\"price\":\"3000\",\"size\":\"0.2\",\"clientId\":\"ioc-s\"}");
        final JsonNode ioc = taker.expect(200, "POST", "/v1/orders",
            "{\"market\":\"ETH-USD\",\"side\":\"buy\",\"price\":\"3000\",\"size\":\"0.5\",\"tif\":\"ioc\"," +
            "\"clientId\":\"ioc-b\"}");
        assertEquals("canceled", ioc.get("status").asText(), ioc.toString());
        assertEquals("0.2", ioc.get("filled").asText(), ioc.toString());

        final JsonNode lookedUp = taker.expect(200, "GET", "/v1/orders/ioc-b", "");
        assertEquals("canceled", lookedUp.get("status").asText(), lookedUp.toString());
        assertEquals("0.2", lookedUp.path("filled").asText(), lookedUp.toString());
        final JsonNode made = maker.expect(200, "GET", "/v1/orders/ioc-s", "");
        assertEquals("filled", made.get("status").asText(), made.toString());
        assertEquals("0.2", made.path("filled").asText(), made.toString());

        taker.expect(200, "POST", "/v1/orders",
            "{\"market\":\"ETH-USD\",\"side\":\"buy\",\"price\":\"2900\",\"size\":\"0.1\",\"clientId\":\"ioc-n\"}");
        taker.expect(200, "DELETE", "/v1/orders/ioc-n", "");
        assertEquals("0", taker.expect(200, "GET", "/v1/orders/ioc-n", "").path("filled").asText(),
            "canceled without a fill");
    }

    /**
     * A cancel or amend of an order the gateway knows ended is answered by the gateway: the matcher could only reject
     * it, so no sequence number is spent (the next command gets the one after the first cancel's).
     */
    @Test
    void aCancelOrAmendOfAnEndedOrderIsAnsweredWithoutTheMatcher()
    {
        buyer.expect(200, "POST", "/v1/orders",
            "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":\"e1\"}");
        final long canceledSeq = buyer.expect(200, "DELETE", "/v1/orders/e1", "").get("seq").asLong();

        final JsonNode again = buyer.expect(404, "DELETE", "/v1/orders/e1", "");
        assertEquals("UNKNOWN_ORDER", again.get("code").asText(), again.toString());
        assertTrue(again.get("message").asText().contains("with clientId e1 has already ended (canceled)"),
            again.toString());
        assertFalse(again.has("seq"), "nothing was sequenced: " + again);

        final JsonNode amend = buyer.expect(404, "PATCH", "/v1/orders/e1", "{\"price\":\"40001\",\"size\":\"0.01\"}");
        assertEquals("UNKNOWN_ORDER", amend.get("code").asText(), amend.toString());
        assertTrue(amend.get("message").asText().contains("has already ended (canceled): there is nothing to amend"),
            amend.toString());
        assertFalse(amend.has("seq"), "nothing was sequenced: " + amend);

        final JsonNode next = buyer.expect(200, "POST", "/v1/orders",
            "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":\"e2\"}");
        assertEquals(canceledSeq + 1, next.get("seq").asLong(), "the refused cancel and amend took no sequence number");
        buyer.expect(200, "DELETE", "/v1/orders/e2", "");
    }

    @Test
    void aClientIdThatIsNoPlainPathSegmentIsAddressedPercentEncoded()
    {
        final String[][] clientIds = {{"a/b", "a%2Fb"}, {"c%d", "c%25d"}, {"e?f", "e%3Ff"}, {"g+h", "g+h"}};
        for (final String[] clientId : clientIds)
        {
            assertAddressedByClientId(clientId[0], clientId[1]);
        }
        assertEquals(0, buyer.expect(200, "GET", "/v1/orders?market=BTC-USD", "").get("orders").size());
    }

    @Test
    void aClientIdNamedBatchIsAddressedAsAnyOther()
    {
        assertAddressedByClientId("batch", "batch");
        assertEquals(0, buyer.expect(200, "GET", "/v1/orders?market=BTC-USD", "").get("orders").size());
        assertEquals("canceled", buyer.expect(200, "GET", "/v1/orders/batch", "").get("status").asText());
    }

    /**
     * A path's clientId is text: an order placed with the number 7 is not {@code /v1/orders/7}, and the refusal says
     * where it is instead of only that the account has no such order.
     */
    @Test
    void aNumericClientIdAskedForByPathIsPointedToItsOrderId()
    {
        final long orderId = buyer.expect(200, "POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"buy\"," +
            "\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":7}").get("orderId").asLong();
        final JsonNode unknown = buyer.expect(404, "GET", "/v1/orders/7", "");
        assertEquals("UNKNOWN_ORDER", unknown.get("code").asText(), unknown.toString());
        assertTrue(unknown.get("message").asText().endsWith("; this path names the text clientId \"7\": an order " +
            "placed with the number 7 is named by its order id, /v1/order-ids/{orderId} (GET /v1/orders lists them)"),
            unknown.toString());
        final JsonNode unknownText = buyer.expect(404, "GET", "/v1/orders/x7", "");
        assertFalse(unknownText.get("message").asText().contains("order-ids"), unknownText.toString());
        buyer.expect(200, "DELETE", "/v1/order-ids/" + orderId, "");
    }

    /**
     * Places an order with the clientId, then reads, amends and cancels it at {@code /v1/orders/{segment}}.
     */
    private static void assertAddressedByClientId(final String clientId, final String segment)
    {
        buyer.expect(200, "POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\"," +
            "\"size\":\"0.01\",\"clientId\":\"" + clientId + "\"}");
        final String path = "/v1/orders/" + segment;
        assertEquals(clientId, buyer.expect(200, "GET", path, "").get("clientId").asText(), path);
        final JsonNode amended = buyer.expect(200, "PATCH", path + "?market=BTC-USD",
            "{\"price\":\"40001\",\"size\":\"0.01\"}");
        assertEquals("amended", amended.get("events").get(0).get("type").asText(), amended.toString());
        final JsonNode canceled = buyer.expect(200, "DELETE", path, "");
        assertEquals(clientId, canceled.get("events").get(0).get("clientId").asText(), canceled.toString());
    }

    @Test
    void aTakersAnswerShowsItsOwnSideOfTheTradeAndNothingOfTheMakers()
    {
        seller.expect(200, "POST", "/v1/orders",
            "{\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"52000\",\"size\":\"0.02\",\"clientId\":\"x1\"}");
        final JsonNode bought = buyer.expect(200, "POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":\"buy\"," +
            "\"price\":\"52000\",\"size\":\"0.01\",\"clientId\":\"x2\",\"tif\":\"ioc\"}");
        assertEquals("filled", bought.get("status").asText(), bought.toString());

        int fills = 0;
        for (final JsonNode event : bought.get("events"))
        {
            assertNotEquals("trade", event.get("type").asText(), "the whole trade names the maker: " + event);
            if (event.has("account"))
            {
                assertEquals(BUYER, event.get("account").asInt(), "another account's event: " + event);
            }
            if ("fill".equals(event.get("type").asText()))
            {
                fills++;
                assertEquals("taker", event.get("liquidity").asText(), event.toString());
                assertEquals("x2", event.get("clientId").asText(), event.toString());
                assertEquals("buy", event.get("side").asText(), event.toString());
            }
        }
        assertEquals(1, fills, bought.toString());
        assertFalse(bought.toString().contains("x1"), "the maker's client order id: " + bought);

        final JsonNode canceled = seller.expect(200, "DELETE", "/v1/orders/x1", "");
        assertEquals("canceled", canceled.get("events").get(0).get("type").asText(), canceled.toString());
    }

    @Test
    void massCancelAndAccountCommands()
    {
        seller.expect(200, "POST", "/v1/orders",
            "{\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"51000\",\"size\":\"0.01\",\"clientId\":\"m1\"}");
        seller.expect(200, "POST", "/v1/orders",
            "{\"market\":\"BTC-USD\",\"side\":\"sell\",\"price\":\"51001\",\"size\":\"0.01\",\"clientId\":\"m2\"}");
        final JsonNode canceled = seller.expect(200, "DELETE", "/v1/orders?market=BTC-USD", "");
        assertEquals(2, canceled.get("canceled").asInt(), canceled.toString());
        assertEquals(0, seller.expect(200, "GET", "/v1/orders?market=BTC-USD", "").get("orders").size());

        final JsonNode withdrawn = seller.expect(200, "POST", "/v1/withdrawals", "{\"amount\":\"10\"}");
        assertEquals("balance", withdrawn.get("events").get(0).get("type").asText(), withdrawn.toString());
        final JsonNode refused = seller.expect(422, "POST", "/v1/withdrawals", "{\"amount\":\"100000000\"}");
        assertEquals("WITHDRAWAL_EXCEEDS_FREE_COLLATERAL", refused.get("code").asText());
        assertTrue(refused.get("message").asText().length() > 10);
    }
}
