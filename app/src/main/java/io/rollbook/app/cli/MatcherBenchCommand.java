package io.rollbook.app.cli;

import java.util.concurrent.Callable;

import io.rollbook.bench.matcher.MatcherBenchmark;
import io.rollbook.bench.matcher.MatcherMix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench matcher}: the matcher alone on one thread, for each command mix. The exchange-core mix
 * runs last, so its {@code RESULT matcher ...} line is the last line.
 */
@Command(
    name = "matcher",
    mixinStandardHelpOptions = true,
    description = {
        "The matcher alone on one thread: pre-generated commands straight into the state machine, events encoded.",
        "Mixes: the placement-heavy one (RESULT matcher-placement); the margin mix, exchange-core's commands with " +
            "limited collateral, half the accounts isolated, an oracle update every 1,000 commands and accounts " +
            "that get liquidated (RESULT matcher-margin); then exchange-core's published mix of 9%% GTC, 3%% IOC, " +
            "6%% cancels, 82%% amends on a book of about 1,000 orders and 2,000 accounts (RESULT matcher, last)."})
public final class MatcherBenchCommand implements Callable<Integer>
{
    @Option(names = "--commands", defaultValue = "3000000", description = "Timed commands per run (default ${DEFAULT-VALUE})")
    private int commands;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up runs (default ${DEFAULT-VALUE})")
    private int warmupRuns;

    @Option(names = "--runs", defaultValue = "5", description = "Measured runs; the median counts (default ${DEFAULT-VALUE})")
    private int measuredRuns;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--mix", description = "Run only this mix: ${COMPLETION-CANDIDATES}")
    private MatcherMix only;

    @Override
    public Integer call()
    {
        final MatcherMix[] order = {MatcherMix.PLACEMENT, MatcherMix.MARGIN, MatcherMix.EXCHANGE_CORE};
        for (final MatcherMix mix : order)
        {
            if (only == null || only == mix)
            {
                final String result = new MatcherBenchmark(mix, commands, warmupRuns, measuredRuns, seed, System.err).run();
                System.out.println(result);
            }
        }
        return 0;
    }
}
