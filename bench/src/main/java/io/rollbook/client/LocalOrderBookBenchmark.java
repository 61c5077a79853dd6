package io.rollbook.client;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.SplittableRandom;

import io.rollbook.bench.BenchmarkReport;
import org.HdrHistogram.Histogram;

/**
 * The client's {@link LocalOrderBook} alone on one thread, as a market maker's polling thread drives it: a snapshot
 * of a deep ladder ({@code levels} price levels a side, one free price between any two), then a pre-generated,
 * seeded stream of level changes, each followed by what a quoter reads after it (the best bid and ask, and the
 * sizes of the best five levels of each side). The stream is made of steps: two in five open a level far from the
 * touch (in the worse half of a side, uniformly) and close it again, one in five open and close one among the best
 * five, and two in five change the size of a level at a uniform depth. Throughput comes from timing whole passes
 * over the stream (the median of several; each pass leaves as many levels as it found); latency from a separate
 * pass that times every change with its reads by {@link System#nanoTime}, whose own cost (a few tens of
 * nanoseconds) the figures include.
 *
 * <p>In the client's package because a book's changes belong to the client's market data handling alone: its
 * mutators are package-private. Single-threaded; a run owns its book.
 */
public final class LocalOrderBookBenchmark
{
    private static final long TOUCH_TICKS = 1_000_000_000L;
    private static final int TOP = 5;

    private final int levels;
    private final int changes;
    private final int warmupRuns;
    private final int measuredRuns;
    private final long seed;
    private final PrintStream log;
    private final int[] sides;
    private final long[] prices;
    private final long[] sizes;
    private long sink;

    /**
     * @param levels  price levels a side in the snapshot
     * @param changes level changes in the stream (rounded up to an even count: opened levels close again)
     */
    public LocalOrderBookBenchmark(
        final int levels, final int changes, final int warmupRuns, final int measuredRuns, final long seed,
        final PrintStream log)
    {
        if (levels < 2 * TOP || levels > 65_535)
        {
            throw new IllegalArgumentException("levels must be within " + 2 * TOP + "..65535 (what a snapshot " +
                "carries a side), got " + levels);
        }
        if (changes < 2 || warmupRuns < 0 || measuredRuns < 1)
        {
            throw new IllegalArgumentException("changes must be at least 2 and runs at least 1, got changes " +
                changes + ", warm-up runs " + warmupRuns + ", runs " + measuredRuns);
        }
        this.levels = levels;
        this.changes = changes + (changes & 1);
        this.warmupRuns = warmupRuns;
        this.measuredRuns = measuredRuns;
        this.seed = seed;
        this.log = log;
        this.sides = new int[this.changes];
        this.prices = new long[this.changes];
        this.sizes = new long[this.changes];
    }

    /**
     * Runs the benchmark and returns its RESULT line.
     */
    public String run()
    {
        generate();
        final LocalOrderBook book = new LocalOrderBook(1);
        book.beginSnapshot(1, 1);
        for (int side = 0; side < 2; side++)
        {
            for (int depth = 0; depth < levels; depth++)
            {
                book.snapshotLevel(side, ladderPrice(side, depth), 1 + depth % 7);
            }
        }
        book.endSnapshot();
        log.printf("client-book: %,d levels a side, %,d changes a pass (seed %d)%n", levels, changes, seed);

        for (int i = 0; i < warmupRuns; i++)
        {
            pass(book);
        }
        final long[] passNs = new long[measuredRuns];
        for (int i = 0; i < measuredRuns; i++)
        {
            final long start = System.nanoTime();
            pass(book);
            passNs[i] = System.nanoTime() - start;
            log.printf("client-book: run %d: %,.0f changes/s%n", i + 1, changes * 1e9 / passNs[i]);
        }
        Arrays.sort(passNs);
        final double opsPerSecond = changes * 1e9 / passNs[measuredRuns / 2];

        final Histogram latencyNs = BenchmarkReport.newLatencyHistogram();
        for (int i = 0; i < changes; i++)
        {
            final long start = System.nanoTime();
            change(book, i);
            latencyNs.recordValue(System.nanoTime() - start);
        }
        if (book.bidCount() != levels || book.askCount() != levels)
        {
            throw new IllegalStateException("the stream left " + book.bidCount() + " bids and " + book.askCount() +
                " asks, not " + levels + " each");
        }
        log.printf("client-book: (checksum %d)%n", sink);
        return BenchmarkReport.resultLine("client-book", opsPerSecond, latencyNs);
    }

    private void pass(final LocalOrderBook book)
    {
        for (int i = 0; i < changes; i++)
        {
            change(book, i);
        }
    }

    private void change(final LocalOrderBook book, final int i)
    {
        book.set(sides[i], prices[i], sizes[i], i, i);
        long read = book.bidPrice(0) - book.askPrice(0);
        for (int depth = 0; depth < TOP; depth++)
        {
            read += book.bidSize(depth) + book.askSize(depth);
        }
        sink += read;
    }

    /**
     * Bids below the touch, asks above it, each {@code depth} two ticks further out: the odd offsets are free.
     */
    private static long ladderPrice(final int side, final int depth)
    {
        return side == 0 ? TOUCH_TICKS - 2L * depth : TOUCH_TICKS + 1 + 2L * depth;
    }

    private void generate()
    {
        final SplittableRandom random = new SplittableRandom(seed);
        int i = 0;
        while (i < changes)
        {
            final int side = random.nextInt(2);
            final int kind = random.nextInt(5);
            if (kind < 3 && i + 2 <= changes)
            {
                final int depth = kind < 2 ? levels / 2 + random.nextInt(levels / 2 - 1) : random.nextInt(TOP);
                // The free price just outside the ladder level at that depth: a new level behind it.
                final long price = ladderPrice(side, depth) + (side == 0 ? -1 : 1);
                put(i++, side, price, 1 + random.nextInt(100));
                put(i++, side, price, 0);
            }
            else
            {
                put(i++, side, ladderPrice(side, random.nextInt(levels)), 1 + random.nextInt(100));
            }
        }
    }

    private void put(final int i, final int side, final long price, final long size)
    {
        sides[i] = side;
        prices[i] = price;
        sizes[i] = size;
    }
}
