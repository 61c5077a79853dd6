package io.rollbook.app.cli;

import java.util.concurrent.Callable;

import io.rollbook.bench.hiccup.HiccupMeter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench hiccup}: how late this machine runs a thread that asks to run.
 */
@Command(
    name = "hiccup",
    mixinStandardHelpOptions = true,
    description = {
        "How late this machine runs a thread, nothing of Rollbook in it: meter threads park until a fixed " +
            "schedule says run and record how late they run, optionally while busy threads take the cores.",
        "Every hand-off between the service's threads, and every paced send of ./rollbook load, meets this delay " +
            "before it does any work. The last line is RESULT hiccup (ops_per_s: wakes a second; the percentiles: " +
            "how late they were)."})
public final class HiccupBenchCommand implements Callable<Integer>
{
    @Option(names = "--threads", defaultValue = "1", description = "Meter threads (default ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--busy", defaultValue = "0",
        description = "Threads that spin meanwhile, to time a machine whose cores are taken (default ${DEFAULT-VALUE})")
    private int busy;

    @Option(names = "--interval-us", defaultValue = "100",
        description = "Microseconds between a meter's wakes (default ${DEFAULT-VALUE})")
    private long intervalUs;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE})")
    private int duration;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up seconds (default ${DEFAULT-VALUE})")
    private int warmup;

    @Override
    public Integer call() throws Exception
    {
        final HiccupMeter.Options options = new HiccupMeter.Options();
        options.threads = threads;
        options.busy = busy;
        options.intervalUs = intervalUs;
        options.durationSeconds = duration;
        options.warmupSeconds = warmup;
        System.out.println(new HiccupMeter(options, System.err).run());
        return 0;
    }
}
