package io.rollbook.client;

/**
 * A market's price levels as the market data feed describes them: rebuilt from each snapshot, then changed by each
 * incremental update in channel sequence order. While it waits for a snapshot (after subscribing, or after a gap in
 * the channel sequence) it is {@link #isStale() stale} and must not be trusted.
 *
 * <p>Each side is a red-black tree of its levels ({@code LevelTree}): a change costs O(log n) however deep the book (a
 * far-from-touch ladder of tens of thousands of levels included), the best level is read in O(1), and a walk from the
 * best outwards, depth 0, 1, 2, ..., in O(1) a level; any other depth costs O(log n). Applying a change allocates
 * nothing once the book has been as deep before.
 *
 * <p>A snapshot carries at most the best 65,535 levels of a side: of a side deeper than that, the levels beyond are
 * only those changed since the snapshot.
 *
 * <p><b>Threading.</b> Not thread-safe: owned, read and changed by the thread that calls {@link RollbookClient#poll()}
 * (its listener's callbacks included). Another thread that wants the book must be handed a copy of what it needs.
 */
public final class LocalOrderBook
{
    private final int market;
    private final LevelTree bids = new LevelTree(true);
    private final LevelTree asks = new LevelTree(false);
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
        return bids.count();
    }

    public int askCount()
    {
        return asks.count();
    }

    /**
     * @param depth 0 for the best bid, up to {@link #bidCount()} - 1
     * @throws IndexOutOfBoundsException if there is no bid at that depth
     */
    public long bidPrice(final int depth)
    {
        return bids.priceAt(depth);
    }

    /**
     * @param depth 0 for the best bid, up to {@link #bidCount()} - 1
     * @throws IndexOutOfBoundsException if there is no bid at that depth
     */
    public long bidSize(final int depth)
    {
        return bids.sizeAt(depth);
    }

    /**
     * @param depth 0 for the best ask, up to {@link #askCount()} - 1
     * @throws IndexOutOfBoundsException if there is no ask at that depth
     */
    public long askPrice(final int depth)
    {
        return asks.priceAt(depth);
    }

    /**
     * @param depth 0 for the best ask, up to {@link #askCount()} - 1
     * @throws IndexOutOfBoundsException if there is no ask at that depth
     */
    public long askSize(final int depth)
    {
        return asks.sizeAt(depth);
    }

    /**
     * @param side 0 bids, 1 asks (the feed's {@code Side.BUY.value()} and {@code Side.SELL.value()})
     * @return the level's total size, 0 if there is no such level
     * @throws IllegalArgumentException if {@code side} is neither 0 nor 1
     */
    public long sizeAt(final int side, final long priceTicks)
    {
        return levels(side).sizeOf(priceTicks);
    }

    void beginSnapshot(final long channelSeq, final long sequence)
    {
        bids.clear();
        asks.clear();
        this.channelSeq = channelSeq;
        this.sequence = sequence;
    }

    void snapshotLevel(final int side, final long priceTicks, final long sizeLots)
    {
        levels(side).set(priceTicks, sizeLots);
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
        levels(side).set(priceTicks, sizeLots);
        this.channelSeq = channelSeq;
        this.sequence = sequence;
    }

    void advance(final long channelSeq, final long sequence)
    {
        this.channelSeq = channelSeq;
        this.sequence = sequence;
    }

    private LevelTree levels(final int side)
    {
        if (side == 0)
        {
            return bids;
        }
        if (side == 1)
        {
            return asks;
        }
        throw new IllegalArgumentException("side is 0 (bids) or 1 (asks), got " + side);
    }

    /**
     * @return the market, the channel sequence and the best five levels of each side
     */
    @Override
    public String toString()
    {
        final StringBuilder out = new StringBuilder("book ").append(market).append(" @").append(channelSeq)
            .append(stale ? " (stale)" : "").append(" bids");
        for (int i = 0; i < Math.min(5, bids.count()); i++)
        {
            out.append(' ').append(bids.sizeAt(i)).append('@').append(bids.priceAt(i));
        }
        out.append(" asks");
        for (int i = 0; i < Math.min(5, asks.count()); i++)
        {
            out.append(' ').append(asks.sizeAt(i)).append('@').append(asks.priceAt(i));
        }
        return out.toString();
    }

    /**
     * For the tests: both sides' tree invariants.
     */
    void checkInvariants()
    {
        bids.checkInvariants();
        asks.checkInvariants();
    }
}
