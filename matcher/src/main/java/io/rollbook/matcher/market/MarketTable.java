package io.rollbook.matcher.market;

/**
 * Markets by id, in a plain array: ids run from 1 up to the configured capacity (exclusive).
 */
public final class MarketTable
{
    private final Market[] markets;

    public MarketTable(final int capacity)
    {
        if (capacity < 2)
        {
            throw new IllegalArgumentException("market capacity must be at least 2, got " + capacity);
        }
        markets = new Market[capacity];
    }

    public int capacity()
    {
        return markets.length;
    }

    /**
     * @return the market, or null when the id is out of range or not defined
     */
    public Market get(final int marketId)
    {
        return marketId > 0 && marketId < markets.length ? markets[marketId] : null;
    }

    public boolean inRange(final int marketId)
    {
        return marketId > 0 && marketId < markets.length;
    }

    public void add(final Market market)
    {
        markets[market.id()] = market;
    }
}
