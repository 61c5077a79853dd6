package io.rollbook.gateway.view;

import java.nio.file.Path;
import java.util.List;

import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.JournalIntegrity;
import io.rollbook.journal.JournalReader;
import io.rollbook.journal.RecordView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway's views at start: from the newest view snapshot that checks out ({@link ViewSnapshotter} wrote
 * it) and the journal's batches after it, or, with none, by reading the journal from its first batch. Either way
 * every command's events go through the same {@link ViewUpdater} that keeps the views current afterwards, so the
 * views after a restart are exactly those the service had (the market data channel sequences included), and the
 * sparse {@link JournalIndex} for retransmission is collected on the way (a snapshot holds it as it was).
 *
 * <p>A view snapshot is used only if its checksum holds, it was written for views of this market capacity and
 * window of ended orders, it belongs to this journal (its genesis document and the batch it covers carry the
 * checksums it names), the journal holds that batch at the index it names and every later sequence one of the
 * order view's stripes holds (a stripe is taken after the batch named, {@link ViewSnapshotter}, and the journal after
 * the batch is applied to it only from its own sequence on). Anything else, one past the journal's end included, is
 * logged with the reason and the next older one tried; with none left, the journal is read from genesis. What a
 * start from a snapshot gives up: damage inside batches older than it is no longer seen here (as recovery does not
 * see it); {@code ./rollbook audit} still reads them all.
 *
 * <p>It reads what the journal holds before the sequencer starts: batches that a torn tail voided are skipped as
 * recovery skips them, so the views end at the sequence recovery ends at, and the sequencer's release listener
 * continues from the next one. Damage with intact batches after it is refused here, before the sequencer starts.
 *
 * <p>The read applies the events on this thread while {@link JournalPrefetch} reads and checks the batches on
 * another. The log's {@code gateway views:} line gives where they came from and the time it took.
 */
public final class ViewBootstrap
{
    private static final Logger LOG = LoggerFactory.getLogger(ViewBootstrap.class);

    /**
     * What the start read.
     *
     * @param views               the views, up to the journal's last batch
     * @param index               the retransmission index, the one given to {@link #start}
     * @param lastBatchNumber     the journal's last batch, 0 if it has none
     * @param lastBatchIndex      its Chronicle index, -1 if none
     * @param snapshotBatchNumber the batch of the view snapshot the views were read from, 0 if none
     * @param snapshotLength      that snapshot's length in bytes, 0 if none
     */
    public record Start(
        GatewayViews views,
        JournalIndex index,
        long lastBatchNumber,
        long lastBatchIndex,
        long snapshotBatchNumber,
        long snapshotLength)
    {
    }

    private ViewBootstrap()
    {
    }

    /**
     * Reads the journal of a data directory (if it has one) into fresh views.
     *
     * @see #start
     */
    public static GatewayViews load(
        final Path dataDirectory, final int marketCapacity, final int endedWindow, final JournalIndex index)
    {
        return start(dataDirectory, marketCapacity, endedWindow, index).views();
    }

    /**
     * Builds the views of a data directory: empty without a journal, else from a view snapshot and the journal after
     * it, or from the whole journal.
     *
     * @param marketCapacity the matcher's market capacity
     * @param endedWindow    how many ended orders the order view remembers
     * @param index          an empty index, which receives the sparse batch index
     * @throws JournalException if the journal is damaged, not torn, or its files were damaged from outside the
     *                          service ({@link JournalIntegrity}); nothing is changed
     */
    public static Start start(
        final Path dataDirectory, final int marketCapacity, final int endedWindow, final JournalIndex index)
    {
        if (!JournalFiles.journalExists(dataDirectory))
        {
            return new Start(new GatewayViews(marketCapacity, endedWindow, 0), index, 0, -1, 0, 0);
        }
        final long startNs = System.nanoTime();
        JournalIntegrity.check(dataDirectory);
        final long checkedNs = System.nanoTime();
        final List<Path> snapshots = ViewSnapshotFile.list(dataDirectory);
        for (final Path file : snapshots)
        {
            final Start fromSnapshot = fromSnapshot(file, dataDirectory, marketCapacity, endedWindow, index,
                startNs, checkedNs);
            if (fromSnapshot != null)
            {
                return fromSnapshot;
            }
        }
        final GatewayViews views = new GatewayViews(marketCapacity, endedWindow, 0);
        final Read read = read(dataDirectory, views, index, 0, -1);
        final long readNs = System.nanoTime();
        LOG.info("gateway views: {} command(s) in {} batch(es) read from the journal's genesis{} in {} ms (its " +
            "files checked in {} ms), up to sequence {}", read.commands, read.batches,
            snapshots.isEmpty() ? " (no view snapshot)" : " (no usable view snapshot)",
            (readNs - checkedNs) / 1_000_000, (checkedNs - startNs) / 1_000_000, views.updater().lastSequence());
        return new Start(views, index, read.lastBatchNumber, read.lastBatchIndex, 0, 0);
    }

    /**
     * @return the views of the snapshot and the journal after it, or null (logged) if the snapshot is not usable
     */
    private static Start fromSnapshot(
        final Path file,
        final Path dataDirectory,
        final int marketCapacity,
        final int endedWindow,
        final JournalIndex index,
        final long startNs,
        final long checkedNs)
    {
        try
        {
            final ViewSnapshotFile.Loaded snapshot = ViewSnapshotFile.read(file);
            check(snapshot, dataDirectory, marketCapacity, endedWindow);
            final GatewayViews views = new GatewayViews(marketCapacity, endedWindow, snapshot.lastSequence());
            final JournalIndex decoded = index.emptyLike();
            ViewSnapshotCodec.decode(new ViewSnapshotCursor().forReading(snapshot.bytes(),
                ViewSnapshotFile.HEADER_LENGTH, snapshot.length() - ViewSnapshotFile.HEADER_LENGTH), views, decoded);
            final long decodedNs = System.nanoTime();
            final Read read = read(dataDirectory, views, decoded, snapshot.lastBatchNumber(),
                snapshot.lastBatchIndex());
            final long covered = views.orders().coveredThrough();
            if (views.updater().lastSequence() < covered)
            {
                throw new PastTheEndException("its order view holds sequence " + covered + ", past the journal's " +
                    "last sequence " + views.updater().lastSequence());
            }
            views.orders().forgetCovered();
            index.takeFrom(decoded);
            final long readNs = System.nanoTime();
            LOG.info("gateway views: view snapshot {} ({} bytes, sequence {}) read in {} ms, then {} command(s) in " +
                "{} batch(es) from the journal in {} ms (its files checked in {} ms), up to sequence {}", file,
                snapshot.length(), snapshot.lastSequence(), (decodedNs - checkedNs) / 1_000_000, read.commands,
                read.batches, (readNs - decodedNs) / 1_000_000, (checkedNs - startNs) / 1_000_000,
                views.updater().lastSequence());
            return new Start(views, index, read.lastBatchNumber, read.lastBatchIndex, snapshot.lastBatchNumber(),
                snapshot.length());
        }
        catch (final PastTheEndException ex)
        {
            LOG.error("view snapshot {} not used: {}; the journal lost batches whose events were released. The " +
                "sequencer's recovery decides whether the service may start (docs/JOURNAL.md, \"Damage from " +
                "outside\"); the views are read from an older snapshot or the journal's genesis", file,
                ex.getMessage());
        }
        catch (final ViewSnapshotException ex)
        {
            LOG.warn("view snapshot {} not used: {}; trying an older one, else the journal's genesis", file,
                ex.getMessage());
        }
        catch (final JournalException ex)
        {
            // Damage in the journal after the snapshot: the read from genesis would refuse it as well.
            throw ex;
        }
        catch (final RuntimeException ex)
        {
            // Views that the journal after them does not fit (a level below zero): a snapshot written by a build
            // with a bug, which the read from genesis does not need.
            LOG.warn("view snapshot {} not used: the journal after it does not apply to its views ({}); trying an " +
                "older one, else the journal's genesis", file, ex.toString());
        }
        return null;
    }

    /**
     * The journal's batch at the snapshot's index, after the view snapshot of it was written; not there at all.
     */
    private static final class PastTheEndException extends ViewSnapshotException
    {
        private static final long serialVersionUID = 1L;

        PastTheEndException(final String message)
        {
            super(message);
        }
    }

    private static void check(
        final ViewSnapshotFile.Loaded snapshot, final Path dataDirectory, final int marketCapacity,
        final int endedWindow)
    {
        if (snapshot.marketCapacity() != marketCapacity)
        {
            throw new ViewSnapshotException("it holds views of " + snapshot.marketCapacity() + " markets, this " +
                "configuration " + marketCapacity);
        }
        if (snapshot.endedWindow() != endedWindow)
        {
            throw new ViewSnapshotException("it remembers " + snapshot.endedWindow() + " ended orders, this " +
                "configuration " + endedWindow + " (gateway.endedOrdersRemembered)");
        }
        try (JournalReader reader = JournalReader.open(dataDirectory))
        {
            final JournalDocument genesis = reader.toStart().next();
            if (genesis == null || genesis.validate() != JournalDocument.VALID ||
                genesis.type() != JournalFormat.TYPE_GENESIS)
            {
                throw new ViewSnapshotException("the journal has no valid genesis document");
            }
            if (genesis.storedChecksum() != snapshot.genesisChecksum())
            {
                throw new ViewSnapshotException("it is another journal's: its genesis checksum is " +
                    Integer.toHexString(snapshot.genesisChecksum()) + ", the journal's " +
                    Integer.toHexString(genesis.storedChecksum()));
            }
            final long lastIndex = reader.queue().lastIndex();
            final JournalDocument batch = snapshot.lastBatchIndex() > lastIndex ||
                !reader.moveToIndex(snapshot.lastBatchIndex()) ? null : reader.next();
            if (batch == null)
            {
                throw new PastTheEndException("it covers batch " + snapshot.lastBatchNumber() + " (sequence " +
                    snapshot.lastSequence() + ") at journal index " + Long.toHexString(snapshot.lastBatchIndex()) +
                    ", past the journal's end (its last document is at index " + Long.toHexString(lastIndex) + ")");
            }
            if (batch.validate() != JournalDocument.VALID)
            {
                throw new PastTheEndException("it covers batch " + snapshot.lastBatchNumber() + " at journal index " +
                    Long.toHexString(snapshot.lastBatchIndex()) + ", which the journal holds damaged (" +
                    JournalDocument.problem(batch.validate()) + ")");
            }
            if (!batch.isBatch() || batch.batchNumber() != snapshot.lastBatchNumber() ||
                batch.lastSequence() != snapshot.lastSequence() ||
                batch.storedChecksum() != snapshot.lastBatchChecksum())
            {
                throw new ViewSnapshotException("it is another journal's: it covers batch " +
                    snapshot.lastBatchNumber() + " (sequence " + snapshot.lastSequence() + ", checksum " +
                    Integer.toHexString(snapshot.lastBatchChecksum()) + ") at journal index " +
                    Long.toHexString(snapshot.lastBatchIndex()) + ", where the journal holds another document");
            }
        }
    }

    /**
     * What one read of the journal applied.
     */
    private record Read(long batches, long commands, long lastBatchNumber, long lastBatchIndex)
    {
    }

    /**
     * Applies the journal's batches after the one named (all of them if {@code afterBatchNumber} is 0).
     */
    private static Read read(
        final Path dataDirectory,
        final GatewayViews views,
        final JournalIndex index,
        final long afterBatchNumber,
        final long afterIndex)
    {
        final ViewUpdater updater = views.updater();
        final JournalDocument document = new JournalDocument();
        final RecordView record = new RecordView();
        long batches = 0;
        long commands = 0;
        long lastBatchNumber = afterBatchNumber;
        long lastBatchIndex = afterIndex;
        try (JournalPrefetch prefetch = JournalPrefetch.start(dataDirectory, afterBatchNumber, afterIndex))
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
                    lastBatchNumber = chunk.batchNumber(i);
                    lastBatchIndex = chunk.index(i);
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
        return new Read(batches, commands, lastBatchNumber, lastBatchIndex);
    }
}
