package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The book allocates nothing per change in steady state, however deep: on a ladder of 50,000 levels a side, a
 * million changes (levels opened and closed far from the touch and near it, sizes changed at any depth, closes of
 * levels that are not there), each followed by a quoter's reads (the best levels, a walk over the best five, a
 * lookup by price), and a snapshot reset of the same depth every 250,000 changes, move the calling thread's allocated-bytes
 * counter not at all. The stream is run once first, for the JIT and for the sides to reach their working capacity;
 * as in the matcher's allocation tests, the measured run gets up to three attempts, since a deoptimization can put a
 * few objects on the heap once, while garbage made by changes would show in every attempt.
 */
class LocalOrderBookAllocationTest
{
    private static final long TOUCH = 1_000_000_000L;
    private static final int LEVELS = 50_000;
    private static final int CHANGES = 1_000_000;
    private static final int SNAPSHOT_EVERY = 250_000;
    private static final int ATTEMPTS = 3;

    private final int[] sides = new int[CHANGES];
    private final long[] prices = new long[CHANGES];
    private final long[] sizes = new long[CHANGES];
    private long sink;

    @Test
    void aMillionChangesToADeepBookAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM cannot count allocated bytes per thread");
        generate(new SplittableRandom(7));
        final LocalOrderBook book = new LocalOrderBook(1);
        run(book);

        final long calibrationStart = threads.getCurrentThreadAllocatedBytes();
        final long calibrationEnd = threads.getCurrentThreadAllocatedBytes();
        assertEquals(0, calibrationEnd - calibrationStart, "reading the allocation counter allocates");
        long allocated = -1;
        for (int attempt = 0; attempt < ATTEMPTS && allocated != 0; attempt++)
        {
            final long start = threads.getCurrentThreadAllocatedBytes();
            run(book);
            allocated = threads.getCurrentThreadAllocatedBytes() - start;
        }
        assertEquals(0, allocated, "bytes allocated over " + CHANGES + " changes to a book of " + LEVELS +
            " levels a side");
        assertTrue(book.bidCount() >= LEVELS && book.askCount() >= LEVELS, book.bidCount() + " " + book.askCount());
        book.checkInvariants();
        assertTrue(sink != 0);
    }

    private void run(final LocalOrderBook book)
    {
        for (int i = 0; i < CHANGES; i++)
        {
            // A run starts with a snapshot too, so that every run meets the same states.
            if (i % SNAPSHOT_EVERY == 0)
            {
                snapshot(book, i);
            }
            book.set(sides[i], prices[i], sizes[i], i, i);
            long read = book.bidPrice(0) + book.askPrice(0) + book.sizeAt(sides[i], prices[i]);
            for (int depth = 0; depth < 5; depth++)
            {
                read += book.bidSize(depth) + book.askSize(depth);
            }
            sink += read;
        }
    }

    private static void snapshot(final LocalOrderBook book, final long channelSeq)
    {
        book.beginSnapshot(channelSeq, channelSeq);
        for (int depth = 0; depth < LEVELS; depth++)
        {
            book.snapshotLevel(0, TOUCH - 2L * depth, 1 + depth % 7);
        }
        for (int depth = 0; depth < LEVELS; depth++)
        {
            book.snapshotLevel(1, TOUCH + 1 + 2L * depth, 1 + depth % 7);
        }
        book.endSnapshot();
    }

    /**
     * Levels opened between the ladder's (at odd offsets) are closed later; the ladder's own levels change size, and
     * an eighth of the changes close a level that is not there.
     */
    private void generate(final SplittableRandom random)
    {
        for (int i = 0; i < CHANGES; i++)
        {
            final int side = random.nextInt(2);
            final int kind = random.nextInt(8);
            final long depth = kind < 4 ? random.nextInt(LEVELS / 2, LEVELS) : random.nextInt(10);
            final long ladder = side == 0 ? TOUCH - 2 * depth : TOUCH + 1 + 2 * depth;
            sides[i] = side;
            if (kind < 6)
            {
                prices[i] = ladder + (side == 0 ? -1 : 1);
                sizes[i] = kind % 2 == 0 ? random.nextInt(1, 100) : 0;
            }
            else
            {
                prices[i] = ladder;
                sizes[i] = random.nextInt(1, 100);
            }
        }
    }
}
