package io.rollbook.gateway.view;

import java.util.function.Supplier;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.RecordView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal cursor of a thread that reads the journal on request from some sequence (the binary gateway's
 * retransmissions, the trader API's trade history): it hands out the records from that sequence on, positioned near
 * it with a sparse {@link JournalIndex} of the thread's own, which grows with every batch the thread reads and every
 * batch released since, from a {@link JournalIndexFeed}. The cursor is opened when first needed, and again after
 * {@link #reset} (a read failed, and its position may be anywhere).
 *
 * <p>Owned by one thread, as its index is.
 */
public final class IndexedJournalReader implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(IndexedJournalReader.class);

    private final Supplier<JournalCursor> journal;
    private final JournalIndex index;
    private final JournalIndexFeed.Subscription released;
    private final String reader;
    private JournalCursor cursor;
    /** The first sequence {@link #nextRecord} hands out, and whether its record view is inside a batch. */
    private long fromSequence;
    private boolean inBatch;

    /**
     * @param journal opens a cursor over the journal, on the reading thread
     * @param index   an index no other thread uses
     * @param feed    the batches released from now on, for the index
     * @param reader  who reads, for the log
     */
    public IndexedJournalReader(
        final Supplier<JournalCursor> journal, final JournalIndex index, final JournalIndexFeed feed,
        final String reader)
    {
        this.journal = journal;
        this.index = index;
        this.released = feed.subscribe(index);
        this.reader = reader;
    }

    /**
     * Adds the batches released since the last call to the index; called before every request and now and then
     * between requests, so that the feed's ring does not fill.
     */
    public void catchUp()
    {
        released.catchUp();
    }

    /**
     * @return the cursor, positioned so that the next batch it reads holds {@code sequence} or comes before it
     */
    private JournalCursor positionFor(final long sequence)
    {
        if (cursor == null)
        {
            cursor = journal.get();
        }
        catchUp();
        final int entry = index.floorBefore(sequence);
        if (entry < 0 || !cursor.resumeAfter(index.batchNumber(entry), index.index(entry)))
        {
            cursor.toStart();
        }
        return cursor;
    }

    /**
     * Positions the reader for {@link #nextRecord} to hand out the records from {@code sequence} on.
     *
     * @return the cursor, for what it has read ({@link JournalCursor#lastSequence})
     */
    public JournalCursor readFrom(final long sequence)
    {
        fromSequence = sequence;
        inBatch = false;
        return positionFor(sequence);
    }

    /**
     * Moves {@code record} to the next record at or after the sequence given to {@link #readFrom}, in journal order,
     * indexing every batch it reads.
     *
     * @return false at the end of what the journal holds now
     */
    public boolean nextRecord(final RecordView record)
    {
        while (true)
        {
            while (inBatch && record.next())
            {
                if (record.sequence() >= fromSequence)
                {
                    return true;
                }
            }
            int kind;
            do
            {
                kind = cursor.next();
                if (kind == JournalCursor.END)
                {
                    inBatch = false;
                    return false;
                }
            }
            while (kind != JournalCursor.BATCH);
            indexBatch();
            cursor.document().records(record);
            inBatch = true;
        }
    }

    /**
     * Records the batch the cursor has just read in the index.
     */
    private void indexBatch()
    {
        index.onBatch(cursor.lastBatchNumber(), cursor.lastBatchIndex(), cursor.lastSequence());
    }

    /**
     * Forgets the cursor: the next {@link #positionFor} opens a new one.
     */
    public void reset()
    {
        if (cursor != null)
        {
            try
            {
                cursor.close();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("closing the {}'s journal cursor failed: {}", reader, ex.toString());
            }
            cursor = null;
        }
    }

    @Override
    public void close()
    {
        reset();
    }
}
