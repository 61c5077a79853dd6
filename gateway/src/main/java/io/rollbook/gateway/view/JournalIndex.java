package io.rollbook.gateway.view;

import java.util.Arrays;

/**
 * A sparse index of the journal: every {@code stride}-th batch's number, Chronicle index and last sequence, so a
 * reader that must start at some sequence (retransmission) jumps close to it with
 * {@link io.rollbook.journal.JournalCursor#resumeAfter} instead of scanning from the start.
 *
 * <p>Single writer at a time: filled by {@link ViewBootstrap} while it reads the journal at start, then handed to
 * (and extended by) the one thread that reads the journal afterwards. Not thread-safe.
 */
public final class JournalIndex
{
    private final int stride;
    private long[] batchNumbers = new long[256];
    private long[] indexes = new long[256];
    private long[] lastSequences = new long[256];
    private int count;
    private long lastBatchNumber;

    /**
     * @param stride index every this many batches
     */
    public JournalIndex(final int stride)
    {
        this.stride = Math.max(1, stride);
    }

    /**
     * Records a batch that was read, in journal order; batches at or before the last one recorded are ignored.
     */
    public void onBatch(final long batchNumber, final long index, final long lastSequence)
    {
        if (batchNumber <= lastBatchNumber)
        {
            return;
        }
        lastBatchNumber = batchNumber;
        if (batchNumber % stride != 0)
        {
            return;
        }
        if (count == batchNumbers.length)
        {
            batchNumbers = Arrays.copyOf(batchNumbers, count * 2);
            indexes = Arrays.copyOf(indexes, count * 2);
            lastSequences = Arrays.copyOf(lastSequences, count * 2);
        }
        batchNumbers[count] = batchNumber;
        indexes[count] = index;
        lastSequences[count] = lastSequence;
        count++;
    }

    /**
     * @return the entry of the last indexed batch that ends before {@code sequence}, or -1 if there is none
     */
    public int floorBefore(final long sequence)
    {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (lastSequences[mid] < sequence)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return found;
    }

    public long batchNumber(final int entry)
    {
        return batchNumbers[entry];
    }

    public long index(final int entry)
    {
        return indexes[entry];
    }

    public long lastSequence(final int entry)
    {
        return lastSequences[entry];
    }

    /**
     * @return the number of the last batch recorded, 0 if none
     */
    public long lastBatchNumber()
    {
        return lastBatchNumber;
    }

    public int size()
    {
        return count;
    }
}
