package io.rollbook.app.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.gateway.GatewayService;
import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.journal.JournalFiles;
import io.rollbook.sequencer.Sequencer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook run}: the service, until SIGTERM or SIGINT: the sequencer and, unless the configuration turns it
 * off, the binary gateway (order entry and market data, port 9001 by default).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Starts the service: recovers from the data directory (newest snapshot + the journal after it), then " +
            "sequences, matches and journals until SIGTERM or SIGINT, when it drains, journals everything, writes " +
            "a snapshot and exits 0. Exits 1 if sequencing stops on an error.",
        "The binary gateway (SBE over TCP: order entry for market makers and market data; docs/ORDER-ENTRY.md) " +
            "listens on gateway.port (9001). The embedded configuration knows the demo keys of config/demo-keys.json " +
            "(DEMO ONLY).",
        "The trader API (REST and WebSocket with JSON, Ed25519-signed requests; docs/REST.md) listens on " +
            "http.port (8080), which also serves the files of the classpath folder web/ at /."})
public final class RunCommand implements Callable<Integer>
{
    /** The classpath folder served at {@code /} on the HTTP port (the trading page). */
    public static final String WEB_FOLDER = "web";

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration (default: the embedded one)")
    private Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: journal.dataDir, ./data)")
    private Path data;

    @Option(names = "--port", description = "Binary gateway port (default: gateway.port, 9001)")
    private Integer port;

    @Option(names = "--http-port", description = "REST/WebSocket port (default: http.port, 8080)")
    private Integer httpPort;

    @Override
    public Integer call() throws InterruptedException
    {
        final RollbookConfig configuration = RollbookConfig.load(config);
        final Path dataDirectory = (data != null ? data : configuration.dataDirectory()).toAbsolutePath().normalize();
        final Sequencer.Context sequencerContext = configuration.sequencerContext(dataDirectory);
        final Sequencer sequencer;
        final AutoCloseable service;
        String listening = "binary gateway off (gateway.enabled false)";
        if (configuration.gatewayEnabled())
        {
            final HttpGateway.Context http = configuration.httpEnabled() ? configuration.httpGatewayContext() : null;
            if (http != null)
            {
                if (httpPort != null)
                {
                    http.port(httpPort);
                }
                http.routes().staticFolder(WEB_FOLDER, RunCommand.class.getClassLoader());
            }
            final GatewayService gateway = GatewayService.launch(sequencerContext,
                configuration.binaryGatewayContext().port(port != null ? port : configuration.binaryGatewayContext().port()),
                http, configuration.keyStore(), configuration.gatewayTransport(), configuration.gatewayEventLoops(),
                configuration.gatewayEndedOrdersRemembered());
            sequencer = gateway.sequencer();
            service = gateway;
            final InetSocketAddress address = gateway.binaryAddress();
            listening = "binary gateway (order entry and market data) listening on " +
                address.getAddress().getHostAddress() + ":" + address.getPort() + " (" + gateway.transportName() + ", " +
                configuration.gatewayEventLoops() + " event loop(s), " + configuration.keyStore().accountCount() +
                " account key(s))";
            final InetSocketAddress httpAddress = gateway.httpAddress();
            listening += httpAddress == null ? "; HTTP gateway off (http.enabled false)" :
                "; REST and WebSocket (trader API, docs/REST.md) listening on " +
                    httpAddress.getAddress().getHostAddress() + ":" + httpAddress.getPort();
        }
        else
        {
            sequencer = Sequencer.launch(sequencerContext);
            service = sequencer;
        }
        final Thread shutdown = new Thread(() -> closeQuietly(service), "rollbook-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        System.out.println("rollbook running; data in " + dataDirectory + " (journal " +
            JournalFiles.journalDirectory(dataDirectory) + ", snapshots " + JournalFiles.snapshotDirectory(dataDirectory) +
            "), sync " + configuration.syncPolicy().name().toLowerCase() + "; " + sequencer.recovery().describe() +
            "; " + listening + ". Stop with Ctrl-C or SIGTERM.");
        System.out.flush();

        while (!sequencer.awaitStop(1, TimeUnit.HOURS))
        {
            continue;
        }
        if (sequencer.failure() != null)
        {
            closeQuietly(service);
            System.err.println("rollbook run: sequencing stopped: " + sequencer.failure());
            return 1;
        }

        return 0;
    }

    private static void closeQuietly(final AutoCloseable service)
    {
        try
        {
            service.close();
        }
        catch (final Exception ex)
        {
            System.err.println("rollbook run: closing: " + ex);
        }
    }
}
