package io.rollbook.app.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class InstantTextTest
{
    private final InstantText text = new InstantText();
    private final StringBuilder out = new StringBuilder();

    @Test
    void writesWhatInstantToStringWrites()
    {
        final long[] edges = {
            0, 1, -1, 999, 1000, 1_000_000, 999_999_999, 1_000_000_000, -1_000_000_000, -999_999_999,
            1_764_683_058_000_000_000L, 1_764_683_058_123_000_000L, 1_764_683_058_123_456_000L,
            1_764_683_058_123_456_789L, 1_764_683_058_100_000_000L, 1_764_683_058_000_001_000L,
            1_764_683_058_000_000_001L, Long.MAX_VALUE, Long.MIN_VALUE};
        for (final long timestampNs : edges)
        {
            check(timestampNs);
        }
        final SplittableRandom random = new SplittableRandom(42);
        long timestampNs = 1_764_683_058_000_000_000L;
        for (int i = 0; i < 200_000; i++)
        {
            // Mostly nearby times, as a journal's commands come, now and then a jump, and all three fraction widths.
            final long step = random.nextInt(8) == 0 ? random.nextLong(1L << 40) : random.nextLong(50_000_000L);
            timestampNs += step;
            final long rounded = switch (random.nextInt(4))
            {
                case 0 -> timestampNs - Math.floorMod(timestampNs, 1_000_000L);
                case 1 -> timestampNs - Math.floorMod(timestampNs, 1000L);
                case 2 -> timestampNs - Math.floorMod(timestampNs, 1_000_000_000L);
                default -> timestampNs;
            };
            check(rounded);
            check(-rounded);
        }
    }

    private void check(final long timestampNs)
    {
        out.setLength(0);
        out.append("> ");
        text.append(out, timestampNs);
        assertEquals("> " + Instant.ofEpochSecond(0, timestampNs), out.toString(), "at " + timestampNs + " ns");
    }
}
