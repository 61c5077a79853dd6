package io.rollbook.gateway.core;

/**
 * A message-rate limit as a token bucket, kept in the form of the generic cell rate algorithm: one number, the
 * theoretical arrival time of the next message, so a check is two additions and a comparison, with no clock thread
 * and no refill loop. A full bucket holds one second's worth of messages (the burst), and refills at the rate.
 *
 * <p>Not thread-safe: owned by the connection's event loop.
 */
public final class TokenBucket
{
    private static final long SECOND_NS = 1_000_000_000L;

    private final long intervalNs;
    private final long burstToleranceNs;
    private long theoreticalArrivalNs = Long.MIN_VALUE;

    /**
     * @param messagesPerSecond the sustained rate, and the burst
     */
    public TokenBucket(final long messagesPerSecond)
    {
        if (messagesPerSecond < 1 || messagesPerSecond > SECOND_NS)
        {
            throw new IllegalArgumentException("rate must be 1 to 10^9 messages per second, got " + messagesPerSecond);
        }
        this.intervalNs = Math.max(1, SECOND_NS / messagesPerSecond);
        this.burstToleranceNs = SECOND_NS - intervalNs;
    }

    /**
     * @param intervalNs the time one message's token takes to come back
     * @param burst      how many messages a full bucket lets through at once
     */
    public TokenBucket(final long intervalNs, final long burst)
    {
        if (intervalNs < 1 || burst < 1 || Math.multiplyHigh(intervalNs, burst - 1) != 0 ||
            intervalNs * (burst - 1) < 0)
        {
            throw new IllegalArgumentException("interval and burst must be positive and their product must fit, got " +
                intervalNs + " ns x " + burst);
        }
        this.intervalNs = intervalNs;
        this.burstToleranceNs = intervalNs * (burst - 1);
    }

    /**
     * @param nowNs a monotonic time ({@link System#nanoTime()})
     * @return true if a message may pass now (and it is counted), false if it is over the rate
     */
    public boolean tryAcquire(final long nowNs)
    {
        final long tat = theoreticalArrivalNs == Long.MIN_VALUE ? nowNs : theoreticalArrivalNs;
        if (tat - nowNs > burstToleranceNs)
        {
            return false;
        }
        theoreticalArrivalNs = Math.max(tat, nowNs) + intervalNs;
        return true;
    }

    /**
     * @param nowNs a monotonic time, as given to {@link #tryAcquire}
     * @return true if the bucket holds its whole burst at that time: nothing taken from it is still coming back
     */
    public boolean full(final long nowNs)
    {
        return theoreticalArrivalNs == Long.MIN_VALUE || theoreticalArrivalNs - nowNs <= 0;
    }

    /**
     * @param nowNs the time of a refused {@link #tryAcquire}
     * @return how long until a message would pass, in nanoseconds (0 if one would pass now)
     */
    public long waitNs(final long nowNs)
    {
        return theoreticalArrivalNs == Long.MIN_VALUE ? 0 :
            Math.max(0, theoreticalArrivalNs - nowNs - burstToleranceNs);
    }
}
