package io.rollbook.gateway.view;

import java.math.BigInteger;
import java.util.List;

import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The trader API's margin figures against figures worked out by hand from docs/MARGIN.md ("Accepting orders"):
 * accounts are built through the same view updates released events make, so the positions and resting orders are
 * what the gateway would hold.
 */
final class AccountMarginTest
{
    private static final int ACCOUNT = 7;
    private static final int BTC = 1;
    private static final int ETH = 2;
    private static final int CROSS = 0;
    private static final int ISOLATED = 1;
    private static final int BUY = 0;
    private static final int SELL = 1;
    private static final int EXPIRE_TAKER = 1;

    /** A tick-lot is worth 100 micro-USDC; 5% up to 100 lots, then 1% more per started 50 lots. */
    private static final MarketSpec BTC_SPEC = MarketSpec.builder().id(BTC).symbol("BTC-USD").tickSize("0.1")
        .lotSize("0.001").maxPositionLots(100_000).margin(50_000, 30_000).tiering(100, 50, 10_000).build();
    /** A tick-lot is worth 10 micro-USDC; 3.3333% up to 1000 lots, then 1.2345% more per started 500 lots. */
    private static final MarketSpec ETH_SPEC = MarketSpec.builder().id(ETH).symbol("ETH-USD").tickSize("0.01")
        .lotSize("0.001").maxPositionLots(1_000_000).margin(33_333, 20_000).tiering(1_000, 500, 12_345).build();
    /** 50000.0: a lot is worth 50 USDC. */
    private static final long BTC_ORACLE = 500_000;
    /** 3000.07: a lot is worth 3.00007 USDC. */
    private static final long ETH_ORACLE = 300_007;

    private final MarketStatsView stats = new MarketStatsView(4);
    private final AccountsView accounts = new AccountsView(stats);
    private final AccountMargin margin = new AccountMargin(new MarketDirectory(List.of(BTC_SPEC, ETH_SPEC)));
    private final AccountSnapshot snapshot = new AccountSnapshot();
    private long nextOrderId = 1;

    @BeforeEach
    void price()
    {
        stats.define(BTC);
        stats.define(ETH);
        stats.onOracle(BTC, BTC_ORACLE);
        stats.onOracle(ETH, ETH_ORACLE);
    }

    @Test
    void aHugeTierStepStillCountsOneStartedStepAboveTheBaseline()
    {
        final MarketSpec huge = MarketSpec.builder().id(BTC).symbol("BTC-USD").tickSize("0.1").lotSize("0.001")
            .maxPositionLots(100_000).margin(50_000, 30_000).tiering(100, Long.MAX_VALUE, 10_000).build();
        assertEquals(50_000, AccountMargin.initialMarginPpm(huge, 100));
        assertEquals(60_000, AccountMargin.initialMarginPpm(huge, 101));
        assertEquals(60_000, AccountMargin.initialMarginPpm(huge, -102));
    }

    @Test
    void restingOrdersOnBothSidesCrossTheSizeTier()
    {
        // Long 80 lots (4000 USDC at the oracle), bought with 3500 USDC of collateral: equity 500 USDC.
        position(BTC, 80, -3_500_000_000L, CROSS);
        rest(BTC, BUY, 499_900, 30, CROSS);
        rest(BTC, BUY, 500_500, 10, CROSS);
        rest(BTC, SELL, 500_200, 150, CROSS);

        compute();
        assertEquals(micros(500_000_000), margin.equity());
        // 80 lots: 4000 USDC x 5% = 200; maintenance 4000 x 3% = 120.
        assertEquals(micros(200_000_000), margin.crossInitial());
        assertEquals(micros(120_000_000), margin.crossMaintenance());
        // Buys fill: 120 lots, past the 100-lot baseline by one started step of 50: 6% of 6000 USDC = 360, plus
        // buying above the oracle: (30 x 499900 + 10 x 500500 - 40 x 500000) tick-lots x 100 micros = 0.2 USDC.
        // Sells fill: short 70 lots, 5% of 3500 = 175, all sold above the oracle so no cost. The buys are worse.
        assertEquals(micros(360_200_000), margin.crossWorstCaseInitial());
        assertEquals(micros(160_200_000), margin.crossOpenOrdersInitial());
        assertEquals(micros(139_800_000), margin.freeCollateral());
        assertEquals(micros(360_200_000), margin.positionWorstCaseInitial(0));
    }

    @Test
    void openOrdersCountTheFeeTheirFillsCanPayAtTheAccountsTier()
    {
        position(BTC, 80, -3_500_000_000L, CROSS);
        rest(BTC, BUY, 499_900, 30, CROSS);
        rest(BTC, BUY, 500_500, 10, CROSS);
        rest(BTC, SELL, 500_200, 150, CROSS);
        // Tier 1: a maker rebate of 0.01%, takers 0.05%; the rebate is never counted, the taker rate is.
        accounts.onFeeTierDefined(1, -100, 500);
        accounts.onAccountConfigured(ACCOUNT, 1, EXPIRE_TAKER);

        compute();
        // Buys fill: 360.2 USDC as without fees (restingOrdersOnBothSidesCrossTheSizeTier), plus 0.05% of their
        // notional (30 x 499900 + 10 x 500500) x 100 micros = 2000.2 USDC: 1.0001. Sells fill: 175 plus 0.05% of
        // 150 x 500200 x 100 micros = 7503 USDC, 3.7515: 178.7515. The buys stay worse.
        assertEquals(micros(361_200_100), margin.crossWorstCaseInitial());
        assertEquals(micros(161_200_100), margin.crossOpenOrdersInitial());
        assertEquals(micros(138_799_900), margin.freeCollateral());

        // A tier that charges makers more than takers counts the maker rate: 0.06% of 2000.2 = 1.20012.
        accounts.onFeeTierDefined(1, 600, 500);
        compute();
        assertEquals(micros(361_400_120), margin.crossWorstCaseInitial());

        // Tier 0 charges nothing until it is defined.
        accounts.onAccountConfigured(ACCOUNT, 0, EXPIRE_TAKER);
        compute();
        assertEquals(micros(360_200_000), margin.crossWorstCaseInitial());
    }

    @Test
    void sellsWorseAcrossTwoTierStepsWithRounding()
    {
        // Short 700 lots, sold at 3000 (2100 USDC); collateral 1000 USDC plus the proceeds.
        position(ETH, -700, 3_100_000_000L, CROSS);
        rest(ETH, SELL, 299_990, 900, CROSS);
        rest(ETH, BUY, 300_100, 200, CROSS);

        compute();
        // Value: -700 x 3.00007 = -2100.049 USDC.
        assertEquals(micros(3_100_000_000L - 2_100_049_000L), margin.equity());
        // 2100.049 USDC x 3.3333% = 70.0009333317 USDC, rounded up to the micro-USDC.
        assertEquals(micros(70_000_934), margin.crossInitial());
        // x 2% = 42.00098 exactly.
        assertEquals(micros(42_000_980), margin.crossMaintenance());
        // Sells fill: short 1600 lots, two started steps past 1000: 3.3333% + 2 x 1.2345% = 5.8023% of 4800.112
        // USDC = 278.516898576, up to 278.516899; plus selling 17 ticks under the oracle: 900 x 17 x 10 = 0.153.
        // Buys fill: short 500 lots, 3.3333% of 1500.035 = 50.000666655, up to 50.000667; plus buying 93 ticks
        // over the oracle: 200 x 93 x 10 = 0.186. The sells are worse.
        assertEquals(micros(278_669_899), margin.crossWorstCaseInitial());
        assertEquals(micros(278_669_899 - 70_000_934), margin.crossOpenOrdersInitial());
        assertEquals(micros(3_100_000_000L - 2_100_049_000L - 278_669_899), margin.freeCollateral());
    }

    @Test
    void ordersThatOnlyShrinkThePositionAddOnlyWhatSellingUnderTheOracleCosts()
    {
        position(BTC, 80, -3_500_000_000L, CROSS);
        // Reduce-only-like: sells of the whole position, partly under the oracle.
        rest(BTC, SELL, 499_000, 50, CROSS);
        rest(BTC, SELL, 501_000, 30, CROSS);

        compute();
        // Sells fill: flat, so no requirement, but selling under the oracle on balance costs
        // (80 x 500000 - 50 x 499000 - 30 x 501000) x 100 = 2 USDC. Buys "fill" (there are none): the position's
        // own 200 USDC, which stays the worst case: the orders add nothing.
        assertEquals(micros(200_000_000), margin.crossWorstCaseInitial());
        assertEquals(BigInteger.ZERO, margin.crossOpenOrdersInitial());
        assertEquals(micros(300_000_000), margin.freeCollateral());

        // Selling well past flat does count: short 100 lots after 180 sold, 5% of 5000 = 250, plus
        // (180 x 500000 - 50 x 499000 - 130 x 501000) x 100 = -8 USDC of cost, which counts as none.
        rest(BTC, SELL, 501_000, 100, CROSS);
        compute();
        assertEquals(micros(250_000_000), margin.crossWorstCaseInitial());
        assertEquals(micros(50_000_000), margin.crossOpenOrdersInitial());
    }

    @Test
    void isolatedScopesStayOutOfTheCrossFiguresAndOrderOnlyMarketsCountIn()
    {
        accounts.onBalance(ACCOUNT, 1_000_000_000L);
        // Isolated: 20 lots with 100 USDC in the bucket and an isolated buy of 10 more.
        accounts.onPosition(ACCOUNT, BTC, 20, 1_000_000_000L, 0, 100_000_000L, 0, 1_000_000_000L, ISOLATED);
        rest(BTC, BUY, 500_000, 10, ISOLATED);
        // Cross: no ETH position, a resting buy of 100 lots at the oracle.
        rest(ETH, BUY, ETH_ORACLE, 100, CROSS);

        compute();
        assertEquals(micros(1_000_000_000L), margin.equity());
        assertEquals(BigInteger.ZERO, margin.crossInitial());
        // 100 lots x 3.00007 = 300.007 USDC x 3.3333% = 10.0001333331, up to 10.000134.
        assertEquals(micros(10_000_134), margin.crossWorstCaseInitial());
        assertEquals(micros(10_000_134), margin.crossOpenOrdersInitial());
        assertEquals(micros(1_000_000_000L - 10_000_134), margin.freeCollateral());
        // The bucket's own worst case: 30 lots, 5% of 1500 USDC.
        assertEquals(micros(50_000_000), margin.positionInitial(0));
        assertEquals(micros(75_000_000), margin.positionWorstCaseInitial(0));
    }

    @Test
    void partFillsAndCancelsLeaveOnlyWhatStillRests()
    {
        accounts.onBalance(ACCOUNT, 1_000_000_000L);
        final long filled = rest(BTC, BUY, 500_000, 60, CROSS);
        final long canceled = rest(BTC, SELL, 510_000, 40, CROSS);
        accounts.onFill(ACCOUNT, filled, 0, 20, BTC, BUY, 500_000, 40, 0, true, 1, 10, 0);
        accounts.onPosition(ACCOUNT, BTC, 40, 2_000_000_000L, 0, 0, 0, -1_000_000_000L, CROSS);
        accounts.onEnded(ACCOUNT, canceled);

        compute();
        // Long 40 lots with 20 still to buy at the oracle: 60 lots x 50 x 5% = 150 USDC; equity 2000 - 1000.
        assertEquals(micros(1_000_000_000L), margin.equity());
        assertEquals(micros(100_000_000), margin.crossInitial());
        assertEquals(micros(150_000_000), margin.crossWorstCaseInitial());
        assertEquals(micros(850_000_000), margin.freeCollateral());
    }

    @Test
    void figuresValueTheCopiedPositionsAtThePricesCopiedWithThem()
    {
        position(BTC, 80, -3_500_000_000L, CROSS);
        rest(ETH, BUY, ETH_ORACLE, 100, CROSS);
        stats.onFunding(BTC, 0, 2_000_000_000L, BTC_ORACLE, 1);
        accounts.read(ACCOUNT, snapshot);

        // The prices move after the copy: the copy's figures must not follow them.
        stats.onOracle(BTC, 400_000);
        stats.onOracle(ETH, 200_000);
        stats.onFunding(BTC, 0, 9_000_000_000L, 400_000, 2);
        margin.compute(snapshot);
        assertEquals(BTC_ORACLE, snapshot.oraclePriceTicks(BTC));
        assertEquals(ETH_ORACLE, snapshot.oraclePriceTicks(ETH));
        assertEquals(2_000_000_000L, snapshot.marketFundingIndex(BTC));
        // 80 lots at 50000.0 against -3500 USDC, less 80 x 2 micro-USDC of unsettled funding.
        assertEquals(micros(500_000_000 - 160), margin.equity());
        assertEquals(micros(10_000_134), margin.crossOpenOrdersInitial());

        compute();
        // At 40000.0: 3200 USDC of value, and 80 x 9 micro-USDC of funding.
        assertEquals(micros(-300_000_000 - 720), margin.equity());
        assertEquals(0, snapshot.oraclePriceTicks(3), "a market the account is not in carries no price");
    }

    private void position(final int market, final long sizeLots, final long collateralMicros, final int marginMode)
    {
        accounts.onBalance(ACCOUNT, collateralMicros);
        accounts.onPosition(ACCOUNT, market, sizeLots, 0, 0, 0, 0, collateralMicros, marginMode);
    }

    private long rest(final int market, final int side, final long priceTicks, final long lots, final int marginMode)
    {
        final long orderId = nextOrderId++;
        accounts.onAccepted(ACCOUNT, orderId, orderId, market, side, priceTicks, lots, 0, 0, marginMode, false, false,
            orderId);
        accounts.onResting(ACCOUNT, orderId, priceTicks, lots);
        return orderId;
    }

    private void compute()
    {
        accounts.read(ACCOUNT, snapshot);
        margin.compute(snapshot);
    }

    private static BigInteger micros(final long micros)
    {
        return BigInteger.valueOf(micros);
    }
}
