package io.rollbook.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rollbook.bench.load.LoadGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook load}: market-making bots against a running service over the binary protocol.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
        "Market-making bots against a running Rollbook over the binary protocol (the client library): an operator " +
            "session funds the bots' accounts and sets the oracle price, then each bot quotes around the mid, " +
            "crosses now and then and cancels its oldest quotes. Keys: the demo keys (DEMO ONLY) unless --keys.",
        "With --rate, requests go out on a fixed schedule and latency is measured from each request's scheduled " +
            "time to its first answer; without, each bot keeps --window requests in flight (full speed).",
        "Bounded: --warmup then --duration seconds. The last line is RESULT gateway ops_per_s=... p50_ns=... " +
            "p99_ns=... p999_ns=..."})
public final class LoadCommand implements Callable<Integer>
{
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default ${DEFAULT-VALUE})")
    private String host;

    @Option(names = "--port", defaultValue = "9001", description = "Binary gateway port (default ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--connections", defaultValue = "4", description = "Bot connections, one account each (default ${DEFAULT-VALUE})")
    private int connections;

    @Option(names = "--rate", defaultValue = "0",
        description = "Requests per second across all bots; 0 for full speed (default ${DEFAULT-VALUE})")
    private long rate;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE})")
    private int duration;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up seconds (default ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--threads", defaultValue = "1", description = "Driver threads (default ${DEFAULT-VALUE})")
    private int threads;

    @Option(names = "--window", defaultValue = "256",
        description = "Requests in flight per bot at full speed (default ${DEFAULT-VALUE})")
    private int window;

    @Option(names = "--subscribers", defaultValue = "1",
        description = "Market data connections following the market (default ${DEFAULT-VALUE})")
    private int subscribers;

    @Option(names = "--market", defaultValue = "1", description = "Market id (default ${DEFAULT-VALUE}, BTC-USD)")
    private int market;

    @Option(names = "--mid", defaultValue = "500000",
        description = "Mid and oracle price in ticks (default ${DEFAULT-VALUE}: 50,000.0 on BTC-USD)")
    private long mid;

    @Option(names = "--spin", description = "Busy-poll the connections (a core per driver thread) instead of parking")
    private boolean spin;

    @Option(names = "--keys", paramLabel = "FILE", description = "Key file in the demo format (default: the demo keys)")
    private Path keys;

    @Override
    public Integer call() throws InterruptedException
    {
        if (duration < 1 || warmup < 0 || rate < 0 || window < 1 || subscribers < 0 || mid < 1)
        {
            throw new IllegalArgumentException("--duration, --window and --mid must be positive; --warmup, --rate and " +
                "--subscribers not negative");
        }
        final LoadGenerator.Options options = new LoadGenerator.Options();
        options.host = host;
        options.port = port;
        options.connections = connections;
        options.rate = rate;
        options.durationSeconds = duration;
        options.warmupSeconds = warmup;
        options.threads = threads;
        options.window = window;
        options.subscribers = subscribers;
        options.market = market;
        options.midTicks = mid;
        options.keys = keys;
        options.spin = spin;
        System.out.println(new LoadGenerator(options, System.err).run());
        return 0;
    }
}
