package io.rollbook.bench;

import java.io.PrintStream;

import org.HdrHistogram.Histogram;

/**
 * The one line every Rollbook benchmark ends with, so scripts and docs/BENCHMARKS.md can rely on its shape:
 * {@code RESULT <name> ops_per_s=<n> p50_ns=<n> p99_ns=<n> p999_ns=<n>}.
 */
public final class BenchmarkReport
{
    private BenchmarkReport()
    {
    }

    public static String resultLine(final String name, final double opsPerSecond, final Histogram latencyNs)
    {
        return "RESULT " + name +
            " ops_per_s=" + Math.round(opsPerSecond) +
            " p50_ns=" + latencyNs.getValueAtPercentile(50) +
            " p99_ns=" + latencyNs.getValueAtPercentile(99) +
            " p999_ns=" + latencyNs.getValueAtPercentile(99.9);
    }

    public static void printResult(
        final PrintStream out, final String name, final double opsPerSecond, final Histogram latencyNs)
    {
        out.println(resultLine(name, opsPerSecond, latencyNs));
    }

    /**
     * @return a histogram for latencies in nanoseconds up to one minute, 3 significant digits
     */
    public static Histogram newLatencyHistogram()
    {
        return new Histogram(60_000_000_000L, 3);
    }
}
