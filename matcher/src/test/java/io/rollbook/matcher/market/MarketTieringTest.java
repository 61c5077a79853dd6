package io.rollbook.matcher.market;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The size-tiered initial margin fraction of docs/MARGIN.md, {@code I0 + ceil((|S| - B) / D) * d} capped at 100%,
 * at the edges of its steps and for step sizes so large that the textbook {@code (x + D - 1) / D} would wrap.
 */
class MarketTieringTest
{
    private static final int I0 = 100_000;
    private static final int STEP = 20_000;

    @Test
    void eachStartedStepAddsTheIncrementalFraction()
    {
        final Market market = market(10, 5);
        assertEquals(I0, market.initialMarginPpm(10));
        assertEquals(I0, market.initialMarginPpm(-10));
        assertEquals(I0 + STEP, market.initialMarginPpm(11));
        assertEquals(I0 + STEP, market.initialMarginPpm(-15));
        assertEquals(I0 + 2 * STEP, market.initialMarginPpm(16));
        assertEquals(1_000_000, market.initialMarginPpm(10 + 5 * 46));
    }

    @Test
    void aHugeStepStillCountsOneStartedStepAboveTheBaseline()
    {
        final Market market = market(10, Long.MAX_VALUE);
        assertEquals(I0 + STEP, market.initialMarginPpm(11));
        assertEquals(I0 + STEP, market.initialMarginPpm(12));
        assertEquals(I0 + STEP, market.initialMarginPpm(-1_000_000_000_000L));
    }

    @Test
    void aStepNearTheLargestLongCountsTwoStepsPastIt()
    {
        final Market market = market(0, Long.MAX_VALUE / 2);
        assertEquals(I0 + STEP, market.initialMarginPpm(Long.MAX_VALUE / 2));
        assertEquals(I0 + 2 * STEP, market.initialMarginPpm(Long.MAX_VALUE / 2 + 1));
    }

    private static Market market(final long baselineLots, final long incrementLots)
    {
        return new Market(1, new byte[Market.SYMBOL_LENGTH], 1, (byte)0, 1, (byte)0, 1, 1, 100, 50_000, baselineLots,
            incrementLots, Long.MAX_VALUE, I0, 50_000, STEP);
    }
}
