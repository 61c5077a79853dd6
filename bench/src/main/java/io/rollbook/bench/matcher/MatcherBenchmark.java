package io.rollbook.bench.matcher;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import io.rollbook.bench.BenchmarkReport;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Measures the matcher alone on one thread: a pre-generated command stream fed straight to
 * {@link Matcher#execute}, each command's events encoded into a buffer as the pipeline would. No network, no
 * journal, no ring. Throughput comes from timing whole runs (median of several, each on a fresh matcher that
 * starts from the same book); latency from a separate run that times every command with {@link System#nanoTime},
 * so its figures include the clock's own cost (a few tens of nanoseconds on this machine).
 */
public final class MatcherBenchmark
{
    private final MatcherMix mix;
    private final int commands;
    private final int warmupRuns;
    private final int measuredRuns;
    private final long seed;
    private final PrintStream log;
    private final UnsafeBuffer eventBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
    private final EventWriter events = new EventWriter();

    public MatcherBenchmark(
        final MatcherMix mix,
        final int commands,
        final int warmupRuns,
        final int measuredRuns,
        final long seed,
        final PrintStream log)
    {
        this.mix = mix;
        this.commands = commands;
        this.warmupRuns = warmupRuns;
        this.measuredRuns = measuredRuns;
        this.seed = seed;
        this.log = log;
    }

    /**
     * Runs the benchmark and returns its RESULT line.
     */
    public String run()
    {
        log.printf("%s: generating %,d commands (seed %d) ...%n", mix.resultName(), commands, seed);
        final CommandStream stream = MixGenerator.generate(mix, seed, commands);
        final int timed = stream.count() - stream.setupCount();
        log.printf("%s: %,d timed commands after %,d setup commands; mix %s%n",
            mix.resultName(), timed, stream.setupCount(), describeMix(stream));

        for (int i = 0; i < warmupRuns; i++)
        {
            final double opsPerSecond = throughputRun(stream);
            log.printf("%s: warm-up %d: %,.0f commands/s%n", mix.resultName(), i + 1, opsPerSecond);
        }
        final double[] runs = new double[measuredRuns];
        for (int i = 0; i < measuredRuns; i++)
        {
            runs[i] = throughputRun(stream);
            log.printf("%s: run %d: %,.0f commands/s%n", mix.resultName(), i + 1, runs[i]);
        }
        Arrays.sort(runs);
        final double median = runs[runs.length / 2];

        final Histogram latency = BenchmarkReport.newLatencyHistogram();
        latencyRun(stream, latency);
        log.printf("%s: latency per command (ns): mean %.0f, max %d%n",
            mix.resultName(), latency.getMean(), latency.getMaxValue());

        return BenchmarkReport.resultLine(mix.resultName(), median, latency);
    }

    private double throughputRun(final CommandStream stream)
    {
        final Matcher matcher = setUp(stream);
        final DirectBuffer buffer = stream.buffer();
        final int end = stream.length();
        long sequence = stream.setupCount();
        int offset = stream.setupLength();

        final long start = System.nanoTime();
        while (offset < end)
        {
            final int length = CommandStream.commandLength(buffer, offset);
            events.wrap(eventBuffer, 0);
            matcher.execute(++sequence, sequence, buffer, offset, length, events);
            offset += length;
        }
        final long elapsedNs = System.nanoTime() - start;

        return (stream.count() - stream.setupCount()) * 1e9 / elapsedNs;
    }

    private void latencyRun(final CommandStream stream, final Histogram latency)
    {
        final Matcher matcher = setUp(stream);
        final DirectBuffer buffer = stream.buffer();
        final int end = stream.length();
        long sequence = stream.setupCount();
        int offset = stream.setupLength();
        while (offset < end)
        {
            final int length = CommandStream.commandLength(buffer, offset);
            events.wrap(eventBuffer, 0);
            final long start = System.nanoTime();
            matcher.execute(++sequence, sequence, buffer, offset, length, events);
            latency.recordValue(System.nanoTime() - start);
            offset += length;
        }
    }

    private Matcher setUp(final CommandStream stream)
    {
        System.gc();
        final Matcher matcher = new Matcher(MixGenerator.context(mix));
        final DirectBuffer buffer = stream.buffer();
        int offset = 0;
        for (long sequence = 1; sequence <= stream.setupCount(); sequence++)
        {
            final int length = CommandStream.commandLength(buffer, offset);
            events.wrap(eventBuffer, 0);
            matcher.execute(sequence, sequence, buffer, offset, length, events);
            offset += length;
        }

        return matcher;
    }

    private static String describeMix(final CommandStream stream)
    {
        final int[] byTemplate = new int[16];
        final DirectBuffer buffer = stream.buffer();
        int offset = stream.setupLength();
        while (offset < stream.length())
        {
            final int templateId = buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset()) & 0xFFFF;
            byTemplate[Math.min(templateId, byTemplate.length - 1)]++;
            offset += CommandStream.commandLength(buffer, offset);
        }
        final double total = stream.count() - stream.setupCount();
        return String.format("place %.1f%%, cancel %.1f%%, amend %.1f%%, deposit %.2f%%, oracle %.2f%%; " +
            "%,d liquidations",
            100 * byTemplate[1] / total, 100 * byTemplate[2] / total, 100 * byTemplate[3] / total,
            100 * byTemplate[5] / total, 100 * byTemplate[7] / total, stream.liquidations());
    }
}
