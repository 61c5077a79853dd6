package io.rollbook.gateway.view;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFiles;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.JournalReader;
import io.rollbook.sequencer.BatchReleaseListener;
import org.agrona.ExpandableArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's views to {@code views-<sequence>.snap} ({@link ViewSnapshotFile}) so that a start reads only
 * the journal after them ({@link ViewBootstrap}). A release listener registered right after the views'
 * {@link ViewUpdater}: at the end of a batch, on the release thread (the one thread that sees the views between two
 * commands), it encodes them into one reused buffer when the {@link ViewSnapshotPolicy} says so: all but the order
 * view's stripes at once, then one stripe at the end of a later batch, paced ({@link #STRIPE_SPACING_NS},
 * {@link #WAIT_PER_PAUSE}), each stripe with the sequence it holds ({@link ViewSnapshotEncoder}). Once the last is
 * encoded it hands the buffer to a writer thread of its own, which reads the checksums of the journal's genesis and
 * of the batch from the journal, forces the journal to the device (so a snapshot never covers a batch a power loss
 * could take away) and writes the file. While that buffer is being encoded or written, a snapshot that falls due
 * waits. At a clean shutdown the closing thread writes the last one itself, at once, once the release thread
 * stopped.
 *
 * <p>It keeps its own copy of the retransmission index, extended with every released batch: the gateway's copy is
 * the retransmission thread's.
 *
 * <p>Allocates nothing per command or per batch (but for the index's rare growth); the buffer is sized at
 * construction, before the release thread runs, for the larger of the snapshot the views were read from and the
 * order view's steady state (after a start from genesis the views encode to a few kilobytes, and the first snapshot
 * of a busy run grew a megabyte's buffer step by step on the release thread: 240 ms at 50,000 orders/s, every
 * acknowledgement of that time waiting), and grows on the writer thread, a quarter beyond the last snapshot, so that
 * the release thread rarely does.
 */
public final class ViewSnapshotter implements BatchReleaseListener, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ViewSnapshotter.class);
    private static final int MIN_CAPACITY = 1 << 20;
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;
    /**
     * The least time between two stripes' encodings. The order view is most of the views (a million remembered
     * orders, about 50 MB) and encoding it whole held the release thread, and every report and market data update
     * behind it, for 20 to 240 ms; a stripe is a sixty-fourth of it, and the time between lets the release thread
     * catch up. The release thread may read the clock: it is not the matcher, and the clock decides only when each
     * stripe is taken, never what a start reads from the file.
     */
    static final long STRIPE_SPACING_NS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * After a stripe, the release thread waits this many times its pause before the next (if longer than the
     * spacing), so that a snapshot takes at most a quarter of the release thread even when a stripe is slow (the
     * first snapshot of a run, its encoding not compiled for entries yet: 4 ms a stripe).
     */
    static final int WAIT_PER_PAUSE = 3;

    private final GatewayViews views;
    private final JournalIndex index;
    private final ViewSnapshotPolicy policy;
    private final Path dataDirectory;
    private final int marketCapacity;
    private final int endedWindow;
    private final Job job;
    private final ViewSnapshotEncoder encoder;
    private final BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(1);
    private final boolean paced;
    private final Thread writer;
    private volatile boolean running = true;
    private long lastBatchNumber;
    private long lastBatchIndex;
    private long lastSequence;
    /** The batch the newest view snapshot on disk covers: set by whichever thread wrote it. */
    private volatile long writtenBatchNumber;
    private long batchesSince;
    private long commandsSince;
    /** Whether the job holds a snapshot begun and not all of its stripes encoded yet. */
    private boolean spreading;
    private long nextStripeNs;
    private volatile Path lastWritten;

    /**
     * The encoded views of one snapshot, with the batch they end at; owned by the release thread until handed to
     * the writer, which frees it.
     */
    private static final class Job
    {
        final AtomicBoolean inUse = new AtomicBoolean();
        final ExpandableArrayBuffer buffer;
        int viewsLength;
        long lastSequence;
        long lastBatchNumber;
        long lastBatchIndex;
        /** How long the encoding held the release thread in all, and at most at once. */
        long encodeNs;
        long longestPauseNs;
        long beganNs;
        /** From the encoding's start to its last stripe. */
        long spreadNs;

        Job(final int capacity)
        {
            buffer = new ExpandableArrayBuffer(capacity);
        }
    }

    /**
     * @param start what the views were read from at start; the index in it is copied, not shared
     */
    public ViewSnapshotter(
        final ViewBootstrap.Start start, final ViewSnapshotPolicy policy, final Path dataDirectory,
        final int marketCapacity, final int endedWindow)
    {
        this(start, policy, dataDirectory, marketCapacity, endedWindow, true);
    }

    /**
     * @param paced false to encode a stripe at the end of every batch, whatever the time
     */
    ViewSnapshotter(
        final ViewBootstrap.Start start, final ViewSnapshotPolicy policy, final Path dataDirectory,
        final int marketCapacity, final int endedWindow, final boolean paced)
    {
        this.paced = paced;
        this.views = start.views();
        this.index = start.index().copy();
        this.policy = policy;
        this.dataDirectory = dataDirectory;
        this.marketCapacity = marketCapacity;
        this.endedWindow = endedWindow;
        this.encoder = new ViewSnapshotEncoder(views, index);
        this.lastBatchNumber = start.lastBatchNumber();
        this.lastBatchIndex = start.lastBatchIndex();
        this.lastSequence = start.views().updater().lastSequence();
        this.writtenBatchNumber = start.snapshotBatchNumber();
        this.job = new Job(capacityFor(Math.max(start.snapshotLength(), views.orders().steadyStateEncodedLength())));
        prepare();
        this.writer = new Thread(this::run, "rollbook-view-snapshot");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Release thread, after the views' updater applied the batch.
     */
    @Override
    public void onBatchReleased(
        final long batchNumber, final long firstSequence, final long lastSequence, final long journalIndex)
    {
        index.onBatch(batchNumber, journalIndex, lastSequence);
        lastBatchNumber = batchNumber;
        lastBatchIndex = journalIndex;
        this.lastSequence = lastSequence;
        batchesSince++;
        commandsSince += lastSequence - firstSequence + 1;
        if (spreading)
        {
            final long nowNs = System.nanoTime();
            if (!paced || nowNs - nextStripeNs >= 0)
            {
                encodeStripe(nowNs);
            }
        }
        else if (policy.due(batchesSince, commandsSince) && job.inUse.compareAndSet(false, true))
        {
            begin();
        }
    }

    /**
     * Closing thread, the release thread stopped: lets the writer finish, then writes the views as they are now
     * unless a snapshot holds them already.
     */
    @Override
    public void onClosedCleanly()
    {
        stopWriter();
        if (lastBatchNumber == 0 || lastBatchNumber == writtenBatchNumber)
        {
            return;
        }
        if (spreading || job.inUse.compareAndSet(false, true))
        {
            spreading = false;
            encode();
            write(job);
        }
    }

    /**
     * Stops the writer thread (after a failed or undrained close, nothing more is written).
     */
    @Override
    public void close()
    {
        stopWriter();
    }

    /**
     * @return the last view snapshot written in this run, or null
     */
    public Path lastWritten()
    {
        return lastWritten;
    }

    /**
     * Constructing thread, before the release thread runs (nothing writes the views yet): encodes the views once,
     * unwritten, so that the release thread's first snapshot neither grows the buffer step by step nor runs the
     * encoding in the interpreter. Both made the first pause ten times the later ones.
     */
    private void prepare()
    {
        final long startNs = System.nanoTime();
        final int length = encoder.encode(job.buffer, ViewSnapshotFile.HEADER_LENGTH);
        makeRoom(job, length);
        LOG.info("view snapshot buffer of {} bytes prepared in {} ms (the views encode to {} now)",
            job.buffer.capacity(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), length);
    }

    /**
     * @return the capacity of the buffer the release thread encodes into
     */
    int bufferCapacity()
    {
        return job.buffer.capacity();
    }

    /**
     * Closing thread, the release thread stopped: every view at once.
     */
    private void encode()
    {
        final long startNs = System.nanoTime();
        job.viewsLength = encoder.encode(job.buffer, ViewSnapshotFile.HEADER_LENGTH);
        stamp();
        job.encodeNs = System.nanoTime() - startNs;
        job.longestPauseNs = job.encodeNs;
        job.spreadNs = job.encodeNs;
    }

    /**
     * Release thread: all but the order view's stripes, which follow in later batches.
     */
    private void begin()
    {
        final long startNs = System.nanoTime();
        encoder.begin(job.buffer, ViewSnapshotFile.HEADER_LENGTH);
        stamp();
        final long endNs = System.nanoTime();
        job.encodeNs = endNs - startNs;
        job.longestPauseNs = job.encodeNs;
        job.beganNs = startNs;
        nextStripeNs = endNs + Math.max(STRIPE_SPACING_NS, WAIT_PER_PAUSE * job.encodeNs);
        spreading = true;
    }

    /**
     * Release thread: the next stripe; after the last, the job goes to the writer.
     */
    private void encodeStripe(final long startNs)
    {
        final boolean last = encoder.encodeNextStripe();
        final long endNs = System.nanoTime();
        final long pauseNs = endNs - startNs;
        job.encodeNs += pauseNs;
        job.longestPauseNs = Math.max(job.longestPauseNs, pauseNs);
        nextStripeNs = endNs + Math.max(STRIPE_SPACING_NS, WAIT_PER_PAUSE * pauseNs);
        if (last)
        {
            spreading = false;
            job.viewsLength = encoder.length();
            job.spreadNs = endNs - job.beganNs;
            if (!jobs.offer(job))
            {
                job.inUse.set(false);
            }
        }
    }

    /**
     * The batch the views are at, which the snapshot names: its stripes hold this one or later ones.
     */
    private void stamp()
    {
        job.lastSequence = lastSequence;
        job.lastBatchNumber = lastBatchNumber;
        job.lastBatchIndex = lastBatchIndex;
        batchesSince = 0;
        commandsSince = 0;
    }

    private void run()
    {
        while (running || !jobs.isEmpty())
        {
            try
            {
                final Job next = jobs.poll(100, TimeUnit.MILLISECONDS);
                if (next != null)
                {
                    write(next);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void stopWriter()
    {
        running = false;
        boolean interrupted = false;
        while (writer.isAlive())
        {
            try
            {
                writer.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Frames and writes a job, then frees it. A snapshot that cannot be written is logged and skipped: the journal
     * still holds everything, and the next start reads more of it.
     */
    private void write(final Job written)
    {
        try
        {
            final long startNs = System.nanoTime();
            final int genesisChecksum;
            final int batchChecksum;
            try (JournalReader reader = JournalReader.open(dataDirectory))
            {
                final JournalDocument genesis = reader.toStart().next();
                if (genesis == null || genesis.validate() != JournalDocument.VALID ||
                    genesis.type() != JournalFormat.TYPE_GENESIS)
                {
                    throw new JournalException("the journal does not start with a valid genesis document");
                }
                genesisChecksum = genesis.storedChecksum();
                final JournalDocument batch = reader.moveToIndex(written.lastBatchIndex) ? reader.next() : null;
                if (batch == null || batch.validate() != JournalDocument.VALID || !batch.isBatch() ||
                    batch.batchNumber() != written.lastBatchNumber || batch.lastSequence() != written.lastSequence)
                {
                    throw new JournalException("the journal does not hold batch " + written.lastBatchNumber +
                        " at index " + Long.toHexString(written.lastBatchIndex));
                }
                batchChecksum = batch.storedChecksum();
            }
            final int length = ViewSnapshotFile.frame(written.buffer, written.viewsLength, written.lastSequence,
                written.lastBatchNumber, written.lastBatchIndex, batchChecksum, genesisChecksum, marketCapacity,
                endedWindow);
            final long checkedNs = System.nanoTime();
            JournalFiles.forceJournal(dataDirectory);
            final long forcedNs = System.nanoTime();
            final Path file = ViewSnapshotFile.write(dataDirectory, written.buffer, length, policy.kept());
            final long writtenNs = System.nanoTime();
            lastWritten = file;
            writtenBatchNumber = written.lastBatchNumber;
            LOG.info("view snapshot at sequence {} (batch {}): {} bytes, encoded in {} us over {} ms (the longest " +
                "pause {} us), written in {} ms (the journal read {} ms, forced {} ms, the file {} ms), {}",
                written.lastSequence, written.lastBatchNumber, length, TimeUnit.NANOSECONDS.toMicros(written.encodeNs),
                TimeUnit.NANOSECONDS.toMillis(written.spreadNs), TimeUnit.NANOSECONDS.toMicros(written.longestPauseNs),
                TimeUnit.NANOSECONDS.toMillis(writtenNs - startNs), TimeUnit.NANOSECONDS.toMillis(checkedNs - startNs),
                TimeUnit.NANOSECONDS.toMillis(forcedNs - checkedNs),
                TimeUnit.NANOSECONDS.toMillis(writtenNs - forcedNs), file);
        }
        catch (final RuntimeException ex)
        {
            LOG.error("view snapshot at sequence {} not written; the journal still holds everything: {}",
                written.lastSequence, ex.getMessage(), ex);
        }
        finally
        {
            makeRoom(written, written.viewsLength);
            written.inUse.set(false);
        }
    }

    /**
     * Grows the buffer here rather than on the release thread at the next snapshot; should the memory be lacking,
     * the buffer stays as it is and grows when it must.
     */
    private static void makeRoom(final Job job, final long viewsLength)
    {
        try
        {
            final int capacity = capacityFor(ViewSnapshotFile.HEADER_LENGTH + viewsLength);
            if (job.buffer.capacity() < capacity)
            {
                job.buffer.checkLimit(capacity);
            }
        }
        catch (final OutOfMemoryError ex)
        {
            LOG.warn("view snapshot buffer not grown ahead: {}", ex.getMessage());
        }
    }

    private static int capacityFor(final long length)
    {
        return (int)Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, length + length / 4));
    }
}
