package io.rollbook.journal.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rollbook.journal.commitment.CommitmentHash;
import io.rollbook.protocol.MarketDirectory;

/**
 * What an audit found: how far it got, the roots, how long it took, what it noted, and the first difference if
 * there is one.
 *
 * <p>Immutable once the audit returns it.
 */
public final class AuditReport
{
    /**
     * The first thing that differs.
     *
     * @param batch        the batch it is in (for a missing or damaged batch: the number that batch should have);
     *                     0 when the journal could not be read at all
     * @param sequence     the command's sequence number, 0 when the difference is not one command's
     * @param what         one line that says what differs
     * @param details      further lines: expected and journaled events, leaves or roots
     * @param command      the command's bytes (an engine SBE message), for a difference in one command, else null
     */
    public record Failure(long batch, long sequence, String what, List<String> details, byte[] command)
    {
        /**
         * @return "batch B, sequence S: what", or just what for a journal that cannot be read at all
         */
        public String headline()
        {
            return batch <= 0 ? what : "batch " + batch + (sequence > 0 ? ", sequence " + sequence : "") + ": " + what;
        }
    }

    final Path dataDirectory;
    final List<String> notes = new ArrayList<>();
    long batches;
    long firstBatch;
    long lastBatch;
    long commands;
    long firstSequence;
    long lastSequence;
    long lastCommandSequence;
    byte[] firstRoot;
    byte[] lastRoot;
    long rootsRecorded;
    long rootsCompared;
    long fullChecks;
    long fullCheckEveryCommands;
    long elapsedNs;
    byte[] stateHash;
    PublishedRoots published;
    long publishedCompared;
    Failure failure;
    MarketDirectory markets = new MarketDirectory();

    AuditReport(final Path dataDirectory)
    {
        this.dataDirectory = dataDirectory;
    }

    /**
     * @return the markets the journal defined up to where the audit stopped: how to read its commands and events
     */
    public MarketDirectory markets()
    {
        return markets;
    }

    /**
     * @return true if everything matched
     */
    public boolean passed()
    {
        return failure == null;
    }

    /**
     * @return the first difference, or null
     */
    public Failure failure()
    {
        return failure;
    }

    public long batches()
    {
        return batches;
    }

    public long commands()
    {
        return commands;
    }

    public long lastBatch()
    {
        return lastBatch;
    }

    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return the root after the first batch, or null
     */
    public byte[] firstRoot()
    {
        return firstRoot == null ? null : firstRoot.clone();
    }

    /**
     * @return the root after the last batch audited, or null
     */
    public byte[] lastRoot()
    {
        return lastRoot == null ? null : lastRoot.clone();
    }

    public long rootsCompared()
    {
        return rootsCompared;
    }

    /**
     * @return how many published roots (see {@link JournalAudit#publishedRoots}) equalled the computed ones
     */
    public long publishedCompared()
    {
        return publishedCompared;
    }

    /**
     * @return the re-executed matcher's state hash at the end of a passed audit (the one {@code rollbook run}
     *         prints at recovery and at stop), else null
     */
    public byte[] stateHash()
    {
        return stateHash == null ? null : stateHash.clone();
    }

    public long elapsedNs()
    {
        return elapsedNs;
    }

    /**
     * @return the commands re-executed and verified per second
     */
    public double commandsPerSecond()
    {
        return elapsedNs == 0 ? 0 : commands * 1e9 / elapsedNs;
    }

    /**
     * @return things a reader should know that are not differences (voided ranges, roots not yet recorded)
     */
    public List<String> notes()
    {
        return List.copyOf(notes);
    }

    /**
     * @return the report for a person, one line each
     */
    public List<String> lines()
    {
        final List<String> out = new ArrayList<>();
        out.add("audit of " + dataDirectory + ": " + (passed() ? "PASSED" : "FAILED"));
        if (failure != null)
        {
            out.add("  FIRST DIFFERENCE: " + failure.headline());
            for (final String detail : failure.details())
            {
                out.add("    " + detail);
            }
            out.add("  audited before it:");
        }
        if (batches == 0)
        {
            out.add("  batches     none");
        }
        else
        {
            out.add("  batches     " + firstBatch + ".." + lastBatch + " (" + batches + ")");
            out.add("  commands    " + firstSequence + ".." + lastCommandSequence + " (" + commands + ")");
            out.add("  first root  " + CommitmentHash.hex(firstRoot) + " (after batch " + firstBatch + ")");
            out.add("  last root   " + CommitmentHash.hex(lastRoot) + " (after batch " + lastBatch + ", sequence " +
                lastSequence + ")");
        }
        if (stateHash != null)
        {
            out.add("  state hash  " + CommitmentHash.hex(stateHash) + " (after sequence " + lastSequence +
                ": as rollbook run prints it)");
        }
        out.add("  roots       " + rootsRecorded + " recorded in " + dataDirectory.resolve("commitments/roots") + ", " +
            rootsCompared + " compared");
        if (published != null)
        {
            out.add("  published   " + published.size() + " root(s) in " + published.source() + ", " +
                publishedCompared + " compared");
        }
        if (batches == 0)
        {
            out.add("  checked     " + (failure == null ? "the genesis document only: the journal holds no batch" :
                "nothing: the audit stopped before the first batch"));
        }
        else
        {
            out.add("  checked     every event byte for byte against a fresh matcher's; every recorded root; " +
                "conservation and positions summing to zero after every batch; the leaves from the events against " +
                "the matcher's state for the accounts each batch changed, and for all accounts " +
                (fullCheckEveryCommands > 0 ? "every " + fullCheckEveryCommands + " commands and " : "") +
                "at the end (" + fullChecks + " time(s))");
        }
        for (final String note : notes)
        {
            out.add("  note        " + note);
        }
        out.add(String.format(Locale.ROOT, "  elapsed     %.3f s, %,.0f commands/s", elapsedNs / 1e9,
            commandsPerSecond()));
        return out;
    }

    @Override
    public String toString()
    {
        return String.join("\n", lines());
    }
}
