package io.rollbook.gateway.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Views read from a view snapshot and the journal after it are those of the read from genesis, field for field
 * ({@link ViewGraphs}: every field of every view, so one left out of the snapshot is seen; Agrona's tables by their
 * entries), the retransmission index included. The snapshots are written by a {@link ViewSnapshotter} fed as the
 * release thread feeds it, over a seeded random journal ({@link RandomJournal}) up to a seeded batch, where a clean
 * close writes the newest, so that the journal after it starts anywhere in its batches of one command or of up to
 * two thousand.
 */
class ViewSnapshotEquivalenceTest
{
    @TempDir
    Path dataDirectory;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20261204L, 7L, 424242L})
    void aSnapshotAndTheJournalAfterItGiveTheViewsOfTheReadFromGenesis(final long seed)
        throws ReflectiveOperationException
    {
        System.out.println("ViewSnapshotEquivalenceTest seed " + seed);
        final long commands = RandomJournal.write(dataDirectory, seed, 3);
        final SplittableRandom random = new SplittableRandom(seed);
        final long cut = random.nextLong(1, 3 * 5_020);
        writeSnapshots(new ViewSnapshotPolicy(random.nextLong(300, 3_000), 0, 3), cut);
        final List<Path> written = ViewSnapshotFile.list(dataDirectory);
        assertFalse(written.isEmpty(), "seed " + seed);
        assertTrue(written.size() <= 3, "seed " + seed + ": pruned to the newest 3, " + written);

        final JournalIndex index = new JournalIndex(4, 64);
        final ViewBootstrap.Start start = ViewBootstrap.start(dataDirectory, RandomJournal.MARKET_CAPACITY,
            RandomJournal.ENDED_WINDOW, index);
        final JournalIndex expectedIndex = new JournalIndex(4, 64);
        final GatewayViews expected = RandomJournal.readOnOneThread(dataDirectory, expectedIndex);

        assertEquals(commands, expected.updater().lastSequence(), "seed " + seed);
        assertEquals(cut, start.snapshotBatchNumber(), "seed " + seed + ": the newest snapshot, the closing one");
        assertEquals(3 * 5_020, start.lastBatchNumber(), "seed " + seed);
        assertTrue(expected.marketData().channelSeq(1) > 0 && expected.orders().size() > 0, "seed " + seed +
            ": the stream trades and rests orders");
        ViewGraphs.assertSameViews(expected, start.views(), "seed " + seed + ", cut after batch " + cut,
            ViewGraphs.Collections.ENTRIES);
        ViewGraphs.assertSameIndex(expectedIndex, index, "seed " + seed + ", cut after batch " + cut,
            ViewGraphs.Collections.ENTRIES);
    }

    @Test
    void theShutdownSnapshotAloneGivesTheViews() throws ReflectiveOperationException
    {
        final long seed = 99L;
        System.out.println("ViewSnapshotEquivalenceTest seed " + seed);
        RandomJournal.write(dataDirectory, seed, 1);
        writeSnapshots(new ViewSnapshotPolicy(0, 0, 3), Long.MAX_VALUE);
        assertEquals(1, ViewSnapshotFile.list(dataDirectory).size());

        final JournalIndex index = new JournalIndex(4, 64);
        final ViewBootstrap.Start start = ViewBootstrap.start(dataDirectory, RandomJournal.MARKET_CAPACITY,
            RandomJournal.ENDED_WINDOW, index);
        final JournalIndex expectedIndex = new JournalIndex(4, 64);
        final GatewayViews expected = RandomJournal.readOnOneThread(dataDirectory, expectedIndex);

        assertEquals(5_020, start.snapshotBatchNumber());
        assertEquals(5_020, start.lastBatchNumber());
        ViewGraphs.assertSameViews(expected, start.views(), "seed " + seed, ViewGraphs.Collections.ENTRIES);
        ViewGraphs.assertSameIndex(expectedIndex, index, "seed " + seed, ViewGraphs.Collections.ENTRIES);
    }

    /**
     * The release thread takes the order view one stripe a batch, so that the batches after the one the snapshot
     * names change stripes not taken yet: a start must apply to each stripe only the journal after its own sequence.
     * The service then stops without a clean close, so the newest snapshot is one of those.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20261205L, 11L})
    void aSnapshotWhoseStripesWereTakenOverLaterBatchesGivesTheViewsOfTheReadFromGenesis(final long seed)
        throws ReflectiveOperationException
    {
        System.out.println("ViewSnapshotEquivalenceTest seed " + seed);
        RandomJournal.write(dataDirectory, seed, 3);
        final SplittableRandom random = new SplittableRandom(seed);
        final ViewBootstrap.Start empty = emptyStart();
        try (ViewSnapshotter snapshotter = new ViewSnapshotter(empty,
            new ViewSnapshotPolicy(random.nextLong(300, 3_000), 0, 3), dataDirectory, RandomJournal.MARKET_CAPACITY,
            RandomJournal.ENDED_WINDOW, false))
        {
            RandomJournal.release(dataDirectory, empty.views(), new JournalIndex(4, 64), snapshotter, Long.MAX_VALUE);
        }
        final ViewSnapshotFile.Loaded newest = ViewSnapshotFile.read(ViewSnapshotFile.list(dataDirectory).get(0));
        final GatewayViews decoded = new GatewayViews(RandomJournal.MARKET_CAPACITY, RandomJournal.ENDED_WINDOW,
            newest.lastSequence());
        ViewSnapshotCodec.decode(new ViewSnapshotCursor().forReading(newest.bytes(), ViewSnapshotFile.HEADER_LENGTH,
            newest.length() - ViewSnapshotFile.HEADER_LENGTH), decoded, new JournalIndex(4, 64));
        assertTrue(decoded.orders().coveredThrough() > newest.lastSequence(), "seed " + seed + ": its last " +
            "stripe holds sequence " + decoded.orders().coveredThrough() + ", the batch it names ends at " +
            newest.lastSequence());

        final JournalIndex index = new JournalIndex(4, 64);
        final ViewBootstrap.Start start = ViewBootstrap.start(dataDirectory, RandomJournal.MARKET_CAPACITY,
            RandomJournal.ENDED_WINDOW, index);
        final JournalIndex expectedIndex = new JournalIndex(4, 64);
        final GatewayViews expected = RandomJournal.readOnOneThread(dataDirectory, expectedIndex);

        assertEquals(newest.lastBatchNumber(), start.snapshotBatchNumber(), "seed " + seed);
        ViewGraphs.assertSameViews(expected, start.views(), "seed " + seed + ", snapshot at batch " +
            newest.lastBatchNumber(), ViewGraphs.Collections.ENTRIES);
        ViewGraphs.assertSameIndex(expectedIndex, index, "seed " + seed, ViewGraphs.Collections.ENTRIES);
    }

    /**
     * A journal that ends between the batch a snapshot names and the sequence its last stripe holds (the snapshot
     * of a longer journal with the same beginning): the stripes hold orders the journal does not, so the snapshot is
     * not used and the views are read from genesis.
     */
    @Test
    void aSnapshotWhoseStripesHoldSequencesPastTheJournalsEndIsNotUsed()
        throws IOException, ReflectiveOperationException
    {
        final long seed = 5L;
        final Path longer = dataDirectory.resolve("longer");
        final Path shorter = dataDirectory.resolve("shorter");
        RandomJournal.write(longer, seed, 2);
        RandomJournal.write(shorter, seed, 1);
        final ViewBootstrap.Start empty = emptyStart();
        try (ViewSnapshotter snapshotter = new ViewSnapshotter(empty, new ViewSnapshotPolicy(4_990, 0, 3), longer,
            RandomJournal.MARKET_CAPACITY, RandomJournal.ENDED_WINDOW, false))
        {
            RandomJournal.release(longer, empty.views(), new JournalIndex(4, 64), snapshotter, 5_100);
        }
        final List<Path> written = ViewSnapshotFile.list(longer);
        assertEquals(1, written.size());
        assertEquals(4_990, ViewSnapshotFile.read(written.get(0)).lastBatchNumber());
        Files.createDirectories(ViewSnapshotFile.directory(shorter));
        Files.copy(written.get(0), ViewSnapshotFile.directory(shorter).resolve(written.get(0).getFileName()));

        final JournalIndex index = new JournalIndex(4, 64);
        final ViewBootstrap.Start start = ViewBootstrap.start(shorter, RandomJournal.MARKET_CAPACITY,
            RandomJournal.ENDED_WINDOW, index);
        final JournalIndex expectedIndex = new JournalIndex(4, 64);
        final GatewayViews expected = RandomJournal.readOnOneThread(shorter, expectedIndex);

        assertEquals(0, start.snapshotBatchNumber(), "read from genesis");
        assertEquals(5_020, start.lastBatchNumber());
        ViewGraphs.assertSameViews(expected, start.views(), "seed " + seed, ViewGraphs.Collections.ENTRIES);
    }

    private static ViewBootstrap.Start emptyStart()
    {
        return new ViewBootstrap.Start(
            new GatewayViews(RandomJournal.MARKET_CAPACITY, RandomJournal.ENDED_WINDOW, 0), new JournalIndex(4, 64),
            0, -1, 0, 0);
    }

    /**
     * Releases the journal up to a batch to a snapshotter as the release thread would (snapshots as the policy says,
     * while the writer thread writes the one before), then closes it cleanly: the last snapshot at that batch.
     */
    private void writeSnapshots(final ViewSnapshotPolicy policy, final long upToBatch)
    {
        final ViewBootstrap.Start empty = emptyStart();
        try (ViewSnapshotter snapshotter = new ViewSnapshotter(empty, policy, dataDirectory,
            RandomJournal.MARKET_CAPACITY, RandomJournal.ENDED_WINDOW))
        {
            RandomJournal.release(dataDirectory, empty.views(), new JournalIndex(4, 64), snapshotter, upToBatch);
            snapshotter.onClosedCleanly();
        }
    }
}
