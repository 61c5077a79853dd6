package io.rollbook.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rollbook.bench.views.ViewSnapshotBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench views}: how long the release thread pauses to encode a view snapshot of a data directory's
 * views.
 */
@Command(
    name = "views",
    mixinStandardHelpOptions = true,
    description = {
        "Reads the gateway's views of --data as a start does (from its newest view snapshot, else from genesis), " +
            "then times their encoding into a reused buffer, as the release thread does for a view snapshot; every " +
            "encoding's CRC-32 must equal the first's, which is printed.",
        "Throughput: bytes encoded per second, median encoding; the latency percentiles are the pause of each " +
            "measured encoding. RESULT views."})
public final class ViewsBenchCommand implements Callable<Integer>
{
    @Option(names = "--data", required = true, description = "The data directory whose journal gives the views")
    private Path data;

    @Option(names = "--market-capacity", defaultValue = "256",
        description = "The matcher's market capacity (default ${DEFAULT-VALUE})")
    private int marketCapacity;

    @Option(names = "--ended-orders", defaultValue = "1000000",
        description = "gateway.endedOrdersRemembered (default ${DEFAULT-VALUE})")
    private int endedOrders;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up encodings (default ${DEFAULT-VALUE})")
    private int warmupRuns;

    @Option(names = "--runs", defaultValue = "11", description = "Measured encodings (default ${DEFAULT-VALUE})")
    private int measuredRuns;

    @Override
    public Integer call()
    {
        if (marketCapacity < 1 || endedOrders < 1 || warmupRuns < 0 || measuredRuns < 1)
        {
            throw new IllegalArgumentException("--market-capacity, --ended-orders and --runs must be positive, " +
                "--warmup not negative");
        }
        System.out.println(new ViewSnapshotBenchmark(data, marketCapacity, endedOrders, warmupRuns, measuredRuns,
            System.err).run());
        return 0;
    }
}
