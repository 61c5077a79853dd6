package io.rollbook.sequencer.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts indexed by a small code (an SBE template id, a rejection reason), with one writer and racy readers, like
 * {@link Counter}: one array, no object per code, so counting by a code read off a message is an index and an add.
 * A code outside the array counts in slot 0, which callers keep for "other".
 *
 * <p>Single writer; any thread reads.
 */
public final class CounterArray
{
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counts;

    /**
     * @param size how many codes, 0 to size - 1
     */
    public CounterArray(final int size)
    {
        if (size < 1)
        {
            throw new IllegalArgumentException("a counter array needs at least one slot, got " + size);
        }
        counts = new long[size];
    }

    /**
     * Writer thread only.
     */
    public void increment(final int code)
    {
        final int slot = code >= 0 && code < counts.length ? code : 0;
        SLOT.setOpaque(counts, slot, counts[slot] + 1);
    }

    /**
     * @return the count of a code; any thread
     */
    public long get(final int code)
    {
        return (long)SLOT.getOpaque(counts, code);
    }

    public int size()
    {
        return counts.length;
    }
}
