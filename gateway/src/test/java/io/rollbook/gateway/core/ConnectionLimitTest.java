package io.rollbook.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest
{
    @Test
    void admitsUpToTheLimitRefusesBeyondAndAdmitsAgainOnceOneCloses()
    {
        final ConnectionLimit limit = new ConnectionLimit(2);
        final EmbeddedChannel first = new EmbeddedChannel();
        final EmbeddedChannel second = new EmbeddedChannel();
        assertTrue(limit.admit(first));
        assertTrue(limit.admit(second));
        assertFalse(limit.admit(new EmbeddedChannel()));
        assertFalse(limit.admit(new EmbeddedChannel()));
        assertEquals(2, limit.open());
        assertEquals(2, limit.refused());

        first.close();
        assertEquals(1, limit.open());
        assertTrue(limit.admit(new EmbeddedChannel()));
        assertEquals(2, limit.open());
        assertEquals(2, limit.refused());
    }

    @Test
    void aRefusedChannelIsNotCountedWhenItCloses()
    {
        final ConnectionLimit limit = new ConnectionLimit(1);
        assertTrue(limit.admit(new EmbeddedChannel()));
        final EmbeddedChannel refused = new EmbeddedChannel();
        assertFalse(limit.admit(refused));
        refused.close();
        assertEquals(1, limit.open());
    }

    @Test
    void onlyAFewRefusedConnectionsAreHeldAtOnce()
    {
        final ConnectionLimit limit = new ConnectionLimit(1);
        final EmbeddedChannel[] held = new EmbeddedChannel[ConnectionLimit.MAX_HELD_REFUSALS];
        for (int i = 0; i < held.length; i++)
        {
            held[i] = new EmbeddedChannel();
            assertTrue(limit.holdRefused(held[i]));
        }
        assertFalse(limit.holdRefused(new EmbeddedChannel()));
        held[0].close();
        assertTrue(limit.holdRefused(new EmbeddedChannel()));
        assertFalse(limit.holdRefused(new EmbeddedChannel()));
    }

    @Test
    void aLimitMustBePositive()
    {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimit(0));
    }

    @Test
    void limitsBeyondTheProcessFileDescriptorsAreNamed()
    {
        assertNull(ConnectionLimit.descriptorShortfall(0));
        final String shortfall = ConnectionLimit.descriptorShortfall(Long.MAX_VALUE / 2);
        assertNotNull(shortfall);
        assertTrue(shortfall.contains("gateway.maxConnections and http.maxConnections"), shortfall);
    }
}
