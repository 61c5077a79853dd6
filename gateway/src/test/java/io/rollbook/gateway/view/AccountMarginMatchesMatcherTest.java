package io.rollbook.gateway.view;

import java.math.BigInteger;
import java.util.Random;

import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.risk.Margin;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.Side;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway's copy of the margin arithmetic gives, figure for figure, what the matcher's {@link Margin} gives,
 * on seeded random markets (tick and lot sizes, margin fractions, size tiers), oracle prices, positions, open
 * orders and fee rates. The gateway's main code never names the matcher; its tests may, to hold the two to one rule.
 */
final class AccountMarginMatchesMatcherTest
{
    private static final String[] TICKS = {"1", "0.5", "0.1", "0.01"};
    private static final String[] LOTS = {"1", "0.1", "0.01", "0.001"};

    @Test
    void worstCaseInitialAgreesWithTheMatcher()
    {
        final Random random = new Random(20261202L);
        for (int round = 0; round < 20_000; round++)
        {
            final MarketSpec spec = randomSpec(random);
            final Market market = matcherMarket(spec);
            final long oracleTicks = 1 + random.nextInt(random.nextBoolean() ? 1_000 : 10_000_000);
            market.oraclePriceTicks(oracleTicks);

            final long sizeLots = random.nextInt(5) == 0 ? 0 : random.nextInt(8_001) - 4_000;
            final Position position = new Position();
            if (sizeLots != 0)
            {
                position.applyFill(sizeLots, Margin.notional(market, oracleTicks, sizeLots));
            }
            long buyLots = 0;
            long sellLots = 0;
            BigInteger buyPriceLots = BigInteger.ZERO;
            BigInteger sellPriceLots = BigInteger.ZERO;
            for (int orders = random.nextInt(7); orders > 0; orders--)
            {
                final long band = Math.max(1, oracleTicks / 10);
                final long priceTicks = Math.max(1, oracleTicks + random.nextInt((int)(2 * band + 1)) - band);
                final long lots = 1 + random.nextInt(3_000);
                final boolean buy = random.nextBoolean();
                position.changeOpen(buy ? Side.BUY : Side.SELL, priceTicks, lots);
                final BigInteger priceLots = BigInteger.valueOf(priceTicks * lots);
                if (buy)
                {
                    buyLots += lots;
                    buyPriceLots = buyPriceLots.add(priceLots);
                }
                else
                {
                    sellLots += lots;
                    sellPriceLots = sellPriceLots.add(priceLots);
                }
            }

            final int feePpm = random.nextInt(3) == 0 ? 0 : random.nextInt(100_001);
            final String what = spec + " fee " + feePpm + " oracle " + oracleTicks + " size " + sizeLots + " buys " +
                buyLots + " @ " + buyPriceLots + " sells " + sellLots + " @ " + sellPriceLots;
            assertEquals(market.initialMarginPpm(sizeLots), AccountMargin.initialMarginPpm(spec, sizeLots), what);
            assertEquals(BigInteger.valueOf(Margin.initial(market, sizeLots)),
                AccountMargin.initial(spec, oracleTicks, sizeLots), what);
            assertEquals(BigInteger.valueOf(Margin.maintenance(market, sizeLots)),
                AccountMargin.maintenance(spec, oracleTicks, sizeLots), what);
            assertEquals(BigInteger.valueOf(Margin.worstCaseInitial(market, position, feePpm)),
                AccountMargin.worstCaseInitial(spec, oracleTicks, sizeLots, buyLots, buyPriceLots, sellLots,
                    sellPriceLots, feePpm), what);
        }
    }

    @Test
    void tierFractionAgreesAtTheExtremes()
    {
        final MarketSpec spec = MarketSpec.builder().id(1).symbol("X").tickSize("1").lotSize("1")
            .maxPositionLots(10_000_000_000L).margin(50_000, 30_000).tiering(0, 1, 1).build();
        final Market market = matcherMarket(spec);
        for (final long size : new long[] {1, 949_999, 950_000, 950_001, 999_999, 1_000_000, 1_000_001,
            10_000_000_000L, -10_000_000_000L})
        {
            assertEquals(market.initialMarginPpm(size), AccountMargin.initialMarginPpm(spec, size), "size " + size);
        }
    }

    private static MarketSpec randomSpec(final Random random)
    {
        final int initialPpm = 10_000 + random.nextInt(490_000);
        final MarketSpec.Builder builder = MarketSpec.builder().id(1).symbol("X-USD")
            .tickSize(TICKS[random.nextInt(TICKS.length)]).lotSize(LOTS[random.nextInt(LOTS.length)])
            .maxPositionLots(10_000_000).margin(initialPpm, 1 + random.nextInt(initialPpm - 1));
        if (random.nextInt(4) != 0)
        {
            builder.tiering(random.nextInt(3_000), 1 + random.nextInt(700), random.nextInt(4) == 0 ? 0 :
                random.nextInt(60_000));
        }
        return builder.build();
    }

    private static Market matcherMarket(final MarketSpec spec)
    {
        return new Market(spec.id(), new byte[16], spec.tickSizeMantissa(), (byte)spec.tickSizeExponent(),
            spec.lotSizeMantissa(), (byte)spec.lotSizeExponent(), spec.tickLotValueMicros(), spec.minSizeLots(),
            spec.maxOrderSizeLots(), spec.marketOrderBandPpm(), spec.baselinePositionLots(),
            spec.incrementalPositionLots(), spec.maxPositionLots(), spec.initialMarginPpm(),
            spec.maintenanceMarginPpm(), spec.incrementalInitialMarginPpm());
    }
}
