package io.rollbook.matcher.margin;

import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.protocol.FeeTierSpec;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Auto-deleveraging after an oracle update takes from the most profitable opposite position of the market
 * (docs/MARGIN.md, Liquidation, step 3), even when that position was itself one of the update's liquidation
 * candidates: the index hands out candidates loosely (a position within a micro-USDC or two per lot of its
 * maintenance requirement is checked exactly), and one that passes the exact check is still a position to
 * deleverage.
 *
 * <p>MICRO: tick 0.000001, lot 1, so v = 1 micro-USDC and one tick moves a lot's value by one micro-USDC, less than
 * the index's margin; I0 = 10%, M = 5%. Tier 3 charges makers 10%; an account moved into it after its order rested
 * pays that fee at the fill, which leaves it exactly at maintenance (StarkEx's rule allows it). At the oracle price
 * of 100:
 * <ul>
 *   <li>account 10 bought 1 lot at 100 as a maker (fee 10), equity 5 = its maintenance requirement;</li>
 *   <li>account 13 sold 1 lot at 101 as a maker (fee 10.1), equity 5 = its maintenance requirement;</li>
 *   <li>account 16 sold 1 lot at 100 as a taker, with ample collateral; account 15 bought 13's lot.</li>
 * </ul>
 * The oracle falls one tick, to 99.999999: account 10 falls below maintenance and the book holds nothing to close
 * it against; the insurance fund (no collateral) cannot take it over, so it is deleveraged. Account 13 stays just
 * at maintenance (equity 5.000001, requirement 5) but is a candidate of the index; its unrealized PnL (1.000001)
 * beats account 16's (0.000001), so it is the one deleveraged.
 */
class DeleveragingCandidatesTest
{
    @Test
    void aCandidateThatSurvivesTheExactCheckIsStillDeleveragedFirst()
    {
        final Genesis genesis = new Genesis(
            List.of(new FeeTierSpec(3, 100_000, 0)),
            List.of(MarketSpec.builder().id(1).symbol("MICRO").tickSize("0.000001").lotSize("1").minSizeLots(1)
                .maxOrderSizeLots(100).maxPositionLots(100).margin(100_000, 50_000).build()),
            List.of());
        final JsonSimulation simulation = new JsonSimulation(MarginGoldenTest.context(), genesis, new StringBuilder());
        final List<String> commands = List.of(
            "{\"cmd\":\"oracle\",\"market\":\"MICRO\",\"price\":\"100\"}",
            "{\"cmd\":\"deposit\",\"account\":10,\"amount\":\"15\"}",
            "{\"cmd\":\"deposit\",\"account\":13,\"amount\":\"14.1\"}",
            "{\"cmd\":\"deposit\",\"account\":15,\"amount\":\"1000\"}",
            "{\"cmd\":\"deposit\",\"account\":16,\"amount\":\"1000\"}",
            "{\"cmd\":\"place\",\"account\":10,\"market\":\"MICRO\",\"side\":\"buy\",\"price\":\"100\",\"size\":\"1\"," +
                "\"clientId\":\"b10\"}",
            "{\"cmd\":\"place\",\"account\":13,\"market\":\"MICRO\",\"side\":\"sell\",\"price\":\"101\",\"size\":\"1\"," +
                "\"clientId\":\"s13\"}",
            "{\"cmd\":\"configureAccount\",\"account\":10,\"feeTier\":3}",
            "{\"cmd\":\"configureAccount\",\"account\":13,\"feeTier\":3}",
            "{\"cmd\":\"place\",\"account\":16,\"market\":\"MICRO\",\"side\":\"sell\",\"price\":\"100\",\"size\":\"1\"," +
                "\"clientId\":\"s16\"}",
            "{\"cmd\":\"place\",\"account\":15,\"market\":\"MICRO\",\"side\":\"buy\",\"price\":\"101\",\"size\":\"1\"," +
                "\"clientId\":\"b15\"}",
            "{\"cmd\":\"oracle\",\"market\":\"MICRO\",\"price\":\"99.999999\"}");
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < commands.size(); i++)
        {
            final int before = out.length();
            simulation.execute(commands.get(i), i + 1, out);
            assertTrue(out.indexOf("\"type\":\"rejected\"", before) < 0, out.substring(before));
            assertTrue(out.indexOf("\"reason\":\"insufficientMargin\"", before) < 0, out.substring(before));
            MarginInvariants.check(simulation.matcher());
        }
        final String events = out.toString();
        assertTrue(events.contains("\"type\":\"liquidation\",\"account\":10,"), events);
        assertTrue(events.indexOf("\"type\":\"liquidation\",\"account\":13,") < 0, events);
        assertTrue(events.contains("\"type\":\"positionTransferred\",\"market\":\"MICRO\",\"from\":10,\"to\":13,"),
            events);
    }
}
