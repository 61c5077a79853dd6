package io.rollbook.app.cli;

import java.util.concurrent.Callable;

import io.rollbook.bench.loopback.LoopbackEcho;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook bench loopback}: this machine's floor for the gateway's latency figures, a bare TCP echo.
 */
@Command(
    name = "loopback",
    mixinStandardHelpOptions = true,
    description = {
        "A bare TCP echo over loopback, nothing of Rollbook in it: one server thread echoes, one client thread " +
            "sends fixed-size messages on a fixed schedule over a few connections, paced as ./rollbook load paces " +
            "its requests, and times each echo from the message's scheduled send time.",
        "An order through the binary gateway makes this same round trip and more, so this is the floor under " +
            "./rollbook load's latency at the same rate on the same machine. The last line is RESULT loopback."})
public final class LoopbackBenchCommand implements Callable<Integer>
{
    @Option(names = "--rate", defaultValue = "50000", description = "Messages per second (default ${DEFAULT-VALUE})")
    private long rate;

    @Option(names = "--connections", defaultValue = "4", description = "Connections (default ${DEFAULT-VALUE})")
    private int connections;

    @Option(names = "--message-bytes", defaultValue = "64",
        description = "Message size, 16 to 4096 (default ${DEFAULT-VALUE}, about an order's frame)")
    private int messageBytes;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE})")
    private int duration;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up seconds (default ${DEFAULT-VALUE})")
    private int warmup;

    @Override
    public Integer call() throws Exception
    {
        final LoopbackEcho.Options options = new LoopbackEcho.Options();
        options.rate = rate;
        options.connections = connections;
        options.messageBytes = messageBytes;
        options.durationSeconds = duration;
        options.warmupSeconds = warmup;
        System.out.println(new LoopbackEcho(options, System.err).run());
        return 0;
    }
}
