package io.rollbook.sequencer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.lmax.disruptor.EventFactory;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.sequencer.metrics.PipelineMetrics;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The command ring (an LMAX Disruptor ring buffer in multi-producer mode) and its publishing side.
 *
 * <p>Thread-safe for any number of publishers. {@link #tryPublish} never waits: it claims a slot with
 * {@code tryNext()}, which fails at once when the ring is full. The matcher thread polls the ring slot by slot
 * (it never waits in the ring's Disruptor wait strategy), so a non-signalling wait strategy is chosen so that
 * publishing takes no lock; a publish wakes the matcher thread only if it is idle.
 */
final class RingPublisher implements CommandPublisher
{
    private final RingBuffer<CommandSlot> ring;
    private final int maxCommandLength;
    private volatile boolean accepting = true;
    /** Set by the {@link DiskSpaceGuard}: {@link DiskLevel} of the journal's file system. */
    private volatile int diskLevel = DiskLevel.ENOUGH;
    private WakeableIdleStrategy consumerIdle;

    RingPublisher(final int ringSize, final int maxCommandLength)
    {
        final int slotLength = BitUtil.align(maxCommandLength, BitUtil.CACHE_LINE_LENGTH);
        final ByteBuffer block = ByteBuffer.allocateDirect(Math.multiplyExact(ringSize, slotLength));
        this.ring = RingBuffer.createMultiProducer(new SlotFactory(block, slotLength), ringSize, new YieldingWaitStrategy());
        this.maxCommandLength = maxCommandLength;
    }

    @Override
    public boolean tryPublish(final long source, final DirectBuffer command, final int offset, final int length)
    {
        if (tryPublishDeferringWake(source, command, offset, length))
        {
            consumerIdle.wake();
            return true;
        }

        return false;
    }

    @Override
    public boolean tryPublishDeferringWake(
        final long source, final DirectBuffer command, final int offset, final int length)
    {
        checkLength(length, "command");
        if (!accepting || diskLevel != DiskLevel.ENOUGH && refusedOnLowDisk(command, offset, length))
        {
            return false;
        }

        return claimAndPublish(source, command, offset, length);
    }

    /**
     * The part of a publish after the checks: a publisher that passed them may get here after {@link #stopAccepting}.
     *
     * @return false if the ring is full or the publisher has stopped accepting since the checks
     */
    boolean claimAndPublish(final long source, final DirectBuffer command, final int offset, final int length)
    {
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return false;
        }
        if (!accepting)
        {
            voidClaimed(sequence, sequence);
            return false;
        }
        fill(sequence, source, command, offset, length);
        ring.publish(sequence);

        return true;
    }

    @Override
    public void wakeConsumer()
    {
        consumerIdle.wake();
    }

    /**
     * All of the run or none of it: one claim of {@code count} slots, which fails at once when the ring lacks room
     * for them all, then one publish of the whole range and one wake.
     */
    @Override
    public int tryPublishRun(final CommandRun run, final int from, final int count)
    {
        if (count <= 0)
        {
            return 0;
        }
        if (count > ring.getBufferSize())
        {
            throw new IllegalArgumentException("a run of " + count + " commands does not fit the ring of " +
                ring.getBufferSize());
        }
        for (int i = from; i < from + count; i++)
        {
            checkLength(run.length(i), "command " + i + " of the run:");
        }
        if (!accepting)
        {
            return 0;
        }
        if (diskLevel != DiskLevel.ENOUGH)
        {
            for (int i = from; i < from + count; i++)
            {
                if (refusedOnLowDisk(run.buffer(), run.offset(i), run.length(i)))
                {
                    return 0;
                }
            }
        }

        return claimAndPublishRun(run, from, count);
    }

    /**
     * {@link #claimAndPublish} for a run, all of it or none.
     */
    int claimAndPublishRun(final CommandRun run, final int from, final int count)
    {
        final long last;
        try
        {
            last = ring.tryNext(count);
        }
        catch (final InsufficientCapacityException ex)
        {
            return 0;
        }
        final long first = last - count + 1;
        if (!accepting)
        {
            voidClaimed(first, last);
            return 0;
        }
        final DirectBuffer buffer = run.buffer();
        for (int i = 0; i < count; i++)
        {
            fill(first + i, run.source(from + i), buffer, run.offset(from + i), run.length(from + i));
        }
        ring.publish(first, last);
        consumerIdle.wake();

        return count;
    }

    /**
     * Publishes claimed slots as void: the matcher thread skips them, sequencing nothing. A publisher that passed the
     * check of {@code accepting} before {@link #stopAccepting} may claim its slots after the matcher thread has
     * drained the ring for a close; the second check, after the claim, refuses its commands. The claim is a
     * compare-and-set of the ring's cursor, which the drain reads after {@code accepting} was cleared: either the
     * drain sees the claim and waits for the slots, or the claim comes after it and this check sees the close.
     * Claimed slots must still be published, or the matcher thread would wait for them.
     */
    private void voidClaimed(final long first, final long last)
    {
        for (long sequence = first; sequence <= last; sequence++)
        {
            ring.get(sequence).length = CommandSlot.VOID;
        }
        ring.publish(first, last);
    }

    private void checkLength(final int length, final String what)
    {
        if (length <= 0 || length > maxCommandLength)
        {
            throw new IllegalArgumentException(what + " length " + length + " is not within 1.." + maxCommandLength);
        }
    }

    /**
     * Copies a command into its claimed slot; the publish-to-match latency is sampled on one slot in
     * {@code PUBLISH_SAMPLE_MASK + 1}.
     */
    private void fill(
        final long sequence, final long source, final DirectBuffer command, final int offset, final int length)
    {
        final CommandSlot slot = ring.get(sequence);
        slot.source = source;
        slot.length = length;
        slot.command.putBytes(0, command, offset, length);
        if ((sequence & PipelineMetrics.PUBLISH_SAMPLE_MASK) == 0)
        {
            slot.publishedNs = System.nanoTime();
        }
    }

    @Override
    public int maxCommandLength()
    {
        return maxCommandLength;
    }

    @Override
    public boolean isAccepting()
    {
        return accepting;
    }

    @Override
    public boolean isLowOnDisk()
    {
        return diskLevel != DiskLevel.ENOUGH;
    }

    void diskLevel(final int level)
    {
        diskLevel = level;
    }

    int diskLevel()
    {
        return diskLevel;
    }

    /**
     * Below the reserve, orders that add risk are refused and everything that takes it away (cancels, mass
     * cancels, the operator's oracle prices, funding and deposits) still goes through: a market maker must be able
     * to pull its quotes, and liquidations need prices, precisely when the venue is degraded. Below the last
     * quarter of the reserve, which is kept for what is in flight and the snapshot at shutdown, every command is
     * refused.
     */
    private boolean refusedOnLowDisk(final DirectBuffer command, final int offset, final int length)
    {
        if (diskLevel == DiskLevel.EXHAUSTED || length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return true;
        }
        final int template = command.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(),
            ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return template == PlaceOrderDecoder.TEMPLATE_ID || template == AmendOrderDecoder.TEMPLATE_ID;
    }

    /**
     * @param consumerIdle the matcher thread's idle strategy, cut short after each publish if it is idle
     */
    void wakeOnPublish(final WakeableIdleStrategy consumerIdle)
    {
        this.consumerIdle = consumerIdle;
    }

    void stopAccepting()
    {
        accepting = false;
    }

    RingBuffer<CommandSlot> ring()
    {
        return ring;
    }

    private static final class SlotFactory implements EventFactory<CommandSlot>
    {
        private final ByteBuffer block;
        private final int slotLength;
        private int next;

        SlotFactory(final ByteBuffer block, final int slotLength)
        {
            this.block = block;
            this.slotLength = slotLength;
        }

        @Override
        public CommandSlot newInstance()
        {
            final CommandSlot slot = new CommandSlot(new UnsafeBuffer(block, next * slotLength, slotLength));
            next++;
            return slot;
        }
    }
}
