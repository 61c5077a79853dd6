package io.rollbook.sequencer;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.rollbook.journal.CheckedReplay;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalReader;
import io.rollbook.journal.snapshot.MatcherStateCodec;
import io.rollbook.journal.snapshot.SnapshotStore;
import io.rollbook.matcher.Matcher;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the periodic snapshots without stopping the matcher thread ({@code sequencer.snapshotFollower}). Encoding a
 * large state takes long (about 200 ms for a million resting orders), and the matcher thread that does it at a batch
 * boundary sequences nothing meanwhile. Instead a replica, a second matcher built at start from the state recovery reached, follows the journal on this
 * thread: it executes every journaled batch again, checks each command's events against the journaled ones
 * ({@link CheckedReplay}, as recovery does), and when {@code snapshotEveryBatches} batches or
 * {@code snapshotEveryCommands} commands have passed since the last snapshot it encodes its own state, which is the
 * matcher's at that batch (the matcher is deterministic and the journal holds every command), and hands it to the
 * {@link SnapshotWriter}. While the writer still has the last one, the next waits for the following batch.
 *
 * <p>The replica's commands are the journal's, not the ring's: it reads what the journal thread appended, and takes a
 * snapshot only of a batch the journal thread has released, so that, as before, a snapshot on disk proves its batch
 * was journaled, released and (the writer forces the journal before it writes the file) on the device. A
 * replica that diverges from the journal stops here with an error and takes no more snapshots: the matcher thread
 * goes on, the journal holds everything, and the shutdown snapshot is still the matcher's own.
 *
 * <p>Runs on its own thread; allocates nothing per command. Costs a second matcher's memory and a second execution of
 * every command, off the matcher thread: on a machine without a core to spare that CPU is taken from the others (at
 * full speed on two cores, about a tenth more for the service), which is why it is not the default.
 */
final class SnapshotFollower implements Agent
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFollower.class);
    /** Batches per unit of work, so that the runner sees a stop request while the follower catches up. */
    private static final int BATCHES_PER_WORK = 64;

    private final Supplier<JournalReader> readers;
    private final LongSupplier released;
    private final Matcher replica;
    private final MatcherStateCodec codec;
    private final SnapshotSchedule schedule;
    private final SnapshotWriter writer;
    private final SnapshotJob job;
    private final CheckedReplay replay = new CheckedReplay();
    private final long startBatchNumber;
    private final long startBatchIndex;
    private JournalCursor cursor;
    /** A snapshot is due after a batch the journal thread has not released yet. */
    private boolean awaitingRelease;
    private volatile long followedSequence;
    private volatile Throwable failure;

    /**
     * @param readers          opens a reader over the journal; called once, on the follower's thread
     * @param released         the last sequence the journal thread released; any thread
     * @param replica          a matcher in the state after batch {@code startBatchNumber}, owned by this follower
     * @param startBatchNumber the last batch the replica holds, 0 for none
     * @param startBatchIndex  that batch's index in the journal
     */
    SnapshotFollower(
        final Supplier<JournalReader> readers,
        final LongSupplier released,
        final Matcher replica,
        final long startBatchNumber,
        final long startBatchIndex,
        final MatcherStateCodec codec,
        final long everyBatches,
        final long everyCommands,
        final SnapshotWriter writer)
    {
        this.readers = readers;
        this.released = released;
        this.replica = replica;
        this.startBatchNumber = startBatchNumber;
        this.startBatchIndex = startBatchIndex;
        this.codec = codec;
        this.schedule = new SnapshotSchedule(everyBatches, everyCommands);
        this.writer = writer;
        this.job = new SnapshotJob(replica.snapshotLength());
        this.followedSequence = replica.lastSequence();
    }

    /**
     * Launching thread, before the matcher thread runs: a replica of the recovered matcher, through the snapshot
     * encoding (what a start from a snapshot file reads, so the replica is what recovery would build).
     */
    static Matcher replicaOf(final Matcher matcher, final MatcherStateCodec codec)
    {
        final SnapshotJob copy = new SnapshotJob(matcher.snapshotLength());
        final int length = codec.write(matcher, copy.buffer, SnapshotStore.HEADER_LENGTH);
        return codec.read(copy.buffer, SnapshotStore.HEADER_LENGTH, length);
    }

    @Override
    public String roleName()
    {
        return "rollbook-snapshot-follower";
    }

    @Override
    public void onStart()
    {
        try
        {
            cursor = JournalCursor.over(readers.get());
            if (startBatchNumber > 0 && !cursor.resumeAfter(startBatchNumber, startBatchIndex))
            {
                throw new JournalException("the journal does not hold batch " + startBatchNumber + " at index " +
                    Long.toHexString(startBatchIndex));
            }
        }
        catch (final RuntimeException ex)
        {
            throw fail(ex);
        }
    }

    @Override
    public int doWork()
    {
        try
        {
            if (awaitingRelease)
            {
                if (released.getAsLong() < cursor.lastSequence())
                {
                    return 0;
                }
                awaitingRelease = false;
                snapshotIfFree();
            }
            int work = 0;
            while (work < BATCHES_PER_WORK)
            {
                final int kind = cursor.next();
                if (kind == JournalCursor.END)
                {
                    break;
                }
                if (kind == JournalCursor.BATCH)
                {
                    schedule.onBatch(replay.replay(replica, cursor.document()));
                    followedSequence = cursor.lastSequence();
                    work++;
                    if (schedule.due())
                    {
                        if (released.getAsLong() < cursor.lastSequence())
                        {
                            awaitingRelease = true;
                            break;
                        }
                        snapshotIfFree();
                    }
                }
            }
            return work;
        }
        catch (final AgentTerminationException ex)
        {
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            throw fail(ex);
        }
    }

    /**
     * While the writer still holds the last snapshot, this one waits for the following batch.
     */
    private void snapshotIfFree()
    {
        if (job.inUse.compareAndSet(false, true))
        {
            takeSnapshot();
        }
    }

    private void takeSnapshot()
    {
        job.stateLength = codec.write(replica, job.buffer, SnapshotStore.HEADER_LENGTH);
        job.lastSequence = cursor.lastSequence();
        job.lastBatchNumber = cursor.lastBatchNumber();
        job.lastBatchIndex = cursor.lastBatchIndex();
        job.lastTimestampNs = replica.lastTimestampNs();
        schedule.taken();
        writer.submit(job);
    }

    private AgentTerminationException fail(final RuntimeException ex)
    {
        failure = ex;
        LOG.error("PERIODIC SNAPSHOTS STOPPED after sequence {}: {}. Sequencing goes on and the journal holds " +
            "everything; a start replays the journal after the newest snapshot, and a clean shutdown still writes " +
            "one.", followedSequence, ex.toString(), ex);
        throw new AgentTerminationException(ex);
    }

    @Override
    public void onClose()
    {
        CloseHelper.quietClose(cursor);
    }

    /**
     * @return the last sequence the replica executed; any thread
     */
    long followedSequence()
    {
        return followedSequence;
    }

    /**
     * @return why the follower stopped, or null while it follows
     */
    Throwable failure()
    {
        return failure;
    }
}
