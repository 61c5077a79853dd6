package io.rollbook.bench.hiccup;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.rollbook.bench.BenchmarkReport;
import org.HdrHistogram.Histogram;

/**
 * How late this machine runs a thread that asks to run, with nothing of Rollbook in it: the part of every latency
 * figure that no code of ours can remove.
 *
 * <p>Each of {@code threads} meter threads parks until a fixed schedule says it should run again (every
 * {@code intervalUs}) and records how late it actually runs: the delay a woken pipeline thread or a paced load
 * generator meets on this machine before doing any work, from timers, the scheduler, other kernel work and, on a
 * virtual machine, the host. {@code busy} more threads spin meanwhile, so the meters can be timed on a machine
 * whose cores are taken, as they are under load. A meter that wakes later than a whole interval records every
 * wake it missed, each late by what it missed by, as a paced sender would (no coordinated omission).
 */
public final class HiccupMeter
{
    /** A wake this late counts as a stall in the log. */
    private static final long STALL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Options options;
    private final PrintStream log;

    /**
     * What to run. Public fields, as the command line fills them.
     */
    public static final class Options
    {
        public int threads = 1;
        public int busy;
        public long intervalUs = 100;
        public int warmupSeconds = 1;
        public int durationSeconds = 10;
    }

    public HiccupMeter(final Options options, final PrintStream log)
    {
        if (options.threads < 1 || options.busy < 0 || options.intervalUs < 1 || options.durationSeconds < 1 ||
            options.warmupSeconds < 0)
        {
            throw new IllegalArgumentException("threads, interval and duration must be positive, busy threads and " +
                "warm-up not negative");
        }
        this.options = options;
        this.log = log;
    }

    /**
     * @return the RESULT line: wakes per second across the meters and how late they ran
     */
    public String run() throws InterruptedException
    {
        final long startNs = System.nanoTime();
        final long measureFromNs = startNs + TimeUnit.SECONDS.toNanos(options.warmupSeconds);
        final long measureToNs = measureFromNs + TimeUnit.SECONDS.toNanos(options.durationSeconds);
        final Thread[] spinners = new Thread[options.busy];
        for (int i = 0; i < spinners.length; i++)
        {
            spinners[i] = new Thread(() -> spinUntil(measureToNs), "rollbook-hiccup-busy-" + i);
            spinners[i].setDaemon(true);
            spinners[i].start();
        }
        final Meter[] meters = new Meter[options.threads];
        final Thread[] threads = new Thread[options.threads];
        final long intervalNs = TimeUnit.MICROSECONDS.toNanos(options.intervalUs);
        for (int i = 0; i < meters.length; i++)
        {
            meters[i] = new Meter(startNs + intervalNs * i / meters.length, intervalNs, measureFromNs, measureToNs);
            threads[i] = new Thread(meters[i], "rollbook-hiccup-" + i);
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        for (final Thread spinner : spinners)
        {
            spinner.join();
        }

        final Histogram lateness = BenchmarkReport.newLatencyHistogram();
        long stalls = 0;
        for (final Meter meter : meters)
        {
            lateness.add(meter.lateness);
            stalls += meter.stalls;
        }
        final double seconds = options.durationSeconds;
        log.printf("hiccup: %d meter thread(s) waking every %d us, %d busy thread(s), %d s measured: %,d wakes; " +
            "lateness (us) p50 %.1f, p99 %.1f, p99.9 %.1f, max %.1f; %.1f stalls of over 1 ms a second per meter%n",
            options.threads, options.intervalUs, options.busy, options.durationSeconds, lateness.getTotalCount(),
            lateness.getValueAtPercentile(50) / 1e3, lateness.getValueAtPercentile(99) / 1e3,
            lateness.getValueAtPercentile(99.9) / 1e3, lateness.getMaxValue() / 1e3,
            stalls / seconds / options.threads);
        return BenchmarkReport.resultLine("hiccup", lateness.getTotalCount() / seconds, lateness);
    }

    private static void spinUntil(final long untilNs)
    {
        while (System.nanoTime() < untilNs)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * One meter thread: parks until each scheduled wake and records how late it ran.
     */
    private static final class Meter implements Runnable
    {
        private final Histogram lateness = BenchmarkReport.newLatencyHistogram();
        private final long firstDueNs;
        private final long intervalNs;
        private final long measureFromNs;
        private final long measureToNs;
        private long stalls;

        Meter(final long firstDueNs, final long intervalNs, final long measureFromNs, final long measureToNs)
        {
            this.firstDueNs = firstDueNs;
            this.intervalNs = intervalNs;
            this.measureFromNs = measureFromNs;
            this.measureToNs = measureToNs;
        }

        @Override
        public void run()
        {
            long dueNs = firstDueNs;
            while (dueNs < measureToNs)
            {
                long nowNs = System.nanoTime();
                while (nowNs < dueNs)
                {
                    LockSupport.parkNanos(dueNs - nowNs);
                    nowNs = System.nanoTime();
                }
                final long lateNs = nowNs - dueNs;
                if (dueNs >= measureFromNs)
                {
                    lateness.recordValueWithExpectedInterval(lateNs, intervalNs);
                    if (lateNs > STALL_NS)
                    {
                        stalls++;
                    }
                }
                // The wakes missed meanwhile were recorded above; the next one is the first still ahead.
                dueNs += intervalNs;
                if (nowNs >= dueNs)
                {
                    dueNs += ((nowNs - dueNs) / intervalNs + 1) * intervalNs;
                }
            }
        }
    }
}
