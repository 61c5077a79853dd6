package io.rollbook.matcher;

import java.nio.ByteOrder;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.PriceLevel;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
import io.rollbook.matcher.risk.FeeSchedule;
import org.agrona.MutableDirectBuffer;

/**
 * Writes {@link SnapshotCodec}'s bytes, fast: the snapshot pauses the matcher thread, and a large state is mostly
 * a million and more orders scattered over the heap, each reached through the one before it in its list.
 *
 * <p>Two passes. The first sizes the snapshot from counts the state keeps (live orders and slots per account,
 * levels per side, orders per level) without touching an order, so the buffer is made large enough once, and every
 * list's place in the bytes is known before it is walked. The second writes, and walks {@link #LANES} order lists
 * at a time, one order of each in turn: their loads do not wait on each other, so the cache misses of several lists
 * overlap instead of queueing one behind the other (one list alone is a chain of dependent misses).
 *
 * <p>The bytes are exactly those the field-by-field encoding wrote: the format, and so the state hash, is unchanged.
 * One per matcher, used on the matcher's thread; allocates nothing once made.
 */
final class SnapshotEncoder
{
    static final int HEADER_LENGTH = Long.BYTES + Integer.BYTES + 7 * Integer.BYTES + 7 * Long.BYTES;
    static final int FEE_TIER_LENGTH = 3 * Integer.BYTES;
    static final int MARKET_LENGTH = Integer.BYTES + Market.SYMBOL_LENGTH + Long.BYTES + 1 + Long.BYTES + 1 +
        3 * Long.BYTES + Integer.BYTES + 3 * Long.BYTES + 3 * Integer.BYTES + 2 * Long.BYTES;
    static final int ACCOUNT_LENGTH = Integer.BYTES + Long.BYTES + Integer.BYTES + Short.BYTES + Integer.BYTES +
        Integer.BYTES;
    static final int SLOT_LENGTH = Integer.BYTES + Short.BYTES + 5 * Long.BYTES;
    static final int ORDER_LENGTH = 2 * Long.BYTES + Integer.BYTES + 5 * Short.BYTES + 1 + 3 * Long.BYTES;
    private static final int LANES = 16;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /** The buffer being written, held only during {@link #write}. */
    private MutableDirectBuffer out;
    private final Order[] lane = new Order[LANES];
    private final int[] laneAt = new int[LANES];
    /** What reading ahead read, kept so that the reads are not left out as useless. */
    private long touched;

    /**
     * @return the number of bytes written
     */
    int write(final Matcher matcher, final MutableDirectBuffer buffer, final int offset)
    {
        final long length = length(matcher);
        if (offset + length > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("a snapshot of " + length + " bytes is larger than a buffer can hold");
        }
        buffer.checkLimit(offset + (int)length);
        out = buffer;
        try
        {
            int at = writeHeader(matcher, offset);
            at = writeMarkets(matcher.markets(), at);
            at = writeAccounts(matcher.accounts(), at);
            at = writeBooks(matcher.markets(), at);
            if (at != offset + length)
            {
                throw new IllegalStateException("snapshot sized " + length + " bytes, written " + (at - offset));
            }
            return at - offset;
        }
        finally
        {
            out = null;
        }
    }

    /**
     * @return the exact length of the snapshot, from counts alone
     */
    static long length(final Matcher matcher)
    {
        long length = HEADER_LENGTH + Integer.BYTES;
        final FeeSchedule fees = matcher.clearing().fees();
        for (int tier = 0; tier < FeeSchedule.TIER_COUNT; tier++)
        {
            length += fees.isDefined(tier) ? FEE_TIER_LENGTH : 0;
        }
        final MarketTable markets = matcher.markets();
        length += Integer.BYTES;
        for (int id = 1; id < markets.capacity(); id++)
        {
            final Market market = markets.get(id);
            if (market != null)
            {
                length += MARKET_LENGTH + sideLength(market.book().bids()) + sideLength(market.book().asks());
            }
        }
        final AccountTable accounts = matcher.accounts();
        length += Integer.BYTES;
        for (int id = 1, limit = accounts.limit(); id < limit; id++)
        {
            final Account account = accounts.get(id);
            if (account != null)
            {
                length += ACCOUNT_LENGTH + (long)account.positionCount() * SLOT_LENGTH +
                    (long)account.liveOrderCount() * Long.BYTES;
            }
        }
        return length;
    }

    private static long sideLength(final BookSide side)
    {
        long length = Integer.BYTES;
        for (PriceLevel level = side.best(); level != null; level = level.worse())
        {
            length += Integer.BYTES + (long)level.orderCount() * ORDER_LENGTH;
        }
        return length;
    }

    private int writeHeader(final Matcher matcher, final int offset)
    {
        final Matcher.Context context = matcher.context();
        int at = putLong(offset, SnapshotCodec.MAGIC);
        at = putInt(at, SnapshotCodec.VERSION);
        at = putInt(at, context.marketCapacity());
        at = putInt(at, context.accountCapacity());
        at = putInt(at, context.orderCapacity());
        at = putInt(at, context.maxOpenOrdersPerAccount());
        at = putInt(at, context.feeAccount());
        at = putInt(at, context.insuranceFundAccount());
        at = putInt(at, context.maxMakersPerTaker());
        at = putLong(at, matcher.lastSequence());
        at = putLong(at, matcher.lastTimestampNs());
        at = putLong(at, matcher.lastOrderId());
        at = putLong(at, matcher.lastTradeId());
        at = putLong(at, matcher.depositedMicros());
        at = putLong(at, matcher.withdrawnMicros());
        at = putLong(at, matcher.fundingResidueNanos());

        final FeeSchedule fees = matcher.clearing().fees();
        int tiers = 0;
        for (int tier = 0; tier < FeeSchedule.TIER_COUNT; tier++)
        {
            tiers += fees.isDefined(tier) ? 1 : 0;
        }
        at = putInt(at, tiers);
        for (int tier = 0; tier < FeeSchedule.TIER_COUNT; tier++)
        {
            if (fees.isDefined(tier))
            {
                at = putInt(at, tier);
                at = putInt(at, fees.makerPpm(tier));
                at = putInt(at, fees.takerPpm(tier));
            }
        }
        return at;
    }

    private int writeMarkets(final MarketTable markets, final int offset)
    {
        int count = 0;
        for (int id = 1; id < markets.capacity(); id++)
        {
            count += markets.get(id) != null ? 1 : 0;
        }
        int at = putInt(offset, count);
        for (int id = 1; id < markets.capacity(); id++)
        {
            final Market market = markets.get(id);
            if (market != null)
            {
                at = writeMarket(market, at);
            }
        }
        return at;
    }

    private int writeMarket(final Market market, final int offset)
    {
        int at = putInt(offset, market.id());
        final byte[] symbol = market.symbol();
        out.putBytes(at, symbol, 0, Market.SYMBOL_LENGTH);
        at += Market.SYMBOL_LENGTH;
        at = putLong(at, market.tickSizeMantissa());
        out.putByte(at++, market.tickSizeExponent());
        at = putLong(at, market.lotSizeMantissa());
        out.putByte(at++, market.lotSizeExponent());
        at = putLong(at, market.tickLotValueMicros());
        at = putLong(at, market.minSizeLots());
        at = putLong(at, market.maxOrderSizeLots());
        at = putInt(at, market.marketOrderBandPpm());
        at = putLong(at, market.baselinePositionLots());
        at = putLong(at, market.incrementalPositionLots());
        at = putLong(at, market.maxPositionLots());
        at = putInt(at, market.initialMarginPpm());
        at = putInt(at, market.maintenanceMarginPpm());
        at = putInt(at, market.incrementalInitialMarginPpm());
        at = putLong(at, market.oraclePriceTicks());
        return putLong(at, market.fundingIndex());
    }

    /**
     * Each account's fixed fields and slots in turn; its live order ids, whose place is known from its count, are
     * left to the lanes.
     */
    private int writeAccounts(final AccountTable accounts, final int offset)
    {
        final int limit = accounts.limit();
        int count = 0;
        for (int id = 1; id < limit; id++)
        {
            count += accounts.get(id) != null ? 1 : 0;
        }
        int at = putInt(offset, count);
        for (int id = 1; id < limit; id++)
        {
            final Account account = accounts.get(id);
            if (account == null)
            {
                continue;
            }
            at = putInt(at, account.id());
            at = putLong(at, account.collateralMicros());
            at = putInt(at, account.feeTier());
            at = putShort(at, account.defaultSelfTradePrevention().value());
            final int slots = account.positionCount();
            at = putInt(at, slots);
            for (int i = 0; i < slots; i++)
            {
                final Position position = account.positionAt(i);
                at = putInt(at, position.market());
                at = putShort(at, position.marginMode().value());
                at = putLong(at, position.sizeLots());
                at = putLong(at, position.entryValueMicros());
                at = putLong(at, position.fundingIndex());
                at = putLong(at, position.isolatedMarginMicros());
                at = putLong(at, position.realizedPnlMicros());
            }
            final int orders = account.liveOrderCount();
            at = putInt(at, orders);
            startList(account.firstLiveOrder(), at, false);
            at += orders * Long.BYTES;
        }
        while (stepAccountLists())
        {
            // every step writes one order id of each list still open
        }
        return at;
    }

    /**
     * Gives the list that starts at {@code head} a free lane, stepping the open lists (an account's order ids, or a
     * level's queue) until one ends if all lanes are taken.
     */
    private void startList(final Order head, final int at, final boolean levelQueue)
    {
        if (head == null)
        {
            return;
        }
        while (true)
        {
            for (int i = 0; i < LANES; i++)
            {
                if (lane[i] == null)
                {
                    lane[i] = head;
                    laneAt[i] = at;
                    return;
                }
            }
            if (levelQueue)
            {
                stepLevelQueues();
            }
            else
            {
                stepAccountLists();
            }
        }
    }

    /**
     * @return whether any list is still open
     */
    private boolean stepAccountLists()
    {
        boolean open = false;
        for (int i = 0; i < LANES; i++)
        {
            final Order order = lane[i];
            if (order != null)
            {
                laneAt[i] = putLong(laneAt[i], order.orderId());
                final Order next = order.nextOfAccount();
                lane[i] = next;
                open |= next != null;
            }
        }
        return open;
    }

    /**
     * Every market's bids then asks, each level's count in place and its queue left to the lanes.
     */
    private int writeBooks(final MarketTable markets, final int offset)
    {
        int at = offset;
        for (int id = 1; id < markets.capacity(); id++)
        {
            final Market market = markets.get(id);
            if (market != null)
            {
                at = writeSide(market.book().bids(), at);
                at = writeSide(market.book().asks(), at);
            }
        }
        while (stepLevelQueues())
        {
            // every step writes one order of each queue still open
        }
        return at;
    }

    private int writeSide(final BookSide side, final int offset)
    {
        int at = putInt(offset, side.levelCount());
        for (PriceLevel level = side.best(); level != null; level = level.worse())
        {
            final int orders = level.orderCount();
            at = putInt(at, orders);
            startList(level.head(), at, true);
            at += orders * ORDER_LENGTH;
        }
        return at;
    }

    /**
     * Writes the order of each open queue, then moves each to its next order and reads that one's first field: the
     * reads are all the loop does, so the misses of all lanes are in flight together, and the next step writes
     * from the cache.
     */
    private boolean stepLevelQueues()
    {
        for (int i = 0; i < LANES; i++)
        {
            final Order order = lane[i];
            if (order != null)
            {
                laneAt[i] = writeOrder(order, laneAt[i]);
            }
        }
        boolean open = false;
        for (int i = 0; i < LANES; i++)
        {
            final Order order = lane[i];
            if (order != null)
            {
                final Order next = order.nextInLevel();
                lane[i] = next;
                if (next != null)
                {
                    touched ^= next.orderId();
                    open = true;
                }
            }
        }
        return open;
    }

    private int writeOrder(final Order order, final int offset)
    {
        int at = putLong(offset, order.orderId());
        at = putLong(at, order.clientOrderId());
        at = putInt(at, order.account());
        at = putShort(at, order.side().value());
        at = putShort(at, order.orderType().value());
        at = putShort(at, order.timeInForce().value());
        at = putShort(at, order.marginMode().value());
        at = putShort(at, order.selfTradePrevention().value());
        out.putByte(at++, order.flags());
        at = putLong(at, order.priceTicks());
        at = putLong(at, order.sizeLots());
        return putLong(at, order.filledLots());
    }

    private int putLong(final int at, final long value)
    {
        out.putLong(at, value, ORDER);
        return at + Long.BYTES;
    }

    private int putInt(final int at, final int value)
    {
        out.putInt(at, value, ORDER);
        return at + Integer.BYTES;
    }

    private int putShort(final int at, final short value)
    {
        out.putShort(at, value, ORDER);
        return at + Short.BYTES;
    }
}
