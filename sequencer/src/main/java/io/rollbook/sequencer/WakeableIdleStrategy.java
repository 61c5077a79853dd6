package io.rollbook.sequencer;

import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.IdleStrategy;

/**
 * An idle strategy that another thread can cut short. The owner idles through the configured strategy (which
 * parks once spinning and yielding found nothing); a thread that has just handed it work calls {@link #wake()},
 * which unparks the owner only once it has been idle long enough to be parking, so a busy or merely spinning owner
 * costs the waker one volatile read, not a system call.
 *
 * <p>A wake that races with the owner going idle is never lost for longer than the strategy's longest park: the
 * owner polls again when the park times out.
 */
final class WakeableIdleStrategy implements IdleStrategy
{
    private final IdleStrategy delegate;
    private final int parksAfter;
    private volatile Thread owner;
    private volatile boolean idle;
    private int idleCalls;

    /**
     * @param delegate   the configured strategy
     * @param parksAfter how many idle calls in a row the delegate makes before it parks (0 if it parks at once,
     *                   {@link Integer#MAX_VALUE} if it never does)
     */
    WakeableIdleStrategy(final IdleStrategy delegate, final int parksAfter)
    {
        this.delegate = delegate;
        this.parksAfter = parksAfter;
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
            reset();
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
        if (idleCalls >= parksAfter)
        {
            idle = true;
            delegate.idle();
            idle = false;
        }
        else
        {
            idleCalls++;
            delegate.idle();
        }
    }

    @Override
    public void reset()
    {
        idleCalls = 0;
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
