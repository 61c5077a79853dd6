package io.rollbook.gateway.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.core.AddressLimit;
import io.rollbook.gateway.core.Admission;
import io.rollbook.gateway.core.ConnectionLimit;
import io.rollbook.gateway.core.EventLoopOutbox;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.core.RefusedConnection;
import io.rollbook.gateway.core.SettingsCheck;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.sequencer.CommandPublisher;
import io.rollbook.sequencer.ReleaseListener;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trader API: REST and WebSocket with JSON bodies (docs/REST.md), on the gateway's event loops beside the
 * binary gateway, plus the routes the application mounts ({@link HttpRoutes}).
 *
 * <pre>
 *  client ──HTTP/WS──► event loop: HttpConnection ─► RestApi: route, sign check, throttle, JsonCommands ─► ring
 *                                                                                                  │ sequencer
 *  client ◄──HTTP/WS── event loop ◄── EventLoopOutbox (one per loop) ◄── HttpReleaseFanOut ◄── release thread
 *                                      (answers, book, trades, oracle/funding, private events)
 * </pre>
 *
 * <p>With {@link Context#tls} set, every connection speaks TLS (HTTPS and wss://): an {@link SslHandler} comes first
 * in its pipeline, a handshake must be done within {@code http.requestReadTimeoutMs} or the connection is closed
 * ({@link TlsHandshake} counts the failures), handshakes do their work on a thread of their own
 * ({@link TlsHandshakeThread}), and the answers that end a connection end its TLS session with a
 * {@code close_notify} before the TCP half-close ({@link SendingSide}). A connection refused at accept is answered
 * its 503 over TLS too, after the handshake: a client then learns why, as over plain HTTP, and the handshakes such
 * refusals cost are bounded by the refusals held at once and the handshake timeout. The exception is a connection
 * over its address's rate, closed without a handshake: a client reconnecting in a loop would otherwise make the
 * loop spend a handshake on every refusal, which is what the rate is there to stop.
 *
 * <p>Every answer to a command is written only when the command's batch has been journaled: the release thread
 * hands the command's events to the loop that holds the request, which renders the JSON there.
 *
 * <p>Lifecycle as {@link io.rollbook.gateway.binary.BinaryGateway}: construct on the loops (before the sequencer
 * launches, to register {@link #releaseListener()}), {@link #listen}, {@link #start}, {@link #accept()}, and
 * {@link #close} before the sequencer closes. Thread-safe: start and close from any one thread.
 */
public final class HttpGateway implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);
    private static final long CLOSE_ANSWER_WAIT_MS = 5_000;
    private static final int DRAIN_LIMIT = 4096;
    /** Requests a client may pipeline unanswered; beyond, the codec refuses and the connection is closed. */
    private static final int MAX_PIPELINE_DEPTH = 1024;
    private static final String WEBSOCKET_HANDLER = "websocket";

    private final Context context;
    private final GatewayViews views;
    private final KeyStore keys;
    private final HttpLoop[] loops;
    private final HttpReleaseFanOut fanOut;
    /** Reads an account's fills and a market's trades from the journal, or null when the gateway serves no history. */
    private final TradeHistory tradeHistory;
    private final ReplayGuard replays;
    private final ConnectionLimit connections;
    /** The whole answer to a refused connection, by {@link Admission}, written before its request is read. */
    private final byte[][] refusalAnswers;
    /** The TLS context, built once at start, or null for plain HTTP. */
    private final SslContext tls;
    /** Where TLS handshakes do their work, with TLS on; else null. */
    private final TlsHandshakeThread handshakes;
    private volatile CommandPublisher publisher;
    private GatewayServer server;
    private GatewayServer.Listener listener;
    private InetSocketAddress address;
    private boolean closed;

    /**
     * @param eventLoops the loops that serve its connections, in the order of {@link GatewayServer#eventLoops()}
     */
    public HttpGateway(final Context context, final List<EventLoop> eventLoops, final GatewayViews views, final KeyStore keys)
    {
        this(context, eventLoops, views, keys, null);
    }

    /**
     * @param tradeHistory serves {@code GET /v1/fills} and {@code GET /v1/markets/{market}/trades?fromSeq=S} (started and
     *                     closed with the gateway); null answers them 503
     */
    public HttpGateway(
        final Context context,
        final List<EventLoop> eventLoops,
        final GatewayViews views,
        final KeyStore keys,
        final TradeHistory tradeHistory)
    {
        this.tradeHistory = tradeHistory;
        this.context = context.validate();
        this.views = views;
        this.keys = keys;
        this.replays = new ReplayGuard(context.timestampWindowMs(), context.maxRememberedSignatures());
        this.connections = new ConnectionLimit(context.maxConnections(), new AddressLimit(context.addressLimits()));
        this.refusalAnswers = refusalAnswers(context);
        this.tls = context.tls();
        this.handshakes = tls == null ? null : new TlsHandshakeThread();
        this.loops = new HttpLoop[eventLoops.size()];
        for (int i = 0; i < loops.length; i++)
        {
            final EventLoopOutbox outbox = new EventLoopOutbox(eventLoops.get(i), i, context.outboxCapacityBytes(),
                DRAIN_LIMIT);
            loops[i] = new HttpLoop(this, i, outbox);
        }
        this.fanOut = new HttpReleaseFanOut(loops);
        views.updater().addListener(fanOut);
    }

    /**
     * @return the listener to register with the sequencer, after the views' updater
     */
    public ReleaseListener releaseListener()
    {
        return fanOut;
    }

    /**
     * Starts serving (timers) with the running sequencer's publisher.
     */
    public void start(final CommandPublisher publisher)
    {
        this.publisher = publisher;
        if (tradeHistory != null)
        {
            tradeHistory.start();
        }
        for (final HttpLoop loop : loops)
        {
            loop.eventLoop().execute(loop::startTimer);
        }
    }

    /**
     * Closes, on every event loop, the WebSocket connections that authenticated with a key the change took away,
     * and returns once each loop has done so (or after 5 s a loop). Signed REST requests need nothing: each is
     * verified with the keys of its moment.
     */
    public void onKeysChanged(final KeyStore.KeyChange change)
    {
        for (final HttpLoop loop : loops)
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
     * Binds the configured address and port on the server's loops and accepts.
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
     * Binds the configured address and port on the server's loops, accepting nothing until {@link #accept()}.
     *
     * @return the address it listens on
     * @throws GatewayServer.ListenException if the port cannot be bound
     */
    public InetSocketAddress listen(final GatewayServer server) throws InterruptedException
    {
        this.server = server;
        final WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(RestApi.WEBSOCKET_PATH)
            .checkStartsWith(false)
            .handleCloseFrames(true)
            // Every close of the server's sends its own frame (WsSession, and for the frame decoder's 1002, 1007 and
            // 1009 FrameViolations); Netty's default would add a second, "1000 Bye".
            .sendCloseFrame(null)
            .dropPongFrames(false)
            .handshakeTimeoutMillis(10_000)
            .decoderConfig(WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(context.maxWebSocketFrameBytes())
                .allowExtensions(false)
                // Closing at once would reset a client still sending the frame: FrameViolations ends it in stages.
                .closeOnProtocolViolation(false)
                .build())
            .build();
        listener = server.listen(context.bindAddress(), context.port(), context.outboundLimitBytes(),
            new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    final Admission admission = connections.admit(channel);
                    if (admission != Admission.ADMITTED)
                    {
                        // Over TLS an answer costs a handshake, which is what the per-address rate bounds.
                        final boolean answer = tls == null || admission != Admission.RATE;
                        if (answer && connections.holdRefused(channel))
                        {
                            addTls(channel);
                            channel.pipeline().addLast(new RefusedConnection(refusalAnswers[admission.ordinal()]));
                        }
                        else
                        {
                            channel.close();
                        }
                        return;
                    }
                    final HttpConnection connection =
                        new HttpConnection(loopOf(channel.eventLoop()), connections.requests(channel));
                    channel.config().setAllowHalfClosure(true);
                    addTls(channel);
                    channel.pipeline()
                        .addLast(new RequestStart(connection))
                        .addLast(new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(8192)
                            .setMaxHeaderSize(16384).setMaxChunkSize(16384), MAX_PIPELINE_DEPTH))
                        .addLast(new BodyLimit(connection, context.maxBodyBytes()))
                        .addLast(new UpgradeGate(connection))
                        .addLast(new ClientPings(connection))
                        .addLast(WEBSOCKET_HANDLER, new WebSocketServerProtocolHandler(webSocket))
                        .addLast(new WebSocketFrameAggregator(context.maxWebSocketFrameBytes()))
                        .addLast(connection);
                    // Right before Netty's handler, after the UTF-8 validator it puts there: both throw the errors.
                    channel.pipeline().addBefore(WEBSOCKET_HANDLER, null, new FrameViolations(connection));
                }
            });
        address = listener.address();
        LOG.info("HTTP gateway listening on {} ({}, {} event loop(s))", address, tls == null ? "plain HTTP" : "TLS",
            loops.length);
        return address;
    }

    /**
     * Puts TLS first in a new connection's pipeline, when it is configured.
     */
    private void addTls(final SocketChannel channel)
    {
        if (tls != null)
        {
            final SslHandler handler = tls.newHandler(channel.alloc(), handshakes);
            handler.setHandshakeTimeoutMillis(context.requestReadTimeoutMs());
            channel.pipeline().addLast(handler, new TlsHandshake(loopOf(channel.eventLoop())));
        }
    }

    /**
     * @return where it listens, once bound
     */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * Answers the requests waiting for their command's release, then closes every WebSocket. Close it after the
     * sequencer has drained ({@link io.rollbook.gateway.GatewayService#close()}): every request it took then has its
     * answer, for its command was journaled and released; a request that comes meanwhile gets a 503 that says nothing
     * was done. A request still waiting after {@value #CLOSE_ANSWER_WAIT_MS} ms (a sequencer that did not drain) is
     * dropped with its connection. The event loops keep running; the {@link GatewayServer} owns them.
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
        for (final HttpLoop loop : loops)
        {
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_ANSWER_WAIT_MS);
                int waiting;
                while ((waiting = loop.eventLoop().submit(loop::pendingCount).get(5, TimeUnit.SECONDS)) > 0 &&
                    System.nanoTime() < deadline)
                {
                    Thread.sleep(1);
                }
                if (waiting > 0)
                {
                    LOG.warn("event loop {}: {} request(s) left without an answer at close", loop.index(), waiting);
                }
                loop.eventLoop().submit(loop::closeAll).await(5, TimeUnit.SECONDS);
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                LOG.warn("event loop {} did not answer at close: {}", loop.index(), ex.toString());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (handshakes != null)
        {
            handshakes.close();
        }
        if (tradeHistory != null)
        {
            tradeHistory.close();
        }
    }

    /**
     * @return errors that escaped a request's handling (each answered 500 or closed its connection); 0 unless
     *         there is a bug
     */
    public long unexpectedErrors()
    {
        return sum(HttpLoop::unexpectedErrors);
    }

    /**
     * @return WebSocket connections closed because their client did not read fast enough
     */
    public long slowConsumerDisconnects()
    {
        return sum(HttpLoop::slowConsumerDisconnects);
    }

    /**
     * @return requests answered 408 because they did not arrive whole within {@code requestReadTimeoutMs}; any thread
     */
    public long readTimeouts()
    {
        return sum(HttpLoop::readTimeouts);
    }

    /**
     * @return plain HTTP connections closed after {@code idleTimeoutMs} without a request or an answer owed; any
     *         thread
     */
    public long idleTimeouts()
    {
        return sum(HttpLoop::idleTimeouts);
    }

    /**
     * @return requests and WebSocket messages refused with {@code REQUEST_RATE_EXCEEDED}: their client address sent
     *     more than {@code requestsPerSecondPerAddress}; any thread
     */
    public long requestsOverAddressRate()
    {
        return sum(HttpLoop::overAddressRate);
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
     * @return connections held now, WebSockets included (refused ones are not); any thread
     */
    public int connectionCount()
    {
        return connections.open();
    }

    /**
     * @return client addresses tracked by the per-address limits now; any thread
     */
    public int trackedAddresses()
    {
        return connections.addresses().addresses();
    }

    /**
     * @return true if the port speaks TLS
     */
    public boolean isTls()
    {
        return tls != null;
    }

    /**
     * @return pieces of TLS handshake work done on the handshake thread, off the event loops; any thread
     */
    public long tlsHandshakeTasks()
    {
        return handshakes == null ? 0 : handshakes.tasksRun();
    }

    /**
     * @return TLS handshakes not finished within {@code requestReadTimeoutMs} (the connection was closed); any thread
     */
    public long tlsHandshakeTimeouts()
    {
        return sum(HttpLoop::tlsHandshakeTimeouts);
    }

    /**
     * @return TLS handshakes the client gave up on, closing the connection; any thread
     */
    public long tlsHandshakesClosed()
    {
        return sum(HttpLoop::tlsHandshakesClosed);
    }

    /**
     * @return TLS connections closed because the client sent no valid handshake (plain HTTP, garbage, a protocol or
     *         cipher suite the server does not offer); any thread
     */
    public long tlsHandshakesInvalid()
    {
        return sum(HttpLoop::tlsHandshakesInvalid);
    }

    /**
     * @return open WebSocket connections; any thread
     */
    public long webSocketCount()
    {
        return sum(HttpLoop::webSocketGauge);
    }

    /**
     * @return WebSocket subscriptions to market channels (book, trades, ...), one per connection and channel; any
     *         thread
     */
    public long marketSubscriptionCount()
    {
        return sum(HttpLoop::marketSubscriptionGauge);
    }

    /**
     * @return the whole answer to each refusal, by {@link Admission#ordinal()} (none for {@link Admission#ADMITTED})
     */
    private static byte[][] refusalAnswers(final Context context)
    {
        final AddressLimit.Context addresses = context.addressLimits();
        final byte[][] answers = new byte[Admission.values().length][];
        answers[Admission.LIMIT.ordinal()] = refusalAnswer("503 Service Unavailable", 1, "TOO_MANY_CONNECTIONS",
            "the server holds its most connections (http.maxConnections, " + context.maxConnections() +
            ") already; nothing was read, try again later");
        answers[Admission.ADDRESS.ordinal()] = refusalAnswer("503 Service Unavailable", 1,
            "TOO_MANY_CONNECTIONS_FROM_ADDRESS", "this client address holds its most connections " +
            "(http.maxConnectionsPerAddress, " + addresses.maxConnectionsPerAddress() + ") already; nothing was " +
            "read, close one or try again later");
        // A refused address waits at most one token interval for its next token.
        final long retryAfterSeconds = Math.max(1, (addresses.connectionIntervalNsPerAddress() + 999_999_999L) /
            1_000_000_000L);
        answers[Admission.RATE.ordinal()] = refusalAnswer("429 Too Many Requests", retryAfterSeconds,
            "CONNECTION_RATE_EXCEEDED", "this client address opens connections faster than it may (after a burst of " +
            "http.connectionBurstPerAddress, " + addresses.connectionBurstPerAddress() + ", one every " +
            addresses.connectionIntervalNsPerAddress() / 1_000 + " us: http.connectionsPerSecondPerAddress); nothing " +
            "was read, try again after Retry-After seconds");
        answers[Admission.TABLE_FULL.ordinal()] = refusalAnswer("503 Service Unavailable", 1, "ADDRESS_TABLE_FULL",
            "the server tracks its most client addresses (http.maxTrackedAddresses, " +
            addresses.maxTrackedAddresses() + ") already; nothing was read, try again later");
        return answers;
    }

    private static byte[] refusalAnswer(
        final String status, final long retryAfterSeconds, final String code, final String message)
    {
        final byte[] body = Json.error(code, message).getBytes(StandardCharsets.UTF_8);
        final String head = "HTTP/1.1 " + status + "\r\ncontent-type: application/json\r\n" +
            "content-length: " + body.length + "\r\ncache-control: no-store\r\nretry-after: " + retryAfterSeconds +
            "\r\nconnection: close\r\n\r\n";
        final byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        final byte[] answer = Arrays.copyOf(head8, head8.length + body.length);
        System.arraycopy(body, 0, answer, head8.length, body.length);
        return answer;
    }

    /**
     * @return a counter or gauge of every loop, summed; a non-capturing reference, so that a scrape allocates nothing
     */
    private long sum(final ToLongFunction<HttpLoop> perLoop)
    {
        long sum = 0;
        for (final HttpLoop loop : loops)
        {
            sum += perLoop.applyAsLong(loop);
        }
        return sum;
    }

    Context context()
    {
        return context;
    }

    GatewayViews views()
    {
        return views;
    }

    TradeHistory tradeHistory()
    {
        return tradeHistory;
    }

    KeyStore keys()
    {
        return keys;
    }

    CommandPublisher publisher()
    {
        return publisher;
    }

    ReplayGuard replays()
    {
        return replays;
    }

    HttpLoop loopOf(final EventLoop eventLoop)
    {
        for (final HttpLoop loop : loops)
        {
            if (loop.eventLoop() == eventLoop)
            {
                return loop;
            }
        }
        throw new IllegalStateException("not an event loop of this gateway: " + eventLoop);
    }

    /**
     * Settings of the HTTP gateway, with defaults. The markets must be set (the API converts decimals with their
     * tick and lot sizes).
     */
    public static final class Context
    {
        private String bindAddress = "0.0.0.0";
        private int port = 8080;
        private List<MarketSpec> markets = new ArrayList<>();
        private long timestampWindowMs = 5_000;
        private int maxRememberedSignatures = 1_000_000;
        private long requestTimeoutMs = 5_000;
        private long requestReadTimeoutMs = 10_000;
        private long idleTimeoutMs = 60_000;
        private int maxBodyBytes = 256 * 1024;
        private int maxBatchOrders = 100;
        private long rateLimitIntervalNs = 50_000;
        private long rateLimitBurst = 20_000;
        private int outboundLimitBytes = 4 << 20;
        private int outboxCapacityBytes = 16 << 20;
        private int maxWebSocketFrameBytes = 64 * 1024;
        private long heartbeatMs = 15_000;
        private int maxSubscriptions = 64;
        private int maxConnections = 10_000;
        private final AddressLimit.Context addressLimits = new AddressLimit.Context("http", 1_000, 200, 1_000, 65_536)
            .requestRatePerAddress(2_000, 4_000);
        private int defaultBookDepth = 50;
        private int accountCapacity = 1 << 20;
        private EpochClock clock = SystemEpochClock.INSTANCE;
        private SslContext tls;
        private final HttpRoutes routes = new HttpRoutes();

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

        /**
         * @param markets the markets of the genesis, for converting symbols and decimals
         */
        public Context markets(final List<MarketSpec> markets)
        {
            this.markets = List.copyOf(markets);
            return this;
        }

        public List<MarketSpec> markets()
        {
            return markets;
        }

        /**
         * @param timestampWindowMs how far a signed request's timestamp may be from the server's clock
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
         * @param requestTimeoutMs how long a request waits for its command's release before it is answered 504
         */
        public Context requestTimeoutMs(final long requestTimeoutMs)
        {
            this.requestTimeoutMs = requestTimeoutMs;
            return this;
        }

        public long requestTimeoutMs()
        {
            return requestTimeoutMs;
        }

        /**
         * @param requestReadTimeoutMs how long a request may take to arrive whole (request line, headers, body) from
         *                             its first byte before it is answered 408 and its connection closed
         */
        public Context requestReadTimeoutMs(final long requestReadTimeoutMs)
        {
            this.requestReadTimeoutMs = requestReadTimeoutMs;
            return this;
        }

        public long requestReadTimeoutMs()
        {
            return requestReadTimeoutMs;
        }

        /**
         * @param idleTimeoutMs how long a plain HTTP connection may stay without a request arriving and without an
         *                      answer owed (from accept, or from its last answer) before it is closed without one;
         *                      WebSockets are kept by their heartbeat instead
         */
        public Context idleTimeoutMs(final long idleTimeoutMs)
        {
            this.idleTimeoutMs = idleTimeoutMs;
            return this;
        }

        public long idleTimeoutMs()
        {
            return idleTimeoutMs;
        }

        /**
         * @param maxRememberedSignatures how many signatures of state-changing requests the replay protection
         *                                remembers at once (each until its timestamp leaves the window); one more
         *                                request is refused {@code 503 REPLAY_TABLE_FULL}
         */
        public Context maxRememberedSignatures(final int maxRememberedSignatures)
        {
            this.maxRememberedSignatures = maxRememberedSignatures;
            return this;
        }

        public int maxRememberedSignatures()
        {
            return maxRememberedSignatures;
        }

        public Context maxBodyBytes(final int maxBodyBytes)
        {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public int maxBodyBytes()
        {
            return maxBodyBytes;
        }

        public Context maxBatchOrders(final int maxBatchOrders)
        {
            this.maxBatchOrders = maxBatchOrders;
            return this;
        }

        public int maxBatchOrders()
        {
            return maxBatchOrders;
        }

        /**
         * Each account's limit on commands (an order of a batch counts as one): a token bucket that holds
         * {@code burst} tokens and gains one every {@code perSecond}-th of a second.
         */
        public Context rateLimit(final long perSecond, final long burst)
        {
            if (perSecond < 1 || perSecond > 1_000_000_000L)
            {
                throw new IllegalArgumentException("http: rateLimitPerSecond must be from 1 to 10^9, got " + perSecond);
            }
            return rateLimitInterval(1_000_000_000L / perSecond, burst);
        }

        /**
         * A rate limit given as the time one token takes to come back (tests use hours, so that a bucket of one
         * token stays empty).
         */
        public Context rateLimitInterval(final long intervalNs, final long burst)
        {
            this.rateLimitIntervalNs = intervalNs;
            this.rateLimitBurst = burst;
            return this;
        }

        public long rateLimitIntervalNs()
        {
            return rateLimitIntervalNs;
        }

        public long rateLimitBurst()
        {
            return rateLimitBurst;
        }

        /**
         * @param outboundLimitBytes the bound on a connection's unsent bytes: a WebSocket client beyond it is a slow
         *                           consumer and is disconnected (close code 1008)
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

        public Context maxWebSocketFrameBytes(final int maxWebSocketFrameBytes)
        {
            this.maxWebSocketFrameBytes = maxWebSocketFrameBytes;
            return this;
        }

        public int maxWebSocketFrameBytes()
        {
            return maxWebSocketFrameBytes;
        }

        /**
         * @param heartbeatMs how often the server pings an idle WebSocket; one that sends nothing (not even a pong)
         *                    for three of these is closed
         */
        public Context heartbeatMs(final long heartbeatMs)
        {
            this.heartbeatMs = heartbeatMs;
            return this;
        }

        public long heartbeatMs()
        {
            return heartbeatMs;
        }

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
         * @param maxConnections connections the port holds at once, WebSockets included; one more is answered
         *                       {@code 503 TOO_MANY_CONNECTIONS} and closed at accept, before it can hold anything
         *                       (each takes a file descriptor, which the journal needs too)
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
         * @return the limits of what one client address takes of the port (a connection over them is answered
         *     {@code 503 TOO_MANY_CONNECTIONS_FROM_ADDRESS}, {@code 429 CONNECTION_RATE_EXCEEDED} or
         *     {@code 503 ADDRESS_TABLE_FULL} at accept), and the rate of its requests and WebSocket messages over
         *     all its connections (one over it is answered {@code 429 REQUEST_RATE_EXCEEDED}); set them on it.
         *     Generous by default: many browsers may share one address behind a NAT
         */
        public AddressLimit.Context addressLimits()
        {
            return addressLimits;
        }

        /**
         * @param accountCapacity account ids from 0 (inclusive) to this (exclusive): the matcher's account capacity
         */
        public Context accountCapacity(final int accountCapacity)
        {
            this.accountCapacity = accountCapacity;
            return this;
        }

        public int accountCapacity()
        {
            return accountCapacity;
        }

        public Context defaultBookDepth(final int defaultBookDepth)
        {
            this.defaultBookDepth = defaultBookDepth;
            return this;
        }

        public int defaultBookDepth()
        {
            return defaultBookDepth;
        }

        /**
         * @param clock the clock signed requests' timestamps are checked against
         */
        public Context clock(final EpochClock clock)
        {
            this.clock = clock;
            return this;
        }

        public EpochClock clock()
        {
            return clock;
        }

        /**
         * @param tls the server's TLS context ({@link io.rollbook.gateway.core.ServerTls#load}), or null (the default)
         *            for plain HTTP
         */
        public Context tls(final SslContext tls)
        {
            this.tls = tls;
            return this;
        }

        public SslContext tls()
        {
            return tls;
        }

        /**
         * @return where the application mounts its own routes
         */
        public HttpRoutes routes()
        {
            return routes;
        }

        /**
         * @throws IllegalArgumentException naming the setting and its allowed range
         */
        public Context validate()
        {
            if (bindAddress == null || bindAddress.isBlank())
            {
                throw new IllegalArgumentException("http: bindAddress is empty");
            }
            if (markets.isEmpty())
            {
                throw new IllegalArgumentException("http: no markets");
            }
            range("port", port, 0, 65535);
            range("timestampWindowMs", timestampWindowMs, 100, 3_600_000);
            range("maxRememberedSignatures", maxRememberedSignatures, 1, 100_000_000);
            range("requestTimeoutMs", requestTimeoutMs, 10, 600_000);
            range("requestReadTimeoutMs", requestReadTimeoutMs, 100, 3_600_000);
            range("idleTimeoutMs", idleTimeoutMs, 100, 3_600_000);
            range("maxBodyBytes", maxBodyBytes, 1024, 64 << 20);
            range("maxBatchOrders", maxBatchOrders, 1, 10_000);
            range("rateLimitIntervalNs", rateLimitIntervalNs, 1, Long.MAX_VALUE / 4);
            range("rateLimitBurst", rateLimitBurst, 1, 1_000_000_000L);
            range("outboundLimitBytes", outboundLimitBytes, 16 * 1024, 1 << 30);
            range("outboxCapacityBytes", outboxCapacityBytes, 1 << 20, 1 << 30);
            if (Integer.bitCount(outboxCapacityBytes) != 1)
            {
                throw new IllegalArgumentException("http: outboxCapacityBytes must be a power of two, got " +
                    outboxCapacityBytes);
            }
            range("maxWebSocketFrameBytes", maxWebSocketFrameBytes, 1024, 16 << 20);
            range("heartbeatMs", heartbeatMs, 100, 3_600_000);
            range("maxSubscriptions", maxSubscriptions, 1, 1 << 16);
            range("maxConnections", maxConnections, 1, 1_000_000);
            addressLimits.validate(maxConnections);
            range("defaultBookDepth", defaultBookDepth, 1, 100_000);
            range("accountCapacity", accountCapacity, 2, 1 << 30);
            if (clock == null)
            {
                throw new IllegalArgumentException("http: clock is null");
            }
            if (tls != null && !tls.isServer())
            {
                throw new IllegalArgumentException("http: the TLS context is a client's, not a server's");
            }
            return this;
        }

        private static void range(final String name, final long value, final long min, final long max)
        {
            SettingsCheck.range("http", name, value, min, max);
        }
    }
}
