package io.rollbook.gateway.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Bounds what one client address takes from a listening port: the connections it holds at once, and the rate at
 * which it opens new ones (a token bucket per address, a burst then a steady rate). Without it, one client could
 * hold the whole port's connection limit, or reconnect in a loop and make the event loop, which every session
 * shares, spend its time on accepts and logon signature checks.
 *
 * <p>Optionally, the rate of its requests too ({@link AddressRequests}, one bucket its connections share); the trader
 * API counts each request and WebSocket message against it, while the binary protocol throttles each session.
 *
 * <p>An IPv4 address counts as itself; an IPv6 address by its /64 prefix, since one host commonly holds a whole
 * /64 and could otherwise take a fresh address for every connection.
 *
 * <p>Memory stays bounded whatever addresses connect: an address has an entry only while it holds a connection
 * or its buckets have not yet refilled, and the table holds at most {@code maxAddresses} entries. An entry whose
 * last connection closes is removed then if its buckets are full, or else at the first accept or close after they
 * have refilled (idle entries are kept in the order they became idle, so one waits at most the longer of its
 * buckets' refill times, {@code burst} token intervals, after the last of its own and its predecessors'
 * admissions and requests). Keeping an entry until its request bucket refills means a client that closes its
 * connections and comes back finds the bucket as it left it. While the table is full a new address is refused
 * ({@link Admission#TABLE_FULL}); the addresses already in it are served as before. Evicting an entry instead would
 * either lose the count of the connections it holds or hand a fast reconnecting client a fresh bucket, so only
 * newcomers pay for a flood from many addresses.
 *
 * <p>Thread-safe: the accepts and closes of every event loop go through one lock. The work is a hash lookup per
 * accept and per close, never per message, far less than the accept itself.
 */
public final class AddressLimit
{
    /** The longest token interval: a day, so that interval and burst multiply without overflow. */
    public static final long MAX_INTERVAL_NS = 86_400_000_000_000L;
    /** The largest burst. */
    public static final long MAX_BURST = 100_000;

    private final int maxPerAddress;
    private final long intervalNs;
    private final long burst;
    private final int maxAddresses;
    private final long requestIntervalNs;
    private final long requestBurst;
    private final NanoClock clock;
    private final Map<Key, Entry> entries = new HashMap<>();
    /** Entries without connections, oldest idle first; each leaves when its bucket is full. */
    private Entry idleHead;
    private Entry idleTail;

    /**
     * @param maxPerAddress connections one address holds at once
     * @param intervalNs    the time one connection's token takes to come back: the steady rate
     * @param burst         the connections an address with a full bucket may open at once
     * @param maxAddresses  the most addresses tracked at once
     * @param clock         the monotonic clock the buckets run on
     */
    public AddressLimit(
        final int maxPerAddress, final long intervalNs, final long burst, final int maxAddresses, final NanoClock clock)
    {
        this(maxPerAddress, intervalNs, burst, maxAddresses, 0, 0, clock);
    }

    /**
     * @param maxPerAddress     connections one address holds at once
     * @param intervalNs        the time one connection's token takes to come back: the steady rate
     * @param burst             the connections an address with a full bucket may open at once
     * @param maxAddresses      the most addresses tracked at once
     * @param requestIntervalNs the time one request's token takes to come back, or 0 for no request rate
     * @param requestBurst      the requests an address with a full bucket may send at once (0 with no request rate)
     * @param clock             the monotonic clock the buckets run on
     */
    public AddressLimit(
        final int maxPerAddress,
        final long intervalNs,
        final long burst,
        final int maxAddresses,
        final long requestIntervalNs,
        final long requestBurst,
        final NanoClock clock)
    {
        if (maxPerAddress < 1 || maxAddresses < 1)
        {
            throw new IllegalArgumentException("per-address and address limits must be positive, got " +
                maxPerAddress + " and " + maxAddresses);
        }
        if (intervalNs < 1 || intervalNs > MAX_INTERVAL_NS || burst < 1 || burst > MAX_BURST)
        {
            throw new IllegalArgumentException("interval must be from 1 to " + MAX_INTERVAL_NS + " ns and burst from " +
                "1 to " + MAX_BURST + ", got " + intervalNs + " ns and " + burst);
        }
        final boolean noRequestRate = requestIntervalNs == 0 && requestBurst == 0;
        if (!noRequestRate && (requestIntervalNs < 1 || requestIntervalNs > MAX_INTERVAL_NS || requestBurst < 1 ||
            requestBurst > MAX_BURST))
        {
            throw new IllegalArgumentException("request interval must be from 1 to " + MAX_INTERVAL_NS + " ns and " +
                "burst from 1 to " + MAX_BURST + " (both 0 for none), got " + requestIntervalNs + " ns and " +
                requestBurst);
        }
        this.maxPerAddress = maxPerAddress;
        this.intervalNs = intervalNs;
        this.burst = burst;
        this.maxAddresses = maxAddresses;
        this.requestIntervalNs = requestIntervalNs;
        this.requestBurst = requestBurst;
        this.clock = clock;
    }

    /**
     * @param context the settings, validated
     */
    public AddressLimit(final Context context)
    {
        this(context.maxConnectionsPerAddress(), context.connectionIntervalNsPerAddress(),
            context.connectionBurstPerAddress(), context.maxTrackedAddresses(), context.requestIntervalNsPerAddress(),
            context.requestBurstPerAddress(), context.connectionClock());
    }

    /**
     * Admits a connection from the address if its limits leave room; an admitted one counts until
     * {@link #release} with the same address.
     *
     * @return {@link Admission#ADMITTED}, or why it is refused: {@link Admission#ADDRESS}, {@link Admission#RATE} or
     *     {@link Admission#TABLE_FULL}. A refusal takes nothing (no token, no entry for a new address)
     */
    public synchronized Admission admit(final InetAddress address)
    {
        final long nowNs = clock.nanoTime();
        removeRefilled(nowNs);
        final Key key = Key.of(address);
        Entry entry = entries.get(key);
        if (entry == null)
        {
            if (entries.size() >= maxAddresses)
            {
                return Admission.TABLE_FULL;
            }
            entry = new Entry(key, new TokenBucket(intervalNs, burst),
                requestIntervalNs == 0 ? null : new AddressRequests(requestIntervalNs, requestBurst, clock));
            entries.put(key, entry);
        }
        if (entry.open >= maxPerAddress)
        {
            return Admission.ADDRESS;
        }
        if (!entry.bucket.tryAcquire(nowNs))
        {
            return Admission.RATE;
        }
        if (entry.open++ == 0)
        {
            unlinkIdle(entry);
        }
        return Admission.ADMITTED;
    }

    /**
     * Ends the count of a connection {@link #admit} admitted, once it has closed.
     *
     * @throws IllegalStateException if the address holds no admitted connection (a bug of the caller)
     */
    public synchronized void release(final InetAddress address)
    {
        final long nowNs = clock.nanoTime();
        final Entry entry = entries.get(Key.of(address));
        if (entry == null || entry.open == 0)
        {
            throw new IllegalStateException("no admitted connection of " + address + " to release");
        }
        if (--entry.open == 0)
        {
            if (entry.refilled(nowNs))
            {
                entries.remove(entry.key);
            }
            else
            {
                linkIdle(entry);
            }
        }
        removeRefilled(nowNs);
    }

    /**
     * @param address an address that holds a connection {@link #admit} admitted
     * @return the request rate its connections share, or null if this limit has none
     * @throws IllegalStateException if the address holds no admitted connection (a bug of the caller)
     */
    public synchronized AddressRequests requests(final InetAddress address)
    {
        final Entry entry = entries.get(Key.of(address));
        if (entry == null || entry.open == 0)
        {
            throw new IllegalStateException("no admitted connection of " + address);
        }
        return entry.requests;
    }

    /**
     * @return addresses tracked now (holding a connection, or with a bucket not yet known to be refilled)
     */
    public synchronized int addresses()
    {
        return entries.size();
    }

    /**
     * @return connections the address holds now
     */
    public synchronized int open(final InetAddress address)
    {
        final Entry entry = entries.get(Key.of(address));
        return entry == null ? 0 : entry.open;
    }

    /**
     * @return the longest a refused connection's client waits for its address's next token (the token interval)
     */
    public long intervalNs()
    {
        return intervalNs;
    }

    private void removeRefilled(final long nowNs)
    {
        while (idleHead != null && idleHead.refilled(nowNs))
        {
            final Entry refilled = idleHead;
            unlinkIdle(refilled);
            entries.remove(refilled.key);
        }
    }

    private void linkIdle(final Entry entry)
    {
        entry.idle = true;
        entry.previous = idleTail;
        entry.next = null;
        if (idleTail == null)
        {
            idleHead = entry;
        }
        else
        {
            idleTail.next = entry;
        }
        idleTail = entry;
    }

    private void unlinkIdle(final Entry entry)
    {
        if (!entry.idle)
        {
            return;
        }
        if (entry.previous == null)
        {
            idleHead = entry.next;
        }
        else
        {
            entry.previous.next = entry.next;
        }
        if (entry.next == null)
        {
            idleTail = entry.previous;
        }
        else
        {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
        entry.idle = false;
    }

    /**
     * The per-address settings of one port, with that port's defaults; its context holds one
     * ({@code addressLimits()}). Not thread-safe: set before the port starts.
     */
    public static final class Context
    {
        private final String section;
        private int maxConnectionsPerAddress;
        private long connectionIntervalNsPerAddress;
        private long connectionBurstPerAddress;
        private int maxTrackedAddresses;
        private long requestIntervalNsPerAddress;
        private long requestBurstPerAddress;
        private NanoClock connectionClock = SystemNanoClock.INSTANCE;

        /**
         * @param section the port's configuration section, which refused settings name
         */
        public Context(
            final String section,
            final int maxConnectionsPerAddress,
            final long connectionsPerSecondPerAddress,
            final long connectionBurstPerAddress,
            final int maxTrackedAddresses)
        {
            this.section = section;
            maxConnectionsPerAddress(maxConnectionsPerAddress);
            connectionRatePerAddress(connectionsPerSecondPerAddress, connectionBurstPerAddress);
            maxTrackedAddresses(maxTrackedAddresses);
        }

        /**
         * @param maxConnectionsPerAddress connections one client address (an IPv6 /64) holds at once; one more is
         *                                 refused at accept, so that one client cannot hold the whole port
         */
        public Context maxConnectionsPerAddress(final int maxConnectionsPerAddress)
        {
            this.maxConnectionsPerAddress = maxConnectionsPerAddress;
            return this;
        }

        public int maxConnectionsPerAddress()
        {
            return maxConnectionsPerAddress;
        }

        /**
         * The rate at which one client address may open connections: a token bucket that holds {@code burst}
         * tokens and gains one every {@code perSecond}-th of a second; a connection beyond it is refused at accept.
         */
        public Context connectionRatePerAddress(final long perSecond, final long burst)
        {
            return connectionIntervalPerAddress(SettingsCheck.intervalNs(section, "connectionsPerSecondPerAddress", perSecond), burst);
        }

        /**
         * The per-address connection rate given as the time one token takes to come back (tests use hours, so
         * that an emptied bucket stays empty until their clock says otherwise).
         */
        public Context connectionIntervalPerAddress(final long intervalNs, final long burst)
        {
            this.connectionIntervalNsPerAddress = intervalNs;
            this.connectionBurstPerAddress = burst;
            return this;
        }

        public long connectionIntervalNsPerAddress()
        {
            return connectionIntervalNsPerAddress;
        }

        public long connectionBurstPerAddress()
        {
            return connectionBurstPerAddress;
        }

        /**
         * @param maxTrackedAddresses client addresses tracked at once (at least the port's {@code maxConnections});
         *                            while that many are tracked, a connection from a new address is refused
         */
        public Context maxTrackedAddresses(final int maxTrackedAddresses)
        {
            this.maxTrackedAddresses = maxTrackedAddresses;
            return this;
        }

        public int maxTrackedAddresses()
        {
            return maxTrackedAddresses;
        }

        /**
         * The rate at which one client address may send requests over all its connections: a token bucket that
         * holds {@code burst} tokens and gains one every {@code perSecond}-th of a second. None unless set.
         */
        public Context requestRatePerAddress(final long perSecond, final long burst)
        {
            return requestIntervalPerAddress(SettingsCheck.intervalNs(section, "requestsPerSecondPerAddress", perSecond), burst);
        }

        /**
         * The per-address request rate given as the time one token takes to come back (tests use hours).
         */
        public Context requestIntervalPerAddress(final long intervalNs, final long burst)
        {
            this.requestIntervalNsPerAddress = intervalNs;
            this.requestBurstPerAddress = burst;
            return this;
        }

        /**
         * @return the time one request's token takes to come back, 0 when there is no per-address request rate
         */
        public long requestIntervalNsPerAddress()
        {
            return requestIntervalNsPerAddress;
        }

        public long requestBurstPerAddress()
        {
            return requestBurstPerAddress;
        }

        /**
         * @param connectionClock the monotonic clock the per-address connection rate runs on
         */
        public Context connectionClock(final NanoClock connectionClock)
        {
            this.connectionClock = connectionClock;
            return this;
        }

        public NanoClock connectionClock()
        {
            return connectionClock;
        }

        /**
         * @param maxConnections the port's limit, the least number of addresses to track
         * @throws IllegalArgumentException naming the section, the setting and its allowed range
         */
        public void validate(final int maxConnections)
        {
            SettingsCheck.range(section, "maxConnectionsPerAddress", maxConnectionsPerAddress, 1, 1_000_000);
            SettingsCheck.range(section, "connectionIntervalNsPerAddress", connectionIntervalNsPerAddress, 1,
                MAX_INTERVAL_NS);
            SettingsCheck.range(section, "connectionBurstPerAddress", connectionBurstPerAddress, 1, MAX_BURST);
            SettingsCheck.range(section, "maxTrackedAddresses", maxTrackedAddresses, maxConnections, 10_000_000);
            if (requestIntervalNsPerAddress != 0 || requestBurstPerAddress != 0)
            {
                SettingsCheck.range(section, "requestIntervalNsPerAddress", requestIntervalNsPerAddress, 1,
                    MAX_INTERVAL_NS);
                SettingsCheck.range(section, "requestBurstPerAddress", requestBurstPerAddress, 1, MAX_BURST);
            }
            if (connectionClock == null)
            {
                throw new IllegalArgumentException(section + ": connectionClock is null");
            }
        }
    }

    /**
     * An address as counted: an IPv4 address whole ({@code v6} false), an IPv6 address by its first 64 bits.
     */
    private record Key(boolean v6, long bits)
    {
        static Key of(final InetAddress address)
        {
            final byte[] bytes = address.getAddress();
            if (address instanceof Inet4Address)
            {
                return new Key(false, bits(bytes, 0, 4));
            }
            if (isIpv4Mapped(bytes))
            {
                return new Key(false, bits(bytes, 12, 4));
            }
            return new Key(true, bits(bytes, 0, 8));
        }

        private static boolean isIpv4Mapped(final byte[] bytes)
        {
            for (int i = 0; i < 10; i++)
            {
                if (bytes[i] != 0)
                {
                    return false;
                }
            }
            return bytes[10] == (byte)0xff && bytes[11] == (byte)0xff;
        }

        private static long bits(final byte[] bytes, final int from, final int length)
        {
            long bits = 0;
            for (int i = from; i < from + length; i++)
            {
                bits = bits << 8 | (bytes[i] & 0xff);
            }
            return bits;
        }
    }

    /**
     * One address's connections and buckets; guarded by the limit's lock, except the request bucket, which is
     * thread-safe itself and used only while the address holds a connection.
     */
    private static final class Entry
    {
        final Key key;
        final TokenBucket bucket;
        final AddressRequests requests;
        int open;
        boolean idle;
        Entry previous;
        Entry next;

        Entry(final Key key, final TokenBucket bucket, final AddressRequests requests)
        {
            this.key = key;
            this.bucket = bucket;
            this.requests = requests;
        }

        boolean refilled(final long nowNs)
        {
            return bucket.full(nowNs) && (requests == null || requests.full(nowNs));
        }
    }
}
