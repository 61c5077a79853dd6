package io.rollbook.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class ConnectionLimitTest
{
    private static final long HOUR_NS = 3_600_000_000_000L;

    private static AddressLimit unlimitedAddresses()
    {
        return new AddressLimit(1_000, 1, 1_000, 1_000, System::nanoTime);
    }

    /**
     * @return a channel whose peer is at {@code address}, as an accepted TCP connection's is
     */
    private static EmbeddedChannel from(final String address) throws UnknownHostException
    {
        final InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(address), 40_000);
        return new EmbeddedChannel()
        {
            @Override
            protected SocketAddress remoteAddress0()
            {
                return remote;
            }
        };
    }

    @Test
    void anAddressOverItsLimitsIsRefusedWithItsReasonAndHoldsNoPlaceOfThePort() throws UnknownHostException
    {
        final AtomicLong nowNs = new AtomicLong();
        final ConnectionLimit limit = new ConnectionLimit(3, new AddressLimit(2, HOUR_NS, 3, 3, nowNs::get));
        final EmbeddedChannel first = from("10.0.0.1");
        assertEquals(Admission.ADMITTED, limit.admit(first));
        assertEquals(Admission.ADMITTED, limit.admit(from("10.0.0.1")));
        assertEquals(Admission.ADDRESS, limit.admit(from("10.0.0.1")));
        assertEquals(2, limit.open(), "a refusal for the address holds no place of the port");
        assertEquals(Admission.ADMITTED, limit.admit(from("10.0.0.2")));
        assertEquals(Admission.LIMIT, limit.admit(from("10.0.0.3")));

        first.close();
        assertEquals(1, limit.addresses().open(InetAddress.getByName("10.0.0.1")), "closing releases the address");
        final EmbeddedChannel fourth = from("10.0.0.1");
        assertEquals(Admission.ADMITTED, limit.admit(fourth), "its third and last token");
        fourth.close();
        assertEquals(Admission.RATE, limit.admit(from("10.0.0.1")), "no token left within the hour");
        assertEquals(2, limit.open(), "a refusal for the rate holds no place of the port");

        assertEquals(1, limit.refused(Admission.ADDRESS));
        assertEquals(1, limit.refused(Admission.LIMIT));
        assertEquals(1, limit.refused(Admission.RATE));
        assertEquals(0, limit.refused(Admission.TABLE_FULL));
        assertEquals(3, limit.refused());
    }

    @Test
    void admitsUpToTheLimitRefusesBeyondAndAdmitsAgainOnceOneCloses()
    {
        final ConnectionLimit limit = new ConnectionLimit(2, unlimitedAddresses());
        final EmbeddedChannel first = new EmbeddedChannel();
        final EmbeddedChannel second = new EmbeddedChannel();
        assertEquals(Admission.ADMITTED, limit.admit(first));
        assertEquals(Admission.ADMITTED, limit.admit(second));
        assertEquals(Admission.LIMIT, limit.admit(new EmbeddedChannel()));
        assertEquals(Admission.LIMIT, limit.admit(new EmbeddedChannel()));
        assertEquals(2, limit.open());
        assertEquals(2, limit.refused());

        first.close();
        assertEquals(1, limit.open());
        assertEquals(Admission.ADMITTED, limit.admit(new EmbeddedChannel()));
        assertEquals(2, limit.open());
        assertEquals(2, limit.refused(Admission.LIMIT));
        assertEquals(2, limit.refused());
    }

    @Test
    void aRefusedChannelIsNotCountedWhenItCloses()
    {
        final ConnectionLimit limit = new ConnectionLimit(1, unlimitedAddresses());
        assertEquals(Admission.ADMITTED, limit.admit(new EmbeddedChannel()));
        final EmbeddedChannel refused = new EmbeddedChannel();
        assertEquals(Admission.LIMIT, limit.admit(refused));
        refused.close();
        assertEquals(1, limit.open());
    }

    @Test
    void onlyAFewRefusedConnectionsAreHeldAtOnce()
    {
        final ConnectionLimit limit = new ConnectionLimit(1, unlimitedAddresses());
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
        assertThrows(IllegalArgumentException.class, () -> new ConnectionLimit(0, unlimitedAddresses()));
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
