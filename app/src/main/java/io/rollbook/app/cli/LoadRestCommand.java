package io.rollbook.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rollbook.bench.load.RestLoadGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook load-rest}: signed order placements against a running service's trader API (REST).
 */
@Command(
    name = "load-rest",
    mixinStandardHelpOptions = true,
    description = {
        "Signed order placements over the trader API's REST side against a running Rollbook: the operator endpoints " +
            "fund the demo accounts and set the oracle price, then each connection (one demo account, DEMO ONLY " +
            "keys unless --keys) sends POST /v1/orders/batch with --batch orders, one request at a time on its " +
            "keep-alive connection, and cancels them with DELETE /v1/orders once about 500 are open.",
        "Bounded: --warmup then --duration seconds. The last line is RESULT rest ops_per_s=<accepted orders per " +
            "second> p50_ns=... p99_ns=... p999_ns=... (latency of one order request, round trip)."})
public final class LoadRestCommand implements Callable<Integer>
{
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default ${DEFAULT-VALUE})")
    private String host;

    @Option(names = "--port", defaultValue = "8080", description = "Trader API port (default ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--connections", defaultValue = "4",
        description = "Keep-alive connections, one demo account each (default ${DEFAULT-VALUE})")
    private int connections;

    @Option(names = "--batch", defaultValue = "100",
        description = "Orders per signed request; 1 uses POST /v1/orders (default ${DEFAULT-VALUE})")
    private int batch;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE})")
    private int duration;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up seconds (default ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--market", defaultValue = "BTC-USD", description = "Market (default ${DEFAULT-VALUE})")
    private String market;

    @Option(names = "--mid", defaultValue = "50000", description = "Mid and oracle price (default ${DEFAULT-VALUE})")
    private String mid;

    @Option(names = "--tick", defaultValue = "0.1", description = "The market's tick size (default ${DEFAULT-VALUE})")
    private String tick;

    @Option(names = "--keys", paramLabel = "FILE", description = "Key file in the demo format (default: the demo keys)")
    private Path keys;

    @Option(names = "--tls", description = "Speak HTTPS, to a service with http.tls set (trusting the JVM's " +
        "certificate authorities unless --tls-trust)")
    private boolean tls;

    @Option(names = "--tls-trust", paramLabel = "FILE",
        description = "PEM certificate(s) to trust instead, such as a test service's self-signed one; implies --tls")
    private Path tlsTrust;

    @Override
    public Integer call() throws InterruptedException
    {
        if (duration < 1 || warmup < 0 || batch < 1 || batch > 100)
        {
            throw new IllegalArgumentException("--duration must be positive, --warmup not negative, --batch from 1 to " +
                "100");
        }
        final RestLoadGenerator.Options options = new RestLoadGenerator.Options();
        options.host = host;
        options.port = port;
        options.connections = connections;
        options.batch = batch;
        options.durationSeconds = duration;
        options.warmupSeconds = warmup;
        options.market = market;
        options.mid = mid;
        options.tick = tick;
        options.keys = keys;
        options.tls = tls || tlsTrust != null;
        options.tlsTrust = tlsTrust;
        System.out.println(new RestLoadGenerator(options, System.err).run());
        return 0;
    }
}
