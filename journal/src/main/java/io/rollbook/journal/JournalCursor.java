package io.rollbook.journal;

import java.nio.file.Path;

/**
 * Reads the journal the way recovery, audit and retransmission must: the genesis first, then the batches in
 * order, skipping what a recovery voided. Every {@link #next()} reports one document:
 * <ul>
 * <li>{@link #BATCH}: a valid batch whose number follows the previous one; {@link #document()} holds it.</li>
 * <li>{@link #VOID}: a document that does not count: invalid (a batch torn by a crash or damaged on disk), or a
 * valid batch that follows such a document. Nothing in it was ever released.</li>
 * <li>{@link #MARKER}: a recovery document that closes a void range: the documents between the first invalid one
 * and it are void, and batches go on after it from the last good one.</li>
 * <li>{@link #END}: nothing more to read for now. If the cursor is inside a void range with no marker after it
 * ({@link #tornTail()}), the journal ends in a torn tail, which the next writer voids with a marker.</li>
 * </ul>
 *
 * <p>Single-threaded; allocates nothing per document. Tail a live journal by calling {@link #next()} again after
 * {@link #END}: a writer never exposes an incomplete document.
 */
public final class JournalCursor implements AutoCloseable
{
    public static final int END = 0;
    public static final int BATCH = 1;
    public static final int VOID = 2;
    public static final int MARKER = 3;

    private final JournalReader reader;
    private final GenesisDocument genesis;
    private JournalDocument document;
    private long lastBatchNumber;
    private long lastSequence;
    private long lastBatchIndex = -1;
    private boolean voiding;
    private long firstVoidIndex = -1;
    private int voidCount;
    private int voidReason;
    private int intactBatchesInVoidRange;
    private long voidRangeLastSequence;
    private int closedIntactBatches;
    private long closedRangeLastSequence;
    private int lastValidation;

    /**
     * Reads the genesis document.
     *
     * @throws JournalException if the journal is empty or does not start with a valid genesis
     */
    public JournalCursor(final JournalReader reader)
    {
        this.reader = reader;
        reader.toStart();
        final JournalDocument first = reader.next();
        if (first == null)
        {
            throw new JournalException("the journal is empty: no genesis document");
        }
        final int validation = first.validate();
        if (validation != JournalDocument.VALID || first.type() != JournalFormat.TYPE_GENESIS)
        {
            throw new JournalException("the journal does not start with a valid genesis document (index " +
                Long.toHexString(first.index()) + ": " + (validation == JournalDocument.VALID ?
                JournalFormat.typeName(first.type()) : JournalDocument.problem(validation)) + ")");
        }
        genesis = first.genesis();
    }

    /**
     * Opens the journal of a data directory read-only; closing the cursor closes it.
     */
    public static JournalCursor open(final Path dataDirectory)
    {
        return over(JournalReader.open(dataDirectory));
    }

    /**
     * A cursor that owns the reader: closing the cursor closes it, and so does a failure to read the genesis.
     */
    public static JournalCursor over(final JournalReader reader)
    {
        try
        {
            return new JournalCursor(reader);
        }
        catch (final RuntimeException ex)
        {
            reader.close();
            throw ex;
        }
    }

    public GenesisDocument genesis()
    {
        return genesis;
    }

    /**
     * Reads the next document.
     *
     * @return {@link #BATCH}, {@link #VOID}, {@link #MARKER} or {@link #END}
     */
    public int next()
    {
        final JournalDocument next = reader.next();
        if (next == null)
        {
            return END;
        }
        document = next;
        final int validation = next.validate();
        lastValidation = validation;
        if (validation == JournalDocument.VALID && next.type() == JournalFormat.TYPE_RECOVERY &&
            next.recoveryLastBatchNumber() == lastBatchNumber && next.recoveryLastSequence() == lastSequence)
        {
            closedIntactBatches = voiding ? intactBatchesInVoidRange : 0;
            closedRangeLastSequence = closedIntactBatches == 0 ? 0 : voidRangeLastSequence;
            voiding = false;
            firstVoidIndex = -1;
            voidCount = 0;
            intactBatchesInVoidRange = 0;
            return MARKER;
        }
        if (!voiding && validation == JournalDocument.VALID && next.type() == JournalFormat.TYPE_BATCH &&
            next.batchNumber() == lastBatchNumber + 1 && next.firstSequence() == lastSequence + 1)
        {
            lastBatchNumber = next.batchNumber();
            lastSequence = next.lastSequence();
            lastBatchIndex = next.index();
            return BATCH;
        }
        if (!voiding)
        {
            voiding = true;
            firstVoidIndex = next.index();
            voidReason = validation;
            intactBatchesInVoidRange = 0;
            voidRangeLastSequence = 0;
        }
        if (validation == JournalDocument.VALID && next.type() == JournalFormat.TYPE_BATCH)
        {
            intactBatchesInVoidRange++;
            voidRangeLastSequence = Math.max(voidRangeLastSequence, next.lastSequence());
        }
        voidCount++;
        return VOID;
    }

    /**
     * Repositions the cursor just after a batch it read before (a snapshot names its last batch and that batch's
     * index), so that reading resumes with the next batch without scanning from the start.
     *
     * @return false if the index does not hold that valid batch; the cursor is then back at its start
     */
    public boolean resumeAfter(final long batchNumber, final long index)
    {
        if (reader.moveToIndex(index))
        {
            final JournalDocument found = reader.next();
            if (found != null && found.validate() == JournalDocument.VALID &&
                found.type() == JournalFormat.TYPE_BATCH && found.batchNumber() == batchNumber)
            {
                document = found;
                lastBatchNumber = batchNumber;
                lastSequence = found.lastSequence();
                lastBatchIndex = index;
                voiding = false;
                firstVoidIndex = -1;
                voidCount = 0;
                intactBatchesInVoidRange = 0;
                return true;
            }
        }
        toStart();
        return false;
    }

    /**
     * Positions the cursor so that the next {@link #BATCH} it reports is batch {@code batchNumber}, scanning from
     * the start (a reader that knows the batch's index uses {@link #resumeAfter} instead).
     *
     * @return false if the journal holds no such batch (yet); the cursor is then at the end
     */
    public boolean positionAtBatch(final long batchNumber)
    {
        return position(batchNumber, Long.MAX_VALUE);
    }

    /**
     * Positions the cursor so that the next {@link #BATCH} it reports is the batch holding {@code sequence}.
     *
     * @return false if the journal holds no such sequence (yet); the cursor is then at the end
     */
    public boolean positionAtSequence(final long sequence)
    {
        return position(Long.MAX_VALUE, sequence);
    }

    private boolean position(final long batchNumber, final long sequence)
    {
        toStart();
        while (true)
        {
            final long index = reader.index();
            final long savedBatchNumber = lastBatchNumber;
            final long savedSequence = lastSequence;
            final long savedBatchIndex = lastBatchIndex;
            final boolean savedVoiding = voiding;
            final long savedFirstVoidIndex = firstVoidIndex;
            final int savedVoidCount = voidCount;
            final int savedVoidReason = voidReason;
            final int savedIntact = intactBatchesInVoidRange;
            final long savedVoidRangeLastSequence = voidRangeLastSequence;
            final int kind = next();
            if (kind == END)
            {
                return false;
            }
            if (kind == BATCH && (document.batchNumber() >= batchNumber || document.lastSequence() >= sequence))
            {
                reader.moveToIndex(index);
                lastBatchNumber = savedBatchNumber;
                lastSequence = savedSequence;
                lastBatchIndex = savedBatchIndex;
                voiding = savedVoiding;
                firstVoidIndex = savedFirstVoidIndex;
                voidCount = savedVoidCount;
                voidReason = savedVoidReason;
                intactBatchesInVoidRange = savedIntact;
                voidRangeLastSequence = savedVoidRangeLastSequence;
                document = null;
                return true;
            }
        }
    }

    /**
     * Goes back to the first batch.
     */
    public void toStart()
    {
        reader.toStart();
        reader.next();
        document = null;
        lastBatchNumber = 0;
        lastSequence = 0;
        lastBatchIndex = -1;
        voiding = false;
        firstVoidIndex = -1;
        voidCount = 0;
        intactBatchesInVoidRange = 0;
    }

    /**
     * @return the document the last {@link #next()} read
     */
    public JournalDocument document()
    {
        return document;
    }

    /**
     * @return the validation result of the document the last {@link #next()} read
     */
    public int lastValidation()
    {
        return lastValidation;
    }

    /**
     * @return the number of the last batch that counts, 0 before the first
     */
    public long lastBatchNumber()
    {
        return lastBatchNumber;
    }

    /**
     * @return the last sequence number of the last batch that counts, 0 before the first
     */
    public long lastSequence()
    {
        return lastSequence;
    }

    /**
     * @return the Chronicle index of the last batch that counts, -1 before the first
     */
    public long lastBatchIndex()
    {
        return lastBatchIndex;
    }

    /**
     * @return true if the documents read since the last batch that counts are void and no marker closed them
     */
    public boolean tornTail()
    {
        return voiding;
    }

    /**
     * @return the index of the first document of the open void range, -1 if none
     */
    public long firstVoidIndex()
    {
        return firstVoidIndex;
    }

    /**
     * @return how many documents the open void range holds
     */
    public int voidCount()
    {
        return voidCount;
    }

    /**
     * A crash or a power loss tears only the end of the journal: the documents it leaves void are cut short or
     * damaged, and nothing intact follows them. Intact batches after a void document mean the journal was damaged
     * where it had already been written on, or two writers interleaved: the batches after the damage were
     * journaled, and may have been released, so voiding them as a torn tail would lose acknowledged commands.
     *
     * @return how many documents of the open void range are intact (checksum and length hold) batches
     */
    public int intactBatchesInVoidRange()
    {
        return intactBatchesInVoidRange;
    }

    /**
     * @return the highest sequence an intact batch of the open void range holds, 0 if none
     */
    public long voidRangeLastSequence()
    {
        return intactBatchesInVoidRange == 0 ? 0 : voidRangeLastSequence;
    }

    /**
     * A marker normally closes a torn tail, in which nothing is intact. Intact batches in the range it closes mean
     * an operator voided damage with {@link JournalRepair#voidDamagedRange}: their commands may have been released.
     *
     * @return how many intact batches the range that the last {@link #MARKER} closed holds
     */
    public int closedIntactBatches()
    {
        return closedIntactBatches;
    }

    /**
     * @return the highest sequence an intact batch of the range the last {@link #MARKER} closed holds, 0 if none
     */
    public long closedRangeLastSequence()
    {
        return closedRangeLastSequence;
    }

    /**
     * @return the validation result of the first document of the open void range ({@link JournalDocument#VALID}
     *         when it was a well-formed batch out of order)
     */
    public int voidReason()
    {
        return voidReason;
    }

    @Override
    public void close()
    {
        reader.close();
    }
}
