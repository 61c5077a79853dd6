package io.rollbook.app.journal;

import java.time.Instant;

/**
 * Appends a journaled timestamp exactly as {@link Instant#toString()} writes it (ISO-8601 in UTC: the second, then
 * the nanoseconds in as many groups of three digits as they need, none when they are zero, then {@code Z}), without
 * formatting the date and time of day again for every command: the commands of a journal come many to a second,
 * and {@code journal dump} prints one line per command.
 *
 * <p>Not thread-safe: one per printer.
 */
public final class InstantText
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final StringBuilder secondText = new StringBuilder(32);
    private long second = Long.MIN_VALUE;

    /**
     * @param out         where to append
     * @param timestampNs nanoseconds since the epoch, as the journal stores them
     */
    public StringBuilder append(final StringBuilder out, final long timestampNs)
    {
        final long epochSecond = Math.floorDiv(timestampNs, NANOS_PER_SECOND);
        final int nanos = (int)Math.floorMod(timestampNs, NANOS_PER_SECOND);
        if (epochSecond != second)
        {
            secondText.setLength(0);
            secondText.append(Instant.ofEpochSecond(epochSecond));
            // Instant.toString of a whole second ends in "Z"; the fraction goes before it.
            secondText.setLength(secondText.length() - 1);
            second = epochSecond;
        }
        out.append(secondText);
        if (nanos != 0)
        {
            out.append('.');
            if (nanos % 1_000_000 == 0)
            {
                appendDigits(out, nanos / 1_000_000, 3);
            }
            else if (nanos % 1000 == 0)
            {
                appendDigits(out, nanos / 1000, 6);
            }
            else
            {
                appendDigits(out, nanos, 9);
            }
        }
        return out.append('Z');
    }

    private static void appendDigits(final StringBuilder out, final int value, final int digits)
    {
        int scale = 1;
        for (int i = 1; i < digits; i++)
        {
            scale *= 10;
        }
        for (int rest = value; scale > 0; scale /= 10)
        {
            out.append((char)('0' + rest / scale));
            rest %= scale;
        }
    }
}
