package io.rollbook.sequencer;

import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing runs of commands into a ring of 8 slots whose consumer never moves, so how much room is left is known
 * exactly.
 */
class RingPublisherTest
{
    private static final int RING_SIZE = 8;
    private static final int MAX_COMMAND_LENGTH = 64;

    private final RingPublisher publisher = new RingPublisher(RING_SIZE, MAX_COMMAND_LENGTH);
    private final EncodedRun commands = commands(20);
    private final WakeableIdleStrategy consumerIdle =
        new WakeableIdleStrategy(new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1)), 0);

    @BeforeEach
    void stalledConsumer()
    {
        publisher.ring().addGatingSequences(new Sequence(-1));
        publisher.wakeOnPublish(consumerIdle);
    }

    @Test
    void aPublishDeferringItsWakeWakesNobodyUntilWakeConsumer()
    {
        assertTrue(publisher.tryPublishDeferringWake(7, commands.buffer(), commands.offset(0), commands.length(0)));
        assertTrue(publisher.tryPublishDeferringWake(8, commands.buffer(), commands.offset(1), commands.length(1)));
        assertEquals(1, publisher.ring().getCursor(), "both published");
        assertEquals(8, publisher.ring().get(1).source);
        assertEquals(0, consumerIdle.wakeCount());

        publisher.wakeConsumer();
        assertEquals(1, consumerIdle.wakeCount());

        assertTrue(publisher.tryPublish(9, commands.buffer(), commands.offset(2), commands.length(2)));
        assertEquals(2, consumerIdle.wakeCount(), "a plain publish wakes at once");
        assertEquals(1, publisher.tryPublishRun(commands, 3, 1));
        assertEquals(3, consumerIdle.wakeCount(), "so does a run");
    }

    @Test
    void aRunLandsInConsecutiveSlotsWithItsSourcesAndBytes()
    {
        assertEquals(5, publisher.tryPublishRun(commands, 2, 5));

        final RingBuffer<CommandSlot> ring = publisher.ring();
        assertEquals(4, ring.getCursor());
        for (int i = 0; i < 5; i++)
        {
            assertTrue(ring.isAvailable(i));
            final CommandSlot slot = ring.get(i);
            assertEquals(commands.source(2 + i), slot.source);
            assertEquals(commands.length(2 + i), slot.length);
            for (int b = 0; b < slot.length; b++)
            {
                assertEquals(commands.buffer().getByte(commands.offset(2 + i) + b), slot.command.getByte(b));
            }
        }
    }

    @Test
    void aRunTheRingHasNoRoomForIsRefusedWhole()
    {
        assertEquals(5, publisher.tryPublishRun(commands, 0, 5));

        assertEquals(0, publisher.tryPublishRun(commands, 5, 4), "3 slots left: none of a run of 4 goes in");
        assertEquals(4, publisher.ring().getCursor());

        assertEquals(3, publisher.tryPublishRun(commands, 5, 3));
        assertEquals(7, publisher.ring().getCursor());
        assertFalse(publisher.tryPublish(99, commands.buffer(), commands.offset(0), commands.length(0)));
    }

    @Test
    void aRunWithACommandOfAWrongLengthIsRefusedBeforeAnySlotIsTaken()
    {
        final EncodedRun withLongOne = commands(6);
        withLongOne.lengths[3] = MAX_COMMAND_LENGTH + 1;

        assertThrows(IllegalArgumentException.class, () -> publisher.tryPublishRun(withLongOne, 0, 6));
        assertEquals(-1, publisher.ring().getCursor());

        assertThrows(IllegalArgumentException.class, () -> publisher.tryPublishRun(commands, 0, RING_SIZE + 1));
        assertEquals(-1, publisher.ring().getCursor());
    }

    @Test
    void aStoppedPublisherTakesNoRun()
    {
        publisher.stopAccepting();

        assertEquals(0, publisher.tryPublishRun(commands, 0, 3));
        assertEquals(-1, publisher.ring().getCursor());
    }

    /**
     * A publisher that passed the check before the close stopped accepting claims its slots afterwards: the slots
     * are published void, so that the matcher thread is not left waiting for them, and the commands are refused.
     */
    @Test
    void slotsClaimedAfterThePublisherStoppedArePublishedVoidAndTheCommandsRefused()
    {
        assertTrue(publisher.claimAndPublish(7, commands.buffer(), commands.offset(0), commands.length(0)));
        publisher.stopAccepting();

        assertFalse(publisher.claimAndPublish(8, commands.buffer(), commands.offset(1), commands.length(1)));
        assertEquals(0, publisher.claimAndPublishRun(commands, 2, 3));

        final RingBuffer<CommandSlot> ring = publisher.ring();
        assertEquals(4, ring.getCursor(), "every claimed slot is published");
        assertEquals(commands.length(0), ring.get(0).length);
        for (int i = 1; i <= 4; i++)
        {
            assertTrue(ring.isAvailable(i));
            assertEquals(CommandSlot.VOID, ring.get(i).length, "slot " + i);
        }
    }

    /**
     * Commands of 8 to 47 bytes, each byte telling which command it belongs to.
     */
    private static EncodedRun commands(final int count)
    {
        return new EncodedRun(count, 1_000, (n, buffer, offset) ->
        {
            final int length = 8 + (n * 7) % 40;
            for (int b = 0; b < length; b++)
            {
                buffer.putByte(offset + b, (byte)(n * 31 + b));
            }
            return length;
        });
    }
}
