package io.rollbook.gateway.view;

/**
 * Per market, what the public API shows beside the book, built from released events: the oracle price, the last
 * funding tick (rate, cumulative index, the oracle price it used) and the most recent trades.
 *
 * <p>Single writer: the release thread, through {@link ViewUpdater}. Readers on any thread copy what they need
 * under the view's lock ({@link #read}, {@link #trades}); the writer takes it for each change, uncontended but for
 * the rare read. The {@link AccountsView} built on this view shares the lock, so that an account's copy carries the
 * oracle prices and funding indices of the same moment. Nothing is allocated after construction.
 */
public final class MarketStatsView
{
    /** How many recent trades each market keeps. */
    public static final int RECENT_TRADES = 100;

    private final Object lock = new Object();
    private final long[] oraclePriceTicks;
    private final long[] fundingRatePpb;
    private final long[] fundingIndex;
    private final long[] fundingOracleTicks;
    private final long[] fundingSequence;
    private final long[][] trades;
    private final long[] tradeCount;
    /** The journal sequence of the last command whose events the views (this one and the accounts') hold. */
    private long appliedSequence;

    /** The fields of one recorded trade, in its slot of {@link #trades}. */
    private static final int T_ID = 0;
    private static final int T_PRICE = 1;
    private static final int T_SIZE = 2;
    private static final int T_AGGRESSOR = 3;
    private static final int T_CHANNEL_SEQ = 4;
    private static final int T_SEQUENCE = 5;
    private static final int T_TIMESTAMP = 6;
    private static final int T_FIELDS = 7;

    /**
     * @param marketCapacity market ids from 0 (inclusive) to this (exclusive)
     */
    public MarketStatsView(final int marketCapacity)
    {
        oraclePriceTicks = new long[marketCapacity];
        fundingRatePpb = new long[marketCapacity];
        fundingIndex = new long[marketCapacity];
        fundingOracleTicks = new long[marketCapacity];
        fundingSequence = new long[marketCapacity];
        trades = new long[marketCapacity][];
        tradeCount = new long[marketCapacity];
    }

    /**
     * A reader's copy of a market's figures; reused by its owner.
     */
    public static final class Stats
    {
        long oraclePriceTicks;
        long fundingRatePpb;
        long fundingIndex;
        long fundingOracleTicks;
        long fundingSequence;
        long sequence;

        /**
         * @return the journal sequence of the last command this copy reflects: a subscriber drops the events of
         *         that command and earlier ones, which the copy holds already
         */
        public long sequence()
        {
            return sequence;
        }

        /**
         * @return the oracle price in ticks, 0 while the market has none
         */
        public long oraclePriceTicks()
        {
            return oraclePriceTicks;
        }

        /**
         * @return the last funding tick's rate in parts per billion, 0 before the first
         */
        public long fundingRatePpb()
        {
            return fundingRatePpb;
        }

        /**
         * @return the market's cumulative funding index (1e-9 micro-USDC per lot)
         */
        public long fundingIndex()
        {
            return fundingIndex;
        }

        public long fundingOracleTicks()
        {
            return fundingOracleTicks;
        }

        /**
         * @return the journal sequence of the last funding tick, 0 before the first
         */
        public long fundingSequence()
        {
            return fundingSequence;
        }
    }

    /**
     * A reader's copy of recent trades, newest first; reused by its owner.
     */
    public static final class Trades
    {
        final long[] fields = new long[RECENT_TRADES * T_FIELDS];
        int count;

        public int count()
        {
            return count;
        }

        public long tradeId(final int i)
        {
            return fields[i * T_FIELDS + T_ID];
        }

        public long priceTicks(final int i)
        {
            return fields[i * T_FIELDS + T_PRICE];
        }

        public long sizeLots(final int i)
        {
            return fields[i * T_FIELDS + T_SIZE];
        }

        /**
         * @return 0 buy, 1 sell: the taker's side
         */
        public int aggressorSide(final int i)
        {
            return (int)fields[i * T_FIELDS + T_AGGRESSOR];
        }

        public long channelSeq(final int i)
        {
            return fields[i * T_FIELDS + T_CHANNEL_SEQ];
        }

        public long sequence(final int i)
        {
            return fields[i * T_FIELDS + T_SEQUENCE];
        }

        public long timestampNs(final int i)
        {
            return fields[i * T_FIELDS + T_TIMESTAMP];
        }
    }

    /**
     * The lock of this view's state, which the accounts view and the writer's command boundaries share.
     */
    Object lock()
    {
        return lock;
    }

    /**
     * @return false if the market id is out of range
     */
    public boolean read(final int market, final Stats out)
    {
        if (market < 0 || market >= oraclePriceTicks.length)
        {
            return false;
        }
        synchronized (lock)
        {
            out.oraclePriceTicks = oraclePriceTicks[market];
            out.fundingRatePpb = fundingRatePpb[market];
            out.fundingIndex = fundingIndex[market];
            out.fundingOracleTicks = fundingOracleTicks[market];
            out.fundingSequence = fundingSequence[market];
            out.sequence = appliedSequence;
        }
        return true;
    }

    /**
     * The writer has applied every event of the command with this sequence (and of every command before it); it
     * holds the lock across the command's events, so a reader's copy is of a whole number of commands.
     */
    void applied(final long sequence)
    {
        synchronized (lock)
        {
            appliedSequence = sequence;
        }
    }

    /**
     * Under the lock.
     *
     * @return the journal sequence of the last command whose events the views hold
     */
    long appliedSequence()
    {
        return appliedSequence;
    }

    /**
     * Copies the market's recent trades, newest first.
     */
    public void trades(final int market, final Trades out)
    {
        out.count = 0;
        if (market < 0 || market >= trades.length)
        {
            return;
        }
        synchronized (lock)
        {
            final long[] ring = trades[market];
            if (ring == null)
            {
                return;
            }
            final long count = tradeCount[market];
            final int n = (int)Math.min(count, RECENT_TRADES);
            for (int i = 0; i < n; i++)
            {
                final int slot = (int)((count - 1 - i) % RECENT_TRADES);
                System.arraycopy(ring, slot * T_FIELDS, out.fields, i * T_FIELDS, T_FIELDS);
            }
            out.count = n;
        }
    }

    /**
     * Release thread, the only writer: needs no lock to read.
     */
    void encode(final ViewSnapshotCursor out)
    {
        out.putInt(trades.length);
        for (int market = 0; market < trades.length; market++)
        {
            out.putLong(oraclePriceTicks[market]);
            out.putLong(fundingRatePpb[market]);
            out.putLong(fundingIndex[market]);
            out.putLong(fundingOracleTicks[market]);
            out.putLong(fundingSequence[market]);
            out.putLong(tradeCount[market]);
            final long[] ring = trades[market];
            out.putByte(ring == null ? 0 : 1);
            if (ring != null)
            {
                out.putLongs(ring, 0, (int)Math.min(tradeCount[market], RECENT_TRADES) * T_FIELDS);
            }
        }
    }

    void decode(final ViewSnapshotCursor in)
    {
        ViewSnapshotCodec.expectCapacity("market statistics", in.getInt(), trades.length);
        synchronized (lock)
        {
            for (int market = 0; market < trades.length; market++)
            {
                oraclePriceTicks[market] = in.getLong();
                fundingRatePpb[market] = in.getLong();
                fundingIndex[market] = in.getLong();
                fundingOracleTicks[market] = in.getLong();
                fundingSequence[market] = in.getLong();
                final long count = in.getLong();
                if (count < 0)
                {
                    throw new ViewSnapshotException("market " + market + " counts " + count + " trades");
                }
                tradeCount[market] = count;
                if (in.getByte() != 0)
                {
                    final long[] ring = new long[RECENT_TRADES * T_FIELDS];
                    final int used = (int)Math.min(count, RECENT_TRADES) * T_FIELDS;
                    for (int i = 0; i < used; i++)
                    {
                        ring[i] = in.getLong();
                    }
                    trades[market] = ring;
                }
            }
        }
    }

    void define(final int market)
    {
        synchronized (lock)
        {
            if (market >= 0 && market < trades.length && trades[market] == null)
            {
                trades[market] = new long[RECENT_TRADES * T_FIELDS];
            }
        }
    }

    void onOracle(final int market, final long priceTicks)
    {
        synchronized (lock)
        {
            oraclePriceTicks[market] = priceTicks;
        }
    }

    void onFunding(final int market, final long ratePpb, final long index, final long oracleTicks, final long sequence)
    {
        synchronized (lock)
        {
            fundingRatePpb[market] = ratePpb;
            fundingIndex[market] = index;
            fundingOracleTicks[market] = oracleTicks;
            fundingSequence[market] = sequence;
        }
    }

    void onTrade(
        final int market,
        final long tradeId,
        final long priceTicks,
        final long sizeLots,
        final int aggressorSide,
        final long channelSeq,
        final long sequence,
        final long timestampNs)
    {
        synchronized (lock)
        {
            final long[] ring = trades[market];
            if (ring == null)
            {
                return;
            }
            final int at = (int)(tradeCount[market] % RECENT_TRADES) * T_FIELDS;
            ring[at + T_ID] = tradeId;
            ring[at + T_PRICE] = priceTicks;
            ring[at + T_SIZE] = sizeLots;
            ring[at + T_AGGRESSOR] = aggressorSide;
            ring[at + T_CHANNEL_SEQ] = channelSeq;
            ring[at + T_SEQUENCE] = sequence;
            ring[at + T_TIMESTAMP] = timestampNs;
            tradeCount[market]++;
        }
    }
}
