package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rollbook.app.RollbookMain;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollbook load} against a running service, as a market maker starts it: a setup the service refuses is
 * named with the service's reason at once, instead of waiting out the setup's timeout for acks that never come; a
 * key the service refuses is named with the key file it came from.
 */
@Tag("system")
class LoadSetupSystemTest
{
    @TempDir
    Path work;

    @Test
    void aMarketTheServiceDoesNotDefineIsNamedWithTheGatewaysReason() throws Exception
    {
        try (RunProcess run = RunProcess.start(work.resolve("data")))
        {
            final StringWriter err = new StringWriter();
            final var commandLine = RollbookMain.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            final int exit = commandLine.execute("load", "--port", Integer.toString(run.port("binary:")),
                "--market", "9", "--warmup", "0", "--duration", "1");
            assertEquals(2, exit, err.toString());
            assertEquals("rollbook load: the operator's setup (the oracle price of market 9, the bots' deposits) was " +
                "rejected: UNKNOWN_MARKET (market 9 is not defined)" + System.lineSeparator(), err.toString());
        }
    }

    @Test
    void aKeyTheTraderApiRefusesIsNamedWithItsAccountAndKeyFile() throws Exception
    {
        // Account 101 signing with account 102's key: the operator's setup passes, the account's first request is refused.
        final String demo = Files.readString(Path.of("..", "config", "demo-keys.json"));
        final String key102 = "6e9a50b0ec614319530fb0eeea7340def4757ca0e35d932df48ee89c43d18b2c";
        final String key101 = "27f8d0a4a564a306e93e8caf455a74fa9948c2c2a8cc2df49f14cf183a663397";
        assertTrue(demo.contains(key101) && demo.contains(key102), "the demo keys changed");
        final Path keys = Files.writeString(work.resolve("wrong-keys.json"), demo.replace(key101, key102));
        try (RunProcess run = RunProcess.start(work.resolve("data")))
        {
            final StringWriter err = new StringWriter();
            final var commandLine = RollbookMain.commandLine();
            commandLine.setErr(new PrintWriter(err, true));
            final int exit = commandLine.execute("load-rest", "--port", Integer.toString(run.port("http:")),
                "--keys", keys.toString(), "--connections", "1", "--warmup", "0", "--duration", "1");
            assertEquals(2, exit, err.toString());
            assertTrue(err.toString().startsWith("rollbook load-rest: connection 0 failed: "), err.toString());
            assertTrue(err.toString().contains(" answered 401: {\"code\":\"BAD_SIGNATURE\""), err.toString());
            assertTrue(err.toString().endsWith(" (Rollbook-Account 101, with the key from " + keys + ")" +
                System.lineSeparator()), err.toString());
        }
    }
}
