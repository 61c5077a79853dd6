package io.rollbook.bench.views;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import io.rollbook.bench.BenchmarkReport;
import io.rollbook.gateway.view.JournalIndex;
import io.rollbook.gateway.view.ViewBootstrap;
import io.rollbook.gateway.view.ViewSnapshotEncoder;
import org.HdrHistogram.Histogram;
import org.agrona.ExpandableArrayBuffer;

/**
 * The release thread's pause for a view snapshot: the views of a data directory's journal are read as a start reads
 * them (from its newest view snapshot, else from genesis), then encoded again and again, as {@code ViewSnapshotter}
 * does at a batch boundary: the first encoding into a fresh buffer of the size the snapshotter would take, then
 * into that same buffer, warm.
 *
 * <p>Every encoding's CRC-32 is checked against the first (the views do not change between them) and printed, so
 * that two builds can be compared byte for byte on the same directory.
 */
public final class ViewSnapshotBenchmark
{
    private static final int INDEX_STRIDE = 16;
    private static final int INDEX_CAPACITY = 1 << 20;
    private static final int MIN_BUFFER = 1 << 20;

    private final Path dataDirectory;
    private final int marketCapacity;
    private final int endedWindow;
    private final int warmupRuns;
    private final int measuredRuns;
    private final PrintStream log;

    public ViewSnapshotBenchmark(
        final Path dataDirectory,
        final int marketCapacity,
        final int endedWindow,
        final int warmupRuns,
        final int measuredRuns,
        final PrintStream log)
    {
        this.dataDirectory = dataDirectory;
        this.marketCapacity = marketCapacity;
        this.endedWindow = endedWindow;
        this.warmupRuns = warmupRuns;
        this.measuredRuns = measuredRuns;
        this.log = log;
    }

    /**
     * Runs the benchmark and returns its RESULT line.
     */
    public String run()
    {
        final long readStartNs = System.nanoTime();
        final ViewBootstrap.Start start = ViewBootstrap.start(dataDirectory, marketCapacity, endedWindow,
            new JournalIndex(INDEX_STRIDE, INDEX_CAPACITY));
        log.printf("views: read up to batch %,d in %.1f s (%s), %,d order view entries%n", start.lastBatchNumber(),
            (System.nanoTime() - readStartNs) / 1e9,
            start.snapshotBatchNumber() == 0 ? "from genesis" : "from the view snapshot of batch " +
                start.snapshotBatchNumber(), start.views().orders().size());

        final ViewSnapshotEncoder encoder = new ViewSnapshotEncoder(start.views(), start.index().copy());
        final int freshCapacity = (int)Math.max(MIN_BUFFER, start.snapshotLength() + start.snapshotLength() / 4);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(freshCapacity);
        final long firstStartNs = System.nanoTime();
        final int length = encoder.encode(buffer, 0);
        final long firstNs = System.nanoTime() - firstStartNs;
        final long crc = crc(buffer, length);
        log.printf("views: %,d bytes, CRC-32 %08x; first encoding into a fresh %,d-byte buffer: %.1f ms%n", length, crc,
            freshCapacity, firstNs / 1e6);

        for (int i = 0; i < warmupRuns; i++)
        {
            final long startNs = System.nanoTime();
            encoder.encode(buffer, 0);
            final long ns = System.nanoTime() - startNs;
            check(buffer, length, crc);
            log.printf("views: warm-up %d: %.1f ms%n", i + 1, ns / 1e6);
        }
        final Histogram pause = BenchmarkReport.newLatencyHistogram();
        final long[] runs = new long[measuredRuns];
        for (int i = 0; i < measuredRuns; i++)
        {
            final long startNs = System.nanoTime();
            encoder.encode(buffer, 0);
            runs[i] = System.nanoTime() - startNs;
            check(buffer, length, crc);
            pause.recordValue(runs[i]);
            log.printf("views: run %d: %.1f ms%n", i + 1, runs[i] / 1e6);
        }
        Arrays.sort(runs);
        final long medianNs = runs[runs.length / 2];
        log.printf("views: encoding pause min %.1f ms, median %.1f ms, max %.1f ms (%.2f ns a byte at the median)%n",
            runs[0] / 1e6, medianNs / 1e6, runs[runs.length - 1] / 1e6, (double)medianNs / length);
        return BenchmarkReport.resultLine("views", length * 1e9 / medianNs, pause);
    }

    private static void check(final ExpandableArrayBuffer buffer, final int length, final long crc)
    {
        if (crc(buffer, length) != crc)
        {
            throw new IllegalStateException("the views encoded differently from one run to the next");
        }
    }

    private static long crc(final ExpandableArrayBuffer buffer, final int length)
    {
        final CRC32 crc = new CRC32();
        crc.update(buffer.byteArray(), 0, length);
        return crc.getValue();
    }
}
