package io.rollbook.gateway.view;

import java.nio.file.Path;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.JournalRepair;
import io.rollbook.journal.RecordView;

/**
 * Builds the gateway's views at start by reading the journal from its first batch: every command's events go
 * through the same {@link ViewUpdater} that keeps the views current afterwards, so the views after a restart are
 * exactly those the service had (the market data channel sequences included), and a sparse {@link JournalIndex}
 * is collected on the way for retransmission.
 *
 * <p>It reads what the journal holds before the sequencer starts: batches that a torn tail voided are skipped as
 * recovery skips them, so the views end at the sequence recovery ends at, and the sequencer's release listener
 * continues from the next one. Damage with intact batches after it is refused here, before the sequencer starts:
 * recovery, which reads only the batches after its snapshot, would not see damage older than the snapshot. The cost is one read of the whole journal (a gateway snapshot would bound it; the
 * views are small next to the journal).
 */
public final class ViewBootstrap
{
    private ViewBootstrap()
    {
    }

    /**
     * Reads the journal of a data directory (if it has one) into fresh views.
     *
     * @param marketCapacity the matcher's market capacity
     * @param endedWindow    how many ended orders the order view remembers
     * @param index          receives the sparse batch index
     * @throws JournalException if the journal is damaged, not torn, or its files were damaged from outside the
     *                          service ({@link JournalIntegrity}); nothing is changed
     */
    public static GatewayViews load(
        final Path dataDirectory, final int marketCapacity, final int endedWindow, final JournalIndex index)
    {
        if (!JournalFiles.journalExists(dataDirectory))
        {
            return new GatewayViews(marketCapacity, endedWindow, 0);
        }
        JournalIntegrity.check(dataDirectory);
        final GatewayViews views = new GatewayViews(marketCapacity, endedWindow, 0);
        final ViewUpdater updater = views.updater();
        final RecordView record = new RecordView();
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                if (kind == JournalCursor.BATCH)
                {
                    cursor.document().records(record);
                    while (record.next())
                    {
                        updater.onReleased(record.sequence(), record.timestampNs(), record.source(), record.buffer(),
                            record.commandOffset(), record.commandLength(), record.eventsOffset(), record.eventsLength());
                    }
                    index.onBatch(cursor.lastBatchNumber(), cursor.lastBatchIndex(), cursor.lastSequence());
                }
            }
            if (cursor.tornTail() && cursor.intactBatchesInVoidRange() > 0)
            {
                throw new JournalException(JournalRepair.damagedRangeRefusal(dataDirectory, cursor));
            }
        }
        return views;
    }
}
