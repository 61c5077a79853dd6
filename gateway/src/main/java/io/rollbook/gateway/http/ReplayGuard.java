package io.rollbook.gateway.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a signed request that changes state when its signature has been seen before: within the timestamp window
 * a captured request would otherwise be accepted again (a second withdrawal). Signatures are remembered until their
 * timestamp leaves the window, after which the timestamp check refuses them anyway.
 *
 * <p>Thread-safe: shared by every event loop, since a replay may arrive on another connection.
 */
final class ReplayGuard
{
    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
    private final long windowMs;

    ReplayGuard(final long windowMs)
    {
        this.windowMs = windowMs;
    }

    /**
     * @return true the first time the signature is presented, false for a replay
     */
    boolean firstUse(final String signature, final long timestampMs)
    {
        return seen.putIfAbsent(signature, timestampMs) == null;
    }

    /**
     * The request was not executed after all (the sequencer was busy): it may come again.
     */
    void forget(final String signature)
    {
        seen.remove(signature);
    }

    /**
     * Forgets signatures whose timestamps are out of the window now.
     */
    void expire(final long nowMs)
    {
        if (!seen.isEmpty())
        {
            seen.values().removeIf(timestampMs -> !RequestSigning.isFresh(timestampMs, nowMs, windowMs));
        }
    }
}
