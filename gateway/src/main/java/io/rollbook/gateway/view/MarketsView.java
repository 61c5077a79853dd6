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

    void define(final int market, final String symbol)
    {
        if (market >= 0 && market < symbols.length())
        {
            symbols.set(market, symbol);
        }
    }
}
