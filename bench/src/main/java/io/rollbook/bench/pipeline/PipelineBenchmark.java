package io.rollbook.bench.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.rollbook.bench.BenchmarkReport;
import io.rollbook.bench.matcher.CommandStream;
import io.rollbook.bench.matcher.MatcherMix;
import io.rollbook.bench.matcher.MixGenerator;
import io.rollbook.journal.SyncPolicy;
import io.rollbook.journal.commitment.CommitmentBuilder;
import io.rollbook.sequencer.CommandPublisher;
import io.rollbook.sequencer.CommandRun;
import io.rollbook.sequencer.ReleaseListener;
import io.rollbook.sequencer.Sequencer;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

/**
 * The whole pipeline on this machine: producer threads publish a pre-generated command stream into the ring, the
 * matcher thread sequences and executes it, the journal thread writes the batches to Chronicle Queue on disk and
 * releases them. Nothing is simulated: it is the service's own {@link Sequencer} with the journal on.
 *
 * <p>Throughput: each run starts a sequencer on an empty data directory, publishes the stream's setup commands
 * (oracle price, deposits, a resting book of about a thousand orders: untimed), then the timed commands as fast as
 * the ring takes them; the rate is timed commands over the time from the first timed publish to the last release.
 * The median of the measured runs counts.
 *
 * <p>Latency: a separate run publishes at a fixed rate from one thread and records, for every command, the time
 * from when it was due to be published (not when it actually was: no coordinated omission) to when its release
 * reached the listener, i.e. after its batch was in the journal.
 */
public final class PipelineBenchmark
{
    /**
     * How long a producer backs off when the ring is full. A gateway answers "busy" and goes on with its other
     * work; a producer that spun or yielded instead would take, on two cores, the CPU the matcher needs to empty
     * the ring.
     */
    private static final long RING_FULL_BACKOFF_NS = 20_000;

    /**
     * Commands a producer publishes per claim of the ring at full speed, as a gateway does with the orders of one
     * read from a connection: the claim and the wake of the matcher thread are paid once per run.
     */
    private static final int RUN_LENGTH = 64;

    private final int commands;
    private final int warmupRuns;
    private final int measuredRuns;
    private final long seed;
    private final int producers;
    private final SyncPolicy syncPolicy;
    private final long latencyRatePerSecond;
    private final Path dataDirectory;
    private final PrintStream log;
    private boolean commitments;

    public PipelineBenchmark(
        final int commands,
        final int warmupRuns,
        final int measuredRuns,
        final long seed,
        final int producers,
        final SyncPolicy syncPolicy,
        final long latencyRatePerSecond,
        final Path dataDirectory,
        final PrintStream log)
    {
        this.commands = commands;
        this.warmupRuns = warmupRuns;
        this.measuredRuns = measuredRuns;
        this.seed = seed;
        this.producers = producers;
        this.syncPolicy = syncPolicy;
        this.latencyRatePerSecond = latencyRatePerSecond;
        this.dataDirectory = dataDirectory;
        this.log = log;
    }

    /**
     * Runs the commitment builder beside the pipeline (as {@code rollbook run} does) and reports whether it keeps
     * up: its largest lag behind the last released batch, and how long after the last release it recorded the
     * last root.
     */
    public PipelineBenchmark commitments(final boolean commitments)
    {
        this.commitments = commitments;
        return this;
    }

    /**
     * @return the RESULT line name for this sync policy
     */
    public String resultName()
    {
        return syncPolicy == SyncPolicy.NONE ? "pipeline" : "pipeline-sync-" + syncPolicy.name().toLowerCase();
    }

    /**
     * Runs the benchmark and returns its RESULT line.
     */
    public String run()
    {
        if (dataDirectory != null && Files.exists(dataDirectory.resolve("journal")))
        {
            throw new IllegalArgumentException(dataDirectory + " already holds a journal; give an empty or new directory");
        }
        final String name = resultName();
        log.printf("%s: generating %,d commands (exchange-core mix, seed %d) ...%n", name, commands, seed);
        final Stream stream = new Stream(MixGenerator.generate(MatcherMix.EXCHANGE_CORE, seed, commands));
        log.printf("%s: %,d timed commands after %,d setup commands; %d producer thread(s); sync %s%n",
            name, stream.timedCount(), stream.setupCount(), producers, syncPolicy.name().toLowerCase());

        for (int i = 0; i < warmupRuns; i++)
        {
            log.printf("%s: warm-up %d: %,.0f commands/s%n", name, i + 1, throughputRun(stream, null));
        }
        final double[] runs = new double[measuredRuns];
        for (int i = 0; i < measuredRuns; i++)
        {
            runs[i] = throughputRun(stream, i == measuredRuns - 1 ? dataDirectory : null);
            log.printf("%s: run %d: %,.0f commands/s%n", name, i + 1, runs[i]);
        }
        Arrays.sort(runs);
        final double median = runs[runs.length / 2];

        final Histogram latency = latencyRun(stream);
        log.printf("%s: latency publish -> release at %,d commands/s (ns): mean %.0f, max %d%n",
            name, latencyRatePerSecond, latency.getMean(), latency.getMaxValue());
        if (dataDirectory != null)
        {
            log.printf("%s: the journal of the last measured run is in %s%n", name, dataDirectory.toAbsolutePath());
        }

        return BenchmarkReport.resultLine(name, median, latency);
    }

    private double throughputRun(final Stream stream, final Path keepIn)
    {
        System.gc();
        final Path directory = keepIn != null ? keepIn : temporaryDirectory();
        final ReleaseClock releases = new ReleaseClock(stream.dueNs);
        try (Sequencer sequencer = Sequencer.launch(context(directory, releases)))
        {
            releases.watch(sequencer.commitments());
            final CommandPublisher publisher = sequencer.publisher();
            publishRange(publisher, stream, 0, stream.setupCount(), 1, 0);
            releases.awaitReleased(stream.setupCount());

            final ThreadCpu cpu = new ThreadCpu();
            cpu.start();
            final long startNs = System.nanoTime();
            final Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++)
            {
                final int producer = p;
                threads[p] = new Thread(() ->
                {
                    publishRuns(publisher, stream, producer, producers);
                    cpu.producerDone();
                }, "bench-producer-" + p);
                threads[p].start();
            }
            joinAll(threads);
            releases.awaitReleased(stream.count());
            final long elapsedNs = releases.lastReleaseNs() - startNs;
            cpu.stop();
            log.printf("  %,d batches, %.1f commands per batch, %.0f journal bytes per command; %s%n",
                sequencer.releasedBatchCount(), (double)stream.count() / sequencer.releasedBatchCount(),
                (double)sequencer.metrics().journalBytes() / stream.count(), cpu.perCommand(stream.timedCount()));
            if (commitments)
            {
                final CommitmentBuilder builder = sequencer.commitments();
                final long lastSequence = releases.lastCommandSequence();
                while (releases.lastSequence() < lastSequence ||
                    (builder.committedSequence() < lastSequence && builder.failure() == null))
                {
                    LockSupport.parkNanos(50_000);
                }
                final long doneNs = System.nanoTime();
                log.printf("  commitments: at most %,d batches (%,d commands) behind the last released one; " +
                    "last root %.1f ms after the last release; %,.0f commands/s committed from the first timed " +
                    "publish%n",
                    releases.maxLagBatches(), releases.maxLagCommands(), (doneNs - releases.lastReleaseNs()) / 1e6,
                    stream.timedCount() * 1e9 / (doneNs - startNs));
            }
            return stream.timedCount() * 1e9 / elapsedNs;
        }
        finally
        {
            if (keepIn == null)
            {
                deleteRecursively(directory);
            }
        }
    }

    private Histogram latencyRun(final Stream stream)
    {
        System.gc();
        final Path directory = temporaryDirectory();
        final ReleaseClock releases = new ReleaseClock(stream.dueNs);
        try (Sequencer sequencer = Sequencer.launch(context(directory, releases)))
        {
            final CommandPublisher publisher = sequencer.publisher();
            publishRange(publisher, stream, 0, stream.setupCount(), 1, 0);
            releases.awaitReleased(stream.setupCount());
            releases.recordFrom(stream.setupCount());
            publishRange(publisher, stream, stream.setupCount(), stream.count(), 1, latencyRatePerSecond);
            releases.awaitReleased(stream.count());
            return releases.histogram();
        }
        finally
        {
            deleteRecursively(directory);
        }
    }

    private Sequencer.Context context(final Path directory, final ReleaseClock releases)
    {
        return new Sequencer.Context()
            .dataDirectory(directory)
            .matcherContext(MixGenerator.context(MatcherMix.EXCHANGE_CORE))
            .markets(List.of(MixGenerator.market()))
            .syncPolicy(syncPolicy)
            .snapshotEveryBatches(0)
            .snapshotEveryCommands(0)
            .commitments(commitments)
            .releaseListener(releases);
    }

    /**
     * Publishes commands {@code from, from + step, ...} below {@code to}; at {@code ratePerSecond} (0: as fast as
     * the ring takes them), stamping each command's due time.
     */
    private static void publishRange(
        final CommandPublisher publisher,
        final Stream stream,
        final int from,
        final int to,
        final int step,
        final long ratePerSecond)
    {
        final DirectBuffer buffer = stream.buffer();
        final long[] dueNs = stream.dueNs;
        final long startNs = System.nanoTime();
        final double intervalNs = ratePerSecond == 0 ? 0 : 1e9 / ratePerSecond;
        long published = 0;
        for (int i = from; i < to; i += step)
        {
            final long due;
            if (ratePerSecond == 0)
            {
                due = System.nanoTime();
            }
            else
            {
                due = startNs + (long)(published * intervalNs);
                // Yield, never spin, until the command is due: a spinning producer would take one of the two
                // cores for itself and leave the matcher and journal threads queueing for the other behind the
                // scheduler, while a parked one would wake tens of microseconds late. Yielding hands the core
                // over whenever they can run and keeps the schedule otherwise.
                while (System.nanoTime() < due)
                {
                    Thread.yield();
                }
            }
            dueNs[i] = due;
            final int offset = stream.offset(i);
            final int length = stream.length(i);
            while (!publisher.tryPublish(i + 1, buffer, offset, length))
            {
                if (!publisher.isAccepting())
                {
                    throw new IllegalStateException("the sequencer stopped during the benchmark");
                }
                LockSupport.parkNanos(RING_FULL_BACKOFF_NS);
            }
            published++;
        }
    }

    /**
     * Publishes the timed commands as fast as the ring takes them, in runs of {@link #RUN_LENGTH}: the producers
     * take the runs in turn, this one the runs {@code producer}, {@code producer + producers}, ...
     */
    private static void publishRuns(
        final CommandPublisher publisher, final Stream stream, final int producer, final int producers)
    {
        for (int start = stream.setupCount() + producer * RUN_LENGTH; start < stream.count();
            start += producers * RUN_LENGTH)
        {
            final int end = Math.min(start + RUN_LENGTH, stream.count());
            int next = start;
            while (next < end)
            {
                final int published = publisher.tryPublishRun(stream, next, end - next);
                if (published == 0)
                {
                    if (!publisher.isAccepting())
                    {
                        throw new IllegalStateException("the sequencer stopped during the benchmark");
                    }
                    LockSupport.parkNanos(RING_FULL_BACKOFF_NS);
                }
                next += published;
            }
        }
    }

    private static void joinAll(final Thread[] threads)
    {
        for (final Thread thread : threads)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", ex);
            }
        }
    }

    private static Path temporaryDirectory()
    {
        try
        {
            return Files.createTempDirectory("rollbook-bench-pipeline");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void deleteRecursively(final Path directory)
    {
        try (java.util.stream.Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The generated stream without its leading market definition (the sequencer defines the market itself, as at
     * genesis), indexed by command number, with a due-time slot per command.
     */
    private static final class Stream implements CommandRun
    {
        private final CommandStream source;
        private final int[] offsets;
        private final int setupCount;
        final long[] dueNs;

        Stream(final CommandStream source)
        {
            this.source = source;
            final int count = source.count() - 1;
            offsets = new int[count + 1];
            int offset = CommandStream.commandLength(source.buffer(), 0);
            for (int i = 0; i < count; i++)
            {
                offsets[i] = offset;
                offset += CommandStream.commandLength(source.buffer(), offset);
            }
            offsets[count] = offset;
            setupCount = source.setupCount() - 1;
            dueNs = new long[count];
        }

        @Override
        public DirectBuffer buffer()
        {
            return source.buffer();
        }

        /**
         * Command {@code i} is published with source {@code i + 1}: 0 is the service's own market definition.
         */
        @Override
        public long source(final int i)
        {
            return i + 1;
        }

        int count()
        {
            return offsets.length - 1;
        }

        int setupCount()
        {
            return setupCount;
        }

        int timedCount()
        {
            return count() - setupCount;
        }

        @Override
        public int offset(final int i)
        {
            return offsets[i];
        }

        @Override
        public int length(final int i)
        {
            return offsets[i + 1] - offsets[i];
        }
    }

    /**
     * Counts releases (on the journal thread) and, once told to, records each command's latency from its due
     * time. Sources are command numbers plus one: 0 is the service's own market definition. Allocates nothing per
     * release.
     */
    private final class ReleaseClock implements ReleaseListener
    {
        private final Histogram histogram = BenchmarkReport.newLatencyHistogram();
        private final long[] dueNs;
        /** Counted per command on the journal thread, published per batch: a volatile write per command would
         * cost the journal thread a fence for every command. */
        private long releasedSoFar;
        private volatile long released;
        private volatile long lastReleaseNs;
        private volatile long lastSequence;
        private volatile long recordFrom = Long.MAX_VALUE;
        private volatile CommitmentBuilder builder;
        private long maxLagBatches;
        private long maxLagCommands;
        private long lastCommandSequence;

        ReleaseClock(final long[] dueNs)
        {
            this.dueNs = dueNs;
        }

        void recordFrom(final long firstSource)
        {
            recordFrom = firstSource;
        }

        @Override
        public void onReleased(
            final long sequence,
            final long timestampNs,
            final long source,
            final DirectBuffer buffer,
            final int commandOffset,
            final int commandLength,
            final int eventsOffset,
            final int eventsLength)
        {
            lastCommandSequence = sequence;
            if (source == 0)
            {
                return;
            }
            final int index = (int)source - 1;
            if (index >= recordFrom)
            {
                histogram.recordValue(Math.max(0, System.nanoTime() - dueNs[index]));
            }
            releasedSoFar++;
        }

        void watch(final CommitmentBuilder builder)
        {
            this.builder = builder;
        }

        @Override
        public void onBatchReleased(final long batchNumber, final long firstSequence, final long lastSequence)
        {
            final long now = System.nanoTime();
            final CommitmentBuilder watched = builder;
            if (watched != null)
            {
                maxLagBatches = Math.max(maxLagBatches, batchNumber - watched.committedBatch());
                maxLagCommands = Math.max(maxLagCommands, lastSequence - watched.committedSequence());
            }
            lastReleaseNs = now;
            this.lastSequence = lastSequence;
            released = releasedSoFar;
        }

        long lastCommandSequence()
        {
            return lastCommandSequence;
        }

        long lastSequence()
        {
            return lastSequence;
        }

        long maxLagBatches()
        {
            return maxLagBatches;
        }

        long maxLagCommands()
        {
            return maxLagCommands;
        }

        void awaitReleased(final long count)
        {
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (released < count)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("only " + released + " of " + count + " commands released in 5 minutes");
                }
                LockSupport.parkNanos(100_000);
            }
        }

        long lastReleaseNs()
        {
            return lastReleaseNs;
        }

        Histogram histogram()
        {
            return histogram;
        }
    }
}
