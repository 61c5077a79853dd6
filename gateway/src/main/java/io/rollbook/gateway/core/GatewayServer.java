package io.rollbook.gateway.core;

import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/**
 * The gateway's Netty side, independent of any protocol: one small group of event loops (NIO or epoll) that
 * accepts connections and serves them, and the servers bound on it. Every protocol (binary order entry now, REST
 * and WebSocket next) binds its own port on the same loops, so the machine runs one set of I/O threads.
 *
 * <p>Connections get TCP_NODELAY and a write buffer water mark whose high mark is the per-connection outbound bound:
 * a connection whose unsent bytes pass it is not writable, which the protocol layers treat as a slow consumer.
 *
 * <p>Thread-safe: bind and close from any thread.
 */
public final class GatewayServer implements AutoCloseable
{
    /**
     * Which Netty transport the loops use.
     */
    public enum Transport
    {
        NIO,
        EPOLL,
        /** epoll where it is available (Linux with the native library), NIO otherwise */
        AUTO;

        /**
         * @throws IllegalArgumentException naming the allowed values
         */
        public static Transport parse(final String name)
        {
            try
            {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException | NullPointerException ex)
            {
                throw new IllegalArgumentException("transport must be nio, epoll or auto, got \"" + name + "\"");
            }
        }
    }

    private final MultiThreadIoEventLoopGroup group;
    private final boolean epoll;
    private final List<EventLoop> eventLoops;
    private final List<Channel> servers = new ArrayList<>();

    /**
     * @param transport  the transport; EPOLL fails if it is not available here
     * @param eventLoops how many I/O threads
     */
    public GatewayServer(final Transport transport, final int eventLoops)
    {
        if (System.getProperty("io.netty.leakDetection.level") == null)
        {
            // Buffers are released where they are consumed (tested); sampling leak traces would allocate per message.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        if (eventLoops < 1 || eventLoops > SourceTag.MAX_EVENT_LOOPS)
        {
            throw new IllegalArgumentException("event loops must be 1 to " + SourceTag.MAX_EVENT_LOOPS + ", got " +
                eventLoops);
        }
        if (transport == Transport.EPOLL && !Epoll.isAvailable())
        {
            throw new IllegalStateException("epoll is not available here: " + Epoll.unavailabilityCause());
        }
        this.epoll = transport == Transport.EPOLL || (transport == Transport.AUTO && Epoll.isAvailable());
        final IoHandlerFactory handler = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, new DefaultThreadFactory("rollbook-gateway", true),
            handler);
        final List<EventLoop> loops = new ArrayList<>();
        for (final EventExecutor executor : group)
        {
            loops.add((EventLoop)executor);
        }
        this.eventLoops = Collections.unmodifiableList(loops);
    }

    /**
     * @return the loops, in a fixed order: a loop's index here is the one in {@link SourceTag}
     */
    public List<EventLoop> eventLoops()
    {
        return eventLoops;
    }

    /**
     * @return the index of a loop of this group
     */
    public int indexOf(final EventLoop loop)
    {
        for (int i = 0; i < eventLoops.size(); i++)
        {
            if (eventLoops.get(i) == loop)
            {
                return i;
            }
        }
        throw new IllegalArgumentException("not a loop of this gateway: " + loop);
    }

    /**
     * @return "epoll" or "nio"
     */
    public String transportName()
    {
        return epoll ? "epoll" : "nio";
    }

    /**
     * Binds a server on the loops and waits until it listens and accepts.
     *
     * @param bindAddress        host name or address to listen on
     * @param port               0 for an ephemeral port
     * @param outboundLimitBytes the per-connection bound on unsent bytes (the high water mark)
     * @param initializer        sets up each accepted connection's pipeline
     * @return the bound address
     * @throws ListenException if the address and port cannot be bound
     */
    public InetSocketAddress bind(
        final String bindAddress,
        final int port,
        final int outboundLimitBytes,
        final ChannelInitializer<SocketChannel> initializer) throws InterruptedException
    {
        final Listener listener = listen(bindAddress, port, outboundLimitBytes, initializer);
        listener.accept();
        return listener.address();
    }

    /**
     * Binds a server on the loops that holds its port but accepts nothing until {@link Listener#accept()}: a service
     * takes its ports before it writes anything, so that a port another process holds stops the start while the
     * data directory is as it was. Connections made in between wait in the listen backlog.
     *
     * @param bindAddress        host name or address to listen on
     * @param port               0 for an ephemeral port
     * @param outboundLimitBytes the per-connection bound on unsent bytes (the high water mark)
     * @param initializer        sets up each accepted connection's pipeline
     * @return the server, bound and not accepting
     * @throws ListenException if the address and port cannot be bound
     */
    public Listener listen(
        final String bindAddress,
        final int port,
        final int outboundLimitBytes,
        final ChannelInitializer<SocketChannel> initializer) throws InterruptedException
    {
        final Class<? extends ServerChannel> channelType =
            epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 256)
            // A server channel's read is its accept: off until the service is ready to serve.
            .option(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(outboundLimitBytes / 2, outboundLimitBytes))
            .childHandler(initializer);
        final ChannelFuture bound = bootstrap.bind(bindAddress, port).await();
        if (!bound.isSuccess())
        {
            throw new ListenException(bindAddress, port, bindProblem(bound.cause()), bound.cause());
        }
        final Channel server = bound.channel();
        synchronized (servers)
        {
            servers.add(server);
        }
        return new Listener(server);
    }

    /**
     * Some bind failures carry no message at all (an address that does not resolve), others only the system call's
     * words: say what they are.
     */
    private static String bindProblem(final Throwable cause)
    {
        if (cause instanceof UnresolvedAddressException)
        {
            return "the address does not resolve";
        }
        final String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (message.contains("Address already in use"))
        {
            return "the port is in use (another process listens on it)";
        }
        if (message.contains("Permission denied"))
        {
            return "permission denied (ports below 1024 need privileges)";
        }
        if (message.contains("Cannot assign requested address"))
        {
            return "the address is not one of this machine's";
        }
        return message;
    }

    /**
     * A bound server of {@link #listen}: holds its port, and accepts once told to.
     *
     * <p>Thread-safe.
     */
    public static final class Listener
    {
        private final Channel channel;

        private Listener(final Channel channel)
        {
            this.channel = channel;
        }

        /**
         * @return the bound address (the actual port if 0 was asked for)
         */
        public InetSocketAddress address()
        {
            return (InetSocketAddress)channel.localAddress();
        }

        /**
         * Starts accepting connections, those waiting in the backlog first.
         */
        public void accept()
        {
            channel.config().setAutoRead(true);
        }
    }

    /**
     * An address and port that cannot be bound: in use, not this machine's, or not resolvable. The message says
     * which address and port and why; a caller that knows the setting behind them adds its name.
     */
    public static final class ListenException extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        private final String bindAddress;
        private final int port;

        ListenException(final String bindAddress, final int port, final String problem, final Throwable cause)
        {
            super("cannot listen on " + bindAddress + ":" + port + ": " + problem, cause);
            this.bindAddress = bindAddress;
            this.port = port;
        }

        public String bindAddress()
        {
            return bindAddress;
        }

        public int port()
        {
            return port;
        }
    }

    /**
     * Closes every server channel (no new connections), leaving open connections and the loops running.
     */
    public void stopAccepting()
    {
        synchronized (servers)
        {
            for (final Channel server : servers)
            {
                server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            servers.clear();
        }
    }

    /**
     * Closes the servers and stops the loops once their pending tasks are done.
     */
    @Override
    public void close()
    {
        stopAccepting();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
