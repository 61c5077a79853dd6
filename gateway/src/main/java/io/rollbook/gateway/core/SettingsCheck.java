package io.rollbook.gateway.core;

/**
 * The range check the gateways' settings share, so that every refused setting reads the same way:
 * {@code "<section>: <name> must be from <min> to <max>, got <value>"}.
 *
 * <p>Stateless; thread-safe.
 */
public final class SettingsCheck
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private SettingsCheck()
    {
    }

    /**
     * @throws IllegalArgumentException naming the section, the setting and its allowed range
     */
    public static void range(final String section, final String name, final long value, final long min, final long max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(section + ": " + name + " must be from " + min + " to " + max +
                ", got " + value);
        }
    }

    /**
     * @param perSecond a rate setting, 1 to 10^9 a second
     * @return the time one token of that rate takes to come back, in nanoseconds
     * @throws IllegalArgumentException naming the section, the setting and its allowed range
     */
    public static long intervalNs(final String section, final String name, final long perSecond)
    {
        range(section, name, perSecond, 1, NANOS_PER_SECOND);
        return NANOS_PER_SECOND / perSecond;
    }
}
