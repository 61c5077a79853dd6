package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import io.rollbook.app.RollbookMain;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollbook load} against a running service, as a market maker starts it: a setup the service refuses is
 * named with the service's reason at once, instead of waiting out the setup's timeout for acks that never come.
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
}
