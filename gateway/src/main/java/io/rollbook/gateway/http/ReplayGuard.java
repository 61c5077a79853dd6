package io.rollbook.gateway.http;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refuses a signed request that changes state when its signature has been seen before: within the timestamp window
 * a captured request would otherwise be accepted again (a second withdrawal). Signatures are remembered until their
 * timestamp leaves the window, after which the timestamp check refuses them anyway.
 *
 * <p>At most {@code capacity} signatures are remembered: how many arrive within a window grows with the accounts'
 * request rates and the window's length, and the heap does not. A signature that would be one more is
 * {@link #FULL refused}, not executed and not remembered, so the same signed request may come again once older
 * ones left the window. The stale ones are swept every tenth of a window: a sweep walks the whole table, so it
 * does not run on every timer tick, not even while the table is full.
 *
 * <p>Thread-safe: shared by every event loop, since a replay may arrive on another connection; {@link #expire} is
 * called by one of them.
 */
final class ReplayGuard
{
    /** The signature was not seen before and is now remembered. */
    static final int FIRST = 0;
    /** The signature was seen before within the window. */
    static final int REPLAYED = 1;
    /** The table holds its capacity: nothing was remembered. */
    static final int FULL = 2;

    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    /** Signatures remembered, or about to be: a claim takes a place before it puts, so the bound is exact. */
    private final AtomicInteger size = new AtomicInteger();
    private final long windowMs;
    private final int capacity;
    private final long sweepPeriodMs;
    private long lastSweepMs;
    private boolean swept;

    ReplayGuard(final long windowMs, final int capacity)
    {
        this.windowMs = windowMs;
        this.capacity = capacity;
        this.sweepPeriodMs = Math.max(1, windowMs / 10);
    }

    /**
     * @return {@link #FIRST} the first time the signature is presented, {@link #REPLAYED} for a replay, {@link #FULL}
     *         when the table holds {@code capacity} signatures already
     */
    int firstUse(final String signature, final long timestampMs)
    {
        if (seen.containsKey(signature))
        {
            return REPLAYED;
        }
        if (size.incrementAndGet() > capacity)
        {
            size.decrementAndGet();
            return FULL;
        }
        if (seen.putIfAbsent(signature, timestampMs) != null)
        {
            size.decrementAndGet();
            return REPLAYED;
        }
        return FIRST;
    }

    /**
     * The request was not executed after all (the sequencer was busy): it may come again.
     */
    void forget(final String signature)
    {
        if (seen.remove(signature) != null)
        {
            size.decrementAndGet();
        }
    }

    /**
     * Forgets signatures whose timestamps are out of the window now, if a tenth of a window passed since the last
     * sweep.
     */
    void expire(final long nowMs)
    {
        if (size.get() == 0 || (swept && nowMs - lastSweepMs < sweepPeriodMs))
        {
            return;
        }
        swept = true;
        lastSweepMs = nowMs;
        final Iterator<Map.Entry<String, Long>> entries = seen.entrySet().iterator();
        while (entries.hasNext())
        {
            final Map.Entry<String, Long> entry = entries.next();
            if (!RequestSigning.isFresh(entry.getValue(), nowMs, windowMs) &&
                seen.remove(entry.getKey(), entry.getValue()))
            {
                size.decrementAndGet();
            }
        }
    }

    int size()
    {
        return size.get();
    }

    int capacity()
    {
        return capacity;
    }
}
