package io.rollbook.gateway.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A set of small ids (accounts, markets) that one event loop is interested in, which the release thread reads to
 * decide whether a message is worth handing to that loop at all.
 *
 * <p>Single writer (the owning event loop), any number of readers. Writes and reads are volatile, which is what
 * the hand-over between a session starting on a loop and the release thread needs: a loop that adds an id and
 * then reads the release progress either sees a sequence that the release thread has not yet checked the id for,
 * or the release thread sees the id (see {@link ReleaseProgress}).
 */
public final class InterestSet
{
    private final AtomicLongArray bits;
    private final int capacity;

    /**
     * @param capacity ids from 0 (inclusive) to this (exclusive)
     */
    public InterestSet(final int capacity)
    {
        this.capacity = capacity;
        this.bits = new AtomicLongArray((capacity + 63) >>> 6);
    }

    public boolean contains(final int id)
    {
        return id >= 0 && id < capacity && (bits.get(id >>> 6) & (1L << id)) != 0;
    }

    /**
     * Owner thread only.
     */
    public void add(final int id)
    {
        final int word = id >>> 6;
        bits.set(word, bits.get(word) | (1L << id));
    }

    /**
     * Owner thread only.
     */
    public void remove(final int id)
    {
        final int word = id >>> 6;
        bits.set(word, bits.get(word) & ~(1L << id));
    }

    public int capacity()
    {
        return capacity;
    }
}
