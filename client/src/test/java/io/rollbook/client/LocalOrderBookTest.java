package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The book against a reference model, a sorted map a side, on seeded random streams: levels opened, changed and
 * closed near the touch (where the sides cross) and far from it, closes of levels that are not there, snapshot
 * resets, and gaps repaired by a snapshot after changes the book never saw. Every read of the book is compared:
 * counts, the best levels after each change, and at intervals every depth (walked from the best and read at random
 * depths) and the size at present and absent prices, with the trees' invariants.
 */
class LocalOrderBookTest
{
    private static final long TOUCH = 1_000_000;

    private final TreeMap<Long, Long> bids = new TreeMap<>((a, b) -> Long.compare(b, a));
    private final TreeMap<Long, Long> asks = new TreeMap<>();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomChangesSnapshotsAndGapsGiveTheSameBookAsSortedMaps(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final LocalOrderBook book = new LocalOrderBook(1);
        assertTrue(book.isStale(), "before its first snapshot");
        snapshot(book, random, 0);
        long channelSeq = 0;
        int snapshots = 1;
        int gaps = 0;
        for (int i = 1; i <= 60_000; i++)
        {
            final int kind = random.nextInt(1_000);
            if (kind < 3)
            {
                snapshots++;
                snapshot(book, random, ++channelSeq);
            }
            else if (kind < 5)
            {
                gaps++;
                book.markStale();
                assertTrue(book.isStale());
                // The changes lost in the gap reach the model only; the snapshot that repairs the gap has them.
                for (int lost = random.nextInt(1, 50); lost > 0; lost--)
                {
                    change(null, random, ++channelSeq);
                }
                book.beginSnapshot(++channelSeq, channelSeq);
                sendSnapshotOfModel(book);
                book.endSnapshot();
                snapshots++;
            }
            else
            {
                change(book, random, ++channelSeq);
            }
            assertFalse(book.isStale(), "seed " + seed + " step " + i);
            assertEquals(channelSeq, book.channelSeq(), "seed " + seed + " step " + i);
            assertBest(book, "seed " + seed + " step " + i);
            if (i % 499 == 0 || kind < 5)
            {
                assertSameBook(book, random, "seed " + seed + " step " + i);
            }
        }
        assertEquals(gaps, book.gaps(), "seed " + seed);
        assertTrue(snapshots > 100 && gaps > 50, "seed " + seed + ": " + snapshots + " snapshots, " + gaps + " gaps");
        assertSameBook(book, random, "seed " + seed + " at the end");
    }

    @Test
    void aDeepLadderChangedFarFromTheTouchStaysInOrder()
    {
        final SplittableRandom random = new SplittableRandom(11);
        final LocalOrderBook book = new LocalOrderBook(1);
        book.beginSnapshot(1, 1);
        for (int depth = 0; depth < 60_000; depth++)
        {
            snapshotLevel(book, 0, TOUCH - 2L * depth, 1 + depth % 9);
            snapshotLevel(book, 1, TOUCH + 1 + 2L * depth, 1 + depth % 5);
        }
        book.endSnapshot();
        for (int i = 0; i < 200_000; i++)
        {
            final int side = random.nextInt(2);
            final long offset = 2L * random.nextInt(30_000, 60_000) + random.nextInt(2);
            final long price = side == 0 ? TOUCH - offset : TOUCH + 1 + offset;
            set(book, side, price, random.nextInt(3) == 0 ? 0 : random.nextInt(1, 1_000), i + 2);
        }
        assertSameBook(book, random, "deep ladder");
        assertEquals(TOUCH, book.bidPrice(0));
        assertEquals(TOUCH + 1, book.askPrice(0));
    }

    @Test
    void readsBeyondASideAreRefusedWithTheDepthAndTheCount()
    {
        final LocalOrderBook book = new LocalOrderBook(1);
        book.beginSnapshot(1, 1);
        book.snapshotLevel(0, 100, 5);
        book.endSnapshot();
        book.set(0, 100, 0, 2, 2);
        final IndexOutOfBoundsException empty = assertThrows(IndexOutOfBoundsException.class, () -> book.bidPrice(0));
        assertEquals("depth 0 of 0 bid levels", empty.getMessage());
        book.set(1, 110, 3, 3, 3);
        final IndexOutOfBoundsException beyond = assertThrows(IndexOutOfBoundsException.class, () -> book.askSize(1));
        assertEquals("depth 1 of 1 ask levels", beyond.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> book.askPrice(-1));
        final IllegalArgumentException side = assertThrows(IllegalArgumentException.class, () -> book.sizeAt(2, 110));
        assertEquals("side is 0 (bids) or 1 (asks), got 2", side.getMessage());
        assertEquals(3, book.sizeAt(1, 110));
        assertEquals(0, book.sizeAt(0, 100));
        assertEquals("book 1 @3 bids asks 3@110", book.toString());
    }

    /**
     * A new snapshot in the server's order, best first, of up to a few hundred levels a side around the touch, the
     * sides crossing now and then.
     */
    private void snapshot(final LocalOrderBook book, final SplittableRandom random, final long channelSeq)
    {
        bids.clear();
        asks.clear();
        for (int n = random.nextInt(300); n > 0; n--)
        {
            bids.put(price(random), size(random));
        }
        for (int n = random.nextInt(300); n > 0; n--)
        {
            asks.put(price(random), size(random));
        }
        book.beginSnapshot(channelSeq, channelSeq);
        sendSnapshotOfModel(book);
        book.endSnapshot();
    }

    private void sendSnapshotOfModel(final LocalOrderBook book)
    {
        for (final Map.Entry<Long, Long> level : bids.entrySet())
        {
            snapshotLevel(book, 0, level.getKey(), level.getValue());
        }
        for (final Map.Entry<Long, Long> level : asks.entrySet())
        {
            snapshotLevel(book, 1, level.getKey(), level.getValue());
        }
    }

    private void snapshotLevel(final LocalOrderBook book, final int side, final long price, final long size)
    {
        book.snapshotLevel(side, price, size);
        (side == 0 ? bids : asks).put(price, size);
    }

    /**
     * One level change, applied to the model and, unless {@code book} is null (a change lost in a gap), to the book:
     * a quarter of them close a level, which is often not there.
     */
    private void change(final LocalOrderBook book, final SplittableRandom random, final long channelSeq)
    {
        final int side = random.nextInt(2);
        final long size = random.nextInt(4) == 0 ? 0 : size(random);
        final long price = random.nextInt(20) == 0 ? farPrice(random) : price(random);
        if (book == null)
        {
            model(side, price, size);
        }
        else
        {
            set(book, side, price, size, channelSeq);
        }
    }

    private void set(final LocalOrderBook book, final int side, final long price, final long size, final long seq)
    {
        book.set(side, price, size, seq, seq);
        model(side, price, size);
    }

    private void model(final int side, final long price, final long size)
    {
        final TreeMap<Long, Long> levels = side == 0 ? bids : asks;
        if (size == 0)
        {
            levels.remove(price);
        }
        else
        {
            levels.put(price, size);
        }
    }

    /**
     * Around the touch, on both sides of it for either side: the book holds crossed levels as the feed sends them.
     */
    private static long price(final SplittableRandom random)
    {
        return TOUCH - 200 + random.nextInt(400);
    }

    private static long farPrice(final SplittableRandom random)
    {
        return random.nextLong(1, 1_000_000_000_000L);
    }

    private static long size(final SplittableRandom random)
    {
        return random.nextLong(1, 1_000_000);
    }

    private void assertBest(final LocalOrderBook book, final String where)
    {
        assertEquals(bids.size(), book.bidCount(), where);
        assertEquals(asks.size(), book.askCount(), where);
        if (!bids.isEmpty())
        {
            assertEquals(bids.firstKey(), book.bidPrice(0), where);
            assertEquals(bids.firstEntry().getValue(), book.bidSize(0), where);
        }
        if (!asks.isEmpty())
        {
            assertEquals(asks.firstKey(), book.askPrice(0), where);
            assertEquals(asks.firstEntry().getValue(), book.askSize(0), where);
        }
    }

    private void assertSameBook(final LocalOrderBook book, final SplittableRandom random, final String where)
    {
        book.checkInvariants();
        assertSameSide(book, 0, new ArrayList<>(bids.entrySet()), random, where + " bids");
        assertSameSide(book, 1, new ArrayList<>(asks.entrySet()), random, where + " asks");
    }

    private static void assertSameSide(
        final LocalOrderBook book, final int side, final List<Map.Entry<Long, Long>> expected,
        final SplittableRandom random, final String where)
    {
        assertEquals(expected.size(), side == 0 ? book.bidCount() : book.askCount(), where);
        for (int depth = 0; depth < expected.size(); depth++)
        {
            assertEquals(expected.get(depth).getKey(), price(book, side, depth), where + " depth " + depth);
            assertEquals(expected.get(depth).getValue(), size(book, side, depth), where + " depth " + depth);
        }
        for (int n = 0; n < 200 && !expected.isEmpty(); n++)
        {
            final int depth = random.nextInt(expected.size());
            assertEquals(expected.get(depth).getValue(), size(book, side, depth), where + " read at depth " + depth);
            assertEquals(expected.get(depth).getKey(), price(book, side, depth), where + " read at depth " + depth);
            assertEquals(expected.get(depth).getValue(), book.sizeAt(side, expected.get(depth).getKey()), where);
            final long absent = price(random) * 2 + 1;
            assertEquals(expected.stream().filter(level -> level.getKey() == absent).mapToLong(Map.Entry::getValue)
                .sum(), book.sizeAt(side, absent), where + " at " + absent);
        }
    }

    private static long price(final LocalOrderBook book, final int side, final int depth)
    {
        return side == 0 ? book.bidPrice(depth) : book.askPrice(depth);
    }

    private static long size(final LocalOrderBook book, final int side, final int depth)
    {
        return side == 0 ? book.bidSize(depth) : book.askSize(depth);
    }
}
