package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rollbook.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code snapshotEveryCommands} bounds what a start after a crash replays in commands, whatever the batches hold: with
 * the batch count off, batches of up to B commands and a snapshot every N commands, each snapshot follows the one
 * before by N to N + B - 1 commands, and a start without the shutdown snapshot (as after {@code kill -9}) replays
 * only the commands after the last periodic one and reaches the state the service stopped with.
 *
 * <p>Alike whether the matcher thread or the snapshot follower takes them. The test publishes in chunks and waits for each chunk's release, and for the file of a snapshot that must have
 * been taken: the snapshot writer is then idle whenever the next one falls due, so where each is taken does not
 * depend on the machine's speed.
 */
class SnapshotPolicyTest
{
    private static final int EVERY_COMMANDS = 5_000;
    private static final int BATCH_MAX_COMMANDS = 512;
    private static final int CHUNK = 1_000;
    private static final int PERIODIC_SNAPSHOTS = 4;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dataDirectory;

    private Sequencer.Context context(final Released released, final boolean follower)
    {
        return new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .batchMaxCommands(BATCH_MAX_COMMANDS)
            .snapshotEveryBatches(0)
            .snapshotEveryCommands(EVERY_COMMANDS)
            .snapshotsKept(100)
            .snapshotFollower(follower)
            .releaseListener(released);
    }

    @ParameterizedTest(name = "snapshot follower {0}")
    @ValueSource(booleans = {false, true})
    void aSnapshotEveryNCommandsBoundsTheReplayAfterACrash(final boolean follower) throws Exception
    {
        final SnapshotStore store = new SnapshotStore(dataDirectory);
        final RandomCommands commands = new RandomCommands(31);
        final Released released = new Released();
        final List<Long> periodic = new ArrayList<>();
        final Sequencer sequencer = Sequencer.launch(context(released, follower));
        long published = 0;
        long previous = 0;
        while (periodic.size() < PERIODIC_SNAPSHOTS)
        {
            SequencerTest.publish(sequencer.publisher(), commands, published, published + CHUNK);
            published += CHUNK;
            final long lastSequence = awaitReleased(released, published);
            if (lastSequence - previous >= EVERY_COMMANDS)
            {
                final long taken = awaitSnapshotAfter(store, previous);
                assertTrue(taken - previous >= EVERY_COMMANDS && taken - previous < EVERY_COMMANDS + BATCH_MAX_COMMANDS,
                    "snapshot at " + taken + " after the one at " + previous);
                periodic.add(taken);
                previous = taken;
            }
            else
            {
                assertEquals(previous, newest(store), "no snapshot is due " + (lastSequence - previous) +
                    " commands after the last one");
            }
        }
        SequencerTest.publish(sequencer.publisher(), commands, published, published + CHUNK);
        awaitReleased(released, published + CHUNK);
        sequencer.close();
        final long lastSequence = sequencer.matcherAfterClose().lastSequence();
        final byte[] stoppedHash = sequencer.matcherAfterClose().stateHash();
        assertEquals(lastSequence, newest(store), "the shutdown snapshot");

        Files.delete(store.list().get(0));
        final Sequencer restarted = Sequencer.launch(context(new Released(), follower));
        restarted.close();
        assertEquals(previous, restarted.recovery().snapshotSequence(), "the last periodic snapshot " + periodic);
        assertEquals(lastSequence - previous, restarted.recovery().replayedCommands());
        assertTrue(restarted.recovery().replayedCommands() < EVERY_COMMANDS + BATCH_MAX_COMMANDS);
        assertArrayEquals(stoppedHash, restarted.matcherAfterClose().stateHash());
    }

    /**
     * @return the last sequence released, once the startup commands and {@code published} more are
     */
    private static long awaitReleased(final Released released, final long published) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        while (true)
        {
            final List<Released.Command> all = released.snapshot();
            final int startup = RandomCommands.MARKETS.size();
            if (all.size() == startup + published)
            {
                return all.get(all.size() - 1).sequence();
            }
            if (System.nanoTime() - deadline > 0)
            {
                fail(all.size() + " commands released, expected " + (startup + published));
            }
            Thread.sleep(1);
        }
    }

    private static long awaitSnapshotAfter(final SnapshotStore store, final long sequence) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NS;
        long newest;
        while ((newest = newest(store)) <= sequence)
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("no snapshot after sequence " + sequence + " within 30 s");
            }
            Thread.sleep(1);
        }
        return newest;
    }

    private static long newest(final SnapshotStore store)
    {
        final List<Path> files = store.list();
        return files.isEmpty() ? 0 : SnapshotStore.read(files.get(0)).lastSequence();
    }
}
