package io.rollbook.bench.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.rollbook.bench.BenchmarkReport;
import io.rollbook.bench.matcher.CommandStream;
import io.rollbook.bench.matcher.MatcherMix;
import io.rollbook.bench.matcher.MixGenerator;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.RecordView;
import io.rollbook.journal.audit.AuditReport;
import io.rollbook.journal.audit.JournalAudit;
import io.rollbook.journal.commitment.CommitmentHash;
import io.rollbook.journal.commitment.StateCommitment;
import io.rollbook.sequencer.CommandPublisher;
import io.rollbook.sequencer.Sequencer;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;

/**
 * The audit's rate: a journal is written once by the service itself (a {@link Sequencer} with commitments on, a
 * pre-generated command stream published into it), then audited several times from genesis by
 * {@link JournalAudit}: every command re-executed on a fresh matcher and its events compared byte for byte, the
 * leaves from the events compared with the matcher's state for every account a batch changed, conservation after
 * every batch, every root recomputed and compared with the recorded one.
 *
 * <p>Throughput: commands audited per second, from opening the journal to the end of the last check, median of
 * the measured runs. Latency: the time to audit one batch, reading it included, from a further run.
 */
public final class AuditBenchmark
{
    private static final long RING_FULL_BACKOFF_NS = 20_000;

    private final MatcherMix mix;
    private final int commands;
    private final int warmupRuns;
    private final int measuredRuns;
    private final long seed;
    private final int batchMaxCommands;
    private final Path dataDirectory;
    private final PrintStream log;

    public AuditBenchmark(
        final MatcherMix mix,
        final int commands,
        final int warmupRuns,
        final int measuredRuns,
        final long seed,
        final int batchMaxCommands,
        final Path dataDirectory,
        final PrintStream log)
    {
        this.mix = mix;
        this.commands = commands;
        this.warmupRuns = warmupRuns;
        this.measuredRuns = measuredRuns;
        this.seed = seed;
        this.batchMaxCommands = batchMaxCommands;
        this.dataDirectory = dataDirectory;
        this.log = log;
    }

    /**
     * @return the RESULT line name for the mix
     */
    public String resultName()
    {
        return mix == MatcherMix.EXCHANGE_CORE ? "audit" : "audit-" + mix.name().toLowerCase().replace('_', '-');
    }

    /**
     * Runs the benchmark and returns its RESULT line.
     */
    public String run()
    {
        if (dataDirectory != null && Files.exists(dataDirectory.resolve("journal")))
        {
            throw new IllegalArgumentException(dataDirectory + " already holds a journal; give an empty or new " +
                "directory");
        }
        final String name = resultName();
        final Path directory = dataDirectory != null ? dataDirectory : temporaryDirectory();
        try
        {
            log.printf("%s: generating %,d commands (%s mix, seed %d) ...%n", name, commands, mix, seed);
            final CommandStream stream = MixGenerator.generate(mix, seed, commands);
            final long batches = writeJournal(stream, directory);
            log.printf("%s: journal of %,d commands in %,d batches (%.0f commands per batch) in %s%n", name,
                stream.count(), batches, (double)stream.count() / batches, directory);

            for (int i = 0; i < warmupRuns; i++)
            {
                log.printf("%s: warm-up %d: %,.0f commands/s%n", name, i + 1,
                    audit(directory, null).commandsPerSecond());
            }
            final double[] runs = new double[measuredRuns];
            for (int i = 0; i < measuredRuns; i++)
            {
                final AuditReport report = audit(directory, null);
                runs[i] = report.commandsPerSecond();
                log.printf("%s: run %d: %,d commands, %,d roots compared, %.3f s: %,.0f commands/s%n", name, i + 1,
                    report.commands(), report.rootsCompared(), report.elapsedNs() / 1e9, runs[i]);
            }
            Arrays.sort(runs);
            final double[] builderRuns = new double[3];
            for (int i = 0; i < builderRuns.length; i++)
            {
                builderRuns[i] = commitmentsOnly(directory);
            }
            Arrays.sort(builderRuns);
            log.printf("%s: the commitment builder's work alone (read each batch, apply its events to the leaves, " +
                "rehash, no matcher): %,.0f commands/s%n", name, builderRuns[1]);
            final Histogram batchNs = BenchmarkReport.newLatencyHistogram();
            audit(directory, batchNs);
            log.printf("%s: time to audit one batch (ns): p50 %d, p99 %d, max %d%n", name,
                batchNs.getValueAtPercentile(50), batchNs.getValueAtPercentile(99), batchNs.getMaxValue());
            return BenchmarkReport.resultLine(name, runs[runs.length / 2], batchNs);
        }
        finally
        {
            if (dataDirectory == null)
            {
                deleteRecursively(directory);
            }
        }
    }

    private AuditReport audit(final Path directory, final Histogram batchNs)
    {
        System.gc();
        final JournalAudit audit = new JournalAudit(directory);
        if (batchNs != null)
        {
            final long[] last = {System.nanoTime()};
            audit.batchObserver((batch, sequence) ->
            {
                final long now = System.nanoTime();
                batchNs.recordValue(now - last[0]);
                last[0] = now;
            });
        }
        final AuditReport report = audit.run();
        if (!report.passed())
        {
            throw new IllegalStateException("the audit failed:\n" + report);
        }
        return report;
    }

    /**
     * What the commitment builder does per batch, timed: read it, apply its events to the leaves, rehash.
     *
     * @return commands per second
     */
    private static double commitmentsOnly(final Path directory)
    {
        System.gc();
        final long startNs = System.nanoTime();
        long commands = 0;
        try (JournalCursor cursor = JournalCursor.open(directory))
        {
            final StateCommitment state = new StateCommitment(cursor.genesis().matcherContext().accountCapacity());
            final RecordView record = new RecordView();
            final byte[] root = new byte[CommitmentHash.LENGTH];
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                if (kind != JournalCursor.BATCH)
                {
                    continue;
                }
                cursor.document().records(record);
                while (record.next())
                {
                    state.apply(record.buffer(), record.eventsOffset(), record.eventsLength());
                    commands++;
                }
                state.commit(root);
            }
        }
        return commands * 1e9 / (System.nanoTime() - startNs);
    }

    private long writeJournal(final CommandStream stream, final Path directory)
    {
        final Sequencer.Context context = new Sequencer.Context()
            .dataDirectory(directory)
            .matcherContext(MixGenerator.context(mix))
            .batchMaxCommands(batchMaxCommands)
            .snapshotEveryBatches(0)
            .snapshotEveryCommands(0)
            .commitments(true);
        try (Sequencer sequencer = Sequencer.launch(context))
        {
            final CommandPublisher publisher = sequencer.publisher();
            final DirectBuffer buffer = stream.buffer();
            int offset = 0;
            for (int i = 0; i < stream.count(); i++)
            {
                final int length = CommandStream.commandLength(buffer, offset);
                while (!publisher.tryPublish(i + 1, buffer, offset, length))
                {
                    if (!publisher.isAccepting())
                    {
                        throw new IllegalStateException("the sequencer stopped while the journal was written");
                    }
                    LockSupport.parkNanos(RING_FULL_BACKOFF_NS);
                }
                offset += length;
            }
            sequencer.close();
            return sequencer.commitments().committedBatch();
        }
    }

    private static Path temporaryDirectory()
    {
        try
        {
            return Files.createTempDirectory("rollbook-bench-audit");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void deleteRecursively(final Path directory)
    {
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
