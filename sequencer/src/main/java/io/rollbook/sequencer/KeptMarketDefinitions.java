package io.rollbook.sequencer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.market.Market;
import io.rollbook.protocol.MarketSpec;

/**
 * A configured market the journal already defines keeps the journal's definition: markets are never redefined
 * behind the journal's back. An operator who edits a market in the configuration must hear that the edit does not
 * apply, rather than find it out from rejected orders: this names every such difference.
 *
 * <p>Stateless; called once at start, on the launching thread.
 */
final class KeptMarketDefinitions
{
    private KeptMarketDefinitions()
    {
    }

    /**
     * @return one line per configured market whose definition in the recovered state differs from the
     * configuration's, naming the values; empty when they agree
     */
    static List<String> differences(final List<MarketSpec> configured, final Matcher recovered)
    {
        final List<String> lines = new ArrayList<>();
        for (final MarketSpec spec : configured)
        {
            final Market market = recovered.market(spec.id());
            if (market == null)
            {
                continue;
            }
            final List<String> fields = new ArrayList<>();
            final String symbol = new String(market.symbol(), StandardCharsets.US_ASCII).replace("\0", "");
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
                lines.add("market " + spec.id() + " (" + symbol + ") keeps the journal's definition, not the " +
                    "configuration's: " + String.join(", ", fields));
            }
        }
        return lines;
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
