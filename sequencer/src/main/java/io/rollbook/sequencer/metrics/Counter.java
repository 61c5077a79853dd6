package io.rollbook.sequencer.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A monotonic count with one writer and any number of racy readers: the writing thread updates it with a plain
 * read and an opaque write (no fence, no lock prefix: the cost of a field increment), a scraping thread reads the
 * latest value it can see. A reader may see a value a little old, never a torn one.
 *
 * <p>Single writer: increments from two threads would lose counts.
 */
public final class Counter
{
    private static final VarHandle VALUE;

    static
    {
        try
        {
            VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private long value;

    /**
     * Writer thread only.
     */
    public void increment()
    {
        VALUE.setOpaque(this, value + 1);
    }

    /**
     * Writer thread only.
     *
     * @param delta not negative
     */
    public void add(final long delta)
    {
        VALUE.setOpaque(this, value + delta);
    }

    /**
     * @return the count; any thread
     */
    public long get()
    {
        return (long)VALUE.getOpaque(this);
    }
}
