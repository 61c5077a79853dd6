package io.rollbook.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import io.rollbook.app.RollbookMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad arguments, as an operator types them: exit code 2, the error first and short (the synopsis and where the help
 * is, not the whole help), every unknown option named, an empty path refused rather than taken as the working
 * directory, a port option out of range named by the option. Nothing is written.
 */
class CommandLineErrorsTest
{
    @TempDir
    Path work;

    private record Outcome(int exit, String err)
    {
    }

    private static Outcome execute(final String... args)
    {
        final CommandLine commandLine = RollbookMain.commandLine();
        final StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        commandLine.setOut(new PrintWriter(new StringWriter()));
        final int exit = commandLine.execute(args);
        return new Outcome(exit, err.toString());
    }

    @Test
    void anUnknownOptionIsNamedEvenWhenARequiredOneIsMissingAndTheErrorIsNotBuriedUnderTheHelp()
    {
        final Outcome simulate = execute("simulate", "--bogus");
        assertEquals(2, simulate.exit);
        assertTrue(simulate.err.startsWith("rollbook simulate: Missing required option: '--input=FILE.jsonl'\n" +
            "rollbook simulate: unknown argument(s): --bogus\n"), simulate.err);
        assertTrue(simulate.err.endsWith("Run 'rollbook simulate --help' for every option.\n"), simulate.err);
        assertTrue(simulate.err.lines().count() <= 4, simulate.err);

        final Outcome run = execute("run", "--bogus");
        assertEquals(2, run.exit);
        assertTrue(run.err.startsWith("rollbook run: Unknown option: '--bogus'\n"), "[" + run.err + "]");
        assertTrue(run.err.contains("\nUsage: rollbook run [-hV] "), run.err);
        assertFalse(run.err.contains("DEMO ONLY"), "not the whole help: " + run.err);
    }

    @Test
    void anEmptyPathIsRefusedNotTakenAsTheWorkingDirectory() throws Exception
    {
        for (final String option : new String[] {"--data", "--config"})
        {
            final Outcome outcome = execute("run", option, "");
            assertEquals(2, outcome.exit, outcome.err);
            assertTrue(outcome.err.startsWith("rollbook run: Invalid value for option '" + option + "': an empty " +
                "path names no file or directory"), outcome.err);
        }
        final Outcome audit = execute("audit", "--data", " ");
        assertEquals(2, audit.exit, audit.err);
    }

    @Test
    void aPortOptionOutOfRangeIsNamedByTheOption() throws Exception
    {
        final Path data = work.resolve("data");
        final Outcome port = execute("run", "--data", data.toString(), "--port", "70000");
        assertEquals(2, port.exit);
        assertEquals("rollbook run: --port must be from 0 to 65535 (0: any free port), got 70000\n", port.err);
        final Outcome httpPort = execute("run", "--data", data.toString(), "--http-port", "-1");
        assertEquals(2, httpPort.exit);
        assertEquals("rollbook run: --http-port must be from 0 to 65535 (0: any free port), got -1\n", httpPort.err);
        assertFalse(Files.exists(data));
    }

    @Test
    void aDirectoryGivenForAFileIsNamed()
    {
        final Outcome simulate = execute("simulate", "--input", work.toString());
        assertEquals(2, simulate.exit);
        assertEquals("rollbook simulate: " + work + ": a directory, not a command file\n", simulate.err);
    }
}
