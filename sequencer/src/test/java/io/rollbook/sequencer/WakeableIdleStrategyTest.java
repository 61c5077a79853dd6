package io.rollbook.sequencer;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WakeableIdleStrategyTest
{
    @Test
    void aWakeDuringTheDutyCycleKeepsTheOwnerFromParking()
    {
        final CountingIdle delegate = new CountingIdle();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(delegate, 0);
        idle.idle(1);

        idle.wake();
        idle.idle(0);
        assertEquals(0, delegate.idles, "work was handed over after the owner last looked: it must look again");

        idle.idle(0);
        assertEquals(1, delegate.idles, "nothing came since: it parks");
    }

    @Test
    void aWakeWhileSpinningChangesNothingAndTheOwnerParksAfterItsSpins()
    {
        final CountingIdle delegate = new CountingIdle();
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(delegate, 2);
        idle.idle(0);
        idle.wake();
        idle.idle(0);
        assertEquals(2, delegate.idles, "the spinning calls go to the strategy whatever the wakes");

        idle.idle(0);
        assertEquals(3, delegate.idles);
    }

    @Test
    void aWakeEndsALongPark() throws InterruptedException
    {
        final WakeableIdleStrategy idle = new WakeableIdleStrategy(
            new SleepingIdleStrategy(TimeUnit.SECONDS.toNanos(60)), 0);
        final CountDownLatch cycled = new CountDownLatch(1);
        final CountDownLatch woken = new CountDownLatch(1);
        final Thread owner = new Thread(() ->
        {
            idle.idle(1);
            cycled.countDown();
            idle.idle(0);
            woken.countDown();
        });
        owner.start();
        assertTrue(cycled.await(10, TimeUnit.SECONDS));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (owner.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }

        idle.wake();

        assertTrue(woken.await(10, TimeUnit.SECONDS), "the owner parked for 60 s must be woken by the hand-off");
        owner.join();
    }

    private static final class CountingIdle implements IdleStrategy
    {
        int idles;

        @Override
        public void idle(final int workCount)
        {
            if (workCount <= 0)
            {
                idle();
            }
        }

        @Override
        public void idle()
        {
            idles++;
        }

        @Override
        public void reset()
        {
        }
    }
}
