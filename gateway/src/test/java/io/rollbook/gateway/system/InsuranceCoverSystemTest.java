package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The insurance fund pays a bankrupt account's deficit, end to end on a real service: a trader long 1 BTC on just
 * over initial margin is gapped far below zero equity by one oracle update, its liquidation order closes the
 * position against a bid at exactly its bankruptcy price, and the fee of that fill is the deficit the fund covers.
 * Every balance is worked out by hand below and checked through the operator's and the trader's REST views and
 * the metrics, then again after a restart (snapshot and journal replay).
 *
 * <p>Tier 0 charges makers 0.02% and takers 0.05%. BTC: tick 0.1, lot 0.001, so one tick of one lot is 100
 * micro-USDC; initial margin 5%, maintenance 3%.
 */
@Tag("system")
final class InsuranceCoverSystemTest
{
    private static final int MAKER = TestService.FIRST_ACCOUNT;
    private static final int VICTIM = TestService.FIRST_ACCOUNT + 1;
    private static final int FEE_ACCOUNT = 1;
    private static final int INSURANCE_FUND = 2;
    private static final Genesis GENESIS =
        new Genesis(List.of(new FeeTierSpec(0, 200, 500)), TestService.MARKETS, List.of());

    private static final long MAKER_DEPOSIT = 10_000_000_000_000L;
    /** Initial margin of 1 BTC at 50,000 is 2,500 USDC, the fee its order may pay 25: 2,600 covers both. */
    private static final long VICTIM_DEPOSIT = 2_600_000_000L;
    private static final long FUND_DEPOSIT = 100_000_000_000L;
    /**
     * At 45,000 the victim's equity is 2,600 - 50,000 - 10 (its maker fee) + 45,000 = -2,410 USDC against a
     * maintenance requirement of 1,350: the bound of its liquidation order, P * (1 + M * |V| / W), is 450,000 ticks
     * plus floor(floor(450,000 * -2,410 / 1,350) * 3%) = -24,101 ticks taken off, so 474,101 ticks (47,410.1 USDC):
     * where its equity is zero before fees.
     */
    private static final long BANKRUPTCY_TICKS = 474_101;
    /** The liquidation fill's notional, 1,000 lots at 474,101 ticks, and its fees: 0.05% taker, 0.02% maker. */
    private static final long LIQUIDATION_NOTIONAL = 47_410_100_000L;
    private static final long LIQUIDATION_TAKER_FEE = 23_705_050L;
    private static final long LIQUIDATION_MAKER_FEE = 9_482_020L;
    /** The victim's collateral after the fill: -47,410 + 47,410.1 - 23.70505 USDC, which the fund makes good. */
    private static final long DEFICIT = 23_605_050L;

    @TempDir
    Path data;

    private final OperatorAcks acks = new OperatorAcks();
    private TestService service;
    private MetricsRegistry metrics;

    @Test
    void theInsuranceFundCoversTheDeficitOfABankruptAccount() throws Exception
    {
        start();
        try (RollbookClient operator = operator())
        {
            ack(operator, o -> o.operatorOraclePrice(TestService.BTC, 500_000));
            ack(operator, o -> o.operatorDeposit(MAKER, MAKER_DEPOSIT));
            ack(operator, o -> o.operatorDeposit(VICTIM, VICTIM_DEPOSIT));
            ack(operator, o -> o.operatorDeposit(INSURANCE_FUND, FUND_DEPOSIT));

            final RestClient maker = rest(MAKER);
            final RestClient victim = rest(VICTIM);
            // The victim's bid rests and the maker takes it: the victim pays the maker fee, 10 USDC.
            victim.expect(200, "POST", "/v1/orders", order("buy", "50000", "v1"));
            maker.expect(200, "POST", "/v1/orders", order("sell", "50000", "m1"));
            final JsonNode opened = victim.expect(200, "GET", "/v1/account", "");
            assertMoney(VICTIM_DEPOSIT - 50_000_000_000L - 10_000_000L, opened, "collateral", opened);
            assertMoney(VICTIM_DEPOSIT - 10_000_000L, opened, "equity", opened);
            // Liquidity at exactly the bankruptcy price, where the liquidation order can trade.
            maker.expect(200, "POST", "/v1/orders", order("buy", "47410.1", "m2"));

            ack(operator, o -> o.operatorOraclePrice(TestService.BTC, 450_000));
        }
        final long makerCollateral = MAKER_DEPOSIT + 50_000_000_000L - 25_000_000L - LIQUIDATION_NOTIONAL -
            LIQUIDATION_MAKER_FEE;
        final long fees = 25_000_000L + 10_000_000L + LIQUIDATION_TAKER_FEE + LIQUIDATION_MAKER_FEE;
        assertEquals(MAKER_DEPOSIT + VICTIM_DEPOSIT + FUND_DEPOSIT, makerCollateral + (FUND_DEPOSIT - DEFICIT) + fees,
            "the hand figures conserve collateral");
        assertEquals(BANKRUPTCY_TICKS * 1000 * 100, LIQUIDATION_NOTIONAL);

        checkAfterLiquidation(makerCollateral, fees, "after the liquidation");
        service.close();
        start();
        checkAfterLiquidation(makerCollateral, fees, "after a restart");
    }

    private void checkAfterLiquidation(final long makerCollateral, final long fees, final String step)
    {
        MetricsLines.await(metrics, step,
            "rollbook_liquidations_total{scope=\"cross\"} 1",
            "rollbook_liquidation_transfers_total{to=\"insurance_fund\"} 0",
            "rollbook_liquidation_transfers_total{to=\"auto_deleverage\"} 0",
            "rollbook_insurance_fund_covered_micros_total " + DEFICIT,
            "rollbook_insurance_fund_collateral_micros " + (FUND_DEPOSIT - DEFICIT),
            "rollbook_insurance_fund_equity_micros " + (FUND_DEPOSIT - DEFICIT));

        final JsonNode fund = operatorAccount(INSURANCE_FUND);
        assertMoney(FUND_DEPOSIT - DEFICIT, fund, "collateral", step + " " + fund);
        assertEquals(0, fund.get("positions").size(), step + ": the book took the position, not the fund " + fund);
        final JsonNode feeAccount = operatorAccount(FEE_ACCOUNT);
        assertMoney(fees, feeAccount, "collateral", step + " " + feeAccount);
        final JsonNode makerAccount = operatorAccount(MAKER);
        assertMoney(makerCollateral, makerAccount, "collateral", step + " " + makerAccount);
        // The maker is flat again: short 1 BTC at 50,000, bought back at 47,410.1.
        assertEquals(0, makerAccount.get("positions").size(), step + " " + makerAccount);

        final JsonNode victim = rest(VICTIM).expect(200, "GET", "/v1/account", "");
        assertMoney(0, victim, "collateral", step + " " + victim);
        assertMoney(0, victim, "equity", step + " " + victim);
        assertEquals(0, victim.get("positions").size(), step + ": the victim holds nothing " + victim);
    }

    @AfterEach
    void stop()
    {
        if (service != null)
        {
            service.close();
        }
    }

    private void start() throws InterruptedException
    {
        service = new TestService(data).sequencer(sequencer -> sequencer.genesis(GENESIS)).start();
        metrics = new MetricsRegistry();
        service.service().registerMetrics(metrics);
    }

    private RollbookClient operator()
    {
        final RollbookClient operator = service.connect(acks);
        operator.logon(new Logon(KeyStore.OPERATOR_ACCOUNT, TestService.OPERATOR_KEY.getPrivate())
            .keepAliveMs(60_000));
        return operator;
    }

    /**
     * Sends one operator message and waits for its ack, which must accept it.
     */
    private void ack(final RollbookClient operator, final ToLongFunction<RollbookClient> send)
    {
        acks.expectAccepted(operator, send);
    }

    private RestClient rest(final int account)
    {
        return RestClient.account(service.httpPort(), account,
            TestService.ACCOUNT_KEYS[account - TestService.FIRST_ACCOUNT].getPrivate());
    }

    private JsonNode operatorAccount(final int id)
    {
        return RestClient.operator(service.httpPort(), "test-operator", TestService.OPERATOR_KEY.getPrivate())
            .expect(200, "GET", "/v1/operator/accounts/" + id, "");
    }

    private static String order(final String side, final String price, final String clientId)
    {
        return "{\"market\":\"BTC-USD\",\"side\":\"" + side + "\",\"price\":\"" + price +
            "\",\"size\":\"1\",\"clientId\":\"" + clientId + "\",\"margin\":\"cross\"}";
    }

    private static void assertMoney(final long micros, final JsonNode node, final String field, final Object what)
    {
        assertEquals(0, BigDecimal.valueOf(micros, 6).compareTo(new BigDecimal(node.get(field).asText())),
            field + " " + node.get(field) + ", expected " + BigDecimal.valueOf(micros, 6) + " at " + what);
    }
}
