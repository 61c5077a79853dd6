package io.rollbook.sequencer;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The matcher, journal and snapshot follower threads allocate nothing per command once warm: measured with the JVM's
 * per-thread allocation counters over a long run. The journal thread's bound is 64 KB over the whole run: measured in
 * windows of 150,000 commands it allocates between 16 bytes and 19 KB, sporadically (Chronicle Queue mapping the
 * next part of its file), never in proportion to the commands. The
 * matcher thread's is one byte per command: in this random stream the books keep growing, and the matcher's own
 * pools and indexes grow with them (a JFR allocation profile shows only Long2ObjectHashMap rehashes and OrderPool
 * growth there): state, not per-command garbage. The follower executes the same commands on its replica, reading
 * them from the journal: the sum of the two bounds (no snapshot falls due in the run).
 */
class SteadyStateAllocationTest
{
    private static final int WARM_UP = 300_000;
    private static final int MEASURED = 600_000;
    private static final long MATCHER_ALLOWED_BYTES = MEASURED;
    private static final long JOURNAL_ALLOWED_BYTES = 64 * 1024;
    private static final long FOLLOWER_ALLOWED_BYTES = MATCHER_ALLOWED_BYTES + JOURNAL_ALLOWED_BYTES;

    @TempDir
    Path dataDirectory;

    @Test
    void matcherJournalAndFollowerThreadsDoNotAllocatePerCommand()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Counting counting = new Counting();
        try (Sequencer sequencer = Sequencer.launch(new Sequencer.Context()
            .dataDirectory(dataDirectory)
            .matcherContext(RandomCommands.matcherContext())
            .markets(RandomCommands.MARKETS)
            .snapshotEveryBatches(0)
            .snapshotEveryCommands(10_000_000)
            .snapshotFollower(true)
            .releaseListener(counting)))
        {
            final RandomCommands commands = new RandomCommands(99);
            SequencerTest.publish(sequencer.publisher(), commands, 0, WARM_UP);
            counting.await(RandomCommands.MARKETS.size() + WARM_UP);
            awaitFollowed(sequencer.snapshotFollower(), RandomCommands.MARKETS.size() + WARM_UP);

            final long matcherThread = sequencer.matcherThread().getId();
            final long journalThread = sequencer.journalThread().getId();
            final long followerThread = sequencer.followerThread().getId();
            final long matcherBefore = threads.getThreadAllocatedBytes(matcherThread);
            final long journalBefore = threads.getThreadAllocatedBytes(journalThread);
            final long followerBefore = threads.getThreadAllocatedBytes(followerThread);
            SequencerTest.publish(sequencer.publisher(), commands, WARM_UP, WARM_UP + MEASURED);
            counting.await(RandomCommands.MARKETS.size() + WARM_UP + MEASURED);
            awaitFollowed(sequencer.snapshotFollower(), RandomCommands.MARKETS.size() + WARM_UP + MEASURED);
            final long matcherBytes = threads.getThreadAllocatedBytes(matcherThread) - matcherBefore;
            final long journalBytes = threads.getThreadAllocatedBytes(journalThread) - journalBefore;
            final long followerBytes = threads.getThreadAllocatedBytes(followerThread) - followerBefore;

            assertTrue(matcherBytes < MATCHER_ALLOWED_BYTES, "matcher thread allocated " + matcherBytes + " bytes over " +
                MEASURED + " commands");
            assertTrue(journalBytes < JOURNAL_ALLOWED_BYTES, "journal thread allocated " + journalBytes + " bytes over " +
                MEASURED + " commands");
            assertTrue(followerBytes < FOLLOWER_ALLOWED_BYTES, "snapshot follower thread allocated " + followerBytes +
                " bytes over " + MEASURED + " commands");
        }
    }

    private static void awaitFollowed(final SnapshotFollower follower, final long sequence)
    {
        while (follower.followedSequence() < sequence)
        {
            assertNull(follower.failure());
            LockSupport.parkNanos(100_000);
        }
    }

    private static final class Counting implements ReleaseListener
    {
        private volatile long released;

        @Override
        public void onReleased(
            final long sequence,
            final long timestampNs,
            final long source,
            final DirectBuffer buffer,
            final int commandOffset,
            final int commandLength,
            final int eventsOffset,
            final int eventsLength)
        {
            released = sequence;
        }

        void await(final long sequence)
        {
            while (released < sequence)
            {
                LockSupport.parkNanos(100_000);
            }
        }
    }
}
