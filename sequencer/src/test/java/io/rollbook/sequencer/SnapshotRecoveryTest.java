package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots are only an optimisation: over a seeded stream of a million commands, recovery from a periodic
 * snapshot plus the journal after it, recovery from the shutdown snapshot alone, and a replay of the whole journal
 * from genesis all reach the same state hash as the service had when it stopped.
 */
class SnapshotRecoveryTest
{
    private static final int COMMANDS = 1_000_000;

    @TempDir
    Path dataDirectory;

    private Sequencer.Context context(final Released released)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .batchMaxCommands(512)
            .snapshotEveryBatches(500)
            .releaseListener(released);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {101, 202})
    void snapshotPlusTailEqualsGenesisReplay(final long seed) throws Exception
    {
        final byte[] finalHash;
        final long lastSequence;
        final Sequencer first = Sequencer.launch(context(new Released()));
        SequencerTest.publish(first.publisher(), new RandomCommands(seed), 0, COMMANDS);
        first.close();
        finalHash = first.matcherAfterClose().stateHash();
        lastSequence = first.matcherAfterClose().lastSequence();

        final SnapshotStore store = new SnapshotStore(dataDirectory);
        final List<Path> snapshots = store.list();
        assertTrue(snapshots.size() >= 2, "seed " + seed + ": periodic snapshots and the shutdown one: " + snapshots);
        assertEquals(lastSequence, SnapshotStore.read(snapshots.get(0)).lastSequence(), "seed " + seed);

        try (Sequencer fromShutdownSnapshot = Sequencer.launch(context(new Released())))
        {
            assertEquals(lastSequence, fromShutdownSnapshot.recovery().snapshotSequence(), "seed " + seed);
            assertEquals(0, fromShutdownSnapshot.recovery().replayedCommands(), "a clean restart replays nothing");
        }

        Files.delete(snapshots.get(0));
        final Sequencer fromPeriodic = Sequencer.launch(context(new Released()));
        fromPeriodic.close();
        final long snapshotSequence = fromPeriodic.recovery().snapshotSequence();
        assertTrue(snapshotSequence > 0 && snapshotSequence < lastSequence, "seed " + seed + ": " + snapshotSequence);
        assertEquals(lastSequence - snapshotSequence, fromPeriodic.recovery().replayedCommands(), "seed " + seed);
        assertArrayEquals(finalHash, fromPeriodic.matcherAfterClose().stateHash(),
            "seed " + seed + ": snapshot + tail differs from the state at shutdown");

        assertArrayEquals(finalHash, replayFromGenesis(), "seed " + seed + ": genesis replay differs");
    }

    /**
     * The snapshot at shutdown covers the last batch, which was released; damaged in the journal, it is proof of a
     * lost released batch, not a torn tail to void: the start refuses. Moving the snapshot aside accepts the loss,
     * and the next start voids the damaged batch and recovers from an older snapshot.
     */
    @org.junit.jupiter.api.Test
    void aSnapshotOfABatchTheJournalLostRefusesTheStartUntilMovedAside() throws Exception
    {
        final long mark = 0x5EED_5EED_5EED_5EEDL;
        final Released released = new Released();
        final Sequencer sequencer = Sequencer.launch(context(released).batchMaxCommands(50).snapshotEveryBatches(5));
        SequencerTest.publish(sequencer.publisher(), new RandomCommands(9), 0, 3_000);
        while (released.count() < 3_000 + RandomCommands.MARKETS.size())
        {
            Thread.yield();
        }
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final int length = new RandomCommands(9).encode(3_000, buffer, 0);
        while (!sequencer.publisher().tryPublish(mark, buffer, 0, length))
        {
            Thread.yield();
        }
        sequencer.close();
        final long lastSequence = sequencer.matcherAfterClose().lastSequence();
        final Path newest = new SnapshotStore(dataDirectory).list().get(0);
        assertEquals(lastSequence, SnapshotStore.read(newest).lastSequence());

        TornTailTest.damage(dataDirectory, mark);

        final JournalException refused =
            assertThrows(JournalException.class, () -> Sequencer.launch(context(new Released())));
        assertTrue(refused.getMessage().contains("lost batches: snapshot " + newest) &&
            refused.getMessage().contains("the journal holds that document damaged (checksum mismatch)"),
            refused.getMessage());

        Files.move(newest, dataDirectory.resolve("moved-aside.snap"));
        final Sequencer recovered = Sequencer.launch(context(new Released()));
        recovered.close();
        assertEquals(lastSequence - 1, recovered.recovery().lastSequence(), "the damaged last batch is void");
        assertEquals(1, recovered.recovery().voidedDocuments());
        assertTrue(recovered.recovery().snapshotSequence() < lastSequence, "an older snapshot was used");
        assertArrayEquals(replayFromGenesis(), recovered.matcherAfterClose().stateHash());
    }

    private byte[] replayFromGenesis()
    {
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            final Matcher matcher = new Matcher(cursor.genesis().matcherContext());
            final EventWriter events = new EventWriter();
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 16);
            final RecordView record = new RecordView();
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                if (kind != JournalCursor.BATCH)
                {
                    continue;
                }
                cursor.document().records(record);
                while (record.next())
                {
                    events.wrap(buffer, 0);
                    matcher.execute(record.sequence(), record.timestampNs(), record.buffer(), record.commandOffset(),
                        record.commandLength(), events);
                }
            }
            return matcher.stateHash();
        }
    }
}
