package io.rollbook.app.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.rollbook.app.journal.JournalDump;
import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.JournalRepair;
import io.rollbook.journal.commitment.MerkleTree;
import io.rollbook.journal.commitment.RootLog;
import io.rollbook.journal.commitment.RootRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rollbook journal}: tools over a data directory's journal.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "Tools over a journal",
    subcommands = {JournalCommand.Dump.class, JournalCommand.Roots.class, JournalCommand.VoidDamaged.class})
public final class JournalCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * {@code rollbook journal dump}.
     */
    @Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "Prints a journal for people: each batch (number, sequence range, checksum status, the state root " +
                "recorded after it), each command as " +
                "JSON in the command format, each event as a JSON line (docs/JSON.md); void documents and " +
                "recovery markers with the reason; first, any damage done to the journal's files from outside the " +
                "service (a cycle file cut short, emptied or deleted), which makes it exit 1, as does a damaged " +
                "range with intact batches after it (the service refuses to start on either). A --from-batch past " +
                "the journal's last batch exits 2. Reads the journal read-only; the service may be running."})
    public static final class Dump implements Callable<Integer>
    {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The data directory")
        private Path data;

        @Option(names = "--from-batch", defaultValue = "1", paramLabel = "N", description = "First batch to print (default 1)")
        private long fromBatch;

        @Option(names = "--limit", defaultValue = "" + Long.MAX_VALUE, paramLabel = "N",
            description = "Print at most N batches (default: all)")
        private long limit;

        @Override
        public Integer call()
        {
            if (fromBatch < 1 || limit < 1)
            {
                throw new IllegalArgumentException((fromBatch < 1 ? "--from-batch" : "--limit") +
                    " must be at least 1, got " + (fromBatch < 1 ? fromBatch : limit));
            }
            final Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            final List<JournalIntegrity.Problem> damage = JournalIntegrity.inspect(data);
            try
            {
                for (final String line : JournalDump.damage(damage))
                {
                    out.write(line + "\n");
                }
                out.flush();
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            if (!damage.isEmpty() && damage.stream().noneMatch(JournalIntegrity.Problem::losesBatches))
            {
                // Only the queue's metadata is damaged: Chronicle cannot open the queue through it (it faults, or
                // waits on a lock it reads there), and the line above says how to make the batches readable again.
                return 1;
            }
            final JournalCursor opened;
            try
            {
                opened = JournalCursor.open(data);
            }
            catch (final JournalException ex)
            {
                if (damage.isEmpty())
                {
                    throw ex;
                }
                // The damage named above left nothing to read (every cycle file gone): the damage's exit, not a
                // usage error's.
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + ex.getMessage());
                return 1;
            }
            catch (final RuntimeException ex)
            {
                if (damage.isEmpty())
                {
                    throw ex;
                }
                // Chronicle cannot open the queue at all, which the damage line above already says with its words.
                return 1;
            }
            try (JournalCursor cursor = opened)
            {
                final int capacity = cursor.genesis().matcherContext().accountCapacity();
                final long printed;
                try (RootLog roots = RootLog.openForReading(data, MerkleTree.heightFor(capacity), capacity))
                {
                    printed = new JournalDump(cursor, out, roots).damagedFromOutside(!damage.isEmpty())
                        .dump(fromBatch, limit);
                }
                if (!damage.isEmpty())
                {
                    return 1;
                }
                // An empty answer must not pass for a batch with nothing in it: the batch is not in the journal.
                if (printed == 0 && fromBatch > cursor.lastBatchNumber())
                {
                    throw new IllegalArgumentException("--from-batch " + fromBatch + " is past the end of the " +
                        "journal: its last batch is " + cursor.lastBatchNumber() + " (sequence " +
                        cursor.lastSequence() + ")");
                }
                // The same exit as the audit's for a journal the service refuses to start on.
                return cursor.tornTail() && cursor.intactBatchesInVoidRange() > 0 ? 1 : 0;
            }
        }
    }

    /**
     * {@code rollbook journal roots}.
     */
    @Command(
        name = "roots",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the state roots the service recorded in DIR/commitments/roots, one line per batch: BATCH " +
                "LAST_SEQUENCE ROOT (64 hex digits), the lines 'rollbook audit --published' reads. Only records " +
                "whose checksum holds: a damaged one is left out, named on standard error, and the exit code is 1. " +
                "A journal damaged from outside the service (a cycle file cut short, emptied or deleted), which the " +
                "service refuses to start on, lists no root: the damage is named on standard error as 'journal " +
                "dump' names it, and the exit code is 1. Reads the data directory only, the service may be running."})
    public static final class Roots implements Callable<Integer>
    {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The data directory")
        private Path data;

        @Override
        public Integer call()
        {
            // Roots of batches the journal no longer holds would be published as if an audit could check them: a
            // journal damaged from outside lists none, as the service refuses to start on it.
            final List<JournalIntegrity.Problem> damage = JournalIntegrity.inspect(data);
            if (!damage.isEmpty())
            {
                for (final String line : JournalDump.damage(damage))
                {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": " + line);
                }
                return 1;
            }
            final Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            try (JournalCursor cursor = JournalCursor.open(data))
            {
                final int capacity = cursor.genesis().matcherContext().accountCapacity();
                try (RootLog roots = RootLog.openForReading(data, MerkleTree.heightFor(capacity), capacity))
                {
                    if (roots == null)
                    {
                        throw new IllegalArgumentException("no roots recorded in " + RootLog.file(data) +
                            " (the service ran without commitments)");
                    }
                    final RootRecord record = new RootRecord();
                    long damaged = 0;
                    long firstDamaged = 0;
                    for (long batch = 1; batch <= roots.lastBatchNumber(); batch++)
                    {
                        if (roots.read(batch, record))
                        {
                            out.write(batch + " " + record.lastSequence() + " " + record.rootHex() + "\n");
                        }
                        else if (damaged++ == 0)
                        {
                            firstDamaged = batch;
                        }
                    }
                    out.flush();
                    // A damaged record must not end the list unremarked: whoever publishes the lines would take
                    // the batches before it for all the roots there are.
                    if (damaged > 0)
                    {
                        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + damaged + " record(s) of " +
                            RootLog.file(data) + " are damaged (their checksum fails), the first of batch " +
                            firstDamaged + ": left out of the lines above. 'rollbook audit --data " + data +
                            "' computes every root from the journal.");
                        return 1;
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return 0;
        }
    }

    /**
     * {@code rollbook journal void-damaged}: the operator's way past a damaged range the start refuses, when no
     * backup or replica holds its batches.
     */
    @Command(
        name = "void-damaged",
        mixinStandardHelpOptions = true,
        description = {
            "Voids the damaged range at the end of a journal that the start refuses (\"damaged, not torn\"): " +
                "a void document followed by intact batches. Those batches were journaled, and their commands " +
                "may have been released to clients: restore the data directory from a backup or a replica if " +
                "one holds them. Otherwise this appends a recovery document after them; the next start goes on " +
                "from the last good batch, and new commands take the voided sequence numbers.",
            "--through-sequence must be the last sequence of the intact batches, as the start's refusal, " +
                "journal dump and audit name it; otherwise nothing is changed. The service must be stopped. " +
                "Exits 0 once the recovery document is on the device, 2 if nothing was voided."})
    public static final class VoidDamaged implements Callable<Integer>
    {
        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The data directory")
        private Path data;

        @Option(names = "--through-sequence", required = true, paramLabel = "SEQ",
            description = "The last sequence of the damaged range's intact batches")
        private long throughSequence;

        @Override
        public Integer call()
        {
            final JournalRepair.VoidedRange voided = JournalRepair.voidDamagedRange(data, throughSequence);
            System.out.println("voided: " + voided.voidDocuments() + " document(s) from journal index " +
                Long.toHexString(voided.firstVoidIndex()) + ", " + voided.intactBatches() + " of them intact " +
                "batches; commands of sequences " + (voided.lastGoodSequence() + 1) + ".." +
                voided.lastVoidSequence() + " are lost, and may have been released to clients");
            System.out.println("the journal goes on after batch " + voided.lastGoodBatch() + " (sequence " +
                voided.lastGoodSequence() + "); new commands take sequence " + (voided.lastGoodSequence() + 1) +
                " onwards");
            return 0;
        }
    }
}
