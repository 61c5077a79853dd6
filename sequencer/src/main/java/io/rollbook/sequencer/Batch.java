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
    /**
     * The ring slots its commands are in, or -1 for a batch of the service's own commands, which are in the buffer
     * already. The matcher thread leaves room in the buffer for each command it takes off the ring; the journal
     * thread copies them in from these slots (void slots among them skipped) and only then frees the slots.
     */
    long firstRingSequence = -1;
    long lastRingSequence = -1;
    /** A snapshot that covers exactly the state after this batch, written once the batch is durable; or null. */
    SnapshotJob snapshot;

    Batch(final int initialCapacity)
    {
        this.buffer = new ExpandableDirectByteBuffer(initialCapacity);
    }
}
