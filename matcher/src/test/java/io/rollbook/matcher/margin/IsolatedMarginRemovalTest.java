package io.rollbook.matcher.margin;

import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Removing collateral from an isolated bucket leaves at least max(initial requirement, 10% of notional), the
 * Hyperliquid rule of docs/MARGIN.md; the 10% binds when the initial margin fraction is below it, and like every
 * requirement it rounds up, in the venue's favour.
 */
class IsolatedMarginRemovalTest
{
    @Test
    void tenPercentOfNotionalRoundsUp()
    {
        // One tick-lot is worth one micro-USDC; I0 = 5%, M = 3%.
        final Genesis genesis = Genesis.ofMarkets(List.of(MarketSpec.builder().id(1).symbol("FIVE-USD")
            .tickSize("0.001").lotSize("0.001").minSizeLots(1).maxPositionLots(1_000_000).margin(50_000, 30_000)
            .build()));
        final JsonSimulation simulation = new JsonSimulation(MarginGoldenTest.context(), genesis, new StringBuilder());
        final StringBuilder out = new StringBuilder();
        final List<String> commands = List.of(
            "{\"cmd\":\"oracle\",\"market\":\"FIVE-USD\",\"price\":\"1.001\"}",
            "{\"cmd\":\"deposit\",\"account\":10,\"amount\":\"1\"}",
            "{\"cmd\":\"deposit\",\"account\":11,\"amount\":\"1\"}",
            "{\"cmd\":\"place\",\"account\":11,\"market\":\"FIVE-USD\",\"side\":\"sell\",\"price\":\"1.001\"," +
                "\"size\":\"0.003\",\"clientId\":1}",
            // Notional 3 * 1001 = 3003 micro-USDC; the bucket is topped up to IMR = ceil(3003 * 5%) = 151.
            "{\"cmd\":\"place\",\"account\":10,\"market\":\"FIVE-USD\",\"side\":\"buy\",\"price\":\"1.001\"," +
                "\"size\":\"0.003\",\"clientId\":1,\"margin\":\"isolated\"}",
            // Bucket equity 151 + 1000 = 1151; it must keep max(151, ceil(300.3)) = 301: 850 can go, not 851.
            "{\"cmd\":\"isolatedMargin\",\"account\":10,\"market\":\"FIVE-USD\",\"amount\":\"0.001\"}",
            "{\"cmd\":\"isolatedMargin\",\"account\":10,\"market\":\"FIVE-USD\",\"amount\":\"-0.000851\"}",
            "{\"cmd\":\"isolatedMargin\",\"account\":10,\"market\":\"FIVE-USD\",\"amount\":\"-0.00085\"}");
        for (int i = 0; i < commands.size(); i++)
        {
            simulation.execute(commands.get(i), i + 1, out);
        }
        final String events = out.toString();
        assertTrue(events.contains("{\"seq\":6,\"type\":\"position\",\"account\":10,\"market\":\"FIVE-USD\"," +
            "\"margin\":\"isolated\",\"size\":\"0.003\",\"entryValue\":\"0.003003\",\"realizedPnl\":\"0\"," +
            "\"isolatedMargin\":\"-0.002852\""), events);
        assertTrue(events.contains("{\"seq\":8,\"type\":\"rejected\",\"command\":\"isolatedMargin\"," +
            "\"reason\":\"ISOLATED_MARGIN_BELOW_MINIMUM\",\"message\":\"at most 0.00085 USDC can be removed from " +
            "this isolated position\""), events);
        assertTrue(events.contains("{\"seq\":9,\"type\":\"position\",\"account\":10,\"market\":\"FIVE-USD\"," +
            "\"margin\":\"isolated\",\"size\":\"0.003\",\"entryValue\":\"0.003003\",\"realizedPnl\":\"0\"," +
            "\"isolatedMargin\":\"-0.002702\""), events);
    }
}
