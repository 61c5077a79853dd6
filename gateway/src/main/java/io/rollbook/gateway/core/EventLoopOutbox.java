package io.rollbook.gateway.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoop;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Hands messages from the gateway's own threads (the release thread, the retransmission thread) to one Netty event
 * loop, without allocating and without blocking: an off-heap Agrona ring buffer (many producers, the loop as its
 * one consumer) and a drain task that runs on the loop.
 *
 * <p>Producers claim space ({@link #tryClaim}), write in place and {@link #commit}, then call {@link #wake()} once
 * per group of messages (the release thread: once per released batch). {@code wake()} submits the drain task to
 * the loop only if it is not already scheduled, so a busy loop is woken at most once per transition from idle to
 * busy rather than once per message. The drain task reads up to a limit, tells the consumer the pass is over
 * (where the consumer flushes its connections), then clears the scheduled flag and re-checks the ring, so a message
 * committed while it ran is never left behind.
 *
 * <p>When the ring is full a claim fails, the message is lost and {@link #lostMessages()} counts it: the release
 * thread must never wait. The consumer notices the count and recovers its connections (a session that lost reports
 * is terminated and retransmits after reconnecting; market data subscribers get fresh snapshots).
 *
 * <p>Thread-safe for producers; {@link #run()} belongs to the event loop.
 */
public final class EventLoopOutbox implements Runnable
{
    /**
     * The event loop's side of the outbox.
     */
    public interface Consumer extends org.agrona.concurrent.MessageHandler
    {
        /**
         * Called on the event loop after each drain pass that handled at least one message: flush what was written.
         */
        void onDrainPassEnd();
    }

    private final EventLoop eventLoop;
    private final int index;
    private final RingBuffer ring;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong lost = new AtomicLong();
    private final int drainLimit;
    private Consumer consumer;

    /**
     * @param eventLoop     the loop that consumes
     * @param index         the loop's index in its group
     * @param capacityBytes the ring's capacity, a power of two
     * @param drainLimit    messages per drain pass before the loop gets back to its sockets
     */
    public EventLoopOutbox(final EventLoop eventLoop, final int index, final int capacityBytes, final int drainLimit)
    {
        if (!BitUtil.isPowerOfTwo(capacityBytes))
        {
            throw new IllegalArgumentException("outbox capacity must be a power of two, got " + capacityBytes);
        }
        this.eventLoop = eventLoop;
        this.index = index;
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferAlloc.direct(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.drainLimit = drainLimit;
    }

    /**
     * Sets the loop's consumer; before any producer writes.
     */
    public void consumer(final Consumer consumer)
    {
        this.consumer = consumer;
    }

    public EventLoop eventLoop()
    {
        return eventLoop;
    }

    public int index()
    {
        return index;
    }

    /**
     * For producers that must never wait: a failed claim loses the message.
     *
     * @return the offset to write {@code length} bytes at in {@link #buffer()}, or a negative value if the ring is
     *         full (the message is counted as lost)
     */
    public int tryClaim(final int msgTypeId, final int length)
    {
        final int claimed = ring.tryClaim(msgTypeId, length);
        if (claimed < 0)
        {
            lost.incrementAndGet();
        }
        return claimed;
    }

    /**
     * For producers that can wait and try again: a failed claim loses nothing.
     *
     * @return the offset to write at, or a negative value if the ring has no room now
     */
    public int tryClaimOrRetryLater(final int msgTypeId, final int length)
    {
        return ring.tryClaim(msgTypeId, length);
    }

    public AtomicBuffer buffer()
    {
        return ring.buffer();
    }

    public void commit(final int claimedIndex)
    {
        ring.commit(claimedIndex);
    }

    /**
     * @return the longest message the ring takes
     */
    public int maxMessageLength()
    {
        return ring.maxMsgLength();
    }

    /**
     * Producer: makes sure the loop drains soon. Cheap when the drain task is already scheduled.
     */
    public void wake()
    {
        if (!scheduled.get() && scheduled.compareAndSet(false, true))
        {
            eventLoop.execute(this);
        }
    }

    /**
     * @return messages lost to a full ring since start
     */
    public long lostMessages()
    {
        return lost.get();
    }

    /**
     * @return the bytes waiting in the ring, for back pressure on the loop's inbound side
     */
    public int occupancy()
    {
        return ring.size();
    }

    public int capacity()
    {
        return ring.capacity();
    }

    /**
     * The drain task; runs on the event loop.
     */
    @Override
    public void run()
    {
        final int read = ring.read(consumer, drainLimit);
        if (read > 0)
        {
            consumer.onDrainPassEnd();
        }
        scheduled.set(false);
        if (ring.size() > 0 && scheduled.compareAndSet(false, true))
        {
            eventLoop.execute(this);
        }
    }
}
