package io.rollbook.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.matcher.JsonSimulation;
import org.junit.jupiter.api.Test;

/**
 * {@code rollbook simulate}'s input as files come: a line that is not UTF-8 text among good ones gets its own error
 * line, and the lines after it still run.
 */
class SimulateInputTest
{
    private static final String DEPOSIT = "{\"cmd\":\"deposit\",\"account\":11,\"amount\":\"100000\"}";

    @Test
    void aLineThatIsNotUtf8IsAnErrorLineAndTheLinesAfterItRun() throws IOException
    {
        final ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes((DEPOSIT + "\n").getBytes(StandardCharsets.UTF_8));
        input.writeBytes(new byte[] {'{', '"', (byte)0xff, '"', '}', '\n'});
        input.writeBytes(("# a comment\n" + DEPOSIT.replace("11", "12") + "\n").getBytes(StandardCharsets.UTF_8));

        final RollbookConfig configuration = RollbookConfig.load(null);
        final StringBuilder genesis = new StringBuilder();
        final JsonSimulation simulation =
            new JsonSimulation(configuration.matcherContext(), configuration.genesis(), genesis);
        final int genesisLines = (int)genesis.chars().filter(c -> c == '\n').count();
        final StringWriter written = new StringWriter();

        final boolean allValid = SimulateCommand.simulate(simulation, new ByteArrayInputStream(input.toByteArray()),
            new StringBuilder(), written);

        assertFalse(allValid);
        final String[] lines = written.toString().split("\n");
        assertEquals("{\"line\":2,\"type\":\"error\",\"message\":\"not UTF-8 text: byte 0xff at byte 3 of the line\"}",
            lines[1]);
        assertTrue(lines[0].startsWith("{\"seq\":" + (genesisLines + 1) + ",") && lines[0].contains("\"account\":11"),
            lines[0]);
        assertTrue(lines[2].startsWith("{\"seq\":" + (genesisLines + 2) + ",") && lines[2].contains("\"account\":12"),
            lines[2]);
        assertEquals(3, lines.length, written.toString());
    }
}
