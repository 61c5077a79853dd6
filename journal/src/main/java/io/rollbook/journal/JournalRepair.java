package io.rollbook.journal;

import java.nio.file.Path;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.ExpandableArrayBuffer;

/**
 * Closes the journal's open void range with a recovery document (a marker), after which batch and sequence
 * numbers go on from the last good batch.
 *
 * <p>Recovery does it on its own for a torn tail, in which nothing was released. A void range that holds intact
 * batches is damage the start refuses: those batches were journaled and may have been released. When no backup or
 * replica holds them (a power loss under sync {@code none} can leave such a range: the kernel wrote a later page of
 * the unforced batches and not an earlier one), an operator who accepts their loss voids them with
 * {@link #voidDamagedRange}, naming the range's last sequence as the start's refusal gave it, so that the journal
 * changes only if it is still the damage the operator saw. The marker stays in the journal: the dump and the audit
 * name the voided intact batches and their sequences.
 */
public final class JournalRepair
{
    private JournalRepair()
    {
    }

    /**
     * What {@link #voidDamagedRange} voided.
     *
     * @param lastGoodBatch     the last batch that counts; numbering goes on after it
     * @param lastGoodSequence  its last sequence
     * @param firstVoidIndex    the Chronicle index of the first void document
     * @param voidDocuments     how many documents the range holds
     * @param intactBatches     how many of them are intact batches
     * @param lastVoidSequence  the highest sequence of those intact batches: commands up to it may have been released
     */
    public record VoidedRange(
        long lastGoodBatch,
        long lastGoodSequence,
        long firstVoidIndex,
        int voidDocuments,
        int intactBatches,
        long lastVoidSequence)
    {
    }

    /**
     * Why a service refuses to start on a journal whose open void range holds intact batches, and what the
     * operator can do about it.
     *
     * @param cursor read to its end, {@link JournalCursor#intactBatchesInVoidRange()} above zero
     */
    public static String damagedRangeRefusal(final Path dataDirectory, final JournalCursor cursor)
    {
        return "the journal in " + dataDirectory + " is damaged, not torn: the document at index " +
            Long.toHexString(cursor.firstVoidIndex()) + " after batch " + cursor.lastBatchNumber() + " (sequence " +
            cursor.lastSequence() + ") is void (" + JournalDocument.problem(cursor.voidReason()) + "), yet " +
            cursor.intactBatchesInVoidRange() + " intact batch(es) follow it, up to sequence " +
            cursor.voidRangeLastSequence() + ". A crash leaves only an incomplete end; those batches were journaled " +
            "and may have been released, so the service refuses to void them and changes nothing. ./rollbook " +
            "journal dump and ./rollbook audit show the damage; restore the data directory from a backup or a " +
            "replica. Only if none holds those batches: ./rollbook journal void-damaged --data " + dataDirectory +
            " --through-sequence " + cursor.voidRangeLastSequence() + " voids them for good (docs/JOURNAL.md).";
    }

    /**
     * Appends the marker that closes the cursor's open void range, read to its end, and forces it to the device
     * when the policy syncs.
     */
    public static void appendMarker(final SingleChronicleQueue queue, final SyncPolicy syncPolicy, final JournalCursor cursor)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(JournalDocument.RECOVERY_LENGTH);
        final int length = JournalDocument.encodeRecovery(buffer, 0, cursor.lastBatchNumber(), cursor.lastSequence(),
            cursor.firstVoidIndex(), cursor.voidCount(), cursor.voidReason());
        try (JournalAppender appender = new JournalAppender(queue, syncPolicy))
        {
            appender.append(buffer, 0, length);
            appender.sync();
        }
    }

    /**
     * Voids a damaged range of the journal of a data directory no service is running on, and forces the marker to
     * the device.
     *
     * @param throughSequence the highest sequence of the range's intact batches, as the start's refusal, {@code
     *                        journal dump} and the audit name it: the operator's confirmation of what is voided
     * @throws JournalException if a service holds the directory, the journal has no open void range, the range is
     *                          a torn tail (the next start voids it on its own), or its intact batches do not end at
     *                          {@code throughSequence}; nothing is changed then
     */
    public static VoidedRange voidDamagedRange(final Path dataDirectory, final long throughSequence)
    {
        if (!JournalFiles.journalExists(dataDirectory))
        {
            throw JournalFiles.noJournal(dataDirectory);
        }
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
            SingleChronicleQueue queue = JournalFiles.openForWriting(dataDirectory);
            JournalCursor cursor = new JournalCursor(new JournalReader(queue)))
        {
            while (cursor.next() != JournalCursor.END)
            {
                continue;
            }
            final String end = "the journal's last good batch is " + cursor.lastBatchNumber() + " (sequence " +
                cursor.lastSequence() + ")";
            if (!cursor.tornTail())
            {
                throw new JournalException("nothing to void: " + end + " and no void document follows it");
            }
            if (cursor.intactBatchesInVoidRange() == 0)
            {
                throw new JournalException("nothing to void by hand: " + end + ", and the " + cursor.voidCount() +
                    " void document(s) after it are a torn tail with no intact batch in it, which the next start " +
                    "voids on its own");
            }
            if (cursor.voidRangeLastSequence() != throughSequence)
            {
                throw new JournalException("the damaged range's intact batches end at sequence " +
                    cursor.voidRangeLastSequence() + ", not at " + throughSequence + "; nothing was voided (" + end +
                    "; see ./rollbook journal dump)");
            }
            final VoidedRange voided = new VoidedRange(cursor.lastBatchNumber(), cursor.lastSequence(),
                cursor.firstVoidIndex(), cursor.voidCount(), cursor.intactBatchesInVoidRange(),
                cursor.voidRangeLastSequence());
            appendMarker(queue, SyncPolicy.BATCH, cursor);
            return voided;
        }
    }
}
