package io.rollbook.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The per-address limits on a clock the test sets: connections held, the rate of new ones, the table's entries
 * coming and going, and a full table.
 */
class AddressLimitTest
{
    private static final long INTERVAL_NS = 1_000_000_000L;

    private final AtomicLong nowNs = new AtomicLong(5_000_000_000L);

    private static InetAddress address(final String text) throws UnknownHostException
    {
        return InetAddress.getByName(text);
    }

    @Test
    void anAddressHoldsAtMostItsConnectionsAndAClosedOneFreesItsPlace() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(2, INTERVAL_NS, 100, 16, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        final InetAddress b = address("10.0.0.2");
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(Admission.ADDRESS, limit.admit(a));
        assertEquals(Admission.ADMITTED, limit.admit(b), "another address is not affected");
        assertEquals(2, limit.open(a));

        limit.release(a);
        assertEquals(1, limit.open(a));
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(Admission.ADDRESS, limit.admit(a));
    }

    @Test
    void anAddressOpensABurstThenOneConnectionPerIntervalAsItsBucketRefills() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(100, INTERVAL_NS, 3, 16, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(Admission.ADMITTED, limit.admit(a), "burst " + i);
        }
        assertEquals(Admission.RATE, limit.admit(a));
        assertEquals(Admission.ADMITTED, limit.admit(address("10.0.0.2")), "another address has its own bucket");

        nowNs.addAndGet(INTERVAL_NS - 1);
        assertEquals(Admission.RATE, limit.admit(a), "a token comes back only after a whole interval");
        nowNs.addAndGet(1);
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(Admission.RATE, limit.admit(a), "a refusal takes no token, and there was one only");

        nowNs.addAndGet(10 * INTERVAL_NS);
        for (int i = 0; i < 3; i++)
        {
            assertEquals(Admission.ADMITTED, limit.admit(a), "a refilled bucket holds the burst, no more: " + i);
        }
        assertEquals(Admission.RATE, limit.admit(a));
        assertEquals(7, limit.open(a));
    }

    @Test
    void anEntryLastsWhileItsAddressHoldsAConnectionOrItsBucketRefills() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(10, INTERVAL_NS, 2, 16, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        final InetAddress b = address("10.0.0.2");
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(1, limit.addresses());
        limit.release(a);
        assertEquals(1, limit.addresses(), "one token is still coming back");

        nowNs.addAndGet(INTERVAL_NS);
        assertEquals(Admission.ADMITTED, limit.admit(b));
        assertEquals(1, limit.addresses(), "a's bucket refilled: the next accept removed it");

        nowNs.addAndGet(INTERVAL_NS);
        limit.release(b);
        assertEquals(0, limit.addresses(), "b's bucket was full when its last connection closed");

        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(Admission.RATE, limit.admit(a), "a came back with a full bucket, and emptied it");
        limit.release(a);
        limit.release(a);
        nowNs.addAndGet(2 * INTERVAL_NS - 1);
        assertEquals(Admission.ADMITTED, limit.admit(b));
        assertEquals(2, limit.addresses(), "a's second token is not back yet");
        nowNs.addAndGet(1);
        limit.release(b);
        assertEquals(1, limit.addresses(), "a refilled and went; b's token is still coming back");
        nowNs.addAndGet(INTERVAL_NS);
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(1, limit.addresses(), "b refilled and went");
    }

    @Test
    void anAddressThatReconnectsLeavesTheIdleOrderAndJoinsItAgainAtTheBack() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(10, INTERVAL_NS, 2, 16, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        final InetAddress b = address("10.0.0.2");
        assertEquals(Admission.ADMITTED, limit.admit(a));
        limit.release(a);
        assertEquals(Admission.ADMITTED, limit.admit(b));
        limit.release(b);
        assertEquals(Admission.ADMITTED, limit.admit(a));
        limit.release(a);
        nowNs.addAndGet(INTERVAL_NS);
        assertEquals(Admission.ADMITTED, limit.admit(address("10.0.0.3")));
        assertEquals(2, limit.addresses(), "b refilled and went; a's second token is still coming back");
        nowNs.addAndGet(INTERVAL_NS);
        limit.release(address("10.0.0.3"));
        assertEquals(0, limit.addresses());
    }

    @Test
    void aFullTableRefusesNewAddressesAndServesTheOnesItHolds() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(10, INTERVAL_NS, 5, 2, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        final InetAddress b = address("10.0.0.2");
        final InetAddress c = address("10.0.0.3");
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(Admission.ADMITTED, limit.admit(b));
        limit.release(b);
        assertEquals(Admission.TABLE_FULL, limit.admit(c));
        assertEquals(Admission.TABLE_FULL, limit.admit(c));
        assertEquals(2, limit.addresses(), "a refused newcomer takes no entry");
        assertEquals(Admission.ADMITTED, limit.admit(a), "an address in the table is served");
        assertEquals(Admission.ADMITTED, limit.admit(b), "an idle address in the table is served");
        limit.release(b);

        nowNs.addAndGet(2 * INTERVAL_NS);
        assertEquals(Admission.ADMITTED, limit.admit(c), "b's bucket refilled: its place is free");
        assertEquals(2, limit.addresses());
    }

    @Test
    void anIpv6ClientCountsByItsSlash64AndIpv4MappedAddressesAsIpv4() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(2, INTERVAL_NS, 100, 16, nowNs::get);
        assertEquals(Admission.ADMITTED, limit.admit(address("2001:db8:1:2::1")));
        assertEquals(Admission.ADMITTED, limit.admit(address("2001:db8:1:2:ffff::9")));
        assertEquals(Admission.ADDRESS, limit.admit(address("2001:db8:1:2:abcd::1")), "the same /64");
        assertEquals(Admission.ADMITTED, limit.admit(address("2001:db8:1:3::1")), "another /64");

        final InetAddress v4 = address("192.0.2.7");
        final InetAddress mapped = InetAddress.getByAddress(new byte[] {
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xff, (byte)0xff, (byte)192, 0, 2, 7});
        assertEquals(Admission.ADMITTED, limit.admit(v4));
        assertEquals(Admission.ADMITTED, limit.admit(mapped));
        assertEquals(Admission.ADDRESS, limit.admit(v4));
        assertEquals(2, limit.open(mapped));
    }

    @Test
    void releasingWhatWasNotAdmittedIsABugAndBadSettingsAreRefused() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(1, INTERVAL_NS, 1, 1, nowNs::get);
        assertThrows(IllegalStateException.class, () -> limit.release(address("10.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> new AddressLimit(0, INTERVAL_NS, 1, 1, nowNs::get));
        assertThrows(IllegalArgumentException.class, () -> new AddressLimit(1, 0, 1, 1, nowNs::get));
        assertThrows(IllegalArgumentException.class,
            () -> new AddressLimit(1, AddressLimit.MAX_INTERVAL_NS + 1, 1, 1, nowNs::get));
        assertThrows(IllegalArgumentException.class,
            () -> new AddressLimit(1, INTERVAL_NS, AddressLimit.MAX_BURST + 1, 1, nowNs::get));
        assertThrows(IllegalArgumentException.class, () -> new AddressLimit(1, INTERVAL_NS, 1, 0, nowNs::get));
    }

    @Test
    void anAddressSharesOneRequestRateOverItsConnectionsAndAnotherAddressHasItsOwn() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(10, INTERVAL_NS, 10, 16, INTERVAL_NS, 3, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertEquals(Admission.ADMITTED, limit.admit(a));
        final AddressRequests first = limit.requests(a);
        final AddressRequests second = limit.requests(a);
        assertTrue(first.tryAcquire());
        assertTrue(second.tryAcquire());
        assertTrue(first.tryAcquire());
        assertFalse(second.tryAcquire(), "the burst of 3 is the address's, whichever connection sends");
        assertFalse(first.tryAcquire());
        assertEquals(1, first.retryAfterSeconds(), "the first of them comes back one interval later");

        assertEquals(Admission.ADMITTED, limit.admit(address("10.0.0.2")));
        assertTrue(limit.requests(address("10.0.0.2")).tryAcquire(), "another address has its own bucket");

        nowNs.addAndGet(INTERVAL_NS);
        assertTrue(second.tryAcquire(), "one token came back");
        assertFalse(first.tryAcquire());
        assertEquals(1, first.retryAfterSeconds());
    }

    @Test
    void anEntryLastsUntilItsRequestBucketRefillsTooSoReconnectingGivesNoFreshRequests() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(10, INTERVAL_NS, 2, 16, INTERVAL_NS, 4, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        assertEquals(Admission.ADMITTED, limit.admit(a));
        for (int i = 0; i < 4; i++)
        {
            assertTrue(limit.requests(a).tryAcquire());
        }
        limit.release(a);
        nowNs.addAndGet(INTERVAL_NS);
        assertEquals(Admission.ADMITTED, limit.admit(address("10.0.0.2")));
        assertEquals(2, limit.addresses(), "a's connection token is back, three of its request tokens are not");

        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertTrue(limit.requests(a).tryAcquire(), "the one request token that came back");
        assertFalse(limit.requests(a).tryAcquire(), "a reconnect finds the bucket as the address left it");
        limit.release(a);

        nowNs.addAndGet(4 * INTERVAL_NS);
        limit.release(address("10.0.0.2"));
        assertEquals(0, limit.addresses(), "both refilled and went");
    }

    @Test
    void aLimitWithoutARequestRateHandsNoneOutAndOnlyAdmittedAddressesAskForOne() throws UnknownHostException
    {
        final AddressLimit limit = new AddressLimit(10, INTERVAL_NS, 2, 16, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        assertEquals(Admission.ADMITTED, limit.admit(a));
        assertNull(limit.requests(a));
        assertThrows(IllegalStateException.class, () -> limit.requests(address("10.0.0.2")));
        assertThrows(IllegalArgumentException.class,
            () -> new AddressLimit(1, INTERVAL_NS, 1, 1, 0, 1, nowNs::get));
        assertThrows(IllegalArgumentException.class,
            () -> new AddressLimit(1, INTERVAL_NS, 1, 1, INTERVAL_NS, AddressLimit.MAX_BURST + 1, nowNs::get));
        assertThrows(IllegalArgumentException.class,
            () -> new AddressLimit(1, INTERVAL_NS, 1, 1, AddressLimit.MAX_INTERVAL_NS + 1, 1, nowNs::get));
    }

    /**
     * Two threads, as two event loops, take requests of one address at a standing clock: together they get exactly
     * the burst, however their compare-and-sets interleave.
     */
    @Test
    void twoThreadsTakingOneAddressRequestsGetExactlyItsBurst() throws Exception
    {
        final int burst = 50_000;
        final AddressLimit limit = new AddressLimit(10, INTERVAL_NS, 2, 16, INTERVAL_NS, burst, nowNs::get);
        final InetAddress a = address("10.0.0.1");
        assertEquals(Admission.ADMITTED, limit.admit(a));
        final AddressRequests requests = limit.requests(a);
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicLong granted = new AtomicLong();
        final Thread[] loops = new Thread[2];
        for (int t = 0; t < loops.length; t++)
        {
            loops[t] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < burst; i++)
                {
                    if (requests.tryAcquire())
                    {
                        granted.incrementAndGet();
                    }
                }
            });
            loops[t].start();
        }
        start.countDown();
        for (final Thread loop : loops)
        {
            loop.join();
        }
        assertEquals(burst, granted.get());
    }

    /**
     * Two threads, as two event loops, admit and release connections of a few shared addresses at random (seeded),
     * with the clock moving: whatever the interleaving, each address's count ends at zero and, once every bucket
     * has refilled, the table is empty.
     */
    @Test
    void concurrentAcceptsAndClosesFromTwoThreadsLeaveNothingBehind() throws Exception
    {
        final AddressLimit limit = new AddressLimit(4, 1_000, 8, 64, nowNs::get);
        final InetAddress[] addresses = new InetAddress[6];
        for (int i = 0; i < addresses.length; i++)
        {
            addresses[i] = address("10.0.1." + (i + 1));
        }
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] loops = new Thread[2];
        for (int t = 0; t < loops.length; t++)
        {
            final long seed = 42 + t;
            loops[t] = new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(seed);
                final int[] held = new int[addresses.length];
                try
                {
                    start.await();
                    for (int i = 0; i < 200_000; i++)
                    {
                        final int which = random.nextInt(addresses.length);
                        if (held[which] > 0 && random.nextBoolean())
                        {
                            limit.release(addresses[which]);
                            held[which]--;
                        }
                        else if (limit.admit(addresses[which]) == Admission.ADMITTED)
                        {
                            held[which]++;
                        }
                        nowNs.addAndGet(random.nextInt(200));
                    }
                    for (int which = 0; which < addresses.length; which++)
                    {
                        for (; held[which] > 0; held[which]--)
                        {
                            limit.release(addresses[which]);
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            });
            loops[t].start();
        }
        start.countDown();
        for (final Thread loop : loops)
        {
            loop.join();
        }
        assertEquals(null, failure.get());
        for (final InetAddress address : addresses)
        {
            assertEquals(0, limit.open(address), address.toString());
        }
        nowNs.addAndGet(8 * 1_000);
        final InetAddress last = address("10.0.2.1");
        assertEquals(Admission.ADMITTED, limit.admit(last));
        nowNs.addAndGet(1_000);
        limit.release(last);
        assertEquals(0, limit.addresses(), "every bucket refilled: no entry is left");
    }
}
