package io.rollbook.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time (user and system) the pipeline's threads spend per command over a run: the matcher thread, the journal
 * thread and the producers. Throughput on this shared 2-core machine swings with whatever else runs, while the CPU
 * each thread spends per command swings far less, so this is the figure to compare two builds by.
 *
 * <p>The matcher and journal threads are found by name and read from the benchmark's main thread; producers end
 * before the run is read, so each adds its own time as it finishes.
 */
final class ThreadCpu
{
    private static final String MATCHER = "rollbook-matcher";
    private static final String JOURNAL = "rollbook-journal";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final AtomicLong producerNs = new AtomicLong();
    private long matcherStartNs;
    private long journalStartNs;
    private long matcherEndNs;
    private long journalEndNs;

    void start()
    {
        matcherStartNs = cpuOf(MATCHER);
        journalStartNs = cpuOf(JOURNAL);
    }

    void stop()
    {
        matcherEndNs = cpuOf(MATCHER);
        journalEndNs = cpuOf(JOURNAL);
    }

    /**
     * Called by a producer thread as it finishes.
     */
    void producerDone()
    {
        producerNs.addAndGet(threads.getCurrentThreadCpuTime());
    }

    String perCommand(final long commands)
    {
        return String.format("CPU ns per command: matcher thread %.0f, journal thread %.0f, producers %.0f",
            (matcherEndNs - matcherStartNs) / (double)commands, (journalEndNs - journalStartNs) / (double)commands,
            producerNs.get() / (double)commands);
    }

    private long cpuOf(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return threads.getThreadCpuTime(thread.getId());
            }
        }
        throw new IllegalStateException("no thread named " + name);
    }
}
