package io.rollbook.gateway.view;

import org.agrona.collections.Long2LongHashMap;

/**
 * The public market data of every market, built from released events: each market's price levels (total open size
 * per price, both sides) and its channel sequence number, which counts every change and every trade from the first
 * command of the journal, so it is gap-free, and the same after any restart (it is a function of the journal).
 *
 * <p>Single writer: the release thread, through {@link ViewUpdater}. Readers on any thread take a consistent
 * {@link #snapshot} under the view's lock, which states the channel sequence it reflects; a subscriber then applies
 * the increments numbered above it. The writer takes the same lock for each change, uncontended but for the rare
 * snapshot.
 */
public final class MarketDataView
{
    public static final int BID = 0;
    public static final int ASK = 1;

    private final Object lock = new Object();
    private final Book[] books;
    private long lastLevelTotal;

    private static final class Book
    {
        final Long2LongHashMap bids = new Long2LongHashMap(0);
        final Long2LongHashMap asks = new Long2LongHashMap(0);
        long channelSeq;
        long sequence;
    }

    /**
     * @param marketCapacity market ids from 0 (inclusive) to this (exclusive)
     */
    public MarketDataView(final int marketCapacity)
    {
        this.books = new Book[marketCapacity];
    }

    void define(final int market)
    {
        synchronized (lock)
        {
            if (market >= 0 && market < books.length && books[market] == null)
            {
                books[market] = new Book();
            }
        }
    }

    /**
     * Release thread: a price level's open size changes by {@code deltaLots}.
     *
     * @return the change's channel sequence number; {@link #lastLevelTotal()} gives the level's new total
     * @throws IllegalStateException if the level would go negative: the view and the journal disagree
     */
    long applyLevelDelta(final int market, final int side, final long priceTicks, final long deltaLots, final long sequence)
    {
        synchronized (lock)
        {
            final Book book = books[market];
            final Long2LongHashMap levels = side == BID ? book.bids : book.asks;
            final long total = levels.get(priceTicks) + deltaLots;
            if (total < 0)
            {
                throw new IllegalStateException("market " + market + (side == BID ? " bid " : " ask ") + priceTicks +
                    " would hold " + total + " lots at sequence " + sequence);
            }
            if (total == 0)
            {
                levels.remove(priceTicks);
            }
            else
            {
                levels.put(priceTicks, total);
            }
            lastLevelTotal = total;
            book.sequence = sequence;
            return ++book.channelSeq;
        }
    }

    /**
     * Release thread: the new total of the level changed last.
     */
    long lastLevelTotal()
    {
        return lastLevelTotal;
    }

    /**
     * Release thread: a trade in the market.
     *
     * @return its channel sequence number
     */
    long nextTradeSeq(final int market, final long sequence)
    {
        synchronized (lock)
        {
            final Book book = books[market];
            book.sequence = sequence;
            return ++book.channelSeq;
        }
    }

    /**
     * Release thread: every defined market's levels and channel sequence, each book under the lock (a reader's
     * {@link #snapshot} walks the same maps).
     */
    void encode(final ViewSnapshotCursor out)
    {
        out.putInt(books.length);
        out.putLong(lastLevelTotal);
        for (int market = 0; market < books.length; market++)
        {
            synchronized (lock)
            {
                final Book book = books[market];
                if (book != null)
                {
                    out.putInt(market);
                    out.putLong(book.channelSeq);
                    out.putLong(book.sequence);
                    encodeLevels(book.bids, out);
                    encodeLevels(book.asks, out);
                }
            }
        }
        out.putInt(-1);
    }

    private static void encodeLevels(final Long2LongHashMap levels, final ViewSnapshotCursor out)
    {
        out.putInt(levels.size());
        final Long2LongHashMap.EntryIterator entries = levels.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            out.putLong(entries.getLongKey());
            out.putLong(entries.getLongValue());
        }
    }

    void decode(final ViewSnapshotCursor in)
    {
        ViewSnapshotCodec.expectCapacity("market data books", in.getInt(), books.length);
        synchronized (lock)
        {
            lastLevelTotal = in.getLong();
            int market;
            while ((market = in.getInt()) != -1)
            {
                ViewSnapshotCodec.expectIndex("market", market, books.length);
                final Book book = new Book();
                book.channelSeq = in.getLong();
                book.sequence = in.getLong();
                decodeLevels(book.bids, in);
                decodeLevels(book.asks, in);
                books[market] = book;
            }
        }
    }

    private static void decodeLevels(final Long2LongHashMap levels, final ViewSnapshotCursor in)
    {
        final int count = in.count(16);
        for (int i = 0; i < count; i++)
        {
            final long price = in.getLong();
            final long total = in.getLong();
            if (total <= 0)
            {
                throw new ViewSnapshotException("a level at " + price + " holding " + total + " lots");
            }
            levels.put(price, total);
        }
    }

    /**
     * Any thread: copies the market's levels, best first, with the channel sequence they reflect.
     *
     * @return false if the market is not defined
     */
    public boolean snapshot(final int market, final BookSnapshot out)
    {
        if (market < 0 || market >= books.length)
        {
            return false;
        }
        synchronized (lock)
        {
            final Book book = books[market];
            if (book == null)
            {
                return false;
            }
            out.market = market;
            out.channelSeq = book.channelSeq;
            out.sequence = book.sequence;
            out.ensureCapacity(book.bids.size(), book.asks.size());
            out.bidCount = copy(book.bids, out.bidPrices, out.bidSizes);
            out.askCount = copy(book.asks, out.askPrices, out.askSizes);
        }
        out.sort();
        return true;
    }

    /**
     * @return the market's current channel sequence number, -1 if it is not defined
     */
    public long channelSeq(final int market)
    {
        synchronized (lock)
        {
            return market >= 0 && market < books.length && books[market] != null ? books[market].channelSeq : -1;
        }
    }

    private static int copy(final Long2LongHashMap levels, final long[] prices, final long[] sizes)
    {
        int count = 0;
        final Long2LongHashMap.EntryIterator entries = levels.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            prices[count] = entries.getLongKey();
            sizes[count] = entries.getLongValue();
            count++;
        }
        return count;
    }
}
