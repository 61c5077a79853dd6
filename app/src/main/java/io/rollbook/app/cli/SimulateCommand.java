package io.rollbook.app.cli;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.matcher.JsonSimulation;
import io.rollbook.protocol.Utf8Lines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook simulate}: commands in, events out, through the matcher alone (no network, no journal).
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a JSON-lines command file through the matcher in-process and writes every event as a JSON line " +
            "to standard output (format: docs/JSON.md).",
        "The configured fee tiers, markets and accounts are set up first, as at genesis. Blank lines and lines starting with # are " +
            "skipped. A line that is not a valid command yields an \"error\" line and exit status 1; the rest " +
            "still run."})
public final class SimulateCommand implements Callable<Integer>
{
    @Option(names = "--input", required = true, paramLabel = "FILE.jsonl", description = "Commands, one JSON object a line")
    private Path input;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration (default: the embedded one)")
    private Path config;

    @Override
    public Integer call() throws IOException
    {
        final RollbookConfig configuration = RollbookConfig.load(config);
        if (Files.isDirectory(input))
        {
            throw new FileSystemException(input.toString(), null, "a directory, not a command file");
        }
        final Writer writer = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(input), 1 << 16))
        {
            final StringBuilder out = new StringBuilder(64 * 1024);
            final JsonSimulation simulation =
                new JsonSimulation(configuration.matcherContext(), configuration.genesis(), out);
            return simulate(simulation, in, out, writer) ? 0 : 1;
        }
        finally
        {
            writer.flush();
        }
    }

    /**
     * Runs every command line of {@code in} and writes the events, or an error line, of each to {@code writer},
     * after what {@code out} already holds.
     *
     * @return true if every line that is not blank or a comment became a command
     */
    static boolean simulate(
        final JsonSimulation simulation, final InputStream in, final StringBuilder out, final Writer writer)
        throws IOException
    {
        final Utf8Lines lines = new Utf8Lines(in);
        boolean allValid = true;
        int lineNumber = 0;
        while (lines.next())
        {
            lineNumber++;
            if (lines.text() == null)
            {
                JsonSimulation.refuse(lineNumber, lines.problem(), out);
                allValid = false;
                continue;
            }
            final String trimmed = lines.text().strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#"))
            {
                continue;
            }
            allValid &= simulation.execute(trimmed, lineNumber, out);
            if (out.length() > 32 * 1024)
            {
                writer.append(out);
                out.setLength(0);
            }
        }
        writer.append(out);

        return allValid;
    }
}
