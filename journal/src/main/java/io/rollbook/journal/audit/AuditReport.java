package io.rollbook.journal.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rollbook.journal.commitment.CommitmentHash;

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
     * @param batch        the batch it is in (for a missing or damaged batch: the number that batch should have)
     * @param sequence     the command's sequence number, 0 when the difference is not one command's
     * @param what         one line that says what differs
     * @param details      further lines: expected and journaled events, leaves or roots
     * @param command      the command's bytes (an engine SBE message), for a difference in one command, else null
     */
    public record Failure(long batch, long sequence, String what, List<String> details, byte[] command)
    {
        /**
         * @return "batch B, sequence S: what"
         */
        public String headline()
        {
            return "batch " + batch + (sequence > 0 ? ", sequence " + sequence : "") + ": " + what;
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
    byte[] firstRoot;
    byte[] lastRoot;
    long rootsRecorded;
    long rootsCompared;
    long fullChecks;
    long fullCheckEveryCommands;
    long elapsedNs;
    Failure failure;

    AuditReport(final Path dataDirectory)
    {
        this.dataDirectory = dataDirectory;
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
            out.add("  FIRST DIFFERENCE at " + failure.headline());
            for (final String detail : failure.details())
            {
                out.add("    " + detail);
            }
            out.add("  audited before it: " + (batches == 0 ? "nothing" : range("batches", firstBatch, lastBatch) +
                ", " + range("commands", firstSequence, lastSequence)));
        }
        else
        {
            out.add("  " + (batches == 0 ? "the journal holds no batch" : batches + " batch(es) " +
                range("", firstBatch, lastBatch).strip() + ", " + commands + " command(s) " +
                range("", firstSequence, lastSequence).strip()));
        }
        if (firstRoot != null)
        {
            out.add("  first root (batch " + firstBatch + "): " + CommitmentHash.hex(firstRoot));
            out.add("  last root  (batch " + lastBatch + "): " + CommitmentHash.hex(lastRoot));
        }
        out.add("  roots recorded in " + dataDirectory.resolve("commitments/roots") + ": " + rootsRecorded +
            ", compared: " + rootsCompared);
        out.add("  checked: every event byte for byte against a fresh matcher's; every root; conservation and " +
            "positions summing to zero after every batch; leaves from events against the matcher's state for " +
            "every account a batch changed, and for all accounts " +
            (fullCheckEveryCommands > 0 ? "every " + fullCheckEveryCommands + " commands and " : "") +
            "at the end (" + fullChecks + " time(s))");
        for (final String note : notes)
        {
            out.add("  note: " + note);
        }
        out.add(String.format("  elapsed %.3f s, %,.0f commands/s", elapsedNs / 1e9, commandsPerSecond()));
        return out;
    }

    private static String range(final String name, final long first, final long last)
    {
        return name + " " + first + ".." + last;
    }

    @Override
    public String toString()
    {
        return String.join("\n", lines());
    }
}
