package io.rollbook.sequencer;

import java.util.concurrent.atomic.AtomicBoolean;

import io.rollbook.journal.snapshot.SnapshotStore;
import org.agrona.ExpandableArrayBuffer;

/**
 * The one reusable snapshot buffer of whichever thread takes the periodic snapshots. The matcher thread fills it at a
 * batch boundary (state bytes after a {@link SnapshotStore#HEADER_LENGTH}-byte gap for the file header) and attaches
 * it to the batch it covers, and the journal thread stamps the batch's journal index once that batch is durable and
 * hands the job to the snapshot writer thread; or the {@link SnapshotFollower} fills it after a released batch, index
 * and all, and hands it over itself. The writer frames and writes the file, makes room for a larger state and then
 * frees the job. While it is in use, a snapshot that falls due waits for a later batch.
 *
 * <p>The buffer grows off the encoding thread: sized at start for the recovered state and after every write for the
 * state just written, each time with {@link #HEADROOM_DIVISOR a quarter} more, so that a growing state rarely makes
 * the matcher thread (or the follower) allocate and copy a larger buffer in the middle of its encoding.
 */
final class SnapshotJob
{
    static final int MIN_CAPACITY = 1 << 20;
    /** The room kept beyond the last state: a quarter of it. */
    static final int HEADROOM_DIVISOR = 4;
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    final ExpandableArrayBuffer buffer;
    final AtomicBoolean inUse = new AtomicBoolean();
    int stateLength;
    long lastSequence;
    long lastBatchNumber;
    long lastBatchIndex;
    long lastTimestampNs;

    /**
     * @param expectedStateLength the length of a state like the next one, for the first size of the buffer
     */
    SnapshotJob(final long expectedStateLength)
    {
        buffer = new ExpandableArrayBuffer(capacityFor(expectedStateLength));
    }

    /**
     * Snapshot writer thread, while the job is in use: grows the buffer, if need be, to hold the state just written
     * with its headroom.
     */
    void makeRoom()
    {
        final int capacity = capacityFor(stateLength);
        if (buffer.capacity() < capacity)
        {
            buffer.checkLimit(capacity);
        }
    }

    static int capacityFor(final long stateLength)
    {
        final long capacity = SnapshotStore.HEADER_LENGTH + stateLength + stateLength / HEADROOM_DIVISOR;
        return (int)Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, capacity));
    }
}
