package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The free collateral {@code GET /v1/account} shows is the boundary the matcher accepts orders and withdrawals
 * against: with a position and resting orders on both sides, an order whose initial requirement just fits in it is
 * accepted, one lot more is refused for margin, and a withdrawal of it passes where one micro-USDC more does not.
 * The service charges fees (tier 0: makers 0.02%, takers 0.05%), so the figure counts the fees the open orders can
 * pay, as the matcher does. Against the real service over REST; every figure is fixed by the commands, nothing is
 * random.
 */
@Tag("system")
final class AccountMarginSystemTest
{
    private static final int TRADER = TestService.FIRST_ACCOUNT;
    private static final int MAKER = TestService.FIRST_ACCOUNT + 1;
    private static final String ORDERS = "/v1/orders";
    /**
     * At the 50000 oracle a lot of 0.001 BTC is worth 50 USDC; a buy of it at 50000 requires 5% of that and the 0.05%
     * fee it can pay, 2.5 + 0.025.
     */
    private static final BigDecimal INITIAL_PER_LOT = new BigDecimal("2.525");
    private static final BigDecimal LOT = new BigDecimal("0.001");

    @TempDir
    static Path data;
    private static TestService service;
    private static RestClient trader;
    private static RestClient maker;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).sequencer(sequencer -> sequencer.genesis(
            new Genesis(List.of(new FeeTierSpec(0, 200, 500)), TestService.MARKETS, List.of()))).start();
        final int port = service.httpPort();
        trader = RestClient.account(port, TRADER, TestService.ACCOUNT_KEYS[0].getPrivate());
        maker = RestClient.account(port, MAKER, TestService.ACCOUNT_KEYS[1].getPrivate());
        final RestClient operator =
            RestClient.operator(port, "test-operator", TestService.OPERATOR_KEY.getPrivate());
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + TRADER + ",\"amount\":\"1001.2345\"}");
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + MAKER + ",\"amount\":\"1000000\"}");
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    @Test
    void freeCollateralIsWhereTheMatcherStopsAcceptingOrders()
    {
        // Long 0.1 BTC at the oracle price, taken from the maker.
        maker.expect(200, "POST", ORDERS, order("sell", "50000", "0.1", "m1"));
        assertEquals("filled", trader.expect(200, "POST", ORDERS, order("buy", "50000", "0.1", "t1"))
            .get("status").asText());
        // Resting on both sides: if the buys fill the position is 0.3 BTC (750 USDC of initial margin) and they pay
        // at most 0.05% of 0.2 x 49900, 4.99 USDC; if the sells fill it is short 0.25 (625 USDC), sold above the
        // oracle so at no cost, and pays 0.05% of 0.05 x 50100 + 0.3 x 50500, 8.8275. The buys are the worst case.
        trader.expect(200, "POST", ORDERS, order("buy", "49900", "0.2", "t2"));
        trader.expect(200, "POST", ORDERS, order("sell", "50100", "0.05", "t3"));
        trader.expect(200, "POST", ORDERS, order("sell", "50500", "0.3", "t4"));

        final JsonNode account = awaitAccount(a -> a.get("openOrders").asInt() == 3 &&
            a.get("positions").size() == 1, "the position and three resting orders");
        assertEquals("250", account.get("initialMargin").asText(), account.toString());
        assertEquals("150", account.get("maintenanceMargin").asText());
        assertEquals("504.99", account.get("openOrdersInitialMargin").asText());
        assertEquals("504.99", account.get("positions").get(0).get("openOrdersInitialMargin").asText());
        final BigDecimal equity = decimal(account, "equity");
        final BigDecimal free = decimal(account, "freeCollateral");
        assertEquals(0, equity.subtract(new BigDecimal("754.99")).compareTo(free), account.toString());

        // Buys at the oracle price cost nothing beyond their initial requirement and fee, 2.525 USDC a lot.
        final long fittingLots = free.divide(INITIAL_PER_LOT, 0, RoundingMode.FLOOR).longValueExact();
        assertTrue(fittingLots > 10 && fittingLots < 200, "free collateral " + free);
        final String oneLotTooMany = LOT.multiply(BigDecimal.valueOf(fittingLots + 1)).toPlainString();
        final JsonNode refused = trader.expect(422, "POST", ORDERS, order("buy", "50000", oneLotTooMany, "t5"));
        assertEquals("INSUFFICIENT_MARGIN", refused.get("code").asText(), refused.toString());
        final String fitting = LOT.multiply(BigDecimal.valueOf(fittingLots)).toPlainString();
        assertEquals("open", trader.expect(200, "POST", ORDERS, order("buy", "50000", fitting, "t6"))
            .get("status").asText());

        final JsonNode after = awaitAccount(a -> a.get("openOrders").asInt() == 4, "the fitting order resting");
        final BigDecimal left = free.subtract(INITIAL_PER_LOT.multiply(BigDecimal.valueOf(fittingLots)));
        assertEquals(0, left.compareTo(decimal(after, "freeCollateral")), after.toString());
        assertEquals(0, new BigDecimal("504.99").add(INITIAL_PER_LOT.multiply(BigDecimal.valueOf(fittingLots)))
            .compareTo(decimal(after, "openOrdersInitialMargin")), after.toString());
        assertEquals("INSUFFICIENT_MARGIN", trader.expect(422, "POST", ORDERS, order("buy", "50000", "0.001", "t7"))
            .get("code").asText());

        // The same figure bounds withdrawals.
        final String tooMuch = left.add(new BigDecimal("0.000001")).toPlainString();
        assertEquals("WITHDRAWAL_EXCEEDS_FREE_COLLATERAL", trader.expect(422, "POST", "/v1/withdrawals",
            "{\"amount\":\"" + tooMuch + "\"}").get("code").asText());
        trader.expect(200, "POST", "/v1/withdrawals", "{\"amount\":\"" + left.toPlainString() + "\"}");
        final JsonNode drained = awaitAccount(a -> decimal(a, "freeCollateral").signum() == 0, "no free collateral");
        assertEquals(0, equity.subtract(left).compareTo(decimal(drained, "equity")), drained.toString());
    }

    private static String order(final String side, final String price, final String size, final String clientId)
    {
        return "{\"market\":\"BTC-USD\",\"side\":\"" + side + "\",\"price\":\"" + price + "\",\"size\":\"" + size +
            "\",\"clientId\":\"" + clientId + "\"}";
    }

    private static BigDecimal decimal(final JsonNode node, final String field)
    {
        return new BigDecimal(node.get(field).asText());
    }

    private static JsonNode awaitAccount(final Predicate<JsonNode> expected, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode account = trader.expect(200, "GET", "/v1/account", "");
        while (!expected.test(account))
        {
            assertTrue(System.nanoTime() < deadline, "no " + what + " in " + account);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            account = trader.expect(200, "GET", "/v1/account", "");
        }
        return account;
    }
}
