package io.rollbook.gateway.core;

/**
 * The range check the gateways' settings share, so that every refused setting reads the same way:
 * {@code "<section>: <name> must be from <min> to <max>, got <value>"}.
 *
 * <p>Stateless; thread-safe.
 */
public final class SettingsCheck
{
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
}
