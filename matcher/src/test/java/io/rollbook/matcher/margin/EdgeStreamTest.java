package io.rollbook.matcher.margin;

import java.util.Arrays;
import java.util.List;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.FundingAppliedDecoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.PositionTransferredDecoder;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded streams of commands at the edges of what the matcher accepts ({@link EdgeStreamGenerator}): the matcher
 * never throws, since an exception stops sequencing for every trader; every command yields events, a rejection
 * exactly one; the invariants of {@link MarginInvariants} hold; every auto-deleveraging transfer (the stream has
 * some) keeps to what {@link DeleveragingCheck} allows a counterparty to lose; and a snapshot taken along the way
 * loads into a matcher with the same state hash that writes back the same bytes and, continued with the rest of the
 * stream, ends in the same state as a replay from the start. A failure names the seed, the sequence and the command.
 */
class EdgeStreamTest
{
    private static final int COMMANDS = 40_000;
    private static final int INVARIANTS_EVERY = 50;
    private static final int EVENT_KINDS = 256;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 33})
    void theMatcherNeverThrowsAndEveryCommandIsAnsweredAtTheEdges(final long seed)
    {
        final EdgeStreamGenerator generator = new EdgeStreamGenerator(seed);
        final Matcher matcher = generator.matcher();
        final ExpandableArrayBuffer commands = new ExpandableArrayBuffer(1 << 20);
        final int[] ends = new int[COMMANDS + 64];
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(1 << 16);
        final EventWriter writer = new EventWriter();
        final List<byte[]> prelude = EdgeStreamGenerator.prelude();
        final int total = prelude.size() + COMMANDS;
        final int snapshotAt = prelude.size() + COMMANDS / 2;
        byte[] snapshot = null;
        final int[] counts = new int[EVENT_KINDS];
        final DeleveragingCheck deleveraging = new DeleveragingCheck(EdgeStreamGenerator.context());
        int end = 0;
        for (int i = 0; i < total; i++)
        {
            final int length;
            if (i < prelude.size())
            {
                commands.putBytes(end, prelude.get(i));
                length = prelude.get(i).length;
            }
            else
            {
                length = generator.next(commands, end);
            }
            final long sequence = i + 1;
            writer.wrap(events, 0);
            try
            {
                deleveraging.before(matcher);
                matcher.execute(sequence, sequence, commands, end, length, writer);
                checkAnswered(events, writer.position(), counts);
                deleveraging.after(matcher, events, writer.position());
                if (sequence % INVARIANTS_EVERY == 0)
                {
                    MarginInvariants.check(matcher);
                }
            }
            catch (final RuntimeException | AssertionError ex)
            {
                throw new AssertionError("seed " + seed + ", sequence " + sequence + ", " +
                    (i < prelude.size() ? "genesis" : generator.description()) + ": " + ex, ex);
            }
            end += length;
            ends[i] = end;
            if (sequence == snapshotAt)
            {
                final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 20);
                snapshot = Arrays.copyOf(buffer.byteArray(), matcher.writeSnapshot(buffer, 0));
            }
        }
        MarginInvariants.check(matcher);
        assertTrue(deleveraging.transfers() > 0, "seed " + seed + ": the stream never auto-deleveraged");
        for (final int template : new int[]{TradeDecoder.TEMPLATE_ID, LiquidationStartedDecoder.TEMPLATE_ID,
            PositionTransferredDecoder.TEMPLATE_ID, FundingAppliedDecoder.TEMPLATE_ID, OrderAmendedDecoder.TEMPLATE_ID})
        {
            assertTrue(counts[template] > 0, "seed " + seed + ": the stream never produced event template " + template);
        }

        final ExpandableArrayBuffer snapshotBuffer = new ExpandableArrayBuffer(snapshot.length);
        snapshotBuffer.putBytes(0, snapshot);
        final Matcher loaded = Matcher.readSnapshot(snapshotBuffer, 0, snapshot.length);
        final ExpandableArrayBuffer rewritten = new ExpandableArrayBuffer(1 << 20);
        assertEquals(snapshot.length, loaded.writeSnapshot(rewritten, 0), "seed " + seed + ": snapshot length");
        assertArrayEquals(snapshot, Arrays.copyOf(rewritten.byteArray(), snapshot.length),
            "seed " + seed + ": a loaded snapshot writes back other bytes");
        executeFrom(loaded, snapshotAt, total, commands, ends, writer, events);
        assertArrayEquals(matcher.stateHash(), loaded.stateHash(),
            "seed " + seed + ": state hash after continuing from the snapshot");

        final Matcher replay = new Matcher(EdgeStreamGenerator.context());
        executeFrom(replay, 0, total, commands, ends, writer, events);
        assertArrayEquals(matcher.stateHash(), replay.stateHash(), "seed " + seed + ": state hash of the replay");
    }

    private static void executeFrom(
        final Matcher matcher,
        final int from,
        final int total,
        final ExpandableArrayBuffer commands,
        final int[] ends,
        final EventWriter writer,
        final ExpandableArrayBuffer events)
    {
        for (int i = from; i < total; i++)
        {
            final int start = i == 0 ? 0 : ends[i - 1];
            writer.wrap(events, 0);
            matcher.execute(i + 1, i + 1, commands, start, ends[i] - start, writer);
        }
    }

    /**
     * Every command has an answer; a rejection is the command's only event. Counts the events by template.
     */
    private static void checkAnswered(final DirectBuffer buffer, final int length, final int[] counts)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int count = 0;
        boolean rejected = false;
        for (int offset = 0; offset < length; )
        {
            header.wrap(buffer, offset);
            rejected |= header.templateId() == CommandRejectedDecoder.TEMPLATE_ID;
            counts[header.templateId() % EVENT_KINDS]++;
            count++;
            offset += MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        }
        assertTrue(count > 0, "no event");
        assertTrue(!rejected || count == 1, "a rejection with other events");
    }
}
