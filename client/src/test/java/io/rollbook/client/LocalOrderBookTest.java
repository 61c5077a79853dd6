package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalOrderBookTest
{
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomLevelChangesGiveTheSameSidesAsASortedMap(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final LocalOrderBook book = new LocalOrderBook(1);
        book.beginSnapshot(0, 0);
        book.endSnapshot();
        final TreeMap<Long, Long> bids = new TreeMap<>((a, b) -> Long.compare(b, a));
        final TreeMap<Long, Long> asks = new TreeMap<>();
        for (int i = 1; i <= 5_000; i++)
        {
            final int side = random.nextInt(2);
            final long price = 1_000 + random.nextInt(300);
            final long size = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(100);
            book.set(side, price, size, i, i);
            final TreeMap<Long, Long> expected = side == 0 ? bids : asks;
            if (size == 0)
            {
                expected.remove(price);
            }
            else
            {
                expected.put(price, size);
            }
        }
        assertEquals(bids.size(), book.bidCount(), "seed " + seed);
        assertEquals(asks.size(), book.askCount(), "seed " + seed);
        int depth = 0;
        for (final var level : bids.entrySet())
        {
            assertEquals(level.getKey(), book.bidPrice(depth), "seed " + seed);
            assertEquals(level.getValue(), book.bidSize(depth), "seed " + seed);
            assertEquals(level.getValue(), book.sizeAt(0, level.getKey()));
            depth++;
        }
        depth = 0;
        for (final var level : asks.entrySet())
        {
            assertEquals(level.getKey(), book.askPrice(depth), "seed " + seed);
            assertEquals(level.getValue(), book.askSize(depth), "seed " + seed);
            depth++;
        }
        assertEquals(5_000, book.channelSeq());
    }
}
