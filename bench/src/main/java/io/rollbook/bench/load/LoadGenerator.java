package io.rollbook.bench.load;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.rollbook.bench.BenchmarkReport;
import io.rollbook.client.ClientException;
import io.rollbook.client.ClientListener;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.RejectReason;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Market-making bots against a running Rollbook over the binary protocol, built on the {@code client} module.
 *
 * <ol>
 * <li>An operator session (the demo operator key) sets the market's oracle price and deposits collateral to every
 * bot's account: the path a real operator uses, through the sequencer.</li>
 * <li>{@code connections} sessions (one demo account each, cancel-on-disconnect on) quote and cross
 * ({@link LoadSession}); {@code subscribers} more connections follow the market's data with a local book.</li>
 * <li>A warm-up, then the measured period. With a rate, every bot sends on a fixed schedule (its share of the rate)
 * and each answer is timed from the request's scheduled time, so a stall on either side shows in the latency
 * instead of hiding (no coordinated omission). Without a rate, each bot keeps {@code window} requests in flight
 * and the throughput is the answers per second.</li>
 * </ol>
 *
 * <p>The connections are spread over {@code threads} driver threads. At a fixed rate a driver parks after each pass
 * until its next send is due (at rates up to 2,000/s, or until an answer arrives: {@link AnswerWatcher}), and the
 * log reports how late the sends went out against their schedule (the send lag, inside the measured latency); at
 * full speed it polls with a backoff idle strategy. Prints progress to the
 * log and returns the RESULT line.
 */
public final class LoadGenerator
{
    /** How long a driver parks when a due request could not be sent (no slot free, back pressure). */
    private static final long BLOCKED_PARK_NS = 10_000;
    /**
     * At rates up to this, an {@link AnswerWatcher} wakes a driver for each answer: its two wakes per answer cost
     * little there, and the send interval a late read would add to the latency is long. Above it, sends come often
     * enough that an answer is read within the timer's granularity anyway.
     */
    private static final long WATCHED_MAX_RATE = 2_000;

    private final Options options;
    private final PrintStream log;

    /**
     * What to run.
     */
    public static final class Options
    {
        public String host = "127.0.0.1";
        public int port = 9001;
        public int connections = 4;
        public int subscribers = 1;
        public int threads = 1;
        /** Requests per second across all connections; 0 for as fast as the window allows. */
        public long rate;
        public int durationSeconds = 10;
        public int warmupSeconds = 2;
        public int market = 1;
        public long midTicks = 500_000;
        public int window = 256;
        public long depositMicros = 100_000_000_000_000L;
        public Path keys;
        public long seed = 42;
        /** Busy-poll the connections instead of parking between polls. */
        public boolean spin;
        /** The name on the RESULT line. */
        public String resultName = "gateway";
    }

    public LoadGenerator(final Options options, final PrintStream log)
    {
        this.options = options;
        this.log = log;
    }

    /**
     * @return the RESULT line
     */
    public String run() throws InterruptedException
    {
        final DemoKeys keys = DemoKeys.load(options.keys);
        if (options.connections < 1 || options.connections > keys.accountCount())
        {
            throw new IllegalArgumentException("--connections must be from 1 to " + keys.accountCount() +
                " (one key of the key file per connection)");
        }
        if (options.threads < 1 || options.threads > options.connections)
        {
            throw new IllegalArgumentException("--threads must be from 1 to the number of connections");
        }
        prepare(keys);

        final long baseSeconds = System.currentTimeMillis() / 1000;
        final List<LoadSession> sessions = new ArrayList<>();
        for (int i = 0; i < options.connections; i++)
        {
            final LoadSession session = new LoadSession(i, ((baseSeconds << 4) + i) << 24, options.market,
                options.midTicks, options.seed + i);
            final RollbookClient client = RollbookClient.connect(options.host, options.port, session);
            logon(client, new Logon(keys.account(i), keys.accountKey(i)).cancelOnDisconnect(true).keepAliveMs(2_000));
            session.client(client);
            sessions.add(session);
        }
        final List<RollbookClient> subscribers = new ArrayList<>();
        for (int i = 0; i < options.subscribers; i++)
        {
            final RollbookClient subscriber = RollbookClient.connect(options.host, options.port, new ClientListener()
            {
            });
            subscriber.subscribe(options.market);
            subscriber.flush();
            subscribers.add(subscriber);
        }
        log.printf("load: %d bot connection(s) on %d thread(s), %d market data subscriber(s), %s, %d s warm-up, " +
            "%d s measured%n", options.connections, options.threads, options.subscribers,
            options.rate > 0 ? "fixed rate " + options.rate + " requests/s" : "full speed (window " + options.window + ")",
            options.warmupSeconds, options.durationSeconds);

        final long startNs = System.nanoTime();
        final long measureFromNs = startNs + TimeUnit.SECONDS.toNanos(options.warmupSeconds);
        final long measureToNs = measureFromNs + TimeUnit.SECONDS.toNanos(options.durationSeconds);
        final Driver[] drivers = new Driver[options.threads];
        final Thread[] threads = new Thread[options.threads];
        for (int t = 0; t < options.threads; t++)
        {
            final List<LoadSession> mine = new ArrayList<>();
            for (int i = t; i < sessions.size(); i += options.threads)
            {
                mine.add(sessions.get(i));
            }
            final List<RollbookClient> myReaders = new ArrayList<>();
            for (int i = t; i < subscribers.size(); i += options.threads)
            {
                myReaders.add(subscribers.get(i));
            }
            drivers[t] = new Driver(mine, myReaders, startNs, measureFromNs, measureToNs);
            threads[t] = new Thread(drivers[t], "rollbook-load-" + t);
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        final Histogram latency = BenchmarkReport.newLatencyHistogram();
        final Histogram sendLag = BenchmarkReport.newLatencyHistogram();
        long answers = 0;
        long trades = 0;
        long rejects = 0;
        long lost = 0;
        for (final Driver driver : drivers)
        {
            latency.add(driver.histogram);
            sendLag.add(driver.sendLag);
            lost += driver.unanswered;
            if (driver.failure != null)
            {
                // A connection the service ended says it all in its own sentence; anything else is named with its kind.
                throw new IllegalStateException(driver.failure instanceof ConnectionEnded ? driver.failure.getMessage() :
                    "load driver failed: " + driver.failure, driver.failure);
            }
        }
        for (final LoadSession session : sessions)
        {
            answers += session.counted();
            trades += session.trades();
            rejects += session.rejects();
        }
        final long[] byReason = new long[256];
        final long[] byCode = new long[256];
        for (final LoadSession session : sessions)
        {
            session.describeRejects(byReason, byCode);
        }
        final StringBuilder reasons = new StringBuilder();
        for (int i = 0; i < 256; i++)
        {
            if (byReason[i] > 0)
            {
                reasons.append(' ').append(RejectReason.get((short)i)).append('=').append(byReason[i]);
            }
            if (byCode[i] > 0)
            {
                reasons.append(' ').append(io.rollbook.protocol.orderentry.BusinessRejectCode.get((short)i)).append('=')
                    .append(byCode[i]);
            }
        }
        long gaps = 0;
        for (final RollbookClient subscriber : subscribers)
        {
            gaps += subscriber.book(options.market) == null ? 0 : subscriber.book(options.market).gaps();
        }
        for (final LoadSession session : sessions)
        {
            session.client().close();
        }
        for (final RollbookClient subscriber : subscribers)
        {
            subscriber.close();
        }
        final double perSecond = answers / (double)options.durationSeconds;
        log.printf("load: %,d requests answered in %d s: %,.0f/s; latency from the intended send time (us): p50 %.1f, " +
            "p99 %.1f, p99.9 %.1f, max %.1f; %,d fill reports, %,d rejects, %d unanswered at the end, %d market data " +
            "gap(s); rejections:%s%n", answers, options.durationSeconds, perSecond, latency.getValueAtPercentile(50) / 1e3,
            latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
            latency.getMaxValue() / 1e3, trades, rejects, lost, gaps, reasons);
        if (options.rate > 0)
        {
            log.printf("load: send lag, from the intended send time to the send (us): p50 %.1f, p99 %.1f, " +
                "p99.9 %.1f, max %.1f%n", sendLag.getValueAtPercentile(50) / 1e3, sendLag.getValueAtPercentile(99) / 1e3,
                sendLag.getValueAtPercentile(99.9) / 1e3, sendLag.getMaxValue() / 1e3);
        }
        return BenchmarkReport.resultLine(options.resultName, perSecond, latency);
    }

    /**
     * A key the service does not take is the key file's: the refusal names the file as well as the account.
     */
    private void logon(final RollbookClient client, final Logon logon)
    {
        try
        {
            client.logon(logon);
        }
        catch (final ClientException ex)
        {
            throw new ClientException(ex.getMessage() + " (with the key from " + DemoKeys.source(options.keys) + ")",
                ex);
        }
    }

    private void prepare(final DemoKeys keys)
    {
        final AtomicLong acks = new AtomicLong();
        final StringBuilder rejected = new StringBuilder();
        final ClientListener listener = new ClientListener()
        {
            @Override
            public void onOperatorAck(final OperatorAckDecoder ack)
            {
                if (ack.reason() != RejectReason.NULL_VAL)
                {
                    rejected.append(' ').append(ack.reason());
                }
                acks.incrementAndGet();
            }

            /** The gateway refuses what it can judge itself (a market it does not know) before sequencing it. */
            @Override
            public void onBusinessReject(final BusinessRejectDecoder reject)
            {
                rejected.append(' ').append(reject.code()).append(" (").append(reject.text()).append(')');
                acks.incrementAndGet();
            }
        };
        try (RollbookClient operator = RollbookClient.connect(options.host, options.port, listener))
        {
            logon(operator, new Logon(0, keys.operatorKey()));
            operator.operatorOraclePrice(options.market, options.midTicks);
            for (int i = 0; i < options.connections; i++)
            {
                operator.operatorDeposit(keys.account(i), options.depositMicros);
            }
            operator.flush();
            final long expected = 1 + options.connections;
            operator.await(() -> acks.get() == expected, 10_000, "the operator's acks");
        }
        if (rejected.length() > 0)
        {
            throw new IllegalStateException("the operator's setup (the oracle price of market " + options.market +
                ", the bots' deposits) was rejected:" + rejected);
        }
        log.printf("load: %s set the oracle price of market %d to %d ticks and deposited to %d account(s)%n",
            keys.operatorName(), options.market, options.midTicks, options.connections);
    }

    /**
     * A bot connection that ended during the run (the service stopped or died, or ended the session): its message
     * names the connection, the service and what happened, for the operator who reads it.
     */
    private static final class ConnectionEnded extends RuntimeException
    {
        ConnectionEnded(final String message)
        {
            super(message, null, false, false);
        }
    }

    /**
     * Drives a share of the connections on one thread.
     */
    private final class Driver implements Runnable
    {
        private final List<LoadSession> sessions;
        private final List<RollbookClient> readers;
        private final long startNs;
        private final long measureFromNs;
        private final long measureToNs;
        private final Histogram histogram = BenchmarkReport.newLatencyHistogram();
        private final Histogram sendLag = BenchmarkReport.newLatencyHistogram();
        /**
         * Parks straight away when there is nothing to do: on two cores the server's threads need the CPU that
         * spinning or yielding here would take (the park's own delay is inside the measured latency).
         */
        private final IdleStrategy idle = options.spin ? new BusySpinIdleStrategy() :
            new BackoffIdleStrategy(0, 0, 10_000, 50_000);
        private long unanswered;
        private Throwable failure;

        Driver(
            final List<LoadSession> sessions,
            final List<RollbookClient> readers,
            final long startNs,
            final long measureFromNs,
            final long measureToNs)
        {
            this.sessions = sessions;
            this.readers = readers;
            this.startNs = startNs;
            this.measureFromNs = measureFromNs;
            this.measureToNs = measureToNs;
        }

        @Override
        public void run()
        {
            try
            {
                drive();
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }

        private void drive()
        {
            final int count = sessions.size();
            final long intervalNs = options.rate > 0 ?
                Math.max(1, TimeUnit.SECONDS.toNanos(1) * options.connections / options.rate) : 0;
            final long[] nextDueNs = new long[count];
            for (int i = 0; i < count; i++)
            {
                nextDueNs[i] = startNs + (intervalNs * i) / count;
                sessions.get(i).measure(histogram, false);
            }
            final List<RollbookClient> clients = new ArrayList<>();
            for (final LoadSession session : sessions)
            {
                clients.add(session.client());
            }
            try (AnswerWatcher watcher = intervalNs > 0 && !options.spin && options.rate <= WATCHED_MAX_RATE ?
                new AnswerWatcher(clients, Thread.currentThread()) : null)
            {
                sendAndRead(count, intervalNs, nextDueNs, watcher);
            }
            for (final LoadSession session : sessions)
            {
                session.measure(histogram, false);
            }
            final long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean waiting = true;
            while (waiting && System.nanoTime() < drainUntil)
            {
                waiting = false;
                for (final LoadSession session : sessions)
                {
                    session.client().poll();
                    waiting |= session.inFlight() > 0;
                }
                idle.idle(0);
            }
            for (final LoadSession session : sessions)
            {
                unanswered += session.inFlight();
            }
        }

        /**
         * Until the measured period ends: sends what is due (at a fixed rate) or keeps the window full, and reads
         * what has arrived.
         */
        private void sendAndRead(final int count, final long intervalNs, final long[] nextDueNs,
            final AnswerWatcher watcher)
        {
            boolean measuring = false;
            long now;
            while ((now = System.nanoTime()) < measureToNs)
            {
                if (!measuring && now >= measureFromNs)
                {
                    measuring = true;
                    for (final LoadSession session : sessions)
                    {
                        session.measure(histogram, true);
                    }
                }
                int work = 0;
                for (int i = 0; i < count; i++)
                {
                    final LoadSession session = sessions.get(i);
                    if (intervalNs > 0)
                    {
                        while (nextDueNs[i] <= now && session.sendNext(nextDueNs[i]))
                        {
                            if (measuring)
                            {
                                sendLag.recordValue(now - nextDueNs[i]);
                            }
                            nextDueNs[i] += intervalNs;
                            work++;
                        }
                    }
                    else
                    {
                        while (session.inFlight() < options.window && session.sendNext(now))
                        {
                            work++;
                        }
                    }
                    final RollbookClient client = session.client();
                    client.flush();
                    work += client.poll();
                    if (!client.isOpen())
                    {
                        throw new ConnectionEnded("bot connection " + session.index() + " to " + options.host + ":" +
                            options.port + " ended after " + session.sent() + " request(s) sent: " +
                            client.disconnectReason());
                    }
                }
                for (final RollbookClient reader : readers)
                {
                    work += reader.poll();
                }
                if (intervalNs > 0 && !options.spin)
                {
                    if (watcher != null)
                    {
                        watcher.passed();
                    }
                    awaitNextDue(nextDueNs);
                }
                else
                {
                    idle.idle(work);
                }
            }
        }

        /**
         * At a fixed rate: one pass sends whatever is due and reads whatever has arrived, then the thread parks
         * until the next send is due, or (at low rates) until an {@link AnswerWatcher} says an answer came.
         * Spinning on the sockets while answers keep coming would take the core the server needs; a park here lasts
         * at least the timer's granularity (about 0.1 ms on this kind of machine), so each pass sends a few requests
         * at once and their lag is measured.
         */
        private void awaitNextDue(final long[] nextDueNs)
        {
            long nextNs = Long.MAX_VALUE;
            for (final long dueNs : nextDueNs)
            {
                nextNs = Math.min(nextNs, dueNs);
            }
            final long waitNs = nextNs - System.nanoTime();
            LockSupport.parkNanos(waitNs > 0 ? waitNs : BLOCKED_PARK_NS);
        }
    }
}
