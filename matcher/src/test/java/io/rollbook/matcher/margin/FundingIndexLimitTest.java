package io.rollbook.matcher.margin;

import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A market that allows positions above 125,000,000 lots has a narrower funding index range than +/-4 * 10^18: what
 * a position owes since it last settled, size x (index difference) / 10^9 micro-USDC, must stay within the balance
 * bound of 10^18 micro-USDC, or a settlement of the largest position would overflow and stop sequencing. Here the
 * maximum position is 10^10 lots, so the index may go as far as 10^18 / (2 * 10^10) * 10^9 = 5 * 10^16 either way.
 */
class FundingIndexLimitTest
{
    private static final String FIVE_PERCENT = "{\"cmd\":\"funding\",\"market\":\"BIG-USD\",\"rate\":\"0.05\"}";

    @Test
    void theIndexOfAMarketWithVeryLargePositionsStopsWhereTheLargestSettlementStillFitsTheBalanceBound()
    {
        final JsonSimulation simulation = new JsonSimulation(MarginGoldenTest.context(), genesis(), new StringBuilder());
        final StringBuilder out = new StringBuilder();
        // 1,000 USDC, 10^6 ticks of a micro-USDC tick-lot: the maximum position is worth the engine's limit exactly.
        assertTrue(simulation.execute("{\"cmd\":\"oracle\",\"market\":\"BIG-USD\",\"price\":\"1000\"}", 1, out), out::toString);
        // Each tick adds 10^6 micro-USDC x 5 * 10^7 ppb = 5 * 10^13: the thousandth reaches 5 * 10^16 exactly.
        for (int tick = 1; tick <= 1_000; tick++)
        {
            assertTrue(simulation.execute(FIVE_PERCENT, tick + 1, out), out::toString);
        }
        out.setLength(0);
        assertTrue(simulation.execute(FIVE_PERCENT, 1_002, out));
        assertTrue(simulation.execute("{\"cmd\":\"funding\",\"market\":\"BIG-USD\",\"rate\":\"-0.05\"}", 1_003, out));

        final List<String> events = List.of(out.toString().split("\n"));
        assertEquals(2, events.size(), out::toString);
        assertTrue(events.get(0).contains("\"reason\":\"FUNDING_INDEX_OVERFLOW\"") &&
            events.get(0).contains("\"detail\":50000000000000000,"), events.get(0));
        assertTrue(events.get(1).contains("\"type\":\"funding\"") &&
            events.get(1).contains("\"fundingIndex\":49950000000000000"), events.get(1));
    }

    private static Genesis genesis()
    {
        return new Genesis(
            List.of(),
            List.of(MarketSpec.builder().id(1).symbol("BIG-USD").tickSize("0.001").lotSize("0.001")
                .minSizeLots(1).maxOrderSizeLots(10_000_000_000L).maxPositionLots(10_000_000_000L)
                .marketOrderBandPpm(100_000).margin(200_000, 100_000).build()),
            List.of());
    }
}
