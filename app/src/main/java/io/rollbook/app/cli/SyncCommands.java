package io.rollbook.app.cli;

import java.util.Locale;

import io.rollbook.journal.SyncPolicy;

/**
 * The spelling of sync policies on the command line and in the configuration: {@code none}, {@code batch}.
 */
final class SyncCommands
{
    private SyncCommands()
    {
    }

    static SyncPolicy parse(final String name)
    {
        try
        {
            return SyncPolicy.valueOf(name.strip().toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("sync policy \"" + name + "\" is not one of none, batch");
        }
    }
}
