package io.rollbook.gateway.view;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.rollbook.sequencer.BatchReleaseListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Hands the batches the sequencer releases, with where the journal holds them, to the threads that read the journal
 * on request (retransmission, trade history), so that their sparse {@link JournalIndex}es stay current without their
 * reading the journal: otherwise the first request after a long run read every batch since the index last grew.
 *
 * <p>The release thread writes every indexed batch ({@link JournalIndex#indexes}) into a ring per subscriber; a
 * subscriber drains its ring into its own index on its own thread. A full ring drops the entry rather than wait: the
 * index then has a gap, which costs a request reading a little more of the journal, never a wrong answer.
 */
public final class JournalIndexFeed implements BatchReleaseListener
{
    /** Entries of 24 bytes and an 8-byte record header: about 2,000 of them, 32,000 batches at a stride of 16. */
    private static final int RING_BYTES = 64 * 1024;
    private static final int ENTRY = 1;
    private static final int ENTRY_LENGTH = 3 * Long.BYTES;

    private final JournalIndex shape;
    private final UnsafeBuffer entry = new UnsafeBuffer(new byte[ENTRY_LENGTH]);
    private volatile OneToOneRingBuffer[] rings = new OneToOneRingBuffer[0];

    /**
     * @param shape an index whose stride the subscribers' indexes share
     */
    public JournalIndexFeed(final JournalIndex shape)
    {
        this.shape = shape;
    }

    /**
     * Before the sequencer starts, or from any thread: a new subscriber, fed from the next released batch on.
     *
     * @param index the subscriber's own index, which only the subscriber's thread touches
     */
    public synchronized Subscription subscribe(final JournalIndex index)
    {
        final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
        final OneToOneRingBuffer[] grown = Arrays.copyOf(rings, rings.length + 1);
        grown[grown.length - 1] = ring;
        rings = grown;
        return new Subscription(ring, index);
    }

    /**
     * Release thread.
     */
    @Override
    public void onBatchReleased(
        final long batchNumber, final long firstSequence, final long lastSequence, final long journalIndex)
    {
        if (!shape.indexes(batchNumber))
        {
            return;
        }
        entry.putLong(0, batchNumber);
        entry.putLong(Long.BYTES, journalIndex);
        entry.putLong(2 * Long.BYTES, lastSequence);
        for (final OneToOneRingBuffer ring : rings)
        {
            ring.write(ENTRY, entry, 0, ENTRY_LENGTH);
        }
    }

    /**
     * One subscriber's end of the feed, used on the subscriber's thread only.
     */
    public static final class Subscription
    {
        private final OneToOneRingBuffer ring;
        private final JournalIndex index;
        private final MessageHandler handler = this::onEntry;

        private Subscription(final OneToOneRingBuffer ring, final JournalIndex index)
        {
            this.ring = ring;
            this.index = index;
        }

        /**
         * Adds the batches released since the last call to the subscriber's index.
         */
        public void catchUp()
        {
            ring.read(handler);
        }

        private void onEntry(final int type, final DirectBuffer buffer, final int offset, final int length)
        {
            index.onBatch(buffer.getLong(offset), buffer.getLong(offset + Long.BYTES),
                buffer.getLong(offset + 2 * Long.BYTES));
        }
    }
}
