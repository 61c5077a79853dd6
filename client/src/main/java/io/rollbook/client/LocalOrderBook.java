package io.rollbook.client;

import java.util.Arrays;

/**
 * A market's price levels as the market data feed describes them: rebuilt from each snapshot, then changed by each
 * incremental update in channel sequence order. While it waits for a snapshot (after subscribing, or after a gap in
 * the channel sequence) it is {@link #isStale() stale} and must not be trusted.
 *
 * <p>Each side is a sorted pair of primitive arrays, best price first; an update is a binary search and, for a new
 * or removed level, a shift of the levels behind it (books are deep at most a few thousand levels). Not
 * thread-safe: owned by the client's polling thread.
 */
public final class LocalOrderBook
{
    private final int market;
    private final Side bids = new Side(true);
    private final Side asks = new Side(false);
    private long channelSeq;
    private long sequence;
    private boolean stale = true;
    private boolean snapshotOwed;
    private long gaps;

    LocalOrderBook(final int market)
    {
        this.market = market;
    }

    public int market()
    {
        return market;
    }

    /**
     * @return the channel sequence number of the last snapshot or update applied
     */
    public long channelSeq()
    {
        return channelSeq;
    }

    /**
     * @return the journal sequence of the last change applied
     */
    public long sequence()
    {
        return sequence;
    }

    /**
     * @return true until the first snapshot, and from a detected gap until the snapshot that repairs it
     */
    public boolean isStale()
    {
        return stale;
    }

    /**
     * @return how many gaps in the channel sequence were detected (each repaired by a snapshot)
     */
    public long gaps()
    {
        return gaps;
    }

    public int bidCount()
    {
        return bids.count;
    }

    public int askCount()
    {
        return asks.count;
    }

    /**
     * @param depth 0 for the best bid
     */
    public long bidPrice(final int depth)
    {
        return bids.prices[depth];
    }

    public long bidSize(final int depth)
    {
        return bids.sizes[depth];
    }

    /**
     * @param depth 0 for the best ask
     */
    public long askPrice(final int depth)
    {
        return asks.prices[depth];
    }

    public long askSize(final int depth)
    {
        return asks.sizes[depth];
    }

    /**
     * @param side 0 bids, 1 asks
     * @return the level's total size, 0 if there is no such level
     */
    public long sizeAt(final int side, final long priceTicks)
    {
        final Side levels = side == 0 ? bids : asks;
        final int at = levels.find(priceTicks);
        return at >= 0 ? levels.sizes[at] : 0;
    }

    void beginSnapshot(final long channelSeq, final long sequence)
    {
        bids.count = 0;
        asks.count = 0;
        this.channelSeq = channelSeq;
        this.sequence = sequence;
    }

    /**
     * Snapshot levels arrive best first, so they are appended.
     */
    void snapshotLevel(final int side, final long priceTicks, final long sizeLots)
    {
        (side == 0 ? bids : asks).append(priceTicks, sizeLots);
    }

    void endSnapshot()
    {
        stale = false;
    }

    /**
     * @return true if the client still has to ask for the snapshot that repairs a gap
     */
    boolean snapshotOwed()
    {
        return snapshotOwed;
    }

    void snapshotOwed(final boolean owed)
    {
        snapshotOwed = owed;
    }

    void markStale()
    {
        stale = true;
        gaps++;
    }

    void set(final int side, final long priceTicks, final long sizeLots, final long channelSeq, final long sequence)
    {
        (side == 0 ? bids : asks).set(priceTicks, sizeLots);
        this.channelSeq = channelSeq;
        this.sequence = sequence;
    }

    void advance(final long channelSeq, final long sequence)
    {
        this.channelSeq = channelSeq;
        this.sequence = sequence;
    }

    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder("book ").append(market).append(" @").append(channelSeq)
            .append(stale ? " (stale)" : "").append(" bids");
        for (int i = 0; i < Math.min(5, bids.count); i++)
        {
            out.append(' ').append(bids.sizes[i]).append('@').append(bids.prices[i]);
        }
        out.append(" asks");
        for (int i = 0; i < Math.min(5, asks.count); i++)
        {
            out.append(' ').append(asks.sizes[i]).append('@').append(asks.prices[i]);
        }
        return out.toString();
    }

    private static final class Side
    {
        private final boolean descending;
        long[] prices = new long[64];
        long[] sizes = new long[64];
        int count;

        Side(final boolean descending)
        {
            this.descending = descending;
        }

        void append(final long price, final long size)
        {
            ensureRoom();
            prices[count] = price;
            sizes[count] = size;
            count++;
        }

        /**
         * @return the index of the level, or -(insertion point) - 1
         */
        int find(final long price)
        {
            int lo = 0;
            int hi = count - 1;
            while (lo <= hi)
            {
                final int mid = (lo + hi) >>> 1;
                final long at = prices[mid];
                if (at == price)
                {
                    return mid;
                }
                if (descending ? at > price : at < price)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }
            return -(lo + 1);
        }

        void set(final long price, final long size)
        {
            final int at = find(price);
            if (at >= 0)
            {
                if (size == 0)
                {
                    System.arraycopy(prices, at + 1, prices, at, count - at - 1);
                    System.arraycopy(sizes, at + 1, sizes, at, count - at - 1);
                    count--;
                }
                else
                {
                    sizes[at] = size;
                }
            }
            else if (size != 0)
            {
                ensureRoom();
                final int insert = -at - 1;
                System.arraycopy(prices, insert, prices, insert + 1, count - insert);
                System.arraycopy(sizes, insert, sizes, insert + 1, count - insert);
                prices[insert] = price;
                sizes[insert] = size;
                count++;
            }
        }

        private void ensureRoom()
        {
            if (count == prices.length)
            {
                prices = Arrays.copyOf(prices, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
            }
        }
    }
}
