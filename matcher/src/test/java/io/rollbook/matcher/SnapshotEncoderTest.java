package io.rollbook.matcher;

import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.generator.CommandGenerator;
import io.rollbook.matcher.generator.StreamProfile;
import io.rollbook.matcher.margin.MarginStreamGenerator;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SnapshotEncoder} writes exactly the bytes of the field-by-field encoding it replaced (so the format and
 * every state hash stay what they were), at any offset, for states of seeded random streams: the order book's
 * stream (fee tiers, amends, partial fills, several markets) and the risk engine's (isolated slots, liquidations,
 * funding). It sizes the snapshot before writing: a buffer too small is refused with nothing written.
 */
class SnapshotEncoderTest
{
    private static final int COMMANDS = 20_000;
    private static final int CHECKS = 4;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void theOrderBookStreamGivesTheFieldByFieldBytes(final long seed)
    {
        final CommandGenerator generator = new CommandGenerator(StreamProfile.standard(), seed);
        final Matcher matcher = new Matcher(StreamProfile.standard().context());
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(1024);
        final UnsafeBuffer eventBuffer = new UnsafeBuffer(new byte[1 << 20]);
        final EventWriter events = new EventWriter();
        int liveOrdersSeen = 0;
        for (int i = 1; i <= COMMANDS; i++)
        {
            final int length = generator.next(command, 0);
            events.wrap(eventBuffer, 0);
            matcher.execute(i, i, command, 0, length, events);
            generator.onEvents(eventBuffer, 0, events.position());
            if (i % (COMMANDS / CHECKS) == 0)
            {
                assertSameBytes(seed, i, matcher);
                liveOrdersSeen = Math.max(liveOrdersSeen, matcher.liveOrderCount());
            }
        }
        assertTrue(liveOrdersSeen > 16 * 8, "seed " + seed + ": more lists than lanes, and long ones");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void theRiskEngineStreamGivesTheFieldByFieldBytes(final long seed)
    {
        final MarginStreamGenerator generator = new MarginStreamGenerator(seed);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(1024);
        for (int i = 1; i <= COMMANDS; i++)
        {
            generator.next(command, 0);
            if (i % (COMMANDS / CHECKS) == 0)
            {
                assertSameBytes(seed, i, generator.matcher());
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31})
    void aBufferTooSmallIsRefusedBeforeAnythingIsWritten(final long seed)
    {
        final MarginStreamGenerator generator = new MarginStreamGenerator(seed);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(1024);
        for (int i = 0; i < 2_000; i++)
        {
            generator.next(command, 0);
        }
        final Matcher matcher = generator.matcher();
        final int length = (int)SnapshotEncoder.length(matcher);
        final byte[] exact = new byte[length];
        assertEquals(length, matcher.writeSnapshot(new UnsafeBuffer(exact), 0));

        final byte[] short1 = new byte[length - 1];
        assertThrows(IndexOutOfBoundsException.class, () -> matcher.writeSnapshot(new UnsafeBuffer(short1), 0));
        assertArrayEquals(new byte[length - 1], short1, "seed " + seed + ": bytes written into a buffer too small");
    }

    private static void assertSameBytes(final long seed, final int sequence, final Matcher matcher)
    {
        final ExpandableArrayBuffer expected = new ExpandableArrayBuffer(64);
        final int expectedLength = FieldByFieldSnapshotWriter.write(matcher, expected, 0);
        final int offset = 1 + sequence % 13;
        final ExpandableArrayBuffer actual = new ExpandableArrayBuffer(64);
        final int length = matcher.writeSnapshot(actual, offset);

        final String where = "seed " + seed + ", after command " + sequence;
        assertEquals(expectedLength, length, where + ": length");
        assertEquals(expectedLength, SnapshotEncoder.length(matcher), where + ": sized length");
        for (int i = 0; i < length; i++)
        {
            if (expected.getByte(i) != actual.getByte(offset + i))
            {
                throw new AssertionError(where + ": first different byte at " + i + " of " + length);
            }
        }
    }
}
