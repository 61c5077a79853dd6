package io.rollbook.gateway.core;

import java.util.function.IntFunction;

/**
 * When the release thread wakes the event loops it writes to: once per released batch for every loop it wrote to,
 * and within a large batch every {@value #WAKE_EVERY} messages to one loop, so that a loop starts draining before
 * its outbox fills while the release thread never pays a wake-up per message.
 *
 * <p>Release thread only.
 */
public final class OutboxWakes
{
    /** Messages to one loop after which it is woken even in the middle of a batch. */
    public static final int WAKE_EVERY = 256;

    private final EventLoopOutbox[] outboxes;
    private final int[] unwoken;

    /**
     * @param loops    how many loops
     * @param outboxes a loop's outbox by its index
     */
    public OutboxWakes(final int loops, final IntFunction<EventLoopOutbox> outboxes)
    {
        this.outboxes = new EventLoopOutbox[loops];
        for (int i = 0; i < loops; i++)
        {
            this.outboxes[i] = outboxes.apply(i);
        }
        this.unwoken = new int[loops];
    }

    /**
     * A message was written (or lost) for the loop.
     */
    public void written(final int loopIndex)
    {
        if (++unwoken[loopIndex] >= WAKE_EVERY)
        {
            unwoken[loopIndex] = 0;
            outboxes[loopIndex].wake();
        }
    }

    /**
     * The end of a released batch: wakes every loop written to since its last wake.
     */
    public void batchReleased()
    {
        for (int i = 0; i < outboxes.length; i++)
        {
            if (unwoken[i] > 0)
            {
                unwoken[i] = 0;
                outboxes[i].wake();
            }
        }
    }
}
