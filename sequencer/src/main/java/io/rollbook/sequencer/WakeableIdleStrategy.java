package io.rollbook.sequencer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.IdleStrategy;

/**
 * An idle strategy that another thread can cut short. The owner idles through the configured strategy (which
 * parks once spinning and yielding found nothing); a thread that has just handed it work calls {@link #wake()},
 * which unparks the owner only once it has been idle long enough to be parking, so a busy or merely spinning owner
 * costs the waker an atomic increment and a volatile read, not a system call.
 *
 * <p>No wake is lost: every wake is counted, and the owner parks only if no wake came since it last looked for
 * work (the count it saw when its previous idle call returned, before its duty cycle). Either the owner sees the
 * waker's count, or the waker sees the owner idle and unparks it. So a strategy that parks for long, woken only by
 * the threads that hand over work, answers as fast as one that polls often, at a fraction of the CPU: on a
 * virtual machine a short timed park costs several times what a park ended by an unpark does.
 */
final class WakeableIdleStrategy implements IdleStrategy
{
    private final IdleStrategy delegate;
    private final int parksAfter;
    private final AtomicLong wakes = new AtomicLong();
    private volatile Thread owner;
    private volatile boolean idle;
    private int idleCalls;
    private long wakesSeen;

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
     * Called by any thread that just gave the owner work (after making the work visible).
     */
    void wake()
    {
        wakes.getAndIncrement();
        if (idle)
        {
            final Thread thread = owner;
            if (thread != null)
            {
                LockSupport.unpark(thread);
            }
        }
    }

    /**
     * @return how many wakes there have been; any thread
     */
    long wakeCount()
    {
        return wakes.get();
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
            if (wakes.get() == wakesSeen)
            {
                delegate.idle();
            }
            idle = false;
        }
        else
        {
            idleCalls++;
            delegate.idle();
        }
        wakesSeen = wakes.get();
    }

    @Override
    public void reset()
    {
        idleCalls = 0;
        delegate.reset();
        wakesSeen = wakes.get();
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
