package io.rollbook.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The markets an edge component knows, by id and by symbol, for converting between symbols and decimals on one
 * side and market ids, ticks and lots on the other. Not thread-safe: built once, then read.
 */
public final class MarketDirectory
{
    private final Map<Integer, MarketSpec> byId = new TreeMap<>();
    private final Map<String, MarketSpec> bySymbol = new HashMap<>();

    public MarketDirectory()
    {
    }

    public MarketDirectory(final List<MarketSpec> markets)
    {
        markets.forEach(this::add);
    }

    /**
     * @throws IllegalArgumentException if the id or symbol is already taken by another market
     */
    public MarketDirectory add(final MarketSpec market)
    {
        final MarketSpec sameId = byId.get(market.id());
        final MarketSpec sameSymbol = bySymbol.get(market.symbol());
        if ((sameId != null && sameId != market) || (sameSymbol != null && sameSymbol != market))
        {
            throw new IllegalArgumentException("market " + market.symbol() + " (id " + market.id() +
                ") clashes with a market already defined");
        }
        byId.put(market.id(), market);
        bySymbol.put(market.symbol(), market);
        return this;
    }

    /**
     * @return the market, or null
     */
    public MarketSpec byId(final int id)
    {
        return byId.get(id);
    }

    /**
     * @return the market, or null
     */
    public MarketSpec bySymbol(final String symbol)
    {
        return bySymbol.get(symbol);
    }

    /**
     * @return every market, by ascending id
     */
    public List<MarketSpec> markets()
    {
        return Collections.unmodifiableList(new ArrayList<>(byId.values()));
    }
}
