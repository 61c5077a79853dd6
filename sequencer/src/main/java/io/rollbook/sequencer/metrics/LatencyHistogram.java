package io.rollbook.sequencer.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;

/**
 * A latency histogram with fixed power-of-two buckets, from 128 ns to 2^34 ns (about 17 s), plus one for longer:
 * recording is a leading-zero count, an index and two adds, with no allocation and no lock, so a pipeline thread
 * can record every command. The scraper renders it as a Prometheus histogram in seconds (cumulative
 * {@code _bucket} lines, {@code _sum}, {@code _count}).
 *
 * <p>Single writer (the thread that owns the stage it times), racy readers like {@link Counter}: a scrape taken
 * during a recording may see the bucket without the sum or the other way round, never a torn value. Its
 * {@code _count} is the sum of the buckets it read, so it always agrees with the {@code +Inf} bucket.
 */
public final class LatencyHistogram
{
    /** The first bucket's upper bound is 2^{@value} ns. */
    public static final int MIN_SHIFT = 7;
    /** The last finite bucket's upper bound is 2^{@value} ns. */
    public static final int MAX_SHIFT = 34;
    /** Finite buckets, then one for everything longer. */
    public static final int FINITE_BUCKETS = MAX_SHIFT - MIN_SHIFT + 1;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SUM;
    private static final String[] UPPER_BOUNDS_SECONDS = new String[FINITE_BUCKETS];

    static
    {
        try
        {
            SUM = MethodHandles.lookup().findVarHandle(LatencyHistogram.class, "sumNs", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
        for (int i = 0; i < FINITE_BUCKETS; i++)
        {
            UPPER_BOUNDS_SECONDS[i] = seconds(1L << (MIN_SHIFT + i));
        }
    }

    private final long[] buckets = new long[FINITE_BUCKETS + 1];
    private long sumNs;

    /**
     * Writer thread only.
     *
     * @param durationNs a duration in nanoseconds; a negative one counts as 0
     */
    public void record(final long durationNs)
    {
        final long value = Math.max(0, durationNs);
        final int bucket = bucketOf(value);
        SLOT.setOpaque(buckets, bucket, buckets[bucket] + 1);
        SUM.setOpaque(this, sumNs + value);
    }

    /**
     * @return the bucket a duration falls in: the first whose upper bound is not below it
     */
    static int bucketOf(final long durationNs)
    {
        if (durationNs <= 1L << MIN_SHIFT)
        {
            return 0;
        }
        final int ceilLog2 = 64 - Long.numberOfLeadingZeros(durationNs - 1);
        return Math.min(ceilLog2 - MIN_SHIFT, FINITE_BUCKETS);
    }

    /**
     * @return how many durations fell in a bucket (not cumulative); bucket {@link #FINITE_BUCKETS} holds the longer
     *         ones; any thread
     */
    public long bucketCount(final int bucket)
    {
        return (long)SLOT.getOpaque(buckets, bucket);
    }

    /**
     * @return the sum of every duration recorded, in nanoseconds; any thread
     */
    public long sumNs()
    {
        return (long)SUM.getOpaque(this);
    }

    /**
     * @return every duration recorded; any thread
     */
    public long count()
    {
        long count = 0;
        for (int i = 0; i <= FINITE_BUCKETS; i++)
        {
            count += bucketCount(i);
        }
        return count;
    }

    /**
     * @return a finite bucket's upper bound in seconds, as the exact decimal Prometheus reads in {@code le}
     */
    public static String upperBoundSeconds(final int bucket)
    {
        return UPPER_BOUNDS_SECONDS[bucket];
    }

    /**
     * @return nanoseconds as an exact decimal number of seconds
     */
    static String seconds(final long nanoseconds)
    {
        return BigDecimal.valueOf(nanoseconds, 9).stripTrailingZeros().toPlainString();
    }
}
