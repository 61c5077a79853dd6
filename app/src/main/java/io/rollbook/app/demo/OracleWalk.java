package io.rollbook.app.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.rollbook.protocol.MarketSpec;

/**
 * The demo's oracle prices: a seeded random walk per market, in ticks, with integer steps of a few basis points and a
 * pull back towards the starting price once it has moved more than 10% away, so a demo left running for days stays
 * near realistic prices. Starting prices by symbol for the embedded markets; 100,000 ticks for any other.
 *
 * <p>Confined to the demo thread.
 */
final class OracleWalk
{
    private static final Map<String, String> START_PRICES =
        Map.of("BTC-USD", "50000", "ETH-USD", "3000", "SOL-USD", "150");
    private static final long OTHER_START_TICKS = 100_000;
    private static final int MAX_STEP_BPS = 8;
    private static final int PULL_BPS = 3;

    private final List<MarketSpec> markets;
    private final long[] startTicks;
    private final long[] priceTicks;

    OracleWalk(final List<MarketSpec> markets)
    {
        this.markets = List.copyOf(markets);
        startTicks = new long[markets.size()];
        priceTicks = new long[markets.size()];
        for (int i = 0; i < markets.size(); i++)
        {
            startTicks[i] = startTicks(markets.get(i));
            priceTicks[i] = startTicks[i];
        }
    }

    private static long startTicks(final MarketSpec market)
    {
        final String price = START_PRICES.get(market.symbol());
        if (price == null)
        {
            return OTHER_START_TICKS;
        }
        return market.priceToTicks("price", price);
    }

    int marketCount()
    {
        return markets.size();
    }

    MarketSpec market(final int index)
    {
        return markets.get(index);
    }

    long priceTicks(final int index)
    {
        return priceTicks[index];
    }

    /**
     * Moves every market's price one step.
     */
    void step(final SplittableRandom random)
    {
        for (int i = 0; i < priceTicks.length; i++)
        {
            long bps = random.nextInt(-MAX_STEP_BPS, MAX_STEP_BPS + 1);
            if (priceTicks[i] > startTicks[i] + startTicks[i] / 10)
            {
                bps -= PULL_BPS;
            }
            else if (priceTicks[i] < startTicks[i] - startTicks[i] / 10)
            {
                bps += PULL_BPS;
            }
            priceTicks[i] = Math.max(1, priceTicks[i] + Math.multiplyExact(priceTicks[i], bps) / 10_000);
        }
    }

    /**
     * @return a market's quoting step: two basis points of its starting price, at least a tick
     */
    long stepTicks(final int index)
    {
        return Math.max(1, startTicks[index] / 5_000);
    }

    /**
     * @return an order size worth about {@code notionalUsd} at the starting price, within the market's limits
     */
    long lotsWorth(final int index, final long notionalUsd)
    {
        final MarketSpec market = markets.get(index);
        final BigDecimal unitValue = market.tickSize().multiply(BigDecimal.valueOf(startTicks[index]))
            .multiply(market.lotSize());
        final long lots = BigDecimal.valueOf(notionalUsd).divide(unitValue, 0, RoundingMode.HALF_UP).longValueExact();
        return Math.min(Math.max(lots, market.minSizeLots()), market.maxOrderSizeLots());
    }
}
