package io.rollbook.matcher.margin;

import java.util.ArrayList;
import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.account.Account;
import io.rollbook.protocol.Genesis;
import io.rollbook.protocol.MarketSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Auto-deleveraging in a market whose oracle price is a few ticks (docs/MARGIN.md, Liquidation, step 3): one tick
 * is half the position's value, so rounding the bound to a tick on the liquidated account's side would shift a
 * whole tick of its loss onto the counterparty, an account that was not liquidated, and take it below zero. The
 * counterparty takes the position at the exact bound rounded in its favour, and never further from the oracle price
 * than its equity can pay; the rest is the liquidated account's deficit, which the insurance fund covers.
 *
 * <p>COARSE: tick 1 USDC, lot 1, so v = 1 USDC; OTHER: the same units. Both: I0 = 10%, M = 5%; tier 0, no fees.
 * Account 13 (the counterparty) is short 1 COARSE at 2 with equity 0.2 (its initial requirement). Account 10 is
 * long 1 COARSE at 2 (bought from 13) and 10 OTHER at 100, with equity 100.2, until OTHER falls. The insurance fund
 * holds 0.1 USDC, too little to take anything over; account 14 holds the OTHER short and ample collateral.
 */
class DeleveragingPriceTest
{
    private static final long MICROS = 1_000_000L;

    @Test
    void theCounterpartyTakesTheExactBoundRoundedInItsFavour()
    {
        // OTHER falls to 89: V = 100.2 - 10 * 11 = -9.8, W = 5% of (2 + 890) = 44.6. COARSE's exact bound
        // 2 * (1 + 0.05 * 9.8 / 44.6) = 2.02197...: rounded up (3) it would cost account 13 one USDC, five times its
        // equity; rounded down (2) it costs nothing, and the 0.02197... per lot is account 10's deficit.
        final Run run = liquidate("89");
        assertTrue(run.events.contains("\"type\":\"positionTransferred\",\"market\":\"COARSE\",\"from\":10," +
            "\"to\":13,\"side\":\"buy\",\"price\":\"2\",\"size\":\"1\",\"autoDeleveraged\":true"), run.events);
        // OTHER: bound 89 * 1.01098... = 89.978...; account 14 takes the 10 lots at 89.
        assertTrue(run.events.contains("\"type\":\"positionTransferred\",\"market\":\"OTHER\",\"from\":10,\"to\":14," +
            "\"side\":\"buy\",\"price\":\"89\",\"size\":\"10\",\"autoDeleveraged\":true"), run.events);
        final Account counterparty = run.matcher.account(13);
        assertNull(counterparty.position(1));
        assertEquals(200_000L, counterparty.collateralMicros(), "account 13 keeps its equity of 0.2 USDC");
        // Account 10: Q = 100.2 - 2 - 1000 + 2 + 890 = -9.8, all of it covered by the fund: 0.1 - 9.8.
        assertEquals(0L, run.matcher.account(10).collateralMicros());
        assertEquals(-9_700_000L, run.matcher.account(2).collateralMicros());
        assertTrue(run.events.contains("\"type\":\"balance\",\"account\":2,\"change\":\"-9.8\"," +
            "\"collateral\":\"-9.7\",\"cause\":\"insuranceCover\""), run.events);
    }

    @Test
    void theCounterpartyNeverPaysMoreThanItsEquity()
    {
        // OTHER falls to 45: V = 100.2 - 10 * 55 = -449.8, W = 5% of (2 + 450) = 22.6. COARSE's exact bound is
        // 2 * (1 + 0.05 * 449.8 / 22.6) = 3.99...: even at 3 account 13 would lose 1 USDC with 0.2 to lose, so it
        // takes the lot at the oracle price, 2, the furthest from it that its equity pays for (0.2 / (1 x 1 USDC)
        // whole ticks: none).
        final Run run = liquidate("45");
        assertTrue(run.events.contains("\"type\":\"positionTransferred\",\"market\":\"COARSE\",\"from\":10," +
            "\"to\":13,\"side\":\"buy\",\"price\":\"2\",\"size\":\"1\",\"autoDeleveraged\":true"), run.events);
        assertEquals(200_000L, run.matcher.account(13).collateralMicros(), "account 13 keeps its equity of 0.2 USDC");
        // OTHER: bound 45 * 1.995... = 89.79...; account 14 (equity some 999 USDC) takes the 10 lots at 89.
        assertTrue(run.events.contains("\"type\":\"positionTransferred\",\"market\":\"OTHER\",\"from\":10,\"to\":14," +
            "\"side\":\"buy\",\"price\":\"89\",\"size\":\"10\",\"autoDeleveraged\":true"), run.events);
        // Account 10: Q = -901.8 + 2 + 890 = -9.8, covered by the fund.
        assertEquals(-9_700_000L, run.matcher.account(2).collateralMicros());
        assertEquals(0L, run.matcher.account(10).collateralMicros());
    }

    private static Run liquidate(final String otherFallsTo)
    {
        final Genesis genesis = Genesis.ofMarkets(List.of(
            MarketSpec.builder().id(1).symbol("COARSE").tickSize("1").lotSize("1").minSizeLots(1)
                .maxOrderSizeLots(100).maxPositionLots(100).margin(100_000, 50_000).build(),
            MarketSpec.builder().id(2).symbol("OTHER").tickSize("1").lotSize("1").minSizeLots(1)
                .maxOrderSizeLots(100).maxPositionLots(100).margin(100_000, 50_000).build()));
        final JsonSimulation simulation = new JsonSimulation(MarginGoldenTest.context(), genesis, new StringBuilder());
        final List<String> commands = new ArrayList<>(List.of(
            "{\"cmd\":\"oracle\",\"market\":\"COARSE\",\"price\":\"2\"}",
            "{\"cmd\":\"oracle\",\"market\":\"OTHER\",\"price\":\"100\"}",
            "{\"cmd\":\"deposit\",\"account\":2,\"amount\":\"0.1\"}",
            "{\"cmd\":\"deposit\",\"account\":10,\"amount\":\"100.2\"}",
            "{\"cmd\":\"deposit\",\"account\":13,\"amount\":\"0.2\"}",
            "{\"cmd\":\"deposit\",\"account\":14,\"amount\":\"1000\"}",
            "{\"cmd\":\"place\",\"account\":13,\"market\":\"COARSE\",\"side\":\"sell\",\"price\":\"2\",\"size\":\"1\"," +
                "\"clientId\":\"s13\"}",
            "{\"cmd\":\"place\",\"account\":10,\"market\":\"COARSE\",\"side\":\"buy\",\"price\":\"2\",\"size\":\"1\"," +
                "\"clientId\":\"b10\"}",
            "{\"cmd\":\"place\",\"account\":14,\"market\":\"OTHER\",\"side\":\"sell\",\"price\":\"100\"," +
                "\"size\":\"10\",\"clientId\":\"s14\"}",
            "{\"cmd\":\"place\",\"account\":10,\"market\":\"OTHER\",\"side\":\"buy\",\"price\":\"100\"," +
                "\"size\":\"10\",\"clientId\":\"b10o\"}",
            "{\"cmd\":\"oracle\",\"market\":\"OTHER\",\"price\":\"" + otherFallsTo + "\"}"));
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < commands.size(); i++)
        {
            final int before = out.length();
            simulation.execute(commands.get(i), i + 1, out);
            assertTrue(out.indexOf("\"type\":\"rejected\"", before) < 0, out.substring(before));
            // Conservation of collateral, and nobody but the fund below maintenance or owing without a position.
            MarginInvariants.check(simulation.matcher());
        }
        assertTrue(out.toString().contains("\"type\":\"liquidation\",\"account\":10,"), out.toString());
        return new Run(simulation.matcher(), out.toString());
    }

    private record Run(Matcher matcher, String events)
    {
    }
}
