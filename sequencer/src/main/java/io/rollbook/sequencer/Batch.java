package io.rollbook.sequencer;

import org.agrona.ExpandableDirectByteBuffer;

/**
 * One reusable batch buffer travelling between the matcher thread (which fills it) and the journal thread
 * (which appends, syncs, releases and recycles it). Ownership passes with the {@link BatchPipe} counters: a
 * batch belongs to exactly one of the two threads at any time.
 */
final class Batch
{
    final ExpandableDirectByteBuffer buffer;
    int length;
    long batchNumber;
    long firstSequence;
    long lastSequence;
    int commandCount;
    /** The Chronicle Queue index the journal thread appended it at. */
    long journalIndex;
    /** {@code System.nanoTime()} when its first command was matched, for the match-to-journal latency. */
    long openedNs;
    /** A snapshot that covers exactly the state after this batch, written once the batch is durable; or null. */
    SnapshotJob snapshot;

    Batch(final int initialCapacity)
    {
        this.buffer = new ExpandableDirectByteBuffer(initialCapacity);
    }
}
