package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.rollbook.journal.CheckedReplay;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalReader;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.snapshot.MatcherStateCodec;
import io.rollbook.journal.snapshot.Snapshot;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AgentTerminationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The periodic snapshots are the snapshot follower's: its replica encodes them on its own thread, the matcher thread
 * never does, and each holds exactly the state the matcher had after the batch it names. A replica that gives other
 * events than the journal holds takes no snapshot.
 */
class SnapshotFollowerTest
{
    private static final int COMMANDS = 20_000;
    private static final int EVERY_BATCHES = 20;
    private static final int FOLLOWER_EVERY_COMMANDS = RandomCommands.ACCOUNTS + 50;

    @TempDir
    Path dataDirectory;

    private Sequencer.Context context()
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .batchMaxCommands(100)
            .snapshotEveryBatches(EVERY_BATCHES)
            .snapshotEveryCommands(0)
            .snapshotsKept(1_000)
            .snapshotFollower(true);
    }

    @Test
    void periodicSnapshotsAreEncodedByTheReplicaOffTheMatcherThreadAndHoldTheMatchersState()
    {
        final RecordingCodec codec = new RecordingCodec();
        final Sequencer sequencer = Sequencer.launch(context().snapshotCodec(codec));
        final String matcherThread = sequencer.matcherThread().getName();
        SequencerTest.publish(sequencer.publisher(), new RandomCommands(7), 0, COMMANDS);
        sequencer.close();
        final Matcher live = sequencer.matcherAfterClose();

        final List<Encoding> periodic = new ArrayList<>();
        for (final Encoding encoding : codec.encodings())
        {
            assertFalse(encoding.thread.equals(matcherThread), "the matcher thread encoded a snapshot");
            if (encoding.thread.equals("rollbook-snapshot-follower"))
            {
                assertNotSame(live, encoding.matcher, "the follower encodes its replica, not the live matcher");
                periodic.add(encoding);
            }
        }
        final Encoding last = codec.encodings().get(codec.encodings().size() - 1);
        final boolean shutdownSnapshot = last.matcher == live;
        // At least the first that falls due: later ones wait while the writer still has the one before (forcing the
        // journal takes longer than the run on a fast machine), so how many more is the machine's speed.
        assertFalse(periodic.isEmpty(), "a periodic snapshot");

        final List<Path> files = new SnapshotStore(dataDirectory).list();
        assertEquals(periodic.size() + (shutdownSnapshot ? 1 : 0), files.size(),
            "every periodic snapshot written, then the shutdown one unless the last periodic one covers the last batch");
        assertEquals(live.lastSequence(), SnapshotStore.read(files.get(0)).lastSequence(), "the newest: at shutdown");
        for (final Path file : files)
        {
            final Snapshot snapshot = SnapshotStore.read(file);
            final Matcher stored = Matcher.readSnapshot(snapshot.state(), snapshot.stateOffset(), snapshot.stateLength());
            assertArrayEquals(replayFromGenesis(snapshot.lastSequence()), stored.stateHash(),
                "the snapshot at sequence " + snapshot.lastSequence() + " is the matcher's state after it");
        }
    }

    @Test
    void aReplicaThatDivergesFromTheJournalStopsAndTakesNoSnapshot() throws Exception
    {
        final Sequencer sequencer = Sequencer.launch(context().snapshotCodec(null));
        SequencerTest.publish(sequencer.publisher(), new RandomCommands(8), 0, 2_000);
        sequencer.close();
        final long firstBatchIndex;
        final Matcher.Context genesis;
        final Matcher withoutMarkets;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            genesis = cursor.genesis().matcherContext();
            assertEquals(JournalCursor.BATCH, cursor.next());
            firstBatchIndex = cursor.lastBatchIndex();
            withoutMarkets = depositsInsteadOf(cursor.document(), genesis);
        }
        final SnapshotStore store = new SnapshotStore(dataDirectory);
        final SnapshotWriter writer = new SnapshotWriter(store, dataDirectory, 1_000,
            new DiskSpaceGuard(null, 0, () -> 0, "unchecked"), 0);
        final Thread writing = new Thread(writer, "test-snapshot-writer");
        writing.start();
        final SnapshotFollower following = follower(new Matcher(genesis), 0, -1, writer);
        following.onStart();
        while (following.doWork() > 0)
        {
            assertNull(following.failure());
        }
        assertEquals(sequencer.matcherAfterClose().lastSequence(), following.followedSequence());
        following.onClose();
        writer.stop();
        writing.join();
        final List<Path> taken = store.list();
        assertFalse(taken.isEmpty(), "a replica from genesis takes snapshots");

        final SnapshotWriter divergingWriter = new SnapshotWriter(store, dataDirectory, 1_000,
            new DiskSpaceGuard(null, 0, () -> 0, "unchecked"), 0);
        final Thread divergingWriting = new Thread(divergingWriter, "test-snapshot-writer");
        divergingWriting.start();
        final SnapshotFollower diverging = follower(withoutMarkets, 1, firstBatchIndex, divergingWriter);
        diverging.onStart();
        assertThrows(AgentTerminationException.class, () ->
        {
            while (diverging.doWork() > 0)
            {
                assertNull(diverging.failure());
            }
        }, "a replica without the first batch's markets, its first account richer, answers otherwise");
        assertInstanceOf(CheckedReplay.Diverged.class, diverging.failure());
        diverging.onClose();
        divergingWriter.stop();
        divergingWriting.join();
        assertEquals(taken, store.list(), "no snapshot of a replica that diverged");
    }

    @Test
    void aSnapshotWaitsUntilItsBatchIsReleased() throws Exception
    {
        final Sequencer sequencer = Sequencer.launch(context().snapshotCodec(null));
        SequencerTest.publish(sequencer.publisher(), new RandomCommands(9), 0, 2_000);
        sequencer.close();
        final Matcher.Context genesis;
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            genesis = cursor.genesis().matcherContext();
        }
        final SnapshotStore store = new SnapshotStore(dataDirectory);
        final SnapshotWriter writer = new SnapshotWriter(store, dataDirectory, 1_000,
            new DiskSpaceGuard(null, 0, () -> 0, "unchecked"), 0);
        final Thread writing = new Thread(writer, "test-snapshot-writer");
        writing.start();
        final AtomicLong released = new AtomicLong();
        final SnapshotFollower following = new SnapshotFollower(() -> JournalReader.open(dataDirectory),
            released::get, new Matcher(genesis), 0, -1, MatcherStateCodec.MATCHER, 0, FOLLOWER_EVERY_COMMANDS, writer);
        following.onStart();
        while (following.doWork() > 0)
        {
            assertNull(following.failure());
        }
        final long due = following.followedSequence();
        assertTrue(due >= FOLLOWER_EVERY_COMMANDS && due < sequencer.matcherAfterClose().lastSequence(),
            "stops reading at the batch its first snapshot is due after: " + due);
        assertEquals(0, following.doWork(), "waits while that batch is not released");
        released.set(due - 1);
        assertEquals(0, following.doWork(), "waits while that batch is not released");

        released.set(Long.MAX_VALUE);
        while (following.doWork() > 0)
        {
            assertNull(following.failure());
        }
        following.onClose();
        writer.stop();
        writing.join();
        assertEquals(sequencer.matcherAfterClose().lastSequence(), following.followedSequence());
        final List<Path> files = store.list();
        assertEquals(due, SnapshotStore.read(files.get(files.size() - 1)).lastSequence(),
            "the first snapshot, once released: " + files);
    }

    /**
     * A follower taking a snapshot every {@link #FOLLOWER_EVERY_COMMANDS} commands: the deposits that open the
     * stream come before it, and the oracle prices after them, which a replica without markets answers otherwise.
     */
    private SnapshotFollower follower(
        final Matcher replica, final long startBatchNumber, final long startBatchIndex, final SnapshotWriter writer)
    {
        return new SnapshotFollower(() -> JournalReader.open(dataDirectory), () -> Long.MAX_VALUE, replica,
            startBatchNumber, startBatchIndex, MatcherStateCodec.MATCHER, 0, FOLLOWER_EVERY_COMMANDS, writer);
    }

    /**
     * A matcher at the sequence the first batch ends at, which executed a deposit to account 1 in place of each of
     * its commands (the markets): what a replica that is not the matcher's state would be.
     */
    private static Matcher depositsInsteadOf(final JournalDocument firstBatch, final Matcher.Context genesis)
    {
        final Matcher matcher = new Matcher(genesis);
        final ExpandableArrayBuffer deposit = new ExpandableArrayBuffer(256);
        final int length = new RandomCommands(8).encode(0, deposit, 0);
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(1 << 16);
        final EventWriter writer = new EventWriter();
        final RecordView record = new RecordView();
        firstBatch.records(record);
        while (record.next())
        {
            writer.wrap(events, 0);
            matcher.execute(record.sequence(), record.timestampNs(), deposit, 0, length, writer);
        }
        return matcher;
    }

    private byte[] replayFromGenesis(final long lastSequence)
    {
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            final Matcher matcher = new Matcher(cursor.genesis().matcherContext());
            final CheckedReplay replay = new CheckedReplay();
            int kind;
            while (matcher.lastSequence() < lastSequence && (kind = cursor.next()) != JournalCursor.END)
            {
                if (kind == JournalCursor.BATCH)
                {
                    replay.replay(matcher, cursor.document());
                }
            }
            assertEquals(lastSequence, matcher.lastSequence());
            return matcher.stateHash();
        }
    }

    private record Encoding(String thread, Matcher matcher)
    {
    }

    /**
     * The matcher's own encoding, recording which thread encoded which matcher.
     */
    private static final class RecordingCodec implements MatcherStateCodec
    {
        private final List<Encoding> encodings = new ArrayList<>();

        @Override
        public int write(final Matcher matcher, final MutableDirectBuffer buffer, final int offset)
        {
            synchronized (encodings)
            {
                encodings.add(new Encoding(Thread.currentThread().getName(), matcher));
            }
            return MATCHER.write(matcher, buffer, offset);
        }

        @Override
        public Matcher read(final DirectBuffer buffer, final int offset, final int length)
        {
            return MATCHER.read(buffer, offset, length);
        }

        List<Encoding> encodings()
        {
            synchronized (encodings)
            {
                return new ArrayList<>(encodings);
            }
        }
    }
}
