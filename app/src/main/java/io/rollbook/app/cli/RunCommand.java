package io.rollbook.app.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.app.demo.DemoMarket;
import io.rollbook.gateway.GatewayService;
import io.rollbook.gateway.binary.BinaryGateway;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.core.ServerTls;
import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.sequencer.Recovery;
import io.rollbook.sequencer.Sequencer;
import io.rollbook.sequencer.metrics.MetricsRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook run}: the service, until SIGTERM or SIGINT: the sequencer and, unless the configuration turns them
 * off, the binary gateway (order entry and market data, port 9001 by default) and the HTTP gateway (REST,
 * WebSocket, {@code /metrics} and the web page, port 8080 by default); with {@code --demo}, a live demo market.
 * See docs/OPERATIONS.md.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Starts the service: recovers from the data directory (newest snapshot + the journal after it), then " +
            "sequences, matches and journals until SIGTERM or SIGINT, when it ends the sessions, drains, journals " +
            "everything, writes a snapshot, closes the journal and exits 0. Exits 1 if sequencing stops on an " +
            "error, 2 on bad options or configuration. docs/OPERATIONS.md.",
        "The binary gateway (SBE over TCP: order entry for market makers and market data; docs/ORDER-ENTRY.md) " +
            "listens on gateway.port (9001). The embedded configuration knows the demo keys of config/demo-keys.json " +
            "(DEMO ONLY).",
        "The trader API (REST and WebSocket with JSON, Ed25519-signed requests; docs/REST.md) listens on " +
            "http.port (8080), which also serves the metrics at /metrics (Prometheus text format) and the files of " +
            "the classpath folder web/ at /: the web trading page. With --tls-cert and --tls-key (or http.tls) it " +
            "speaks TLS only: HTTPS and wss://.",
        "--demo (DEMO ONLY) also starts an oracle price walk and four market-making bots (demo accounts 105-108) " +
            "over the binary gateway, so that the book is alive, and serves the demo keys at /demo-keys.json, so " +
            "that the web page can sign orders for the demo accounts in the browser."})
public final class RunCommand implements Callable<Integer>
{
    /** The classpath folder served at {@code /} on the HTTP port (the trading page). */
    public static final String WEB_FOLDER = "web";
    /** Where the HTTP port serves the metrics. */
    public static final String METRICS_PATH = "/metrics";

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration (default: the embedded one)")
    private Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: journal.dataDir, ./data)")
    private Path data;

    @Option(names = "--port", paramLabel = "P", description = "Binary gateway port (default: gateway.port, 9001)")
    private Integer port;

    @Option(names = "--http-port", paramLabel = "P",
        description = "REST/WebSocket, metrics and web page port (default: http.port, 8080)")
    private Integer httpPort;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve the HTTP port over TLS (HTTPS, wss://) " +
        "with this PEM certificate chain, the server's certificate first; with --tls-key (default: " +
        "http.tls.certificateChain; plain HTTP without)")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM (PKCS#8) private key of --tls-cert " +
        "(default: http.tls.privateKey)")
    private Path tlsKey;

    @Option(names = "--demo", description = "DEMO ONLY: an oracle price walk and market-making bots " +
        "(accounts 105-108) on every market, over the binary gateway with the demo keys; the demo keys served at " +
        "/demo-keys.json for the web page")
    private boolean demo;

    @Option(names = "--demo-seed", paramLabel = "N", defaultValue = "1",
        description = "Seed of the demo's price walk and bots (default ${DEFAULT-VALUE})")
    private long demoSeed;

    @Override
    public Integer call() throws InterruptedException
    {
        checkPort("--port", port);
        checkPort("--http-port", httpPort);
        final RollbookConfig configuration = RollbookConfig.load(config);
        if (demo && !configuration.gatewayEnabled())
        {
            throw new IllegalArgumentException("--demo trades over the binary gateway, which the configuration turns " +
                "off (gateway.enabled false)");
        }
        if ((tlsCert != null || tlsKey != null) && !(configuration.gatewayEnabled() && configuration.httpEnabled()))
        {
            throw new IllegalArgumentException("--tls-cert and --tls-key are for the HTTP port, which the " +
                "configuration turns off (http.enabled or gateway.enabled false)");
        }
        final Path dataDirectory = (data != null ? data : configuration.dataDirectory()).toAbsolutePath().normalize();
        final Sequencer.Context sequencerContext = configuration.sequencerContext(dataDirectory);
        final MetricsRegistry metrics = new MetricsRegistry();
        final List<String> interfaces = new ArrayList<>();
        final Sequencer sequencer;
        final AutoCloseable service;
        InetSocketAddress binaryAddress = null;
        if (configuration.gatewayEnabled())
        {
            final HttpGateway.Context http = configuration.httpEnabled() ? configuration.httpGatewayContext() : null;
            if (http != null)
            {
                if (httpPort != null)
                {
                    http.port(httpPort);
                }
                serveTls(configuration, http);
                http.routes().staticFolder(WEB_FOLDER, RunCommand.class.getClassLoader());
                http.routes().text(METRICS_PATH, MetricsRegistry.CONTENT_TYPE, metrics::scrape);
                if (demo)
                {
                    DemoKeysRoute.mount(http.routes());
                }
            }
            final BinaryGateway.Context binary = configuration.binaryGatewayContext();
            if (port != null)
            {
                binary.port(port);
            }
            if (http != null)
            {
                refuseSharedPort(binary, http);
            }
            final GatewayService gateway;
            try
            {
                gateway = GatewayService.launch(sequencerContext, binary, http, configuration.keyStore(),
                    configuration.gatewayTransport(), configuration.gatewayEventLoops(),
                    configuration.gatewayEndedOrdersRemembered(), configuration.viewSnapshotPolicy());
            }
            catch (final GatewayServer.ListenException ex)
            {
                throw new IllegalArgumentException(portSetting(ex, binary, http) + ": " + ex.getMessage() +
                    "; nothing was written to " + dataDirectory);
            }
            gateway.registerMetrics(metrics);
            KeyReload.install(config, configuration, gateway, System.out);
            sequencer = gateway.sequencer();
            service = gateway;
            binaryAddress = gateway.binaryAddress();
            interfaces.add("binary: order entry and market data (SBE over TCP, docs/ORDER-ENTRY.md) listening on " +
                hostPort(binaryAddress) + " (" + gateway.transportName() + ", " + configuration.gatewayEventLoops() +
                " event loop(s), " + configuration.keyStore().accountCount() + " account key(s))");
            final InetSocketAddress httpAddress = gateway.httpAddress();
            if (httpAddress == null)
            {
                interfaces.add("http: off (http.enabled false): no REST, WebSocket, metrics or web page");
            }
            else
            {
                final boolean tls = gateway.httpGateway().isTls();
                interfaces.add("http: REST and WebSocket (trader API, docs/REST.md) listening on " +
                    hostPort(httpAddress) + (tls ? " (TLS: HTTPS and wss://)" : ""));
                interfaces.add("metrics: Prometheus text format at " + url(httpAddress, tls) + METRICS_PATH);
                interfaces.add("web: the trading page at " + url(httpAddress, tls) + "/" + (demo ? " (demo keys " +
                    "served at " + DemoKeysRoute.PATH + ", DEMO ONLY)" : " (read-only: keys only with --demo)"));
            }
        }
        else
        {
            sequencer = Sequencer.launch(sequencerContext);
            sequencer.registerMetrics(metrics);
            service = sequencer;
            interfaces.add("binary: off (gateway.enabled false): commands cannot reach the sequencer; no HTTP either");
        }
        final RunningService running = new RunningService(service, sequencer, System.out);
        // The hook ends the JVM itself, with the stop's exit code: left alone, a JVM ended by SIGTERM exits 143.
        Runtime.getRuntime().addShutdownHook(new Thread(
            () -> Runtime.getRuntime().halt(running.stop("shutdown requested (SIGTERM or SIGINT)")),
            "rollbook-shutdown"));

        final Recovery.Result recovery = sequencer.recovery();
        System.out.println("rollbook: data in " + dataDirectory + " (journal " +
            JournalFiles.journalDirectory(dataDirectory) + ", snapshots " +
            JournalFiles.snapshotDirectory(dataDirectory) + "), sync " +
            configuration.syncPolicy().name().toLowerCase(Locale.ROOT) +
            (configuration.syncPolicy() == SyncPolicy.NONE ? " (survives a process crash)" : " (survives power loss)"));
        System.out.println("recovery: " + describe(recovery));
        interfaces.forEach(System.out::println);
        if (demo)
        {
            startDemo(configuration, binaryAddress, running);
        }
        System.out.println("rollbook running. Stop with Ctrl-C or SIGTERM: it drains, journals, snapshots and " +
            "exits 0.");
        System.out.flush();

        while (!sequencer.awaitStop(1, TimeUnit.HOURS))
        {
            continue;
        }

        return running.stop("sequencing stopped");
    }

    /**
     * @return the setting behind a port that could not be bound, as the operator gave it: the option, else the
     *         configuration key
     */
    private String portSetting(
        final GatewayServer.ListenException ex, final BinaryGateway.Context binary, final HttpGateway.Context http)
    {
        if (binary.port() == ex.port() && binary.bindAddress().equals(ex.bindAddress()))
        {
            return (port != null ? "--port " : "gateway.port ") + ex.port() + " (the binary gateway's port, on " +
                "gateway.bindAddress " + ex.bindAddress() + ")";
        }
        if (http != null && http.port() == ex.port() && http.bindAddress().equals(ex.bindAddress()))
        {
            return (httpPort != null ? "--http-port " : "http.port ") + ex.port() + " (the HTTP port, on " +
                "http.bindAddress " + ex.bindAddress() + ")";
        }
        return "port " + ex.port();
    }

    private static void checkPort(final String option, final Integer value)
    {
        if (value != null && (value < 0 || value > 65_535))
        {
            throw new IllegalArgumentException(option + " must be from 0 to 65535 (0: any free port), got " + value);
        }
    }

    /**
     * Both gateways on one port would fail at the second bind, after the sequencer started, with only "address in
     * use" to go by: say which settings collide before anything starts.
     */
    private static void refuseSharedPort(final BinaryGateway.Context binary, final HttpGateway.Context http)
    {
        if (binary.port() != 0 && binary.port() == http.port() && (binary.bindAddress().equals(http.bindAddress()) ||
            isAnyAddress(binary.bindAddress()) || isAnyAddress(http.bindAddress())))
        {
            throw new IllegalArgumentException("the binary gateway (--port, gateway.port) and the HTTP port " +
                "(--http-port, http.port) are both " + binary.port() + "; give them different ports");
        }
    }

    private static boolean isAnyAddress(final String address)
    {
        return "0.0.0.0".equals(address) || "::".equals(address) || "[::]".equals(address);
    }

    /**
     * A demo that cannot start (the configuration lacks the demo keys, say) is reported; the service runs on.
     */
    private void startDemo(
        final RollbookConfig configuration, final InetSocketAddress binary, final RunningService running)
    {
        final String host = binary.getAddress().isAnyLocalAddress() ? "127.0.0.1" :
            binary.getAddress().getHostAddress();
        try
        {
            final DemoMarket market = DemoMarket.start(host, binary.getPort(), configuration.markets(), demoSeed,
                System.err);
            running.demo(market);
            System.out.println("demo: " + market.describe() + ", seed " + demoSeed);
        }
        catch (final RuntimeException ex)
        {
            System.out.println("demo: not started: " + ex.getMessage());
        }
    }

    /**
     * @return the {@code recovery:} line's text: what was replayed from where, and the state it recovered
     */
    static String describe(final Recovery.Result recovery)
    {
        final String from = recovery.newJournal() ? "a new journal" : recovery.snapshotFile() == null ? "genesis" :
            "the snapshot at sequence " + recovery.snapshotSequence();
        return recovery.replayedCommands() + " command(s) replayed in " + recovery.replayedBatches() +
            " batch(es) after " + from + (recovery.voidedDocuments() > 0 ? ", " + recovery.voidedDocuments() +
            " void journal document(s) skipped" : "") + "; last sequence " + recovery.lastSequence() + "; state hash " +
            HexFormat.of().formatHex(recovery.stateHash());
    }

    private static String hostPort(final InetSocketAddress address)
    {
        return (address.getAddress().isAnyLocalAddress() ? "0.0.0.0" : address.getAddress().getHostAddress()) + ":" +
            address.getPort();
    }

    private static String url(final InetSocketAddress address, final boolean tls)
    {
        final String host = address.getAddress().isAnyLocalAddress() ? "localhost" :
            address.getAddress().getHostAddress();
        return (tls ? "https://" : "http://") + host + ":" + address.getPort();
    }

    /**
     * Reads and checks the TLS files of the options or, for each one not given, of the configuration, before anything
     * starts: a file that cannot serve is refused with its name. Neither given: plain HTTP.
     */
    private void serveTls(final RollbookConfig configuration, final HttpGateway.Context http)
    {
        final Path chain = tlsCert != null ? tlsCert : configuration.httpTlsCertificateChain();
        final Path key = tlsKey != null ? tlsKey : configuration.httpTlsPrivateKey();
        if (chain == null && key == null)
        {
            return;
        }
        if (chain == null || key == null)
        {
            throw new IllegalArgumentException("--tls-cert and --tls-key (http.tls.certificateChain and " +
                "http.tls.privateKey) go together: " + (chain == null ? "the certificate chain" : "the private key") +
                " is missing");
        }
        http.tls(ServerTls.load(chain.toAbsolutePath().normalize(), key.toAbsolutePath().normalize()));
    }
}
