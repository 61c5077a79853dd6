package io.rollbook.matcher.margin;

import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bankruptcy-aware bound of a liquidation's closing order, {@code P * (1 + M * V / W)} for a long, stays a
 * price the engine can trade at however deep the account's equity {@code V} has fallen: an account whose cross
 * equity collapsed by billions in one market, with a small maintenance requirement left {@code W}, still holds a
 * position at the largest oracle price another market allows. {@code P * V / W} is then far beyond a long; the
 * bound is the highest price at which the position's notional stays within the engine's limit, and the liquidation
 * completes with every invariant intact instead of stopping the matcher.
 */
class LiquidationPriceBoundTest
{
    @Test
    void aBoundBeyondAnyPriceIsTheHighestTradablePrice()
    {
        // BIG-USD: v = 1 USDC, I0 = 10%, M = 5%, up to 1,000,000 lots. TINY-USD: v = 1 micro-USDC, I0 = 2 ppm,
        // M = 1 ppm, one lot at most, so its oracle price may reach 10^16 ticks (10 billion USDC).
        final Genesis genesis = Genesis.ofMarkets(List.of(
            MarketSpec.builder().id(1).symbol("BIG-USD").tickSize("1").lotSize("1").minSizeLots(1)
                .maxOrderSizeLots(1_000_000).maxPositionLots(1_000_000).margin(100_000, 50_000).build(),
            MarketSpec.builder().id(2).symbol("TINY-USD").tickSize("0.000001").lotSize("1").minSizeLots(1)
                .maxOrderSizeLots(1).maxPositionLots(1).margin(2, 1).build()));
        final JsonSimulation simulation = new JsonSimulation(MarginGoldenTest.context(), genesis, new StringBuilder());
        final StringBuilder out = new StringBuilder();
        final List<String> commands = List.of(
            "{\"cmd\":\"oracle\",\"market\":\"BIG-USD\",\"price\":\"10000\"}",
            "{\"cmd\":\"oracle\",\"market\":\"TINY-USD\",\"price\":\"10000000000\"}",
            "{\"cmd\":\"deposit\",\"account\":10,\"amount\":\"1100000000\"}",
            "{\"cmd\":\"deposit\",\"account\":11,\"amount\":\"1100000000\"}",
            "{\"cmd\":\"deposit\",\"account\":12,\"amount\":\"100000\"}",
            // Account 10 goes long 1,000,000 BIG at 10,000 (10 billion USDC) and 1 TINY at 10 billion USDC.
            "{\"cmd\":\"place\",\"account\":11,\"market\":\"BIG-USD\",\"side\":\"sell\",\"price\":\"10000\"," +
                "\"size\":\"1000000\",\"clientId\":1}",
            "{\"cmd\":\"place\",\"account\":10,\"market\":\"BIG-USD\",\"side\":\"buy\",\"price\":\"10000\"," +
                "\"size\":\"1000000\",\"clientId\":1}",
            "{\"cmd\":\"place\",\"account\":12,\"market\":\"TINY-USD\",\"side\":\"sell\",\"price\":\"10000000000\"," +
                "\"size\":\"1\",\"clientId\":1}",
            "{\"cmd\":\"place\",\"account\":10,\"market\":\"TINY-USD\",\"side\":\"buy\",\"price\":\"10000000000\"," +
                "\"size\":\"1\",\"clientId\":2}",
            // BIG falls to 1: V = about -8.9 billion USDC against W = 50,000 + 10,000 USDC, so the TINY long's bound
            // P * (1 + M * V / W), with P = 10^16 ticks, is some 10^21 ticks.
            "{\"cmd\":\"oracle\",\"market\":\"BIG-USD\",\"price\":\"1\"}");
        for (int i = 0; i < commands.size(); i++)
        {
            simulation.execute(commands.get(i), i + 1, out);
            MarginInvariants.check(simulation.matcher());
        }
        final String events = out.toString();
        assertTrue(events.contains("\"type\":\"liquidation\",\"account\":10,"), events);
        assertTrue(events.contains("\"type\":\"positionTransferred\",\"market\":\"TINY-USD\",\"from\":10,\"to\":12," +
            "\"side\":\"buy\",\"price\":\"10000000000\",\"size\":\"1\""), events);
        assertNull(simulation.matcher().account(10).position(1));
        assertNull(simulation.matcher().account(10).position(2));
    }
}
