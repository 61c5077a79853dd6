package io.rollbook.gateway.core;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.NanoClock;

/**
 * The request rate of one client address: a token bucket its connections share, whichever event loop serves each,
 * so that opening more connections gives a client no more requests. Requests that need no signature (reads,
 * WebSocket subscriptions) are limited by nothing else, and each costs the event loop every session shares.
 *
 * <p>The same generic cell rate algorithm as {@link TokenBucket}, its one number kept in an atomic: a request costs
 * a compare-and-set, which only the address's connections on other loops contend for.
 *
 * <p>Thread-safe. {@link AddressLimit} makes one for each address it tracks; it lasts as long as the address's entry.
 */
public final class AddressRequests
{
    private final long intervalNs;
    private final long burstToleranceNs;
    private final NanoClock clock;
    /** When the bucket is next full: at or before now, it is full. */
    private final AtomicLong theoreticalArrivalNs;

    /**
     * @param intervalNs the time one request's token takes to come back, 1 to {@link AddressLimit#MAX_INTERVAL_NS}
     * @param burst      the requests a full bucket lets through at once, 1 to {@link AddressLimit#MAX_BURST}
     * @param clock      the monotonic clock of the address's limits
     */
    AddressRequests(final long intervalNs, final long burst, final NanoClock clock)
    {
        this.intervalNs = intervalNs;
        this.burstToleranceNs = intervalNs * (burst - 1);
        this.clock = clock;
        this.theoreticalArrivalNs = new AtomicLong(clock.nanoTime());
    }

    /**
     * @return true if a request of the address may be handled now (it is counted), false if the address is over its
     *     rate (nothing is counted)
     */
    public boolean tryAcquire()
    {
        final long nowNs = clock.nanoTime();
        while (true)
        {
            final long arrivalNs = theoreticalArrivalNs.get();
            final long startNs = Math.max(arrivalNs, nowNs);
            if (startNs - nowNs > burstToleranceNs)
            {
                return false;
            }
            if (theoreticalArrivalNs.compareAndSet(arrivalNs, startNs + intervalNs))
            {
                return true;
            }
        }
    }

    /**
     * @return how long until a request of the address would be handled, in whole seconds, at least 1: what a refused
     *     request's answer tells the client to wait
     */
    public long retryAfterSeconds()
    {
        final long waitNs = theoreticalArrivalNs.get() - clock.nanoTime() - burstToleranceNs;
        return Math.max(1, (waitNs + 999_999_999L) / 1_000_000_000L);
    }

    /**
     * @param nowNs a time of the limits' clock
     * @return true if nothing taken from the bucket is still coming back at that time
     */
    boolean full(final long nowNs)
    {
        return theoreticalArrivalNs.get() - nowNs <= 0;
    }
}
