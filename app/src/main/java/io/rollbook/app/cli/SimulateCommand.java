package io.rollbook.app.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.matcher.JsonSimulation;
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
        final StringBuilder out = new StringBuilder(64 * 1024);
        boolean allValid = true;
        final Writer writer = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8))
        {
            final JsonSimulation simulation =
                new JsonSimulation(configuration.matcherContext(), configuration.genesis(), out);
            int lineNumber = 0;
            String line;
            while ((line = reader.readLine()) != null)
            {
                lineNumber++;
                final String trimmed = line.strip();
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
        }
        finally
        {
            writer.flush();
        }

        return allValid ? 0 : 1;
    }
}
