package io.rollbook.sequencer;

import io.rollbook.journal.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot buffer is sized off the encoding thread: at start for the recovered state, after each write for the
 * state just written, with a quarter more as headroom; so the snapshot follower's encoding finds it large enough.
 */
class SnapshotJobTest
{
    private static final int LARGE_STATE = 40_000_000;

    @Test
    void startsLargeEnoughForTheRecoveredStateWithHeadroom()
    {
        final SnapshotJob job = new SnapshotJob(LARGE_STATE);
        assertTrue(job.buffer.capacity() >= SnapshotStore.HEADER_LENGTH + LARGE_STATE + LARGE_STATE / 4,
            "capacity " + job.buffer.capacity());
        assertEquals(SnapshotJob.MIN_CAPACITY, new SnapshotJob(0).buffer.capacity());
    }

    @Test
    void growsAfterAWriteForTheStateJustWritten()
    {
        final SnapshotJob job = new SnapshotJob(0);
        job.buffer.putLong(SnapshotStore.HEADER_LENGTH, 42);
        job.stateLength = LARGE_STATE;
        job.makeRoom();
        assertTrue(job.buffer.capacity() >= SnapshotStore.HEADER_LENGTH + LARGE_STATE + LARGE_STATE / 4,
            "capacity " + job.buffer.capacity());
        assertEquals(42, job.buffer.getLong(SnapshotStore.HEADER_LENGTH), "what the buffer held is kept");

        final int grown = job.buffer.capacity();
        job.stateLength = LARGE_STATE / 2;
        job.makeRoom();
        assertEquals(grown, job.buffer.capacity(), "never shrinks");
    }
}
