package io.rollbook.matcher.margin;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.FundingAppliedDecoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.PositionTransferredDecoder;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random seeded streams through the risk engine ({@link MarginStreamGenerator}): after every command the invariants
 * of {@link MarginInvariants} hold; replaying the stream on a fresh matcher gives byte-identical events; and a
 * snapshot taken at random points, loaded and continued with the rest of the stream, gives byte-identical events
 * and the same state hash as the uninterrupted run, and writes back to the same bytes.
 */
class MarginPropertyTest
{
    private static final int COMMANDS = 25_000;
    private static final int SNAPSHOTS = 3;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void invariantsReplayAndSnapshots(final long seed)
    {
        try
        {
            run(seed);
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError("seed " + seed + ": " + ex.getMessage(), ex);
        }
    }

    private static void run(final long seed)
    {
        final MarginStreamGenerator generator = new MarginStreamGenerator(seed);
        final Recording recording = new Recording(COMMANDS);
        final Coverage coverage = new Coverage();
        for (int i = 0; i < COMMANDS; i++)
        {
            final int offset = recording.commandEnd();
            final int length = generator.next(recording.commands, offset);
            recording.add(length, generator.lastEvents(), generator.lastEventsLength());
            coverage.count(generator.lastEvents(), generator.lastEventsLength());
            checkEventShape(generator.lastEvents(), generator.lastEventsLength(), generator.sequence());
            MarginInvariants.check(generator.matcher());
        }
        coverage.assertExercised();
        final byte[] finalHash = generator.matcher().stateHash();

        final SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        final int[] points = new int[SNAPSHOTS];
        for (int i = 0; i < SNAPSHOTS; i++)
        {
            points[i] = random.nextInt(COMMANDS / 10, COMMANDS);
        }
        Arrays.sort(points);

        final Matcher replay = new Matcher(MarginStreamGenerator.context());
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(1 << 16);
        final ExpandableArrayBuffer snapshot = new ExpandableArrayBuffer(1 << 20);
        final ExpandableArrayBuffer rewritten = new ExpandableArrayBuffer(1 << 20);
        int nextPoint = 0;
        for (int i = 0; i < COMMANDS; i++)
        {
            recording.execute(replay, i, events);
            while (nextPoint < SNAPSHOTS && points[nextPoint] == i + 1)
            {
                final int length = replay.writeSnapshot(snapshot, 0);
                final Matcher loaded = Matcher.readSnapshot(snapshot, 0, length);
                assertEquals(length, loaded.writeSnapshot(rewritten, 0), "snapshot length after loading");
                assertTrue(sameBytes(snapshot, rewritten, length),
                    "a loaded snapshot writes back other bytes, at sequence " + (i + 1));
                assertArrayEquals(replay.stateHash(), loaded.stateHash(), "state hash after loading");
                for (int j = i + 1; j < COMMANDS; j++)
                {
                    recording.execute(loaded, j, events);
                }
                assertArrayEquals(finalHash, loaded.stateHash(),
                    "state hash after continuing from the snapshot at sequence " + (i + 1));
                nextPoint++;
            }
        }
        assertArrayEquals(finalHash, replay.stateHash(), "state hash of the replay");
    }

    /**
     * Every command has an answer; a rejection is the command's only event; an accepted fill-or-kill order is
     * filled in full, never canceled in part.
     */
    private static void checkEventShape(final DirectBuffer buffer, final int length, final long sequence)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
        final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
        int count = 0;
        boolean rejected = false;
        long fillOrKill = -1;
        for (int offset = 0; offset < length; )
        {
            header.wrap(buffer, offset);
            final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
            count++;
            switch (header.templateId())
            {
                case CommandRejectedDecoder.TEMPLATE_ID:
                    rejected = true;
                    break;
                case OrderAcceptedDecoder.TEMPLATE_ID:
                    accepted.wrap(buffer, body, header.blockLength(), header.version());
                    fillOrKill = accepted.timeInForce() == TimeInForce.FOK ? accepted.orderId() : fillOrKill;
                    break;
                case OrderCanceledDecoder.TEMPLATE_ID:
                    canceled.wrap(buffer, body, header.blockLength(), header.version());
                    if (canceled.orderId() == fillOrKill && canceled.wasResting() == BooleanType.FALSE)
                    {
                        fail("sequence " + sequence + ": fill-or-kill order " + fillOrKill + " was filled in part, " +
                            canceled.canceledLots() + " lots canceled (" + canceled.reason() + ")");
                    }
                    break;
                default:
                    break;
            }
            offset = body + header.blockLength();
        }
        assertTrue(count > 0, "sequence " + sequence + " has no event");
        assertTrue(!rejected || count == 1, "sequence " + sequence + ": a rejection with other events");
    }

    private static boolean sameBytes(final ExpandableArrayBuffer a, final ExpandableArrayBuffer b, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (a.getByte(i) != b.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The commands of a run and the events each produced, to replay and compare.
     */
    private static final class Recording
    {
        final ExpandableArrayBuffer commands = new ExpandableArrayBuffer(1 << 20);
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(1 << 24);
        final int[] commandEnds;
        final int[] eventEnds;
        final EventWriter writer = new EventWriter();
        int count;

        Recording(final int capacity)
        {
            commandEnds = new int[capacity];
            eventEnds = new int[capacity];
        }

        int commandEnd()
        {
            return count == 0 ? 0 : commandEnds[count - 1];
        }

        int eventEnd(final int index)
        {
            return index == 0 ? 0 : eventEnds[index - 1];
        }

        void add(final int length, final DirectBuffer source, final int eventsLength)
        {
            final int eventStart = eventEnd(count);
            events.putBytes(eventStart, source, 0, eventsLength);
            commandEnds[count] = commandEnd() + length;
            eventEnds[count] = eventStart + eventsLength;
            count++;
        }

        /**
         * Executes command {@code index} (sequence index + 1) and checks its events are the recorded ones.
         */
        void execute(final Matcher matcher, final int index, final ExpandableArrayBuffer scratch)
        {
            final int start = index == 0 ? 0 : commandEnds[index - 1];
            writer.wrap(scratch, 0);
            matcher.execute(index + 1, index + 1, commands, start, commandEnds[index] - start, writer);
            final int expectedStart = eventEnd(index);
            final int expectedLength = eventEnds[index] - expectedStart;
            if (writer.position() != expectedLength)
            {
                fail("sequence " + (index + 1) + ": " + writer.position() + " event bytes, recorded " + expectedLength);
            }
            for (int i = 0; i < expectedLength; i++)
            {
                if (scratch.getByte(i) != events.getByte(expectedStart + i))
                {
                    fail("sequence " + (index + 1) + ": events differ from the recorded run at byte " + i);
                }
            }
        }
    }

    /**
     * Counts what a stream exercised, so a generator that stopped reaching liquidations would fail the test.
     */
    private static final class Coverage
    {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final PositionTransferredDecoder transferred = new PositionTransferredDecoder();
        private final LiquidationStartedDecoder liquidation = new LiquidationStartedDecoder();
        int trades;
        int fundings;
        int crossLiquidations;
        int isolatedLiquidations;
        int takeovers;
        int deleveragings;

        void count(final DirectBuffer buffer, final int length)
        {
            int offset = 0;
            while (offset < length)
            {
                header.wrap(buffer, offset);
                final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
                switch (header.templateId())
                {
                    case TradeDecoder.TEMPLATE_ID:
                        trades++;
                        break;
                    case FundingAppliedDecoder.TEMPLATE_ID:
                        fundings++;
                        break;
                    case LiquidationStartedDecoder.TEMPLATE_ID:
                        liquidation.wrap(buffer, body, header.blockLength(), header.version());
                        if (liquidation.market() == LiquidationStartedDecoder.marketNullValue())
                        {
                            crossLiquidations++;
                        }
                        else
                        {
                            isolatedLiquidations++;
                        }
                        break;
                    case PositionTransferredDecoder.TEMPLATE_ID:
                        transferred.wrap(buffer, body, header.blockLength(), header.version());
                        if (transferred.autoDeleveraged() == BooleanType.TRUE)
                        {
                            deleveragings++;
                        }
                        else
                        {
                            takeovers++;
                        }
                        break;
                    default:
                        break;
                }
                offset = body + header.blockLength();
            }
        }

        void assertExercised()
        {
            final String summary = "trades " + trades + ", funding ticks " + fundings + ", cross liquidations " +
                crossLiquidations + ", isolated liquidations " + isolatedLiquidations + ", insurance takeovers " +
                takeovers + ", deleveragings " + deleveragings;
            System.out.println(summary);
            assertTrue(trades > 1_000 && fundings > 100 && crossLiquidations > 0 && isolatedLiquidations > 0,
                "the stream did not exercise the risk engine: " + summary);
        }
    }
}
