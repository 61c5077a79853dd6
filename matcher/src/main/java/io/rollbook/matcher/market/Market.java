package io.rollbook.matcher.market;

import io.rollbook.matcher.book.OrderBook;

/**
 * A market's parameters, as defined by its {@code DefineMarket} command, its oracle price and its book.
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
    private final OrderBook book = new OrderBook();
    private long oraclePriceTicks;

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
        final int marketOrderBandPpm)
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

    public OrderBook book()
    {
        return book;
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
    }
}
