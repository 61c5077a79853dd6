package io.rollbook.gateway.view;

import java.nio.file.Path;

import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.RecordView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway's views at start by reading the journal from its first batch: every command's events go
 * through the same {@link ViewUpdater} that keeps the views current afterwards, so the views after a restart are
 * exactly those the service had (the market data channel sequences included), and a sparse {@link JournalIndex}
 * is collected on the way for retransmission.
 *
 * <p>It reads what the journal holds before the sequencer starts: batches that a torn tail voided are skipped as
 * recovery skips them, so the views end at the sequence recovery ends at, and the sequencer's release listener
 * continues from the next one. Damage with intact batches after it is refused here, before the sequencer starts:
 * recovery, which reads only the batches after its snapshot, would not see damage older than the snapshot.
 *
 * <p>The cost is one read of the whole journal: applying the events on this thread while {@link JournalPrefetch}
 * reads and checks the batches on another (a gateway snapshot would bound it; the views are small next to the
 * journal). The log's {@code gateway views:} line gives the time it took.
 */
public final class ViewBootstrap
{
    private static final Logger LOG = LoggerFactory.getLogger(ViewBootstrap.class);

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
        final long startNs = System.nanoTime();
        JournalIntegrity.check(dataDirectory);
        final long checkedNs = System.nanoTime();
        final GatewayViews views = new GatewayViews(marketCapacity, endedWindow, 0);
        final ViewUpdater updater = views.updater();
        final JournalDocument document = new JournalDocument();
        final RecordView record = new RecordView();
        long batches = 0;
        long commands = 0;
        try (JournalPrefetch prefetch = JournalPrefetch.start(dataDirectory))
        {
            while (true)
            {
                final JournalPrefetch.Chunk chunk = prefetch.take();
                for (int i = 0; i < chunk.count(); i++)
                {
                    document.wrap(chunk.bytes(), chunk.offset(i), chunk.length(i), chunk.index(i)).records(record);
                    while (record.next())
                    {
                        updater.onReleased(record.sequence(), record.timestampNs(), record.source(), record.buffer(),
                            record.commandOffset(), record.commandLength(), record.eventsOffset(), record.eventsLength());
                        commands++;
                    }
                    index.onBatch(chunk.batchNumber(i), chunk.index(i), chunk.lastSequence(i));
                }
                batches += chunk.count();
                if (chunk.last())
                {
                    chunk.rethrowFailure();
                    break;
                }
                prefetch.recycle(chunk);
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new JournalException("interrupted while reading the journal into the gateway's views", ex);
        }
        final long readNs = System.nanoTime();
        LOG.info("gateway views: {} command(s) in {} batch(es) read from the journal in {} ms (its files checked " +
            "in {} ms), up to sequence {}", commands, batches,
            (readNs - checkedNs) / 1_000_000, (checkedNs - startNs) / 1_000_000, updater.lastSequence());
        return views;
    }
}
