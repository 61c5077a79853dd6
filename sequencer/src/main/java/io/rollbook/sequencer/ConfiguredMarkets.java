package io.rollbook.sequencer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.market.Market;
import io.rollbook.protocol.MarketSpec;

/**
 * The configured markets must be the journal's: a market, once defined, is never redefined, and the gateways convert
 * every price and size, and compute every margin figure they show, with the configured definition. A configuration
 * that edits a journaled market (a tick size, say) or leaves one out would have the trader API place orders at prices
 * the matcher reads in other units, and show positions in a market it no longer lists, so the start is refused with
 * every difference named.
 *
 * <p>Stateless; called once at start, on the launching thread.
 */
final class ConfiguredMarkets
{
    private ConfiguredMarkets()
    {
    }

    /**
     * @return one line per market the recovered state defines otherwise than the configuration, naming the values, or
     * does not find in a configuration that lists markets; empty when they agree (markets the journal does not
     * define yet are new)
     */
    static List<String> differences(final List<MarketSpec> configured, final Matcher recovered, final int marketCapacity)
    {
        final List<String> lines = new ArrayList<>();
        final boolean[] listed = new boolean[marketCapacity];
        for (final MarketSpec spec : configured)
        {
            if (spec.id() >= 0 && spec.id() < marketCapacity)
            {
                listed[spec.id()] = true;
            }
        }
        // A genesis without markets leaves them to DefineMarket commands (an embedded sequencer, a benchmark):
        // then there is no configured list to leave one out of.
        for (int id = 0; id < marketCapacity && !configured.isEmpty(); id++)
        {
            final Market market = recovered.market(id);
            if (market != null && !listed[id])
            {
                lines.add("market " + id + " (" + symbol(market) + ") is in the journal but not in the configuration");
            }
        }
        for (final MarketSpec spec : configured)
        {
            final Market market = recovered.market(spec.id());
            if (market == null)
            {
                continue;
            }
            final List<String> fields = new ArrayList<>();
            final String symbol = symbol(market);
            compare(fields, "symbol", symbol, spec.symbol());
            compare(fields, "tickSize", decimal(market.tickSizeMantissa(), market.tickSizeExponent()),
                decimal(spec.tickSizeMantissa(), spec.tickSizeExponent()));
            compare(fields, "lotSize", decimal(market.lotSizeMantissa(), market.lotSizeExponent()),
                decimal(spec.lotSizeMantissa(), spec.lotSizeExponent()));
            compare(fields, "minSize (lots)", market.minSizeLots(), spec.minSizeLots());
            compare(fields, "maxOrderSize (lots)", market.maxOrderSizeLots(), spec.maxOrderSizeLots());
            compare(fields, "maxPosition (lots)", market.maxPositionLots(), spec.maxPositionLots());
            compare(fields, "marketOrderBand (ppm)", market.marketOrderBandPpm(), spec.marketOrderBandPpm());
            compare(fields, "initialMargin (ppm)", market.initialMarginPpm(), spec.initialMarginPpm());
            compare(fields, "maintenanceMargin (ppm)", market.maintenanceMarginPpm(), spec.maintenanceMarginPpm());
            compare(fields, "baselinePosition (lots)", market.baselinePositionLots(), spec.baselinePositionLots());
            compare(fields, "incrementalPosition (lots)", market.incrementalPositionLots(),
                spec.incrementalPositionLots());
            compare(fields, "incrementalInitialMargin (ppm)", market.incrementalInitialMarginPpm(),
                spec.incrementalInitialMarginPpm());
            if (!fields.isEmpty())
            {
                lines.add("market " + spec.id() + " (" + symbol + "): " + String.join(", ", fields));
            }
        }
        return lines;
    }

    private static String symbol(final Market market)
    {
        return new String(market.symbol(), StandardCharsets.US_ASCII).replace("\0", "");
    }

    private static void compare(final List<String> fields, final String name, final Object journal, final Object configured)
    {
        if (!journal.equals(configured))
        {
            fields.add(name + " " + journal + " in the journal, " + configured + " in the configuration");
        }
    }

    private static String decimal(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent).stripTrailingZeros().toPlainString();
    }
}
