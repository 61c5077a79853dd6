package io.rollbook.gateway.core;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * Bounds the connections one listening port holds at a time. Every connection takes a file descriptor, and so do
 * the journal's cycle files and the snapshots: a flood of connections allowed to take them all would stop the
 * journal from rolling to its next file, which stops sequencing for everyone. A connection over the limit is
 * refused at accept, before it holds anything else; each protocol says how it tells its client. Within the port's
 * limit, an {@link AddressLimit} bounds what one client address takes, so that one client cannot hold the whole
 * port or reconnect in a loop.
 *
 * <p>Thread-safe: connections of every event loop count against the one limit.
 */
public final class ConnectionLimit
{
    /** File descriptors kept for the journal's and snapshots' files, the listening sockets and the JVM's own. */
    public static final int RESERVED_DESCRIPTORS = 256;
    /**
     * Refused connections that may be held at once while they are told why (see {@link #holdRefused}): a few, so
     * that a flood of connections cannot hold descriptors through its refusals.
     */
    public static final int MAX_HELD_REFUSALS = 64;

    private final int max;
    private final AddressLimit addresses;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLongArray refused = new AtomicLongArray(Admission.values().length);
    private final AtomicInteger heldRefusals = new AtomicInteger();
    private final ChannelFutureListener release = future -> open.decrementAndGet();
    private final ChannelFutureListener releaseRefusal = future -> heldRefusals.decrementAndGet();

    /**
     * @param max       connections held at once
     * @param addresses the limits of each client address
     */
    public ConnectionLimit(final int max, final AddressLimit addresses)
    {
        if (max < 1)
        {
            throw new IllegalArgumentException("a connection limit must be positive, got " + max);
        }
        this.max = max;
        this.addresses = addresses;
    }

    /**
     * Counts an accepted connection until it closes, if the port's limit and its address's limits leave room for
     * it. A connection without an IP address (none on a TCP port) is held to the port's limit only.
     *
     * @return {@link Admission#ADMITTED}, or why the caller refuses it (counted in {@link #refused(Admission)});
     *     a refused connection holds no place of either limit
     */
    public Admission admit(final Channel channel)
    {
        if (!tryTake(open, max))
        {
            return refuse(Admission.LIMIT);
        }
        final InetAddress address = ipAddress(channel);
        if (address != null)
        {
            final Admission admission = addresses.admit(address);
            if (admission != Admission.ADMITTED)
            {
                open.decrementAndGet();
                return refuse(admission);
            }
            channel.closeFuture().addListener(future -> addresses.release(address));
        }
        channel.closeFuture().addListener(release);
        return Admission.ADMITTED;
    }

    /**
     * @param channel a connection {@link #admit} admitted
     * @return the request rate its client address's connections share, or null if the port has none or the
     *     connection has no IP address
     */
    public AddressRequests requests(final Channel channel)
    {
        final InetAddress address = ipAddress(channel);
        return address == null ? null : addresses.requests(address);
    }

    private static InetAddress ipAddress(final Channel channel)
    {
        final SocketAddress remote = channel.remoteAddress();
        return remote instanceof InetSocketAddress ? ((InetSocketAddress)remote).getAddress() : null;
    }

    private Admission refuse(final Admission refusal)
    {
        refused.incrementAndGet(refusal.ordinal());
        return refusal;
    }

    /**
     * Whether a refused connection may be held open for a moment, so that its protocol can tell the client why:
     * answering and closing at once, with the client's request unread, would make the kernel reset the connection,
     * and the reset destroys the answer. At most {@link #MAX_HELD_REFUSALS} are held at once; beyond, a refused
     * connection is closed without a word.
     *
     * @return true if the caller may hold it (it counts until it closes)
     */
    public boolean holdRefused(final Channel channel)
    {
        if (!tryTake(heldRefusals, MAX_HELD_REFUSALS))
        {
            return false;
        }
        channel.closeFuture().addListener(releaseRefusal);
        return true;
    }

    /**
     * Counts one more in {@code count} if that stays within {@code limit}.
     */
    private static boolean tryTake(final AtomicInteger count, final int limit)
    {
        if (count.incrementAndGet() > limit)
        {
            count.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * @param connections the most connections every port together may hold
     * @return why this process's file descriptor limit cannot hold that many connections and what else it needs,
     *     or null if it can (or the platform does not say its limit)
     */
    public static String descriptorShortfall(final long connections)
    {
        final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean))
        {
            return null;
        }
        final long limit = ((UnixOperatingSystemMXBean)os).getMaxFileDescriptorCount();
        if (connections <= limit - RESERVED_DESCRIPTORS)
        {
            return null;
        }
        return "the connection limits allow " + connections + " connections, but this process may open only " +
            limit + " files and needs " + RESERVED_DESCRIPTORS + " of them for the journal, snapshots and the JVM: " +
            "a flood of connections could leave the journal unable to open its next file. Raise the limit " +
            "(ulimit -n) or lower gateway.maxConnections and http.maxConnections";
    }

    /**
     * @return connections held now; any thread
     */
    public int open()
    {
        return open.get();
    }

    /**
     * @return connections refused so far, for any reason; any thread
     */
    public long refused()
    {
        long sum = 0;
        for (int i = 0; i < refused.length(); i++)
        {
            sum += refused.get(i);
        }
        return sum;
    }

    /**
     * @return connections refused so far for that reason; any thread
     */
    public long refused(final Admission reason)
    {
        return refused.get(reason.ordinal());
    }

    /**
     * @return the limits of each client address
     */
    public AddressLimit addresses()
    {
        return addresses;
    }
}
