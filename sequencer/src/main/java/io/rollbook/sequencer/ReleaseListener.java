package io.rollbook.sequencer;

import org.agrona.DirectBuffer;

/**
 * Receives sequenced commands and the events they produced once they may leave the service: only after the batch
 * that holds them is written to the journal (the durability gate). This is the whole of what a gateway sees of
 * the sequencer on the way out.
 *
 * <p>Called on the release thread, in sequence order, with no gaps. Implementations must not block and must not
 * keep references to the buffer beyond the call: copy what they need and hand it to their own threads.
 */
public interface ReleaseListener
{
    /**
     * One released command and its events.
     *
     * @param sequence      the command's sequence number
     * @param timestampNs   the time the sequencer stamped on it
     * @param source        the routing tag its publisher gave ({@link CommandPublisher#tryPublish}); 0 for commands
     *                      the service issued itself
     * @param buffer        holds the command and its events
     * @param commandOffset where the command's SBE message header starts
     * @param commandLength the command's length, header included
     * @param eventsOffset  where its first event's SBE message header starts; the events follow one another
     * @param eventsLength  the length of all its events together
     */
    void onReleased(
        long sequence,
        long timestampNs,
        long source,
        DirectBuffer buffer,
        int commandOffset,
        int commandLength,
        int eventsOffset,
        int eventsLength);

    /**
     * Called after the last command of a batch was released.
     *
     * @param batchNumber   the batch's number in the journal, from 1
     * @param firstSequence the first sequence number in it
     * @param lastSequence  the last sequence number in it
     */
    default void onBatchReleased(final long batchNumber, final long firstSequence, final long lastSequence)
    {
    }

    /**
     * Called after the last command of a batch was released, with where the journal holds the batch; by default
     * passed on to {@link #onBatchReleased(long, long, long)}. For a listener that records positions in the journal
     * (a snapshot of what it built names the batch it covers, so that a reader can resume right after it).
     *
     * @param journalIndex the batch's Chronicle Queue index
     */
    default void onBatchReleased(
        final long batchNumber, final long firstSequence, final long lastSequence, final long journalIndex)
    {
        onBatchReleased(batchNumber, firstSequence, lastSequence);
    }

    /**
     * Called once when the sequencer closes cleanly: every batch is released and the journal thread has stopped, so
     * the closing thread, which calls this, is the only one that calls the listener. The journal and the data
     * directory's lock are still held. Not called after a failure, nor after a close that did not drain.
     */
    default void onClosedCleanly()
    {
    }
}
