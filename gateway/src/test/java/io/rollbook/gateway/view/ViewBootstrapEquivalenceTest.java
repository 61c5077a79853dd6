package io.rollbook.gateway.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ViewBootstrap} reads the journal on a second thread and applies it on its own; the views it builds must be
 * those of reading and applying every batch in order on one thread, field for field (tables, rings, counters and the
 * retransmission index included, Agrona's tables slot for slot). The journal is written by the matcher from a seeded
 * random command stream ({@link RandomJournal}), in batches of one command (thousands of them, so the batches span
 * many of the reader's hand-overs by count) and of up to two thousand (so they span hand-overs by size).
 */
class ViewBootstrapEquivalenceTest
{
    @TempDir
    Path dataDirectory;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20261204L, 7L})
    void theViewsEqualThoseOfASingleThreadedRead(final long seed) throws ReflectiveOperationException
    {
        System.out.println("ViewBootstrapEquivalenceTest seed " + seed);
        final long commands = RandomJournal.write(dataDirectory, seed, 3);

        final JournalIndex index = new JournalIndex(4, 64);
        final GatewayViews views = ViewBootstrap.load(dataDirectory, RandomJournal.MARKET_CAPACITY,
            RandomJournal.ENDED_WINDOW, index);
        final JournalIndex expectedIndex = new JournalIndex(4, 64);
        final GatewayViews expected = RandomJournal.readOnOneThread(dataDirectory, expectedIndex);

        assertEquals(commands, expected.updater().lastSequence(), "seed " + seed);
        assertTrue(expected.marketData().channelSeq(1) > 0 && expected.orders().size() > 0, "seed " + seed +
            ": the stream trades and rests orders");
        ViewGraphs.assertSameViews(expected, views, "seed " + seed, ViewGraphs.Collections.LAYOUT);
        ViewGraphs.assertSameIndex(expectedIndex, index, "seed " + seed, ViewGraphs.Collections.LAYOUT);
    }
}
