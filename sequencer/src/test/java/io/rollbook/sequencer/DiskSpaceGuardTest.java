package io.rollbook.sequencer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.rollbook.protocol.engine.AmendOrderEncoder;
import io.rollbook.protocol.engine.CancelOrderEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.PlaceOrderEncoder;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Below the minimum of usable space the ring refuses orders and amendments (nothing enters the ring) and takes
 * cancels, below a quarter of it every command, and says why; once space is freed it takes them again. The space
 * is read at most once a second.
 */
final class DiskSpaceGuardTest
{
    private static final long MIN_FREE = 1_000_000;
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    @Test
    void belowItsReserveTheDiskTakesCancelsOnlyAndBelowAQuarterNothing()
    {
        final RingPublisher publisher = new RingPublisher(16, 64);
        publisher.wakeOnPublish(new WakeableIdleStrategy(new NoOpIdleStrategy(), 1));
        final AtomicLong usable = new AtomicLong(MIN_FREE * 10);
        final AtomicLong reads = new AtomicLong();
        final DiskSpaceGuard guard = new DiskSpaceGuard(publisher, MIN_FREE, () ->
        {
            reads.incrementAndGet();
            return usable.get();
        }, "test");
        final UnsafeBuffer order = command(PlaceOrderEncoder.TEMPLATE_ID);
        final UnsafeBuffer amend = command(AmendOrderEncoder.TEMPLATE_ID);
        final UnsafeBuffer cancel = command(CancelOrderEncoder.TEMPLATE_ID);

        guard.check(0);
        assertFalse(publisher.isLowOnDisk());
        assertTrue(publisher.tryPublish(1, order, 0, 16));

        usable.set(MIN_FREE - 1);
        guard.check(SECOND_NS - 1);
        assertEquals(1, reads.get(), "read at most once a second");
        assertFalse(publisher.isLowOnDisk());

        guard.check(SECOND_NS);
        assertTrue(publisher.isLowOnDisk());
        assertTrue(publisher.isAccepting(), "a low disk is not a stop");
        final long cursor = publisher.ring().getCursor();
        assertFalse(publisher.tryPublish(2, order, 0, 16));
        assertFalse(publisher.tryPublish(3, amend, 0, 16));
        assertEquals(cursor, publisher.ring().getCursor(), "nothing entered the ring");
        assertTrue(publisher.tryPublish(4, cancel, 0, 16), "a cancel takes risk away");

        usable.set(MIN_FREE / 4 - 1);
        guard.check(2 * SECOND_NS);
        assertTrue(publisher.isLowOnDisk());
        assertFalse(publisher.tryPublish(5, cancel, 0, 16), "the last quarter is for what is in flight");

        usable.set(MIN_FREE);
        guard.check(3 * SECOND_NS);
        assertFalse(publisher.isLowOnDisk());
        assertTrue(publisher.tryPublish(6, order, 0, 16));
    }

    private static UnsafeBuffer command(final int templateId)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[16]);
        new MessageHeaderEncoder().wrap(command, 0).templateId(templateId).schemaId(MessageHeaderEncoder.SCHEMA_ID);
        return command;
    }

    @Test
    void aReserveOfZeroReadsNothing()
    {
        final RingPublisher publisher = new RingPublisher(16, 64);
        final DiskSpaceGuard guard = new DiskSpaceGuard(publisher, 0, () ->
        {
            throw new AssertionError("no reading with a reserve of 0");
        }, "test");
        guard.check(0);
        guard.check(10 * SECOND_NS);
        assertFalse(publisher.isLowOnDisk());
    }
}
