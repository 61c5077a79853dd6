package io.rollbook.matcher.margin;

import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The open orders of one side of a position may be worth at most the engine's notional limit (ten billion USDC) at
 * their limit prices, like one order. Sells far above the oracle price cost no margin and, in a tier without fees,
 * nothing at all: without the bound, a thousand of them at the limit each summed beyond a {@code long} in the margin
 * arithmetic, and the matcher threw, which stops the exchange. On a market of 1 USDC ticks and one-unit lots
 * ({@code v} = 1 USDC), oracle 100, where 10 billion USDC is a price of 1e10 for one lot.
 */
class OpenOrdersNotionalTest
{
    private static final String ORACLE = "{\"cmd\":\"oracle\",\"market\":\"BIG-USD\",\"price\":\"100\"}";
    private static final String DEPOSIT = "{\"cmd\":\"deposit\",\"account\":10,\"amount\":\"1000000000\"}";

    @Test
    void aThousandSellsAtTheLimitAreRefusedOnceTheirSideIsFullAndNothingThrows()
    {
        final JsonSimulation simulation = simulation();
        final StringBuilder out = new StringBuilder();
        simulation.execute(ORACLE, 1, out);
        simulation.execute(DEPOSIT, 2, out);
        for (int i = 0; i < 1_000; i++)
        {
            out.setLength(0);
            simulation.execute(sell("s" + i, "10000000000", "1"), 3 + i, out);
            final String event = out.toString();
            if (i == 0)
            {
                assertTrue(event.contains("\"type\":\"accepted\""), event);
            }
            else
            {
                assertTrue(event.contains("\"reason\":\"PRICE_ABOVE_MAXIMUM\"") &&
                    event.contains("\"detail\":10000000000"), event);
            }
        }
        assertEquals(1, simulation.matcher().liveOrderCount());
    }

    @Test
    void ordersFitWhileTheirSideSumsWithinTheLimit()
    {
        final List<String> events = run(sell("a", "4000000000", "1"), sell("b", "3000000000", "2"),
            sell("c", "1", "1"));

        assertEquals(2, count(events, "\"type\":\"accepted\""), String.join("\n", events));
        assertTrue(events.get(events.size() - 1).contains("\"reason\":\"PRICE_ABOVE_MAXIMUM\""),
            String.join("\n", events));
    }

    @Test
    void theOtherSideHasItsOwnLimit()
    {
        final List<String> events = run(sell("a", "10000000000", "1"), buy("b", "99", "1"));

        assertEquals(2, count(events, "\"type\":\"accepted\""), String.join("\n", events));
    }

    @Test
    void anAmendThatTakesItsSideBeyondTheLimitIsRefusedAndTheOrderStaysAsItWas()
    {
        final List<String> events = run(sell("a", "5000000000", "1"), sell("b", "5000000000", "1"),
            amend("b", "5000000001", "1"), amend("b", "4000000000", "2"), amend("b", "2500000000", "2"));

        assertEquals(2, count(events, "\"reason\":\"PRICE_ABOVE_MAXIMUM\""), String.join("\n", events));
        assertTrue(events.get(events.size() - 2).contains("\"type\":\"amended\""), String.join("\n", events));
    }

    private static List<String> run(final String... commands)
    {
        final JsonSimulation simulation = simulation();
        final StringBuilder out = new StringBuilder();
        simulation.execute(ORACLE, 1, out);
        simulation.execute(DEPOSIT, 2, out);
        for (int i = 0; i < commands.length; i++)
        {
            assertTrue(simulation.execute(commands[i], 3 + i, out), commands[i] + "\n" + out);
        }
        return List.of(out.toString().split("\n"));
    }

    private static JsonSimulation simulation()
    {
        final Genesis genesis = new Genesis(List.of(), List.of(
            MarketSpec.builder().id(1).symbol("BIG-USD").tickSize("1").lotSize("1")
                .minSizeLots(1).maxOrderSizeLots(100_000).maxPositionLots(100_000).marketOrderBandPpm(100_000)
                .margin(100_000, 50_000).build()), List.of());
        return new JsonSimulation(MarginGoldenTest.context().maxOpenOrdersPerAccount(1_000), genesis,
            new StringBuilder());
    }

    private static String sell(final String clientId, final String price, final String size)
    {
        return order("sell", clientId, price, size);
    }

    private static String buy(final String clientId, final String price, final String size)
    {
        return order("buy", clientId, price, size);
    }

    private static String order(final String side, final String clientId, final String price, final String size)
    {
        return "{\"cmd\":\"place\",\"account\":10,\"market\":\"BIG-USD\",\"side\":\"" + side + "\",\"price\":\"" +
            price + "\",\"size\":\"" + size + "\",\"clientId\":\"" + clientId + "\"}";
    }

    private static String amend(final String clientId, final String price, final String size)
    {
        return "{\"cmd\":\"amend\",\"account\":10,\"market\":\"BIG-USD\",\"clientId\":\"" + clientId +
            "\",\"price\":\"" + price + "\",\"size\":\"" + size + "\"}";
    }

    private static int count(final List<String> events, final String text)
    {
        return (int)events.stream().filter(event -> event.contains(text)).count();
    }
}
