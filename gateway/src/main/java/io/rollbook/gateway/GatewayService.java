package io.rollbook.gateway;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.binary.BinaryGateway;
import io.rollbook.gateway.core.Admission;
import io.rollbook.gateway.core.ConnectionLimit;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.http.TradeHistory;
import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.gateway.view.InsuranceFundFigures;
import io.rollbook.gateway.view.JournalIndex;
import io.rollbook.gateway.view.JournalIndexFeed;
import io.rollbook.gateway.view.RiskCounters;
import io.rollbook.gateway.view.ViewBootstrap;
import io.rollbook.gateway.view.ViewSnapshotPolicy;
import io.rollbook.gateway.view.ViewSnapshotter;
import io.rollbook.journal.JournalCursor;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.sequencer.Sequencer;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import org.agrona.CloseHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service with its gateways: builds the gateway's views from the newest view snapshot and the journal after it
 * (or the whole journal), binds the ports (the binary gateway's
 * and, when configured, the HTTP gateway's) without accepting yet, launches the sequencer with the views' updater and
 * the gateways' fan-outs as release listeners, then accepts on the ports. Closing ends the sessions first (their
 * cancels-on-disconnect are published), then drains and closes the sequencer, then stops the event loops.
 *
 * <pre>
 *  ViewBootstrap (journal, at start) ──► GatewayViews ◄── ViewUpdater (release thread) ──► BinaryReleaseFanOut
 *                                                                 │                             │
 *                                                                 └──► HttpReleaseFanOut        │
 *                                                                              │                │
 *  GatewayServer (Netty event loops) ◄── HttpGateway (REST, WebSocket) ◄──────┘                │
 *                                    ◄── BinaryGateway (sessions, outboxes, retransmission) ◄──┘
 *
 *  ViewSnapshotter (release thread, after the ViewUpdater) ──► views-&lt;sequence&gt;.snap (its writer thread)
 * </pre>
 *
 * <p>Launch and close from one thread.
 */
public final class GatewayService implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);
    private static final int JOURNAL_INDEX_STRIDE = 16;
    /** 24 MB at most: the newest 8 million batches indexed every 16th, older ones ever more sparsely. */
    private static final int JOURNAL_INDEX_CAPACITY = 1 << 20;
    private static final Admission[] REFUSALS =
        {Admission.LIMIT, Admission.ADDRESS, Admission.RATE, Admission.TABLE_FULL};

    private final GatewayServer server;
    private final GatewayViews views;
    private final BinaryGateway gateway;
    private final Sequencer sequencer;
    private final InetSocketAddress binaryAddress;
    private final HttpGateway http;
    private final KeyStore keys;
    private final InsuranceFundFigures insuranceFund;
    private final ViewSnapshotter viewSnapshots;

    private GatewayService(
        final GatewayServer server,
        final GatewayViews views,
        final BinaryGateway gateway,
        final Sequencer sequencer,
        final InetSocketAddress binaryAddress,
        final HttpGateway http,
        final KeyStore keys,
        final InsuranceFundFigures insuranceFund,
        final ViewSnapshotter viewSnapshots)
    {
        this.viewSnapshots = viewSnapshots;
        this.server = server;
        this.views = views;
        this.gateway = gateway;
        this.sequencer = sequencer;
        this.binaryAddress = binaryAddress;
        this.http = http;
        this.keys = keys;
        this.insuranceFund = insuranceFund;
    }

    /**
     * The service with the binary gateway only.
     *
     * @see #launch(Sequencer.Context, BinaryGateway.Context, HttpGateway.Context, KeyStore, GatewayServer.Transport,
     *      int, int)
     */
    public static GatewayService launch(
        final Sequencer.Context sequencerContext,
        final BinaryGateway.Context gatewayContext,
        final KeyStore keys,
        final GatewayServer.Transport transport,
        final int eventLoops,
        final int endedWindow) throws InterruptedException
    {
        return launch(sequencerContext, gatewayContext, null, keys, transport, eventLoops, endedWindow);
    }

    /**
     * @param sequencerContext the sequencer's settings; the gateway's release listeners are added to it
     * @param httpContext      the HTTP gateway's settings, or null for none
     * @param transport        NIO or epoll
     * @param eventLoops       how many I/O threads
     * @param endedWindow      how many ended orders the idempotency view remembers
     * @throws IllegalStateException if the journal changed between reading the views and recovery
     * @throws GatewayServer.ListenException if a port cannot be bound; the sequencer has not started, so nothing was
     *                                       written to the data directory
     */
    public static GatewayService launch(
        final Sequencer.Context sequencerContext,
        final BinaryGateway.Context gatewayContext,
        final HttpGateway.Context httpContext,
        final KeyStore keys,
        final GatewayServer.Transport transport,
        final int eventLoops,
        final int endedWindow) throws InterruptedException
    {
        return launch(sequencerContext, gatewayContext, httpContext, keys, transport, eventLoops, endedWindow,
            ViewSnapshotPolicy.DEFAULT);
    }

    /**
     * @param sequencerContext   the sequencer's settings; the gateway's release listeners are added to it
     * @param httpContext        the HTTP gateway's settings, or null for none
     * @param transport          NIO or epoll
     * @param eventLoops         how many I/O threads
     * @param endedWindow        how many ended orders the idempotency view remembers
     * @param viewSnapshotPolicy when the views are written to a view snapshot, and how many are kept
     * @throws IllegalStateException if the journal changed between reading the views and recovery
     * @throws GatewayServer.ListenException if a port cannot be bound; the sequencer has not started, so nothing was
     *                                       written to the data directory
     */
    public static GatewayService launch(
        final Sequencer.Context sequencerContext,
        final BinaryGateway.Context gatewayContext,
        final HttpGateway.Context httpContext,
        final KeyStore keys,
        final GatewayServer.Transport transport,
        final int eventLoops,
        final int endedWindow,
        final ViewSnapshotPolicy viewSnapshotPolicy) throws InterruptedException
    {
        gatewayContext.validate();
        if (httpContext != null)
        {
            httpContext.validate();
        }
        final String shortfall = ConnectionLimit.descriptorShortfall(
            gatewayContext.maxConnections() + (httpContext == null ? 0L : httpContext.maxConnections()));
        if (shortfall != null)
        {
            LOG.warn(shortfall);
        }
        final Path dataDirectory = sequencerContext.dataDirectory();
        final JournalIndex index = new JournalIndex(JOURNAL_INDEX_STRIDE, JOURNAL_INDEX_CAPACITY);
        final ViewBootstrap.Start start = ViewBootstrap.start(dataDirectory, gatewayContext.marketCapacity(),
            endedWindow, index);
        final GatewayViews views = start.views();
        final long viewsSequence = views.updater().lastSequence();
        final GatewayServer server = new GatewayServer(transport, eventLoops);
        BinaryGateway gateway = null;
        HttpGateway http = null;
        Sequencer sequencer = null;
        ViewSnapshotter viewSnapshots = null;
        try
        {
            viewSnapshots = new ViewSnapshotter(start, viewSnapshotPolicy, dataDirectory,
                gatewayContext.marketCapacity(), endedWindow);
            final JournalIndex fillIndex = index.copy();
            final JournalIndexFeed indexFeed = new JournalIndexFeed(index);
            gateway = new BinaryGateway(gatewayContext, server.eventLoops(), views, keys, dataDirectory, index,
                indexFeed, viewsSequence);
            sequencerContext.releaseListener(views.updater()).releaseListener(viewSnapshots)
                .releaseListener(gateway.releaseListener()).releaseListener(indexFeed);
            if (httpContext != null)
            {
                // An index of its own, copied before the retransmitter extends its index on its thread.
                http = new HttpGateway(httpContext, server.eventLoops(), views, keys, new TradeHistory(
                    () -> JournalCursor.open(dataDirectory), fillIndex, indexFeed, httpContext.markets(),
                    TradeHistory.MAX_SCANNED_COMMANDS));
                sequencerContext.releaseListener(http.releaseListener());
            }
            // The ports before the sequencer: one that another process holds stops the start before recovery writes
            // anything (a new journal's genesis), so the data directory is left as it was.
            final InetSocketAddress address = gateway.listen(server);
            if (http != null)
            {
                http.listen(server);
            }
            sequencer = Sequencer.launch(sequencerContext);
            if (sequencer.recovery().lastSequence() != viewsSequence)
            {
                throw new IllegalStateException("the gateway's views reached sequence " + viewsSequence +
                    " but recovery ended at " + sequencer.recovery().lastSequence());
            }
            gateway.start(sequencer.publisher());
            gateway.accept();
            if (http != null)
            {
                http.start(sequencer.publisher());
                http.accept();
            }
            final InsuranceFundFigures insuranceFund = new InsuranceFundFigures(views.accounts(),
                new MarketDirectory(sequencerContext.genesis().markets()), sequencerContext.insuranceFundAccount());
            return new GatewayService(server, views, gateway, sequencer, address, http, keys, insuranceFund,
                viewSnapshots);
        }
        catch (final RuntimeException | InterruptedException ex)
        {
            CloseHelper.quietCloseAll(http, gateway, sequencer, viewSnapshots, server);
            throw ex;
        }
    }

    /**
     * Takes {@code newer} as the keys that authenticate from now on, and ends every binary session and WebSocket
     * connection that authenticated with a key it took away (replaced or removed); sessions whose key is unchanged
     * go on. Returns once every event loop has done so.
     */
    public KeyStore.KeyChange replaceKeys(final KeyStore newer)
    {
        final KeyStore.KeyChange change = keys.replaceWith(newer);
        gateway.onKeysChanged(change);
        if (http != null)
        {
            http.onKeysChanged(change);
        }
        return change;
    }

    public Sequencer sequencer()
    {
        return sequencer;
    }

    public GatewayViews views()
    {
        return views;
    }

    public BinaryGateway binaryGateway()
    {
        return gateway;
    }

    /**
     * @return the address the binary gateway listens on
     */
    public InetSocketAddress binaryAddress()
    {
        return binaryAddress;
    }

    /**
     * @return the HTTP gateway, or null when the service runs without one
     */
    public HttpGateway httpGateway()
    {
        return http;
    }

    /**
     * @return the address the HTTP gateway listens on, or null when the service runs without one
     */
    public InetSocketAddress httpAddress()
    {
        return http == null ? null : http.address();
    }

    public String transportName()
    {
        return server.transportName();
    }

    /**
     * Registers the sequencer's metrics, the insurance fund's balance and the liquidation counts, and the gateways':
     * connections and market data subscriptions (binary and
     * WebSocket), established binary sessions, errors that escaped a connection's or request's handling, WebSocket
     * slow consumers, HTTP read and idle timeouts, failed TLS handshakes when the HTTP port speaks TLS.
     */
    public void registerMetrics(final MetricsRegistry registry)
    {
        sequencer.registerMetrics(registry);
        registerRiskMetrics(registry);
        final MetricsRegistry.Family connections = registry.gauge("rollbook_gateway_connections",
            "Open gateway connections, by protocol (binary sessions, WebSockets).")
            .sample("protocol", "binary", gateway::connectionCount);
        registry.gauge("rollbook_gateway_sessions",
            "Established order-entry sessions (accounts and operators), by protocol.")
            .sample("protocol", "binary", gateway::sessionCount);
        final MetricsRegistry.Family subscriptions = registry.gauge("rollbook_gateway_market_data_subscriptions",
            "Market data subscriptions (one per connection, market and channel), by protocol.")
            .sample("protocol", "binary", gateway::subscriptionCount);
        if (http != null)
        {
            connections.sample("protocol", "websocket", http::webSocketCount);
            subscriptions.sample("protocol", "websocket", http::marketSubscriptionCount);
        }
        final MetricsRegistry.Family tracked = registry.gauge("rollbook_gateway_tracked_addresses",
            "Client addresses the per-address connection limits track (holding a connection, or with a bucket not " +
            "yet refilled), by protocol; at maxTrackedAddresses a new address is refused.")
            .sample("protocol", "binary", gateway::trackedAddresses);
        if (http != null)
        {
            tracked.sample("protocol", "http", http::trackedAddresses);
        }
        final MetricsRegistry.Family refused = registry.counter("rollbook_gateway_refused_connections_total",
            "Connections refused at accept, by protocol and reason: limit (the port held gateway.maxConnections or " +
            "http.maxConnections), address (the client address held its maxConnectionsPerAddress), rate (the " +
            "address opened connections faster than its connectionsPerSecondPerAddress), table_full (a new address " +
            "while maxTrackedAddresses were tracked).");
        for (final Admission reason : REFUSALS)
        {
            refused.sample("protocol", "binary", "reason", reason.reason(), () -> gateway.refusedConnections(reason));
        }
        if (http != null)
        {
            for (final Admission reason : REFUSALS)
            {
                refused.sample("protocol", "http", "reason", reason.reason(), () -> http.refusedConnections(reason));
            }
        }
        final MetricsRegistry.Family errors = registry.counter("rollbook_gateway_unexpected_errors_total",
            "Errors that escaped a connection's or request's handling; 0 unless there is a bug.")
            .sample("protocol", "binary", gateway::unexpectedErrors);
        if (http != null)
        {
            errors.sample("protocol", "http", http::unexpectedErrors);
            registry.counter("rollbook_gateway_slow_consumer_disconnects_total",
                "WebSocket connections closed because their client did not read fast enough.")
                .sample("protocol", "http", http::slowConsumerDisconnects);
            registry.counter("rollbook_gateway_requests_over_address_rate_total",
                "Trader API requests and WebSocket messages refused (REQUEST_RATE_EXCEEDED) because their client " +
                "address sent more than http.requestsPerSecondPerAddress over all its connections.")
                .sample("protocol", "http", http::requestsOverAddressRate);
            registry.counter("rollbook_gateway_http_timeouts_total",
                "Plain HTTP connections closed by a timeout: a request that did not arrive whole in time (answered " +
                "408), a connection idle for too long.")
                .sample("kind", "read", http::readTimeouts)
                .sample("kind", "idle", http::idleTimeouts);
            if (http.isTls())
            {
                registry.counter("rollbook_gateway_tls_handshake_failures_total",
                    "TLS connections to the HTTP port closed before their handshake was done, by reason: timeout " +
                    "(not done within http.requestReadTimeoutMs), closed (the client gave up), invalid (plain HTTP, " +
                    "garbage, or a protocol or cipher suite the server does not offer).")
                    .sample("reason", "timeout", http::tlsHandshakeTimeouts)
                    .sample("reason", "closed", http::tlsHandshakesClosed)
                    .sample("reason", "invalid", http::tlsHandshakesInvalid);
            }
        }
    }

    /**
     * The insurance fund's balance and what liquidations did, from the released events (the same after a restart).
     */
    private void registerRiskMetrics(final MetricsRegistry registry)
    {
        registry.gauge("rollbook_insurance_fund_collateral_micros",
            "The insurance fund's cross collateral, micro-USDC; below 0 when it covered more than it held.")
            .sample(insuranceFund::collateralMicros);
        registry.gauge("rollbook_insurance_fund_equity_micros",
            "The insurance fund's equity, micro-USDC: its collateral and the positions it took over at the oracle " +
            "prices, less their unsettled funding.")
            .sample(insuranceFund::equityMicros);
        final RiskCounters risk = views.risk();
        registry.counter("rollbook_liquidations_total",
            "Liquidations since the journal began, by scope: a cross account, or an isolated position.")
            .sample("scope", "cross", risk::crossLiquidations)
            .sample("scope", "isolated", risk::isolatedLiquidations);
        registry.counter("rollbook_liquidation_transfers_total",
            "Liquidated positions (or parts) the book could not take, by where they went: the insurance fund, or " +
            "auto-deleveraging against opposite positions.")
            .sample("to", "insurance_fund", risk::insuranceFundTakeovers)
            .sample("to", "auto_deleverage", risk::autoDeleverages);
        registry.counter("rollbook_insurance_fund_covered_micros_total",
            "Deficits of liquidated accounts and isolated positions the insurance fund covered (shortfalls), " +
            "micro-USDC.")
            .sample(risk::coveredMicros);
        registry.counter("rollbook_insurance_fund_remainders_micros_total",
            "What liquidated accounts and isolated positions had left, paid to the insurance fund, micro-USDC.")
            .sample(risk::remainderMicros);
    }

    /**
     * Ends the binary sessions (their cancels-on-disconnect published), drains the sequencer, and only then closes
     * the HTTP side: the REST requests it took meanwhile are answered from their released commands, not dropped with
     * their connections, and those that come while it drains are refused with a 503 (nothing done).
     */
    @Override
    public void close()
    {
        CloseHelper.quietClose(gateway);
        sequencer.close();
        viewSnapshots.close();
        CloseHelper.quietClose(http);
        server.close();
    }
}
