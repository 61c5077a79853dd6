package io.rollbook.matcher.margin;

import java.util.List;

import io.rollbook.matcher.JsonSimulation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rejected command changes nothing (docs/MATCHING.md): in particular it does not bring an account into being,
 * which would show in snapshots, state hashes and commitments.
 */
class RejectedCommandTest
{
    @Test
    void refusedOrdersAndDepositsCreateNoAccount()
    {
        final StringBuilder out = new StringBuilder();
        final JsonSimulation simulation =
            new JsonSimulation(MarginGoldenTest.context(), MarginGoldenTest.genesis(), new StringBuilder());
        final List<String> commands = List.of(
            "{\"cmd\":\"oracle\",\"market\":\"BTC-USD\",\"price\":\"100\"}",
            "{\"cmd\":\"place\",\"account\":20,\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"100\",\"size\":\"1\"," +
                "\"clientId\":1}",
            "{\"cmd\":\"place\",\"account\":21,\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"100\",\"size\":\"1\"," +
                "\"clientId\":1,\"tif\":\"fok\"}",
            "{\"cmd\":\"place\",\"account\":22,\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"100\",\"size\":\"1\"," +
                "\"clientId\":1,\"margin\":\"isolated\"}",
            "{\"cmd\":\"deposit\",\"account\":23,\"amount\":\"1000000000001\"}");
        for (int i = 0; i < commands.size(); i++)
        {
            simulation.execute(commands.get(i), i + 1, out);
        }
        final String events = out.toString();
        assertTrue(events.contains("\"reason\":\"INSUFFICIENT_MARGIN\",\"message\":\"insufficient margin: " +
            "short by 10 USDC\",\"detail\":10000000,\"account\":20") && events.contains("\"reason\":\"FOK_NOT_FILLABLE\"") &&
            events.contains("\"reason\":\"AMOUNT_TOO_LARGE\""), events);
        for (int account = 20; account <= 23; account++)
        {
            assertNull(simulation.matcher().account(account), "account " + account + " exists after:\n" + events);
        }
    }
}
