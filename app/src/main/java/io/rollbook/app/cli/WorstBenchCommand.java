package io.rollbook.app.cli;

import java.util.concurrent.Callable;

import io.rollbook.bench.worst.WorstCaseBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench matcher-worst}: the matcher's cost per command on adversarial but legal input, one line per
 * probe, then the RESULT line over all of them.
 */
@Command(
    name = "matcher-worst",
    mixinStandardHelpOptions = true,
    description = {
        "The matcher's worst case per command, within the default limits (1,000 open orders per account, " +
            "1,000,000 resting orders): books of 10,000 and 100,000 price levels (orders placed, canceled and " +
            "amended at the far end, in the middle and near the best), a queue of 100,000 orders at one price, a " +
            "mass cancel of 1,000 orders on 1,000 levels, a market order through 5,000 levels, self-trade " +
            "prevention against 1,000 own orders, unfillable fill-or-kill orders walking whole books, liquidation " +
            "cascades of 1,000 and 10,000 accounts in one oracle update, funding ticks and oracle updates over " +
            "100,000 positions in one market and 10,000 accounts in two.",
        "Prints WORST <scenario> <probe> samples=.. p50_ns=.. p999_ns=.. max_ns=.. events=.. per probe, then " +
            "RESULT matcher-worst over all probes."})
public final class WorstBenchCommand implements Callable<Integer>
{
    @Option(names = "--samples", defaultValue = "2000",
        description = "Timed samples per cheap probe; probes that rebuild 1,000 orders or more take a tenth " +
            "(default ${DEFAULT-VALUE})")
    private int samples;

    @Option(names = "--scenario", description = "Run only the scenarios whose name starts with this (deep-10k, " +
        "deep-100k, queue-100k, mass-cancel-100k, sweep-5000, self-trade, fok-, cascade-, funding-)")
    private String scenario;

    @Override
    public Integer call()
    {
        if (samples < 1)
        {
            throw new IllegalArgumentException("--samples must be positive, got " + samples);
        }
        for (final String line : new WorstCaseBenchmark(samples, scenario, System.err).run())
        {
            System.out.println(line);
        }
        return 0;
    }
}
