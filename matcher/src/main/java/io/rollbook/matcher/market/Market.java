package io.rollbook.matcher.market;

import io.rollbook.matcher.book.OrderBook;
import io.rollbook.matcher.risk.LiquidationIndex;

/**
 * A market's parameters, as defined by its {@code DefineMarket} command, its oracle price, funding index, book and
 * liquidation index. Owned by the matcher thread.
 */
public final class Market
{
    public static final int SYMBOL_LENGTH = 16;

    private final int id;
    private final byte[] symbol;
    private final long tickSizeMantissa;
    private final byte tickSizeExponent;
    private final long lotSizeMantissa;
    private final byte lotSizeExponent;
    private final long tickLotValueMicros;
    private final long minSizeLots;
    private final long maxOrderSizeLots;
    private final int marketOrderBandPpm;
    private final long baselinePositionLots;
    private final long incrementalPositionLots;
    private final long maxPositionLots;
    private final int initialMarginPpm;
    private final int maintenanceMarginPpm;
    private final int incrementalInitialMarginPpm;
    private final OrderBook book = new OrderBook();
    private final LiquidationIndex liquidationIndex = new LiquidationIndex();
    private long oraclePriceTicks;
    private long valuePerLotMicros;
    private long fundingIndex;

    public Market(
        final int id,
        final byte[] symbol,
        final long tickSizeMantissa,
        final byte tickSizeExponent,
        final long lotSizeMantissa,
        final byte lotSizeExponent,
        final long tickLotValueMicros,
        final long minSizeLots,
        final long maxOrderSizeLots,
        final int marketOrderBandPpm,
        final long baselinePositionLots,
        final long incrementalPositionLots,
        final long maxPositionLots,
        final int initialMarginPpm,
        final int maintenanceMarginPpm,
        final int incrementalInitialMarginPpm)
    {
        this.id = id;
        this.symbol = symbol.clone();
        this.tickSizeMantissa = tickSizeMantissa;
        this.tickSizeExponent = tickSizeExponent;
        this.lotSizeMantissa = lotSizeMantissa;
        this.lotSizeExponent = lotSizeExponent;
        this.tickLotValueMicros = tickLotValueMicros;
        this.minSizeLots = minSizeLots;
        this.maxOrderSizeLots = maxOrderSizeLots;
        this.marketOrderBandPpm = marketOrderBandPpm;
        this.baselinePositionLots = baselinePositionLots;
        this.incrementalPositionLots = incrementalPositionLots;
        this.maxPositionLots = maxPositionLots;
        this.initialMarginPpm = initialMarginPpm;
        this.maintenanceMarginPpm = maintenanceMarginPpm;
        this.incrementalInitialMarginPpm = incrementalInitialMarginPpm;
    }

    public int id()
    {
        return id;
    }

    /**
     * @return a copy of the symbol bytes, NUL padded to {@link #SYMBOL_LENGTH}
     */
    public byte[] symbol()
    {
        return symbol.clone();
    }

    public long tickSizeMantissa()
    {
        return tickSizeMantissa;
    }

    public byte tickSizeExponent()
    {
        return tickSizeExponent;
    }

    public long lotSizeMantissa()
    {
        return lotSizeMantissa;
    }

    public byte lotSizeExponent()
    {
        return lotSizeExponent;
    }

    /**
     * @return the value of one tick times one lot, in micro-USDC
     */
    public long tickLotValueMicros()
    {
        return tickLotValueMicros;
    }

    public long minSizeLots()
    {
        return minSizeLots;
    }

    public long maxOrderSizeLots()
    {
        return maxOrderSizeLots;
    }

    public int marketOrderBandPpm()
    {
        return marketOrderBandPpm;
    }

    /**
     * @return B: the position size up to which the base initial margin fraction applies
     */
    public long baselinePositionLots()
    {
        return baselinePositionLots;
    }

    /**
     * @return D: each further step of this size beyond B adds the incremental fraction
     */
    public long incrementalPositionLots()
    {
        return incrementalPositionLots;
    }

    public long maxPositionLots()
    {
        return maxPositionLots;
    }

    /**
     * @return I0, parts per million
     */
    public int initialMarginPpm()
    {
        return initialMarginPpm;
    }

    /**
     * @return M, parts per million
     */
    public int maintenanceMarginPpm()
    {
        return maintenanceMarginPpm;
    }

    /**
     * @return d, parts per million
     */
    public int incrementalInitialMarginPpm()
    {
        return incrementalInitialMarginPpm;
    }

    /**
     * @return the initial margin fraction for a position of {@code sizeLots} (either sign), parts per million:
     * I0 up to the baseline size, then d more for every started step of D lots, never above 100%
     */
    public long initialMarginPpm(final long sizeLots)
    {
        final long size = Math.abs(sizeLots);
        if (size <= baselinePositionLots || incrementalInitialMarginPpm == 0)
        {
            return initialMarginPpm;
        }
        // ceil((size - B) / D) for size > B, in a form that cannot wrap however large D is.
        final long steps = (size - baselinePositionLots - 1) / incrementalPositionLots + 1;
        final long fraction = initialMarginPpm + steps * incrementalInitialMarginPpm;
        return steps > 1_000_000 || fraction > 1_000_000 ? 1_000_000 : fraction;
    }

    public OrderBook book()
    {
        return book;
    }

    public LiquidationIndex liquidationIndex()
    {
        return liquidationIndex;
    }

    /**
     * @return the cumulative funding index, in 1e-9 micro-USDC per lot: what one long lot has paid since genesis
     */
    public long fundingIndex()
    {
        return fundingIndex;
    }

    public void fundingIndex(final long fundingIndex)
    {
        this.fundingIndex = fundingIndex;
    }

    /**
     * @return the last oracle price, or 0 if none has been received yet
     */
    public long oraclePriceTicks()
    {
        return oraclePriceTicks;
    }

    public void oraclePriceTicks(final long priceTicks)
    {
        oraclePriceTicks = priceTicks;
        valuePerLotMicros = Math.multiplyExact(priceTicks, tickLotValueMicros);
    }

    /**
     * @return the value of one lot at the oracle price, in micro-USDC
     */
    public long valuePerLotMicros()
    {
        return valuePerLotMicros;
    }
}
