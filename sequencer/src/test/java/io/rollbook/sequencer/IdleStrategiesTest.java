package io.rollbook.sequencer;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleStrategiesTest
{
    @Test
    void blockingParksAtOnceForTheGivenBound()
    {
        assertInstanceOf(SleepingIdleStrategy.class, IdleStrategies.parse("blocking"));
        assertTrue(IdleStrategies.parse("blocking").toString().contains("sleepPeriodNs=10000000"),
            IdleStrategies.parse("blocking").toString());
        assertTrue(IdleStrategies.parse("blocking:2000").toString().contains("sleepPeriodNs=2000000"));
        assertEquals(0, IdleStrategies.idleCallsBeforePark("blocking"));
        assertEquals(0, IdleStrategies.idleCallsBeforePark("blocking:500"));
    }

    @Test
    void backoffSpinsAndYieldsBeforeItParks()
    {
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.parse("backoff:1000"));
        assertEquals(30, IdleStrategies.idleCallsBeforePark("backoff"));
        assertEquals(Integer.MAX_VALUE, IdleStrategies.idleCallsBeforePark("yielding"));
    }

    @Test
    void badSpecificationsAreRefusedWithTheReason()
    {
        assertEquals("idle strategy \"blocking:0\": park time must be 1 to 1000000 microseconds, got 0",
            assertThrows(IllegalArgumentException.class, () -> IdleStrategies.parse("blocking:0")).getMessage());
        assertEquals("idle strategy \"blocking:soon\": \"soon\" is not a whole number of microseconds",
            assertThrows(IllegalArgumentException.class, () -> IdleStrategies.parse("blocking:soon")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IdleStrategies.parse("parking")).getMessage()
            .contains("blocking[:maxParkUs]"));
    }
}
