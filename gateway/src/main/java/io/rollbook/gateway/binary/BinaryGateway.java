package io.rollbook.gateway.binary;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.rollbook.gateway.auth.ChallengeVerifier;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.core.AddressLimit;
import io.rollbook.gateway.core.Admission;
import io.rollbook.gateway.core.ConnectionLimit;
import io.rollbook.gateway.core.EventLoopOutbox;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.core.RefusedConnection;
import io.rollbook.gateway.core.ReleaseProgress;
import io.rollbook.gateway.core.SettingsCheck;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.gateway.view.JournalIndex;
import io.rollbook.gateway.view.JournalIndexFeed;
import io.rollbook.journal.JournalCursor;
import io.rollbook.protocol.orderentry.TerminationCode;
import io.rollbook.sequencer.CommandPublisher;
import io.rollbook.sequencer.ReleaseListener;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binary order entry and market data over TCP (SBE with a FIXP-style session; docs/ORDER-ENTRY.md), on the
 * gateway's event loops.
 *
 * <pre>
 *  client ──TCP──► event loop: frames ─► BinarySession: checks, throttle, idempotency ─► CommandPublisher (ring)
 *                                                                                              │ sequencer
 *  client ◄──TCP── event loop ◄── EventLoopOutbox (one per loop) ◄── BinaryReleaseFanOut ◄── release thread
 *                       ▲                                              (reports, market data, operator acks)
 *                       └────────── Retransmitter (own thread, reads the journal) ◄── RetransmitRequest
 * </pre>
 *
 * <p>Lifecycle: construct on the event loops it will serve (before the sequencer launches, so that
 * {@link #releaseListener()} can be registered), {@link #listen} on its port (before the sequencer writes anything),
 * {@link #start} with the running sequencer's publisher, then {@link #accept()} (or {@link #start}, then
 * {@link #bind}); {@link #close} before closing the sequencer (ends every session, which publishes their
 * cancels-on-disconnect, so the sequencer's drain journals them).
 *
 * <p>Thread-safe: start and close from any one thread.
 */
public final class BinaryGateway implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(BinaryGateway.class);

    private final Context context;
    private final GatewayViews views;
    private final ChallengeVerifier verifier;
    private final SessionIds sessionIds = new SessionIds();
    private final AccountLogons accountLogons;
    private final ReleaseProgress releaseProgress;
    private final BinaryLoop[] loops;
    private final BinaryReleaseFanOut fanOut;
    private final Retransmitter retransmitter;
    private final ConnectionLimit connections;
    /** The framed Terminate a refused connection gets, by {@link Admission#ordinal()}. */
    private final byte[][] refusals;
    private volatile CommandPublisher publisher;
    private GatewayServer server;
    private GatewayServer.Listener listener;
    private InetSocketAddress address;
    private boolean closed;

    /**
     * @param eventLoops    the loops that serve its connections, in the order of {@link GatewayServer#eventLoops()}
     * @param viewsSequence the journal sequence the views reflect (where the release listener starts)
     */
    public BinaryGateway(
        final Context context,
        final List<EventLoop> eventLoops,
        final GatewayViews views,
        final KeyStore keys,
        final Path dataDirectory,
        final JournalIndex journalIndex,
        final JournalIndexFeed indexFeed,
        final long viewsSequence)
    {
        this.context = context.validate();
        this.views = views;
        this.verifier = new ChallengeVerifier(keys, context.timestampWindowMs());
        this.releaseProgress = new ReleaseProgress(viewsSequence);
        this.accountLogons = new AccountLogons(context.accountCapacity());
        this.connections = new ConnectionLimit(context.maxConnections(), new AddressLimit(context.addressLimits()));
        this.refusals = RefusalTerminates.of(context.maxConnections(), context.addressLimits());
        this.loops = new BinaryLoop[eventLoops.size()];
        for (int i = 0; i < loops.length; i++)
        {
            final EventLoopOutbox outbox = new EventLoopOutbox(eventLoops.get(i), i, context.outboxCapacityBytes(), 4096);
            loops[i] = new BinaryLoop(this, i, eventLoops.get(i), outbox);
        }
        this.fanOut = new BinaryReleaseFanOut(loops, releaseProgress);
        views.updater().addListener(fanOut);
        this.retransmitter = new Retransmitter(() -> JournalCursor.open(dataDirectory), journalIndex, indexFeed, loops,
            context.retransmitMaxScannedRecords(), Retransmitter.DEFAULT_OUTBOX_WAIT_NS);
    }

    /**
     * @return the listener to register with the sequencer, after the views' updater
     */
    public ReleaseListener releaseListener()
    {
        return fanOut;
    }

    /**
     * Starts serving (timers, retransmission) with the running sequencer's publisher.
     */
    public void start(final CommandPublisher publisher)
    {
        this.publisher = publisher;
        retransmitter.start();
        for (final BinaryLoop loop : loops)
        {
            loop.eventLoop().execute(loop::startTimer);
        }
    }

    /**
     * Binds the configured address and port on the server's loops (the ones given at construction) and accepts.
     *
     * @return the address it listens on
     */
    public InetSocketAddress bind(final GatewayServer server) throws InterruptedException
    {
        final InetSocketAddress bound = listen(server);
        accept();
        return bound;
    }

    /**
     * Accepts connections on the port {@link #listen} took, once {@link #start}ed.
     */
    public void accept()
    {
        listener.accept();
    }

    /**
     * Binds the configured address and port on the server's loops (the ones given at construction), accepting
     * nothing until {@link #accept()}: a start takes its ports before it writes anything.
     *
     * @return the address it listens on
     * @throws GatewayServer.ListenException if the port cannot be bound
     */
    public InetSocketAddress listen(final GatewayServer server) throws InterruptedException
    {
        this.server = server;
        listener = server.listen(context.bindAddress(), context.port(), context.outboundLimitBytes(),
            new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    final Admission admission = connections.admit(channel);
                    if (admission != Admission.ADMITTED)
                    {
                        // Told why unless too many refusals are being told already: then closed without a word.
                        if (connections.holdRefused(channel))
                        {
                            channel.pipeline().addLast(new RefusedConnection(refusals[admission.ordinal()]));
                        }
                        else
                        {
                            channel.close();
                        }
                        return;
                    }
                    channel.pipeline().addLast(new BinaryChannelHandler(loopOf(channel.eventLoop())));
                }
            });
        address = listener.address();
        LOG.info("binary gateway listening on {} ({} event loop(s), {})", address, loops.length, server.transportName());
        return address;
    }

    /**
     * @return where it listens, once started
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * Ends, on every event loop, the sessions that authenticated with a key the change took away, and returns once
     * each loop has done so (or after 5 s a loop).
     */
    public void onKeysChanged(final KeyStore.KeyChange change)
    {
        for (final BinaryLoop loop : loops)
        {
            try
            {
                loop.eventLoop().submit(() -> loop.onKeysChanged(change)).await(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops accepting, ends every session with {@code SERVER_SHUTDOWN} (publishing their cancels-on-disconnect)
     * and stops the retransmission thread. The event loops keep running; the {@link GatewayServer} owns them.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        if (server != null)
        {
            server.stopAccepting();
        }
        for (final BinaryLoop loop : loops)
        {
            try
            {
                loop.eventLoop().submit(() -> loop.terminateAll(TerminationCode.SERVER_SHUTDOWN, "the server is shutting down"))
                    .await(5, TimeUnit.SECONDS);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (System.nanoTime() < deadline && loop.eventLoop().submit(() -> loop.sessionCount() + loop.pendingCancels())
                    .get(5, TimeUnit.SECONDS) > 0)
                {
                    Thread.sleep(5);
                }
            }
            catch (final Exception ex)
            {
                LOG.warn("event loop {} did not end its sessions: {}", loop.index(), ex.toString());
            }
        }
        retransmitter.close();
    }

    Context context()
    {
        return context;
    }

    GatewayViews views()
    {
        return views;
    }

    ChallengeVerifier verifier()
    {
        return verifier;
    }

    SessionIds sessionIds()
    {
        return sessionIds;
    }

    AccountLogons accountLogons()
    {
        return accountLogons;
    }

    CommandPublisher publisher()
    {
        return publisher;
    }

    ReleaseProgress releaseProgress()
    {
        return releaseProgress;
    }

    Retransmitter retransmitter()
    {
        return retransmitter;
    }

    /**
     * @return errors that escaped a connection's handling (each closed its connection); 0 unless there is a bug
     */
    public long unexpectedErrors()
    {
        return sum(BinaryLoop::unexpectedErrors);
    }

    /**
     * @return connections refused at accept, for any reason; any thread
     */
    public long refusedConnections()
    {
        return connections.refused();
    }

    /**
     * @return connections refused at accept for that reason; any thread
     */
    public long refusedConnections(final Admission reason)
    {
        return connections.refused(reason);
    }

    /**
     * @return client addresses tracked by the per-address limits now; any thread
     */
    public int trackedAddresses()
    {
        return connections.addresses().addresses();
    }

    /**
     * @return open connections; any thread
     */
    public long connectionCount()
    {
        return sum(BinaryLoop::connectionGauge);
    }

    /**
     * @return established order-entry sessions, accounts' and operators'; any thread
     */
    public long sessionCount()
    {
        return sum(BinaryLoop::sessionGauge);
    }

    /**
     * @return market data subscriptions, one per connection and market; any thread
     */
    public long subscriptionCount()
    {
        return sum(BinaryLoop::subscriptionGauge);
    }

    private long sum(final ToLongFunction<BinaryLoop> perLoop)
    {
        long sum = 0;
        for (final BinaryLoop loop : loops)
        {
            sum += perLoop.applyAsLong(loop);
        }
        return sum;
    }

    BinaryLoop loop(final int index)
    {
        return loops[index];
    }

    /**
     * Tests that drive a loop's connections themselves give it a publisher without starting timers or threads.
     */
    void publisher(final CommandPublisher publisher)
    {
        this.publisher = publisher;
    }

    BinaryLoop loopOf(final EventLoop eventLoop)
    {
        for (final BinaryLoop loop : loops)
        {
            if (loop.eventLoop() == eventLoop)
            {
                return loop;
            }
        }
        throw new IllegalStateException("not an event loop of this gateway: " + eventLoop);
    }

    /**
     * Settings of the binary gateway, with defaults. The market and account capacities are the matcher's and must
     * be set.
     */
    public static final class Context
    {
        private String bindAddress = "0.0.0.0";
        private int port = 9001;
        private int marketCapacity;
        private int accountCapacity;
        private long throttleMessagesPerSecond = 200_000;
        private int throttleTerminateAfterRejects = 1_000;
        private long keepAliveMinMs = 100;
        private long keepAliveMaxMs = 60_000;
        private long deadManMinMs = 100;
        private long deadManMaxMs = 3_600_000;
        private int retransmitMaxReports = 1_000;
        private int retransmitMaxScannedRecords = 1_000_000;
        private int outboundLimitBytes = 8 << 20;
        private int outboxCapacityBytes = 16 << 20;
        private long timestampWindowMs = 30_000;
        private long negotiationTimeoutMs = 10_000;
        private int maxSubscriptions = 64;
        private int maxConnections = 1_000;
        private final AddressLimit.Context addressLimits = new AddressLimit.Context("gateway", 32, 20, 100, 4_096);
        private long marketDataHeartbeatMs = 1_000;
        private long marketDataTimeoutMs = 10_000;
        private EpochNanoClock clock = new OffsetEpochNanoClock();

        public Context bindAddress(final String bindAddress)
        {
            this.bindAddress = bindAddress;
            return this;
        }

        public String bindAddress()
        {
            return bindAddress;
        }

        /**
         * @param port the TCP port, 0 for an ephemeral one
         */
        public Context port(final int port)
        {
            this.port = port;
            return this;
        }

        public int port()
        {
            return port;
        }

        public Context marketCapacity(final int marketCapacity)
        {
            this.marketCapacity = marketCapacity;
            return this;
        }

        public int marketCapacity()
        {
            return marketCapacity;
        }

        public Context accountCapacity(final int accountCapacity)
        {
            this.accountCapacity = accountCapacity;
            return this;
        }

        public int accountCapacity()
        {
            return accountCapacity;
        }

        /**
         * @param throttleMessagesPerSecond inbound messages a session may send per second (and in a burst)
         */
        public Context throttleMessagesPerSecond(final long throttleMessagesPerSecond)
        {
            this.throttleMessagesPerSecond = throttleMessagesPerSecond;
            return this;
        }

        public long throttleMessagesPerSecond()
        {
            return throttleMessagesPerSecond;
        }

        /**
         * @param throttleTerminateAfterRejects a session throttled more than this many times within a second is
         *                                      terminated
         */
        public Context throttleTerminateAfterRejects(final int throttleTerminateAfterRejects)
        {
            this.throttleTerminateAfterRejects = throttleTerminateAfterRejects;
            return this;
        }

        public int throttleTerminateAfterRejects()
        {
            return throttleTerminateAfterRejects;
        }

        public Context keepAliveBoundsMs(final long minMs, final long maxMs)
        {
            this.keepAliveMinMs = minMs;
            this.keepAliveMaxMs = maxMs;
            return this;
        }

        public long keepAliveMinMs()
        {
            return keepAliveMinMs;
        }

        public long keepAliveMaxMs()
        {
            return keepAliveMaxMs;
        }

        public Context deadManBoundsMs(final long minMs, final long maxMs)
        {
            this.deadManMinMs = minMs;
            this.deadManMaxMs = maxMs;
            return this;
        }

        public long deadManMinMs()
        {
            return deadManMinMs;
        }

        public long deadManMaxMs()
        {
            return deadManMaxMs;
        }

        /**
         * @param retransmitMaxReports the most reports one RetransmitRequest is answered with
         */
        public Context retransmitMaxReports(final int retransmitMaxReports)
        {
            this.retransmitMaxReports = retransmitMaxReports;
            return this;
        }

        public int retransmitMaxReports()
        {
            return retransmitMaxReports;
        }

        /**
         * @param retransmitMaxScannedRecords the most journal records one RetransmitRequest reads
         */
        public Context retransmitMaxScannedRecords(final int retransmitMaxScannedRecords)
        {
            this.retransmitMaxScannedRecords = retransmitMaxScannedRecords;
            return this;
        }

        public int retransmitMaxScannedRecords()
        {
            return retransmitMaxScannedRecords;
        }

        /**
         * @param outboundLimitBytes the bound on a connection's unsent bytes: beyond it the client is a slow consumer
         *                           and is disconnected
         */
        public Context outboundLimitBytes(final int outboundLimitBytes)
        {
            this.outboundLimitBytes = outboundLimitBytes;
            return this;
        }

        public int outboundLimitBytes()
        {
            return outboundLimitBytes;
        }

        /**
         * @param outboxCapacityBytes the hand-over ring from the release thread to each event loop, a power of two
         */
        public Context outboxCapacityBytes(final int outboxCapacityBytes)
        {
            this.outboxCapacityBytes = outboxCapacityBytes;
            return this;
        }

        public int outboxCapacityBytes()
        {
            return outboxCapacityBytes;
        }

        /**
         * @param timestampWindowMs how far a Negotiate's timestamp may be from the server's clock
         */
        public Context timestampWindowMs(final long timestampWindowMs)
        {
            this.timestampWindowMs = timestampWindowMs;
            return this;
        }

        public long timestampWindowMs()
        {
            return timestampWindowMs;
        }

        /**
         * @param negotiationTimeoutMs a connection that neither negotiates nor subscribes to market data, or that
         *                             negotiates but does not establish, within this time is closed
         */
        public Context negotiationTimeoutMs(final long negotiationTimeoutMs)
        {
            this.negotiationTimeoutMs = negotiationTimeoutMs;
            return this;
        }

        public long negotiationTimeoutMs()
        {
            return negotiationTimeoutMs;
        }

        /**
         * @param maxSubscriptions markets one connection may subscribe to
         */
        public Context maxSubscriptions(final int maxSubscriptions)
        {
            this.maxSubscriptions = maxSubscriptions;
            return this;
        }

        public int maxSubscriptions()
        {
            return maxSubscriptions;
        }

        /**
         * @param maxConnections connections the port holds at once; one more is closed at accept, before it can
         *                       hold anything (each takes a file descriptor, which the journal needs too)
         */
        public Context maxConnections(final int maxConnections)
        {
            this.maxConnections = maxConnections;
            return this;
        }

        public int maxConnections()
        {
            return maxConnections;
        }

        /**
         * @return the limits of what one client address takes of the port (a connection over them is closed at
         *     accept); set them on it. Each logon costs a signature check on the event loop every session shares:
         *     the per-address rate bounds what one client reconnecting in a loop takes of it
         */
        public AddressLimit.Context addressLimits()
        {
            return addressLimits;
        }

        /**
         * @param marketDataHeartbeatMs a connection that subscribed to market data without negotiating is sent a
         *                              Sequence after this long in which it was sent nothing, so that its client
         *                              can tell a quiet market from a dead server
         */
        public Context marketDataHeartbeatMs(final long marketDataHeartbeatMs)
        {
            this.marketDataHeartbeatMs = marketDataHeartbeatMs;
            return this;
        }

        public long marketDataHeartbeatMs()
        {
            return marketDataHeartbeatMs;
        }

        /**
         * @param marketDataTimeoutMs a connection that subscribed to market data without negotiating and from which
         *                            nothing arrives for this long is terminated (its peer is gone or hung); at
         *                            least {@link #marketDataHeartbeatMs}
         */
        public Context marketDataTimeoutMs(final long marketDataTimeoutMs)
        {
            this.marketDataTimeoutMs = marketDataTimeoutMs;
            return this;
        }

        public long marketDataTimeoutMs()
        {
            return marketDataTimeoutMs;
        }

        /**
         * @param clock the server's clock, for challenges and the negotiation timestamp window
         */
        public Context clock(final EpochNanoClock clock)
        {
            this.clock = clock;
            return this;
        }

        public EpochNanoClock clock()
        {
            return clock;
        }

        /**
         * @throws IllegalArgumentException naming the setting and its allowed range
         */
        public Context validate()
        {
            if (bindAddress == null || bindAddress.isBlank())
            {
                throw new IllegalArgumentException("gateway: bindAddress is empty");
            }
            range("port", port, 0, 65535);
            range("marketCapacity", marketCapacity, 1, 1 << 20);
            range("accountCapacity", accountCapacity, 2, 1 << 30);
            range("throttleMessagesPerSecond", throttleMessagesPerSecond, 1, 100_000_000);
            range("throttleTerminateAfterRejects", throttleTerminateAfterRejects, 0, Integer.MAX_VALUE);
            range("keepAliveMinMs", keepAliveMinMs, 10, 3_600_000);
            range("keepAliveMaxMs", keepAliveMaxMs, keepAliveMinMs, 3_600_000);
            range("deadManMinMs", deadManMinMs, 10, 86_400_000);
            range("deadManMaxMs", deadManMaxMs, deadManMinMs, 86_400_000);
            range("retransmitMaxReports", retransmitMaxReports, 1, 65_535);
            range("retransmitMaxScannedRecords", retransmitMaxScannedRecords, 1_000, Integer.MAX_VALUE);
            range("outboundLimitBytes", outboundLimitBytes, 64 * 1024, 1 << 30);
            range("outboxCapacityBytes", outboxCapacityBytes, 1 << 20, 1 << 30);
            if (Integer.bitCount(outboxCapacityBytes) != 1)
            {
                throw new IllegalArgumentException("gateway: outboxCapacityBytes must be a power of two, got " +
                    outboxCapacityBytes);
            }
            range("timestampWindowMs", timestampWindowMs, 1_000, 3_600_000);
            range("negotiationTimeoutMs", negotiationTimeoutMs, 100, 3_600_000);
            range("maxSubscriptions", maxSubscriptions, 1, 1 << 20);
            range("maxConnections", maxConnections, 1, 1_000_000);
            addressLimits.validate(maxConnections);
            range("marketDataHeartbeatMs", marketDataHeartbeatMs, 10, 3_600_000);
            range("marketDataTimeoutMs", marketDataTimeoutMs, marketDataHeartbeatMs, 3_600_000);
            if (clock == null)
            {
                throw new IllegalArgumentException("gateway: clock is null");
            }
            return this;
        }

        private static void range(final String name, final long value, final long min, final long max)
        {
            SettingsCheck.range("gateway", name, value, min, max);
        }
    }
}
