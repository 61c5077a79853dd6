package io.rollbook.sequencer;

import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.IdleStrategy;

/**
 * An idle strategy that another thread can cut short. The owner idles through the configured strategy (which
 * parks once spinning and yielding found nothing); a thread that has just handed it work calls {@link #wake()},
 * which unparks the owner only if it is idle, so a busy owner costs the waker one volatile read.
 *
 * <p>A wake that races with the owner going idle is never lost for longer than the strategy's longest park: the
 * owner polls again when the park times out.
 */
final class WakeableIdleStrategy implements IdleStrategy
{
    private final IdleStrategy delegate;
    private volatile Thread owner;
    private volatile boolean idle;

    WakeableIdleStrategy(final IdleStrategy delegate)
    {
        this.delegate = delegate;
    }

    /**
     * Called by any thread that just gave the owner work.
     */
    void wake()
    {
        if (idle)
        {
            final Thread thread = owner;
            if (thread != null)
            {
                LockSupport.unpark(thread);
            }
        }
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            delegate.reset();
            return;
        }
        idle();
    }

    @Override
    public void idle()
    {
        if (owner == null)
        {
            owner = Thread.currentThread();
        }
        idle = true;
        delegate.idle();
        idle = false;
    }

    @Override
    public void reset()
    {
        delegate.reset();
    }

    @Override
    public String alias()
    {
        return delegate.alias();
    }

    @Override
    public String toString()
    {
        return delegate.toString();
    }
}
