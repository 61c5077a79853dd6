package io.rollbook.sequencer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Below the minimum of usable space the ring refuses every command (nothing enters the ring) and says why; once
 * space is freed it takes them again. The space is read at most once a second.
 */
final class DiskSpaceGuardTest
{
    private static final long MIN_FREE = 1_000_000;
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    @Test
    void refusesCommandsWhileTheDiskIsBelowItsReserve()
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
        final UnsafeBuffer command = new UnsafeBuffer(new byte[16]);

        guard.check(0);
        assertFalse(publisher.isLowOnDisk());
        assertTrue(publisher.tryPublish(1, command, 0, 16));

        usable.set(MIN_FREE - 1);
        guard.check(SECOND_NS - 1);
        assertEquals(1, reads.get(), "read at most once a second");
        assertFalse(publisher.isLowOnDisk());

        guard.check(SECOND_NS);
        assertTrue(publisher.isLowOnDisk());
        assertTrue(publisher.isAccepting(), "a low disk is not a stop");
        final long cursor = publisher.ring().getCursor();
        assertFalse(publisher.tryPublish(2, command, 0, 16));
        assertEquals(cursor, publisher.ring().getCursor(), "nothing entered the ring");

        usable.set(MIN_FREE);
        guard.check(2 * SECOND_NS);
        assertFalse(publisher.isLowOnDisk());
        assertTrue(publisher.tryPublish(3, command, 0, 16));
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
