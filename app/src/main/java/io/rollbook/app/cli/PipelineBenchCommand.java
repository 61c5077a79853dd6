package io.rollbook.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rollbook.bench.pipeline.PipelineBenchmark;
import io.rollbook.journal.SyncPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench pipeline}: producers, ring, matcher and journal on disk, measured from publish to
 * release.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
        "The whole pipeline with the journal on: producer threads -> Disruptor ring -> matcher thread -> journal " +
            "thread (Chronicle Queue on disk) -> release. exchange-core's command mix.",
        "Throughput is the median of the measured runs at full speed; latency percentiles come from a run at a " +
            "fixed rate, from each command's due time to its release (after its batch is journaled).",
        "Without --sync it runs sync batch (RESULT pipeline-sync-batch), then sync none (RESULT pipeline), so the " +
            "RESULT pipeline line is printed last."})
public final class PipelineBenchCommand implements Callable<Integer>
{
    @Option(names = "--commands", defaultValue = "3000000", description = "Timed commands per run (default ${DEFAULT-VALUE})")
    private int commands;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up runs (default ${DEFAULT-VALUE})")
    private int warmupRuns;

    @Option(names = "--runs", defaultValue = "5", description = "Measured runs; the median counts (default ${DEFAULT-VALUE})")
    private int measuredRuns;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--producers", defaultValue = "1", description = "Publishing threads (default ${DEFAULT-VALUE})")
    private int producers;

    @Option(names = "--latency-rate", defaultValue = "500000",
        description = "Commands per second in the latency run (default ${DEFAULT-VALUE})")
    private long latencyRate;

    @Option(names = "--sync", description = "Only this sync policy: none or batch (default: batch, then none)")
    private String sync;

    @Option(names = "--commitments",
        description = "Run the commitment builder beside the pipeline, as the service does, and report how far " +
            "behind it falls")
    private boolean commitments;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Keep the journal of the last measured sync-none run here (must not hold a journal yet)")
    private Path data;

    @Override
    public Integer call()
    {
        if (producers < 1 || commands < 1 || measuredRuns < 1 || warmupRuns < 0 || latencyRate < 1)
        {
            throw new IllegalArgumentException("--producers, --commands, --runs and --latency-rate must be positive, " +
                "--warmup not negative");
        }
        final SyncPolicy only = sync == null ? null : SyncCommands.parse(sync);
        if (only == null || only == SyncPolicy.BATCH)
        {
            System.out.println(new PipelineBenchmark(commands, warmupRuns, measuredRuns, seed, producers,
                SyncPolicy.BATCH, latencyRate, only == SyncPolicy.BATCH ? data : null, System.err)
                .commitments(commitments).run());
        }
        if (only == null || only == SyncPolicy.NONE)
        {
            System.out.println(new PipelineBenchmark(commands, warmupRuns, measuredRuns, seed, producers,
                SyncPolicy.NONE, latencyRate, data, System.err).commitments(commitments).run());
        }
        return 0;
    }
}
