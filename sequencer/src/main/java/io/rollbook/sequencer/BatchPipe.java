package io.rollbook.sequencer;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-off between the matcher thread and the journal thread: a fixed ring of reusable {@link Batch}
 * buffers and two counters. The matcher thread fills batch {@code closed} and publishes it by advancing
 * {@code closed}; the journal thread appends every batch below {@code closed} and gives it back by advancing
 * {@code released}. When every buffer is in flight the matcher waits for one: back pressure that reaches the
 * publishers through the command ring.
 *
 * <p>Single producer (the matcher thread), single consumer (the journal thread). Allocates nothing after
 * construction.
 */
final class BatchPipe
{
    private final Batch[] batches;
    private final int mask;
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private long closedByMatcher;
    private volatile boolean matcherWaiting;

    BatchPipe(final int capacity, final int initialBatchCapacity)
    {
        if (Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("batches in flight must be a power of two, got " + capacity);
        }
        batches = new Batch[capacity];
        for (int i = 0; i < capacity; i++)
        {
            batches[i] = new Batch(initialBatchCapacity);
        }
        mask = capacity - 1;
    }

    /**
     * Matcher thread: the next batch to fill, or null while every buffer is in flight.
     */
    Batch claim()
    {
        if (closedByMatcher - released.get() >= batches.length)
        {
            return null;
        }

        return batches[(int)closedByMatcher & mask];
    }

    /**
     * Matcher thread: hands the claimed batch to the journal thread.
     */
    void publish()
    {
        closed.lazySet(++closedByMatcher);
    }

    /**
     * Matcher thread: true when the journal thread has released everything handed to it, so a batch closed now
     * is journaled at once rather than queued behind others.
     */
    boolean journalIdle()
    {
        return released.get() == closedByMatcher;
    }

    /**
     * Journal thread: how many batches have been handed over in total.
     */
    long closedCount()
    {
        return closed.get();
    }

    /**
     * Journal thread: the batch with this running number.
     */
    Batch batch(final long number)
    {
        return batches[(int)number & mask];
    }

    /**
     * Journal thread: gives back every batch below {@code count}.
     */
    void recycle(final long count)
    {
        released.lazySet(count);
    }

    /**
     * Matcher thread: says whether it is waiting for the journal thread, for a free buffer or for the journal to go
     * idle so that its open batch can close. Having said so, it must look once more before it idles, so that a
     * release made before the journal thread could see this is not missed.
     */
    void matcherWaiting(final boolean waiting)
    {
        matcherWaiting = waiting;
    }

    /**
     * Journal thread, after {@link #recycle}: whether the matcher thread waits for what was just released. The fence
     * orders the release before this read, so that either the matcher thread's second look sees the release or
     * this sees it waiting.
     */
    boolean matcherWaitsForRelease()
    {
        VarHandle.fullFence();
        return matcherWaiting;
    }

    long releasedCount()
    {
        return released.get();
    }
}
