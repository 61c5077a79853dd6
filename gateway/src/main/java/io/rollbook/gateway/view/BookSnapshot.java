package io.rollbook.gateway.view;

import java.util.Arrays;

/**
 * A copy of one market's price levels, best first on each side, as of a channel sequence number: what a
 * subscriber starts from. Reused by its owner (an event loop) from one snapshot to the next.
 *
 * <p>Not thread-safe: filled by {@link MarketDataView#snapshot} and read by the same thread.
 */
public final class BookSnapshot
{
    int market;
    long channelSeq;
    long sequence;
    int bidCount;
    int askCount;
    long[] bidPrices = new long[64];
    long[] bidSizes = new long[64];
    long[] askPrices = new long[64];
    long[] askSizes = new long[64];

    public int market()
    {
        return market;
    }

    /**
     * @return the channel sequence number the snapshot reflects: increments above it follow
     */
    public long channelSeq()
    {
        return channelSeq;
    }

    /**
     * @return the journal sequence of the last command that changed this market's data
     */
    public long sequence()
    {
        return sequence;
    }

    public int bidCount()
    {
        return bidCount;
    }

    public int askCount()
    {
        return askCount;
    }

    /**
     * @param depth 0 for the best bid
     */
    public long bidPrice(final int depth)
    {
        return bidPrices[depth];
    }

    public long bidSize(final int depth)
    {
        return bidSizes[depth];
    }

    /**
     * @param depth 0 for the best ask
     */
    public long askPrice(final int depth)
    {
        return askPrices[depth];
    }

    public long askSize(final int depth)
    {
        return askSizes[depth];
    }

    void ensureCapacity(final int bids, final int asks)
    {
        if (bidPrices.length < bids)
        {
            bidPrices = Arrays.copyOf(bidPrices, Math.max(bids, bidPrices.length * 2));
            bidSizes = Arrays.copyOf(bidSizes, bidPrices.length);
        }
        if (askPrices.length < asks)
        {
            askPrices = Arrays.copyOf(askPrices, Math.max(asks, askPrices.length * 2));
            askSizes = Arrays.copyOf(askSizes, askPrices.length);
        }
    }

    /**
     * Orders both sides best first: bids by descending, asks by ascending price.
     */
    void sort()
    {
        PairSort.sort(bidPrices, bidSizes, bidCount, true);
        PairSort.sort(askPrices, askSizes, askCount, false);
    }
}
