package io.rollbook.sequencer;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Builds the idle strategy of a sequencer thread from its configured name:
 * <ul>
 * <li>{@code blocking} or {@code blocking:<maxParkUs>}: park at once until the thread that hands over work wakes
 * this one, at most the given time (default 10,000 µs, a bound that only failure checks and shutdown rely on). The
 * default: the matcher and journal threads are woken at every hand-off they wait for, so they answer at once, and
 * an idle thread costs next to nothing; a thread nobody wakes (the commitment thread) simply parks that long
 * between polls.</li>
 * <li>{@code backoff} or {@code backoff:<maxParkUs>}: spin a little, yield a little, then park for 1 µs growing
 * to the maximum (default 100 µs). Catches a hand-off while still spinning, at the price of the spins and yields
 * after every piece of work.</li>
 * <li>{@code sleeping} or {@code sleeping:<parkUs>}: park at once (default 50 µs).</li>
 * <li>{@code yielding}: Thread.yield() in a loop; takes a core while idle.</li>
 * <li>{@code busy-spin}: never lets go of the core; only on machines with a core to spare for this thread.</li>
 * </ul>
 */
public final class IdleStrategies
{
    public static final String DEFAULT = "blocking";
    public static final long DEFAULT_MAX_PARK_US = 100;
    public static final long DEFAULT_SLEEP_US = 50;
    public static final long DEFAULT_BLOCKING_MAX_PARK_US = 10_000;

    private static final int BACKOFF_SPINS = 10;
    private static final int BACKOFF_YIELDS = 20;

    private IdleStrategies()
    {
    }

    /**
     * @return how many idle calls in a row the named strategy makes before it parks: 0 if it parks at once,
     *         {@link Integer#MAX_VALUE} if it never parks
     */
    public static int idleCallsBeforePark(final String spec)
    {
        parse(spec);
        final String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')).strip() : spec.strip();
        switch (name)
        {
            case "backoff":
                return BACKOFF_SPINS + BACKOFF_YIELDS;
            case "blocking":
            case "sleeping":
                return 0;
            default:
                return Integer.MAX_VALUE;
        }
    }

    /**
     * @throws IllegalArgumentException naming the problem if the name is not one of the above
     */
    public static IdleStrategy parse(final String spec)
    {
        if (spec == null || spec.isBlank())
        {
            throw new IllegalArgumentException("idle strategy is empty; expected backoff[:maxParkUs], " +
                "blocking[:maxParkUs], sleeping[:parkUs], yielding or busy-spin");
        }
        final int colon = spec.indexOf(':');
        final String name = colon < 0 ? spec.strip() : spec.substring(0, colon).strip();
        final String argument = colon < 0 ? null : spec.substring(colon + 1).strip();
        switch (name)
        {
            case "backoff":
            {
                final long maxParkNs = TimeUnit.MICROSECONDS.toNanos(micros(spec, argument, DEFAULT_MAX_PARK_US));
                return new BackoffIdleStrategy(BACKOFF_SPINS, BACKOFF_YIELDS, Math.min(1_000, maxParkNs), maxParkNs);
            }
            case "blocking":
                return new SleepingIdleStrategy(
                    TimeUnit.MICROSECONDS.toNanos(micros(spec, argument, DEFAULT_BLOCKING_MAX_PARK_US)));
            case "sleeping":
                return new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(micros(spec, argument, DEFAULT_SLEEP_US)));
            case "yielding":
                noArgument(spec, argument);
                return new YieldingIdleStrategy();
            case "busy-spin":
                noArgument(spec, argument);
                return new BusySpinIdleStrategy();
            default:
                throw new IllegalArgumentException("unknown idle strategy \"" + spec + "\"; expected " +
                    "backoff[:maxParkUs], blocking[:maxParkUs], sleeping[:parkUs], yielding or busy-spin");
        }
    }

    private static long micros(final String spec, final String argument, final long defaultValue)
    {
        if (argument == null)
        {
            return defaultValue;
        }
        final long value;
        try
        {
            value = Long.parseLong(argument);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("idle strategy \"" + spec + "\": \"" + argument +
                "\" is not a whole number of microseconds");
        }
        if (value < 1 || value > 1_000_000)
        {
            throw new IllegalArgumentException("idle strategy \"" + spec + "\": park time must be 1 to 1000000 " +
                "microseconds, got " + value);
        }

        return value;
    }

    private static void noArgument(final String spec, final String argument)
    {
        if (argument != null)
        {
            throw new IllegalArgumentException("idle strategy \"" + spec + "\" takes no argument");
        }
    }
}
