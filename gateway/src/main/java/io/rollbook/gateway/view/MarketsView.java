package io.rollbook.gateway.view;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The markets the journal defines, by id, as seen in released {@code MarketDefined} events: what the gateway checks
 * a market id against before it publishes anything for it.
 *
 * <p>Written by the release thread (through {@link ViewUpdater}), read by any thread.
 */
public final class MarketsView
{
    private final AtomicReferenceArray<String> symbols;

    /**
     * @param capacity market ids from 0 (inclusive) to this (exclusive): the matcher's market capacity
     */
    public MarketsView(final int capacity)
    {
        this.symbols = new AtomicReferenceArray<>(capacity);
    }

    public boolean isDefined(final int market)
    {
        return market >= 0 && market < symbols.length() && symbols.get(market) != null;
    }

    /**
     * @return the market's symbol, or null if it is not defined
     */
    public String symbol(final int market)
    {
        return market >= 0 && market < symbols.length() ? symbols.get(market) : null;
    }

    public int capacity()
    {
        return symbols.length();
    }

    void encode(final ViewSnapshotCursor out)
    {
        out.putInt(symbols.length());
        for (int market = 0; market < symbols.length(); market++)
        {
            final String symbol = symbols.get(market);
            if (symbol != null)
            {
                out.putInt(market);
                out.putString(symbol);
            }
        }
        out.putInt(-1);
    }

    void decode(final ViewSnapshotCursor in)
    {
        ViewSnapshotCodec.expectCapacity("markets", in.getInt(), symbols.length());
        int market;
        while ((market = in.getInt()) != -1)
        {
            ViewSnapshotCodec.expectIndex("market", market, symbols.length());
            symbols.set(market, in.getString());
        }
    }

    void define(final int market, final String symbol)
    {
        if (market >= 0 && market < symbols.length())
        {
            symbols.set(market, symbol);
        }
    }
}
