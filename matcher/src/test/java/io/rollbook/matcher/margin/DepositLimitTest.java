package io.rollbook.matcher.margin;

import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deposits may take neither one balance nor the exchange's total, all deposits less all withdrawals, beyond one
 * trillion USDC. Money only moves between accounts, so fees and liquidation remainders of every account gather in
 * the fee account and the insurance fund: with only a bound per account, ten accounts at the limit held more than a
 * {@code long} can count, and the sums of money wrapped.
 */
class DepositLimitTest
{
    @Test
    void aDepositBeyondTheExchangeTotalIsRefusedWithTheRoomLeftAndAWithdrawalMakesRoom()
    {
        final List<String> events = run(
            deposit(10, "600000000000"),
            deposit(11, "500000000000"),
            deposit(11, "400000000000"),
            deposit(12, "0.000001"),
            "{\"cmd\":\"withdraw\",\"account\":10,\"amount\":\"100000000000\"}",
            deposit(12, "100000000000"));

        assertEquals(6, events.size(), String.join("\n", events));
        assertTrue(events.get(1).contains("\"reason\":\"AMOUNT_TOO_LARGE\"") &&
            events.get(1).contains("\"detail\":400000000000000000"), events.get(1));
        assertTrue(events.get(2).contains("\"type\":\"balance\""), events.get(2));
        assertTrue(events.get(3).contains("\"reason\":\"AMOUNT_TOO_LARGE\"") &&
            events.get(3).contains("\"detail\":0,"), events.get(3));
        assertTrue(events.get(5).contains("\"type\":\"balance\"") &&
            events.get(5).contains("\"collateral\":\"100000000000\""), events.get(5));
    }

    @Test
    void oneBalanceKeepsItsOwnLimit()
    {
        final List<String> events = run(deposit(10, "1000000000000"), deposit(10, "0.000001"));

        assertTrue(events.get(1).contains("\"reason\":\"AMOUNT_TOO_LARGE\""), String.join("\n", events));
    }

    private static List<String> run(final String... commands)
    {
        final JsonSimulation simulation =
            new JsonSimulation(MarginGoldenTest.context(), MarginGoldenTest.genesis(), new StringBuilder());
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < commands.length; i++)
        {
            assertTrue(simulation.execute(commands[i], i + 1, out), commands[i] + "\n" + out);
        }
        return List.of(out.toString().split("\n"));
    }

    private static String deposit(final int account, final String amount)
    {
        return "{\"cmd\":\"deposit\",\"account\":" + account + ",\"amount\":\"" + amount + "\"}";
    }
}
