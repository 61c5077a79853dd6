package io.rollbook.app.cli;

import java.util.concurrent.Callable;

import io.rollbook.client.LocalOrderBookBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench client-book}: the client library's local order book alone, on a deep ladder.
 */
@Command(
    name = "client-book",
    mixinStandardHelpOptions = true,
    description = {
        "The client library's LocalOrderBook alone on one thread, as a market maker's polling thread drives it: " +
            "a snapshot of a ladder of --levels price levels a side, then seeded level changes (levels opened " +
            "and closed far from the touch and among the best five, sizes changed at any depth), each followed " +
            "by the reads of a quoter (best bid and ask, the sizes of the best five levels of each side).",
        "The last line is RESULT client-book (ops_per_s: changes a second, the median of --runs passes; the " +
            "percentiles: one change with its reads, timed alone)."})
public final class ClientBookBenchCommand implements Callable<Integer>
{
    @Option(names = "--levels", defaultValue = "50000",
        description = "Price levels a side, at most 65535 (what a snapshot carries) (default ${DEFAULT-VALUE})")
    private int levels;

    @Option(names = "--changes", defaultValue = "1000000", description = "Level changes a pass (default ${DEFAULT-VALUE})")
    private int changes;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up passes (default ${DEFAULT-VALUE})")
    private int warmupRuns;

    @Option(names = "--runs", defaultValue = "5", description = "Measured passes; the median counts (default ${DEFAULT-VALUE})")
    private int measuredRuns;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Override
    public Integer call()
    {
        System.out.println(new LocalOrderBookBenchmark(levels, changes, warmupRuns, measuredRuns, seed, System.err).run());
        return 0;
    }
}
