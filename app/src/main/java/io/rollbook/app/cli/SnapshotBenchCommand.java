package io.rollbook.app.cli;

import java.util.concurrent.Callable;

import io.rollbook.bench.snapshot.SnapshotBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench snapshot}: how long the matcher thread pauses to encode a snapshot of a large state (the
 * snapshot follower's work instead, with {@code sequencer.snapshotFollower}).
 */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {
        "Builds a large matcher state by commands (accounts with positions, resting orders in a few markets), then " +
            "times Matcher.writeSnapshot into a reused buffer, as the matcher thread does at a batch boundary.",
        "Throughput: resting orders encoded per second, median encoding; the latency percentiles are the pause of " +
            "each measured encoding. RESULT snapshot."})
public final class SnapshotBenchCommand implements Callable<Integer>
{
    @Option(names = "--orders", defaultValue = "1000000", description = "Resting orders (default ${DEFAULT-VALUE})")
    private int orders;

    @Option(names = "--accounts", defaultValue = "100000",
        description = "Accounts, each with a position (default ${DEFAULT-VALUE})")
    private int accounts;

    @Option(names = "--markets", defaultValue = "4", description = "Markets (default ${DEFAULT-VALUE})")
    private int markets;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up encodings (default ${DEFAULT-VALUE})")
    private int warmupRuns;

    @Option(names = "--runs", defaultValue = "11", description = "Measured encodings (default ${DEFAULT-VALUE})")
    private int measuredRuns;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call()
    {
        if (orders < 0 || accounts < 2 || markets < 1 || measuredRuns < 1 || warmupRuns < 0)
        {
            throw new IllegalArgumentException("--orders and --warmup must not be negative, --accounts at least 2, " +
                "--markets and --runs positive");
        }
        System.out.println(new SnapshotBenchmark(markets, accounts, orders, warmupRuns, measuredRuns, seed,
            System.err).run());
        return 0;
    }
}
