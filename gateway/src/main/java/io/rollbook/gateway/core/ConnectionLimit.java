package io.rollbook.gateway.core;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * Bounds the connections one listening port holds at a time. Every connection takes a file descriptor, and so do
 * the journal's cycle files and the snapshots: a flood of connections allowed to take them all would stop the
 * journal from rolling to its next file, which stops sequencing for everyone. A connection over the limit is
 * refused at accept, before it holds anything else; each protocol says how it tells its client.
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
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger heldRefusals = new AtomicInteger();
    private final ChannelFutureListener release = future -> open.decrementAndGet();
    private final ChannelFutureListener releaseRefusal = future -> heldRefusals.decrementAndGet();

    /**
     * @param max connections held at once
     */
    public ConnectionLimit(final int max)
    {
        if (max < 1)
        {
            throw new IllegalArgumentException("a connection limit must be positive, got " + max);
        }
        this.max = max;
    }

    /**
     * Counts an accepted connection until it closes, if the limit leaves room for it.
     *
     * @return false if it is over the limit: the caller refuses it (it is counted in {@link #refused()})
     */
    public boolean admit(final Channel channel)
    {
        if (!take(open, max, channel, release))
        {
            refused.incrementAndGet();
            return false;
        }
        return true;
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
        return take(heldRefusals, MAX_HELD_REFUSALS, channel, releaseRefusal);
    }

    /**
     * Counts the channel in {@code count} until it closes, if that stays within {@code limit}.
     */
    private static boolean take(
        final AtomicInteger count, final int limit, final Channel channel, final ChannelFutureListener release)
    {
        if (count.incrementAndGet() > limit)
        {
            count.decrementAndGet();
            return false;
        }
        channel.closeFuture().addListener(release);
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
     * @return connections refused so far for being over the limit; any thread
     */
    public long refused()
    {
        return refused.get();
    }
}
