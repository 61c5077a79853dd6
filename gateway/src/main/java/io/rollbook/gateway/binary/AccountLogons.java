package io.rollbook.gateway.binary;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each account last established an order-entry session, on any event loop: a dead-man timer that outlived its
 * connection stands down once its account is back.
 *
 * <p>Thread-safe: written by the event loop that establishes a session, read by every loop's timer. Times are
 * {@link System#nanoTime()} readings, comparable across loops.
 */
final class AccountLogons
{
    private final AtomicLongArray establishedNs;

    AccountLogons(final int accountCapacity)
    {
        establishedNs = new AtomicLongArray(accountCapacity);
        for (int i = 0; i < accountCapacity; i++)
        {
            establishedNs.set(i, Long.MIN_VALUE);
        }
    }

    void established(final int account, final long nowNs)
    {
        establishedNs.set(account, nowNs);
    }

    /**
     * @return true if a session of the account was established after {@code sinceNs}
     */
    boolean establishedAfter(final int account, final long sinceNs)
    {
        final long at = establishedNs.get(account);
        return at != Long.MIN_VALUE && at - sinceNs > 0;
    }
}
