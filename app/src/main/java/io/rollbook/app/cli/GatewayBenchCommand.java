package io.rollbook.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.rollbook.app.config.RollbookConfig;
import io.rollbook.bench.load.LoadGenerator;
import io.rollbook.gateway.GatewayService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench gateway}: the whole service in this process (embedded configuration, a fresh data directory,
 * the binary gateway on an ephemeral loopback port) and the load generator against it, client and server side by
 * side on this machine.
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
        "The service (sequencer, journal on disk, binary gateway) and the load generator in one process, over " +
            "loopback TCP: first a fixed-rate run timed from each request's scheduled send time (RESULT " +
            "gateway-rate-<rate>), then a full-speed run (RESULT gateway, last).",
        "For client and server in separate processes, use ./rollbook run and ./rollbook load."})
public final class GatewayBenchCommand implements Callable<Integer>
{
    @Option(names = "--connections", defaultValue = "4", description = "Bot connections (default ${DEFAULT-VALUE})")
    private int connections;

    @Option(names = "--rate", defaultValue = "50000",
        description = "Requests per second of the fixed-rate run; 0 skips it (default ${DEFAULT-VALUE})")
    private long rate;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds of each run (default ${DEFAULT-VALUE})")
    private int duration;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up seconds of each run (default ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--window", defaultValue = "256",
        description = "Requests in flight per bot at full speed (default ${DEFAULT-VALUE})")
    private int window;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: a temporary one, deleted after)")
    private Path data;

    @Override
    public Integer call() throws Exception
    {
        final RollbookConfig config = RollbookConfig.defaults();
        final Path directory = data != null ? data : Files.createTempDirectory("rollbook-bench-gateway");
        try (GatewayService service = GatewayService.launch(config.sequencerContext(directory),
            config.binaryGatewayContext().bindAddress("127.0.0.1").port(0), config.keyStore(), config.gatewayTransport(),
            config.gatewayEventLoops(), config.gatewayEndedOrdersRemembered()))
        {
            if (rate > 0)
            {
                System.out.println(new LoadGenerator(options(service, rate, "gateway-rate-" + rate), System.err).run());
            }
            System.out.println(new LoadGenerator(options(service, 0, "gateway"), System.err).run());
        }
        finally
        {
            if (data == null)
            {
                deleteQuietly(directory);
            }
        }
        return 0;
    }

    private LoadGenerator.Options options(final GatewayService service, final long requestsPerSecond, final String name)
    {
        final LoadGenerator.Options options = new LoadGenerator.Options();
        options.port = service.binaryAddress().getPort();
        options.connections = connections;
        options.rate = requestsPerSecond;
        options.durationSeconds = duration;
        options.warmupSeconds = warmup;
        options.window = window;
        options.resultName = name;
        return options;
    }

    private static void deleteQuietly(final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (final IOException ex)
        {
            System.err.println("could not delete " + directory + ": " + ex.getMessage());
        }
    }
}
