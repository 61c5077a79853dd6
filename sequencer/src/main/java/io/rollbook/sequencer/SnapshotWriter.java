package io.rollbook.sequencer;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalReader;
import io.rollbook.journal.snapshot.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes snapshot files on its own thread, so that neither the matcher thread nor the snapshot follower waits for a
 * large file to reach the disk. It receives a job only after the batch the snapshot covers is released, and forces the
 * journal to the device before it writes the file (whatever the sync policy), so a snapshot never claims a sequence
 * number the journal lacks, not even after a power loss. Between jobs it runs the {@link DiskSpaceGuard}.
 */
final class SnapshotWriter implements Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    private final SnapshotStore store;
    private final Path dataDirectory;
    private final int keep;
    private final DiskSpaceGuard diskSpace;
    private final BlockingQueue<SnapshotJob> jobs = new ArrayBlockingQueue<>(1);
    private volatile boolean running = true;
    private volatile Path lastWritten;
    private volatile long lastWrittenSequence;

    /**
     * @param newestSequence the last sequence of the newest snapshot on disk at start, 0 for none
     */
    SnapshotWriter(
        final SnapshotStore store, final Path dataDirectory, final int keep, final DiskSpaceGuard diskSpace,
        final long newestSequence)
    {
        this.lastWrittenSequence = newestSequence;
        this.store = store;
        this.dataDirectory = dataDirectory;
        this.keep = keep;
        this.diskSpace = diskSpace;
    }

    /**
     * Journal thread (the matcher thread's snapshots) or snapshot follower thread: hands over a job whose batch is
     * released. Never blocks: there is only one job.
     */
    void submit(final SnapshotJob job)
    {
        if (!jobs.offer(job))
        {
            job.inUse.set(false);
        }
    }

    @Override
    public void run()
    {
        while (running || !jobs.isEmpty())
        {
            try
            {
                final SnapshotJob job = jobs.poll(100, TimeUnit.MILLISECONDS);
                if (job != null)
                {
                    write(job);
                }
                diskSpace.check(System.nanoTime());
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Frames and writes a job on the calling thread, then frees it.
     */
    void write(final SnapshotJob job)
    {
        try
        {
            final long startNs = System.nanoTime();
            final int length = SnapshotStore.frame(job.buffer, job.stateLength, job.lastSequence,
                job.lastBatchNumber, job.lastBatchIndex, journaledChecksum(job), job.lastTimestampNs);
            JournalFiles.forceJournal(dataDirectory);
            lastWritten = store.write(job.buffer, length, keep);
            lastWrittenSequence = job.lastSequence;
            LOG.info("snapshot at sequence {} (batch {}): {} bytes in {} ms, {}", job.lastSequence,
                job.lastBatchNumber, length, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), lastWritten);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("snapshot at sequence {} not written; the journal still holds everything: {}",
                job.lastSequence, ex.getMessage(), ex);
        }
        finally
        {
            makeRoom(job);
            job.inUse.set(false);
        }
    }

    /**
     * Grows the buffer here rather than on the matcher thread at the next snapshot; should the memory be lacking,
     * the buffer stays as it is and the matcher grows it when it must, as it would have without this.
     */
    private static void makeRoom(final SnapshotJob job)
    {
        try
        {
            job.makeRoom();
        }
        catch (final OutOfMemoryError ex)
        {
            LOG.warn("snapshot buffer not grown ahead to {} bytes: {}", SnapshotJob.capacityFor(job.stateLength),
                ex.getMessage());
        }
    }

    /**
     * The checksum of the batch the snapshot covers, as the journal holds it: it ties the file to this journal, so
     * that recovery never starts from another journal's snapshot whose batch numbers and indexes happen to match.
     */
    private int journaledChecksum(final SnapshotJob job)
    {
        try (JournalReader reader = JournalReader.open(dataDirectory))
        {
            final JournalDocument batch = reader.moveToIndex(job.lastBatchIndex) ? reader.next() : null;
            if (batch == null || batch.validate() != JournalDocument.VALID || !batch.isBatch() ||
                batch.batchNumber() != job.lastBatchNumber)
            {
                throw new JournalException("the journal does not hold batch " + job.lastBatchNumber + " at index " +
                    Long.toHexString(job.lastBatchIndex));
            }
            return batch.storedChecksum();
        }
    }

    void stop()
    {
        running = false;
    }

    Path lastWritten()
    {
        return lastWritten;
    }

    /**
     * @return the last sequence of the newest snapshot on disk, 0 for none; any thread
     */
    long lastWrittenSequence()
    {
        return lastWrittenSequence;
    }
}
