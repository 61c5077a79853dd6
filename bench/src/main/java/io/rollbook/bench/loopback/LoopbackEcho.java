package io.rollbook.bench.loopback;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.rollbook.bench.BenchmarkReport;
import org.HdrHistogram.Histogram;

/**
 * The floor under every latency figure of the binary gateway on this machine: a bare TCP echo over loopback, with
 * nothing of Rollbook in it. One server thread echoes what it reads; one client thread sends fixed-size messages
 * on a fixed schedule over a few connections, paced exactly as {@code rollbook load} paces its requests (it parks
 * until the next send is due), and times each echo from the message's scheduled send time.
 *
 * <p>An order through the gateway crosses this same loopback round trip plus the hand-offs to the matcher and
 * journal threads and back, so the gateway's latency at a rate cannot be lower than this echo's at that rate.
 *
 * <p>Each message carries its connection's sequence number and its due time; the client checks that every echo
 * is the next one it sent on that connection, so a lost, reordered or torn echo fails the run rather than
 * skewing it.
 */
public final class LoopbackEcho
{
    /** Sequence number and due time. */
    public static final int MIN_MESSAGE_BYTES = 16;

    private final Options options;
    private final PrintStream log;

    /**
     * What to run. Public fields, as the command line fills them.
     */
    public static final class Options
    {
        public long rate = 50_000;
        public int connections = 4;
        public int messageBytes = 64;
        public int warmupSeconds = 2;
        public int durationSeconds = 10;
        public String resultName = "loopback";
    }

    /**
     * What a run measured.
     */
    public record Result(String name, long answered, int durationSeconds, long unanswered, Histogram latencyNs)
    {
        public double opsPerSecond()
        {
            return (double)answered / durationSeconds;
        }

        @Override
        public String toString()
        {
            return BenchmarkReport.resultLine(name, opsPerSecond(), latencyNs);
        }
    }

    public LoopbackEcho(final Options options, final PrintStream log)
    {
        if (options.rate <= 0 || options.connections <= 0 || options.durationSeconds <= 0 || options.warmupSeconds < 0)
        {
            throw new IllegalArgumentException("rate, connections and duration must be positive, warm-up not negative");
        }
        if (options.messageBytes < MIN_MESSAGE_BYTES || options.messageBytes > 4096)
        {
            throw new IllegalArgumentException("message size must be " + MIN_MESSAGE_BYTES + " to 4096 bytes, not " +
                options.messageBytes);
        }
        this.options = options;
        this.log = log;
    }

    public Result run() throws IOException, InterruptedException
    {
        try (ServerSocketChannel listener = ServerSocketChannel.open();
             Selector serverSelector = Selector.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            listener.register(serverSelector, SelectionKey.OP_ACCEPT);
            final Server server = new Server(listener, serverSelector);
            final Thread serverThread = new Thread(server, "rollbook-echo-server");
            serverThread.setDaemon(true);
            serverThread.start();
            try
            {
                final Client client = new Client((InetSocketAddress)listener.getLocalAddress());
                final Result result = client.drive();
                log.printf("loopback: %,d echoes of %d bytes in %d s at a fixed %,d/s over %d connection(s): " +
                        "p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; %d unanswered at the end%n",
                    result.answered(), options.messageBytes, options.durationSeconds, options.rate,
                    options.connections, micros(result.latencyNs(), 50), micros(result.latencyNs(), 99),
                    micros(result.latencyNs(), 99.9), result.latencyNs().getMaxValue() / 1e3, result.unanswered());
                return result;
            }
            finally
            {
                server.stop();
                serverSelector.wakeup();
                serverThread.join(TimeUnit.SECONDS.toMillis(5));
                if (server.failure != null)
                {
                    throw new IOException("echo server failed", server.failure);
                }
            }
        }
    }

    private static double micros(final Histogram histogram, final double percentile)
    {
        return histogram.getValueAtPercentile(percentile) / 1e3;
    }

    /**
     * Echoes every byte it reads back to the same connection, blocking in the selector while there is nothing to
     * read, as a Netty event loop does.
     */
    private static final class Server implements Runnable
    {
        private final ServerSocketChannel listener;
        private final Selector selector;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        private volatile boolean running = true;
        private volatile Throwable failure;

        Server(final ServerSocketChannel listener, final Selector selector)
        {
            this.listener = listener;
            this.selector = selector;
        }

        void stop()
        {
            running = false;
        }

        @Override
        public void run()
        {
            try
            {
                while (running)
                {
                    selector.select();
                    final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext())
                    {
                        final SelectionKey key = keys.next();
                        keys.remove();
                        if (key.isAcceptable())
                        {
                            accept();
                        }
                        else if (key.isReadable())
                        {
                            echo(key);
                        }
                    }
                }
                for (final SelectionKey key : selector.keys())
                {
                    key.channel().close();
                }
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }

        private void accept() throws IOException
        {
            final SocketChannel channel = listener.accept();
            if (channel != null)
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ);
            }
        }

        /**
         * Writes the echo out whole before reading more: at the rates measured here the socket's send buffer never
         * fills, and a rate that filled it would show as latency, which is what this measures.
         */
        private void echo(final SelectionKey key) throws IOException
        {
            final SocketChannel channel = (SocketChannel)key.channel();
            buffer.clear();
            final int read = channel.read(buffer);
            if (read < 0)
            {
                key.cancel();
                channel.close();
                return;
            }
            buffer.flip();
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
        }
    }

    /**
     * Sends on a fixed schedule and reads the echoes, on one thread.
     */
    private final class Client
    {
        private final InetSocketAddress address;
        private final SocketChannel[] channels;
        private final ByteBuffer[] inbound;
        private final long[] sent;
        private final long[] received;
        private final ByteBuffer outbound;

        Client(final InetSocketAddress address)
        {
            this.address = address;
            final int count = options.connections;
            this.channels = new SocketChannel[count];
            this.inbound = new ByteBuffer[count];
            this.sent = new long[count];
            this.received = new long[count];
            this.outbound = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        }

        Result drive() throws IOException
        {
            final int count = channels.length;
            try
            {
                for (int i = 0; i < count; i++)
                {
                    channels[i] = SocketChannel.open(address);
                    channels[i].setOption(StandardSocketOptions.TCP_NODELAY, true);
                    channels[i].configureBlocking(false);
                    inbound[i] = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
                }
                return pace();
            }
            finally
            {
                for (final SocketChannel channel : channels)
                {
                    if (channel != null)
                    {
                        channel.close();
                    }
                }
            }
        }

        private Result pace() throws IOException
        {
            final int count = channels.length;
            final Histogram histogram = BenchmarkReport.newLatencyHistogram();
            final long intervalNs = Math.max(1, TimeUnit.SECONDS.toNanos(1) * count / options.rate);
            final long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            final long measureFromNs = startNs + TimeUnit.SECONDS.toNanos(options.warmupSeconds);
            final long measureToNs = measureFromNs + TimeUnit.SECONDS.toNanos(options.durationSeconds);
            final long[] nextDueNs = new long[count];
            for (int i = 0; i < count; i++)
            {
                nextDueNs[i] = startNs + (intervalNs * i) / count;
            }
            long answered = 0;
            long now;
            while ((now = System.nanoTime()) < measureToNs)
            {
                for (int i = 0; i < count; i++)
                {
                    if (nextDueNs[i] <= now && nextDueNs[i] < measureToNs)
                    {
                        nextDueNs[i] = send(i, nextDueNs[i], now, intervalNs, measureToNs);
                    }
                    answered += read(i, histogram, measureFromNs);
                }
                long nextNs = Long.MAX_VALUE;
                for (final long dueNs : nextDueNs)
                {
                    nextNs = Math.min(nextNs, dueNs);
                }
                final long waitNs = Math.min(nextNs, measureToNs) - System.nanoTime();
                if (waitNs > 0)
                {
                    LockSupport.parkNanos(waitNs);
                }
            }
            final long drainUntilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            long unanswered = inFlight();
            while (unanswered > 0 && System.nanoTime() < drainUntilNs)
            {
                for (int i = 0; i < count; i++)
                {
                    answered += read(i, histogram, measureFromNs);
                }
                unanswered = inFlight();
                if (unanswered > 0)
                {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
                }
            }
            return new Result(options.resultName, answered, options.durationSeconds, unanswered, histogram);
        }

        /**
         * Sends every message of the connection that is due by now, in one write.
         *
         * @return the next due time
         */
        private long send(final int connection, final long firstDueNs, final long now, final long intervalNs,
            final long endNs) throws IOException
        {
            outbound.clear();
            long dueNs = firstDueNs;
            while (dueNs <= now && dueNs < endNs && outbound.remaining() >= options.messageBytes)
            {
                final int start = outbound.position();
                outbound.putLong(sent[connection]++).putLong(dueNs);
                outbound.position(start + options.messageBytes);
                dueNs += intervalNs;
            }
            outbound.flip();
            while (outbound.hasRemaining())
            {
                channels[connection].write(outbound);
            }
            return dueNs;
        }

        /**
         * @return how many echoes in the measured window arrived (each from a message due in that window)
         */
        private int read(final int connection, final Histogram histogram, final long measureFromNs) throws IOException
        {
            final ByteBuffer buffer = inbound[connection];
            if (channels[connection].read(buffer) < 0)
            {
                throw new IOException("the echo server closed connection " + connection);
            }
            final long arrivedNs = System.nanoTime();
            buffer.flip();
            int measured = 0;
            while (buffer.remaining() >= options.messageBytes)
            {
                final int start = buffer.position();
                final long sequence = buffer.getLong(start);
                final long dueNs = buffer.getLong(start + Long.BYTES);
                if (sequence != received[connection])
                {
                    throw new IOException("connection " + connection + " echoed message " + sequence +
                        " where message " + received[connection] + " was next");
                }
                received[connection]++;
                if (dueNs >= measureFromNs)
                {
                    histogram.recordValue(Math.max(0, arrivedNs - dueNs));
                    measured++;
                }
                buffer.position(start + options.messageBytes);
            }
            buffer.compact();
            return measured;
        }

        private long inFlight()
        {
            long total = 0;
            for (int i = 0; i < sent.length; i++)
            {
                total += sent[i] - received[i];
            }
            return total;
        }
    }
}
