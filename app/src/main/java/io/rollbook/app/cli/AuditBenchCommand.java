package io.rollbook.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rollbook.bench.audit.AuditBenchmark;
import io.rollbook.bench.matcher.MatcherMix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench audit}: how fast the audit re-executes and verifies a journal.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
        "Writes a journal with the service (commitments on), then audits it from genesis several times: every " +
            "command re-executed and its events compared, leaves against the matcher's state, conservation after " +
            "every batch, every root recomputed and compared.",
        "Throughput: commands audited per second, median of the measured runs; the latency percentiles are the " +
            "time to audit one batch. RESULT audit for exchange-core's mix, audit-margin for the margin mix."})
public final class AuditBenchCommand implements Callable<Integer>
{
    @Option(names = "--commands", defaultValue = "3000000",
        description = "Commands after the setup (default ${DEFAULT-VALUE})")
    private int commands;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up audits (default ${DEFAULT-VALUE})")
    private int warmupRuns;

    @Option(names = "--runs", defaultValue = "5",
        description = "Measured audits; the median counts (default ${DEFAULT-VALUE})")
    private int measuredRuns;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--mix", defaultValue = "EXCHANGE_CORE",
        description = "Command mix: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
    private MatcherMix mix;

    @Option(names = "--batch-max-commands", defaultValue = "2048",
        description = "The service's batch limit while the journal is written (default ${DEFAULT-VALUE})")
    private int batchMaxCommands;

    @Option(names = "--data", paramLabel = "DIR", description = "Keep the journal here (must not hold a journal yet)")
    private Path data;

    @Override
    public Integer call()
    {
        if (commands < 1 || measuredRuns < 1 || warmupRuns < 0 || batchMaxCommands < 1)
        {
            throw new IllegalArgumentException("--commands, --runs and --batch-max-commands must be positive, " +
                "--warmup not negative");
        }
        System.out.println(new AuditBenchmark(mix, commands, warmupRuns, measuredRuns, seed, batchMaxCommands, data,
            System.err).run());
        return 0;
    }
}
