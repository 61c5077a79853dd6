package io.rollbook.gateway.view;

import java.util.Arrays;

/**
 * A sparse index of the journal: every {@code stride}-th batch's number, Chronicle index and last sequence, so a
 * reader that must start at some sequence (retransmission) jumps close to it with
 * {@link io.rollbook.journal.JournalCursor#resumeAfter} instead of scanning from the start.
 *
 * <p>It holds at most {@code capacity} entries, however long the journal grows: once full, every other entry of its
 * older half is dropped. Recent batches, which retransmission asks for, stay indexed every {@code stride} batches;
 * older ones ever more sparsely, so a request that far back reads more of the journal before reaching its start.
 *
 * <p>Single writer at a time: filled by {@link ViewBootstrap} while it reads the journal at start, then copied for
 * each thread that reads the journal afterwards, which extends its copy with the batches it reads and those the
 * {@link JournalIndexFeed} hands it. Not thread-safe.
 */
public final class JournalIndex
{
    private static final int INITIAL_CAPACITY = 256;

    private final int stride;
    private final int capacity;
    private long[] batchNumbers;
    private long[] indexes;
    private long[] lastSequences;
    private int count;
    private long lastBatchNumber;

    /**
     * @param stride   index every this many batches
     * @param capacity the most entries held, at least 4
     */
    public JournalIndex(final int stride, final int capacity)
    {
        if (capacity < 4)
        {
            throw new IllegalArgumentException("a journal index holds at least 4 entries, got " + capacity);
        }
        this.stride = Math.max(1, stride);
        this.capacity = capacity;
        final int initial = Math.min(INITIAL_CAPACITY, capacity);
        batchNumbers = new long[initial];
        indexes = new long[initial];
        lastSequences = new long[initial];
    }

    /**
     * @return whether the index records this batch, when it comes after the last one recorded
     */
    public boolean indexes(final long batchNumber)
    {
        return batchNumber % stride == 0;
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
        if (!indexes(batchNumber))
        {
            return;
        }
        if (count == capacity)
        {
            thinOlderHalf();
        }
        else if (count == batchNumbers.length)
        {
            final int grown = (int)Math.min(capacity, 2L * count);
            batchNumbers = Arrays.copyOf(batchNumbers, grown);
            indexes = Arrays.copyOf(indexes, grown);
            lastSequences = Arrays.copyOf(lastSequences, grown);
        }
        batchNumbers[count] = batchNumber;
        indexes[count] = index;
        lastSequences[count] = lastSequence;
        count++;
    }

    /**
     * Keeps the even entries of the older half and moves the newer half down behind them, in order.
     */
    private void thinOlderHalf()
    {
        final int half = count / 2;
        int to = 0;
        for (int from = 0; from < count; from++)
        {
            if (from >= half || (from & 1) == 0)
            {
                batchNumbers[to] = batchNumbers[from];
                indexes[to] = indexes[from];
                lastSequences[to] = lastSequences[from];
                to++;
            }
        }
        // The entries moved down leave copies behind them: emptied, so that the index is a function of its entries.
        Arrays.fill(batchNumbers, to, count, 0);
        Arrays.fill(indexes, to, count, 0);
        Arrays.fill(lastSequences, to, count, 0);
        count = to;
    }

    /**
     * @return an empty index of the same stride and capacity
     */
    JournalIndex emptyLike()
    {
        return new JournalIndex(stride, capacity);
    }

    /**
     * Takes the entries of another index of the same stride and capacity, which is not used afterwards.
     */
    void takeFrom(final JournalIndex other)
    {
        batchNumbers = other.batchNumbers;
        indexes = other.indexes;
        lastSequences = other.lastSequences;
        count = other.count;
        lastBatchNumber = other.lastBatchNumber;
    }

    /**
     * @return a copy holding the same entries, for a second owner
     */
    public JournalIndex copy()
    {
        final JournalIndex copy = new JournalIndex(stride, capacity);
        copy.batchNumbers = batchNumbers.clone();
        copy.indexes = indexes.clone();
        copy.lastSequences = lastSequences.clone();
        copy.count = count;
        copy.lastBatchNumber = lastBatchNumber;
        return copy;
    }

    void encode(final ViewSnapshotCursor out)
    {
        out.putInt(stride);
        out.putInt(capacity);
        out.putInt(batchNumbers.length);
        out.putLong(lastBatchNumber);
        out.putInt(count);
        for (int i = 0; i < count; i++)
        {
            out.putLong(batchNumbers[i]);
            out.putLong(indexes[i]);
            out.putLong(lastSequences[i]);
        }
    }

    /**
     * Into an empty index of the same stride and capacity.
     */
    void decode(final ViewSnapshotCursor in)
    {
        final int encodedStride = in.getInt();
        final int encodedCapacity = in.getInt();
        if (encodedStride != stride || encodedCapacity != capacity)
        {
            throw new ViewSnapshotException("its journal index has stride " + encodedStride + " and capacity " +
                encodedCapacity + ", this build " + stride + " and " + capacity);
        }
        final int length = in.getInt();
        final long last = in.getLong();
        final int entries = in.count(24);
        if (length < entries || length > capacity)
        {
            throw new ViewSnapshotException("a journal index of " + entries + " entries in " + length);
        }
        batchNumbers = new long[length];
        indexes = new long[length];
        lastSequences = new long[length];
        for (int i = 0; i < entries; i++)
        {
            batchNumbers[i] = in.getLong();
            indexes[i] = in.getLong();
            lastSequences[i] = in.getLong();
        }
        count = entries;
        lastBatchNumber = last;
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
