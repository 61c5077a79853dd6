package io.rollbook.gateway.view;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.rollbook.journal.JournalCursor;
import io.rollbook.journal.JournalDocument;
import io.rollbook.journal.JournalException;
import io.rollbook.journal.JournalFormat;
import io.rollbook.journal.JournalRepair;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Reads the journal's batches for {@link ViewBootstrap} on a thread of its own, so that reading (Chronicle's copy,
 * the checksum and the checks of {@link JournalCursor}, a quarter to a third of the bootstrap) overlaps with
 * applying the events, which the bootstrapping thread does meanwhile. The batches are the ones a
 * {@link JournalCursor} reports as {@link JournalCursor#BATCH}, in journal order, copied into chunks of many batches
 * each (a quiet service writes a batch per command: one hand-over per batch would cost more than it saves).
 *
 * <p>The reading thread ends with a last chunk that carries the cursor's verdict: the exception reading failed
 * with, or the refusal of damage with intact batches after it ({@link JournalRepair#damagedRangeRefusal}), which the
 * bootstrapping thread throws once it has applied what came before, as the single-threaded read did.
 *
 * <p>One producer (its own thread, which owns the Chronicle tailer from opening to closing) and one consumer. A
 * fixed set of chunks circulates between the two; nothing is allocated per batch.
 */
final class JournalPrefetch implements AutoCloseable
{
    private static final int CHUNKS = 4;
    private static final int CHUNK_BYTES = 1 << 20;
    private static final int CHUNK_BATCHES = 4096;
    private static final long WAIT_MS = 10;

    private final Path dataDirectory;
    private final long resumeBatchNumber;
    private final long resumeIndex;
    private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Whole batches, one after another, with what {@link JournalCursor} said of each.
     */
    static final class Chunk
    {
        private final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(CHUNK_BYTES + 64 * 1024);
        private final int[] offsets = new int[CHUNK_BATCHES];
        private final int[] lengths = new int[CHUNK_BATCHES];
        private final long[] batchNumbers = new long[CHUNK_BATCHES];
        private final long[] indexes = new long[CHUNK_BATCHES];
        private final long[] lastSequences = new long[CHUNK_BATCHES];
        private int count;
        private int used;
        private boolean last;
        private Throwable failure;

        private void add(final JournalDocument document, final JournalCursor cursor)
        {
            bytes.putBytes(used, document.buffer(), document.offset(), document.length());
            offsets[count] = used;
            lengths[count] = document.length();
            batchNumbers[count] = cursor.lastBatchNumber();
            indexes[count] = cursor.lastBatchIndex();
            lastSequences[count] = cursor.lastSequence();
            used += document.length();
            count++;
        }

        private boolean isFull()
        {
            return count == CHUNK_BATCHES || used >= CHUNK_BYTES;
        }

        private Chunk clear()
        {
            count = 0;
            used = 0;
            last = false;
            failure = null;
            return this;
        }

        int count()
        {
            return count;
        }

        DirectBuffer bytes()
        {
            return bytes;
        }

        int offset(final int batch)
        {
            return offsets[batch];
        }

        int length(final int batch)
        {
            return lengths[batch];
        }

        long batchNumber(final int batch)
        {
            return batchNumbers[batch];
        }

        /**
         * @return the batch's Chronicle index
         */
        long index(final int batch)
        {
            return indexes[batch];
        }

        long lastSequence(final int batch)
        {
            return lastSequences[batch];
        }

        /**
         * @return true if nothing follows this chunk
         */
        boolean last()
        {
            return last;
        }

        /**
         * Throws what ended the read, if anything did but the journal's end (last chunk only).
         */
        void rethrowFailure()
        {
            if (failure instanceof RuntimeException runtime)
            {
                throw runtime;
            }
            if (failure instanceof Error error)
            {
                throw error;
            }
            if (failure != null)
            {
                throw new JournalException("reading the journal failed: " + failure, failure);
            }
        }
    }

    private JournalPrefetch(final Path dataDirectory, final long resumeBatchNumber, final long resumeIndex)
    {
        this.dataDirectory = dataDirectory;
        this.resumeBatchNumber = resumeBatchNumber;
        this.resumeIndex = resumeIndex;
        for (int i = 0; i < CHUNKS; i++)
        {
            free.add(new Chunk());
        }
        thread = new Thread(this::read, "rollbook-journal-prefetch");
        thread.setDaemon(true);
    }

    /**
     * Starts reading the journal of a data directory (which must have one) from its first batch.
     */
    static JournalPrefetch start(final Path dataDirectory)
    {
        return start(dataDirectory, 0, -1);
    }

    /**
     * Starts reading the journal of a data directory from the batch after the one named (a view snapshot's), or
     * from its first batch if {@code batchNumber} is 0. Ends with a {@link ViewSnapshotException} if the journal does
     * not hold that batch there, or if a recovery document later voided it (its snapshot covers batches that were
     * never released).
     */
    static JournalPrefetch start(final Path dataDirectory, final long batchNumber, final long index)
    {
        final JournalPrefetch prefetch = new JournalPrefetch(dataDirectory, batchNumber, index);
        prefetch.thread.start();
        return prefetch;
    }

    /**
     * Waits for the next chunk; after the {@link Chunk#last() last} one there is none.
     */
    Chunk take() throws InterruptedException
    {
        return full.take();
    }

    /**
     * Hands a chunk back once its batches are applied.
     */
    void recycle(final Chunk chunk)
    {
        free.add(chunk.clear());
    }

    /**
     * Stops the reading thread (if the consumer gave up early) and waits until it closed the journal.
     */
    @Override
    public void close()
    {
        closed = true;
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
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

    private void read()
    {
        Chunk chunk = nextFree();
        if (chunk == null)
        {
            return;
        }
        try (JournalCursor cursor = JournalCursor.open(dataDirectory))
        {
            if (resumeBatchNumber > 0 && !cursor.resumeAfter(resumeBatchNumber, resumeIndex))
            {
                throw new ViewSnapshotException("the journal no longer holds batch " + resumeBatchNumber +
                    " at index " + Long.toHexString(resumeIndex));
            }
            int kind;
            while ((kind = cursor.next()) != JournalCursor.END)
            {
                if (kind == JournalCursor.VOID && resumeBatchNumber > 0)
                {
                    refuseIfVoided(cursor);
                }
                if (kind == JournalCursor.BATCH)
                {
                    chunk.add(cursor.document(), cursor);
                    if (chunk.isFull())
                    {
                        if (!handOver(chunk))
                        {
                            return;
                        }
                        chunk = nextFree();
                        if (chunk == null)
                        {
                            return;
                        }
                    }
                }
            }
            if (cursor.tornTail() && cursor.intactBatchesInVoidRange() > 0)
            {
                chunk.failure = new JournalException(JournalRepair.damagedRangeRefusal(dataDirectory, cursor));
            }
        }
        catch (final RuntimeException | Error ex)
        {
            chunk.failure = ex;
        }
        chunk.last = true;
        handOver(chunk);
    }

    /**
     * A recovery document that goes back before the batch the read resumed after voided that batch: what a snapshot
     * of it holds was never released.
     */
    private void refuseIfVoided(final JournalCursor cursor)
    {
        final JournalDocument document = cursor.document();
        if (cursor.lastValidation() == JournalDocument.VALID && document.type() == JournalFormat.TYPE_RECOVERY &&
            document.recoveryLastBatchNumber() < resumeBatchNumber)
        {
            throw new ViewSnapshotException("a recovery document at index " + Long.toHexString(document.index()) +
                " voids the batches after " + document.recoveryLastBatchNumber() + ", batch " + resumeBatchNumber +
                " among them");
        }
    }

    /**
     * @return a free chunk, null once the consumer closed this
     */
    private Chunk nextFree()
    {
        try
        {
            Chunk chunk = null;
            while (chunk == null && !closed)
            {
                chunk = free.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            }
            return chunk;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * @return false once the consumer closed this
     */
    private boolean handOver(final Chunk chunk)
    {
        try
        {
            while (!closed)
            {
                if (full.offer(chunk, WAIT_MS, TimeUnit.MILLISECONDS))
                {
                    return true;
                }
            }
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
