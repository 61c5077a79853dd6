package io.rollbook.matcher;

import java.nio.ByteOrder;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
import io.rollbook.matcher.risk.Clearing;
import io.rollbook.matcher.risk.FeeSchedule;
import io.rollbook.protocol.EngineEnums;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import org.agrona.DirectBuffer;

/**
 * The complete state of a matcher as bytes, and back. The encoding is canonical: markets by id, accounts by id,
 * each account's slots and live orders in their own order, each book from the best level down with every level's
 * orders in queue order. Equal states therefore give equal bytes, which makes a hash of them a state hash; what
 * only speeds things up (hash indexes, pools, the liquidation index) is rebuilt on loading, not stored.
 *
 * <p>Written by {@link SnapshotEncoder}, read here. Layout (little-endian): magic, version, the context, counters,
 * fee tiers, markets, accounts with their slots and live order ids, then the books. All fields fixed width; see
 * the encoder's write methods for the order.
 */
final class SnapshotCodec
{
    static final long MAGIC = 0x50414E53_4B4F4252L;
    /** Version 2 adds the makers limit to the context; a version 1 snapshot is of a matcher without one. */
    static final int VERSION = 2;
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private SnapshotCodec()
    {
    }

    static Matcher read(final DirectBuffer buffer, final int offset, final int length)
    {
        final Reader in = new Reader(buffer, offset, length);
        if (in.getLong() != MAGIC)
        {
            throw new IllegalArgumentException("not a matcher snapshot");
        }
        final int version = in.getInt();
        if (version != VERSION && version != 1)
        {
            throw new IllegalArgumentException("snapshot version " + version + ", this matcher reads 1 and " + VERSION);
        }
        final Matcher.Context context = new Matcher.Context()
            .marketCapacity(in.getInt())
            .accountCapacity(in.getInt())
            .orderCapacity(in.getInt())
            .maxOpenOrdersPerAccount(in.getInt())
            .feeAccount(in.getInt())
            .insuranceFundAccount(in.getInt())
            .maxMakersPerTaker(version == 1 ? 0 : in.getInt());
        final Matcher matcher = new Matcher(context);
        matcher.restoreCounters(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong(),
            in.getLong());

        final FeeSchedule fees = matcher.clearing().fees();
        for (int i = 0, tiers = in.getInt(); i < tiers; i++)
        {
            fees.define(in.getInt(), in.getInt(), in.getInt());
        }

        final MarketTable markets = matcher.markets();
        for (int i = 0, count = in.getInt(); i < count; i++)
        {
            markets.add(readMarket(in));
        }

        final AccountTable accounts = matcher.accounts();
        final int accountCount = in.getInt();
        final long[][] liveOrderIds = new long[accountCount][];
        final Account[] restored = new Account[accountCount];
        for (int i = 0; i < accountCount; i++)
        {
            final Account account = accounts.getOrCreate(in.getInt());
            restored[i] = account;
            account.addCollateral(in.getLong());
            account.feeTier(in.getInt());
            account.defaultSelfTradePrevention(EngineEnums.selfTradePrevention(in.getShort()));
            int crossPositions = 0;
            for (int s = 0, slots = in.getInt(); s < slots; s++)
            {
                final int market = in.getInt();
                final MarginMode mode = EngineEnums.marginMode(in.getShort());
                final long size = in.getLong();
                final long entryValue = in.getLong();
                final long fundingIndex = in.getLong();
                final long isolatedMargin = in.getLong();
                final long realizedPnl = in.getLong();
                final Position position = accounts.openPosition(account, market, mode, fundingIndex);
                position.restore(size, entryValue, isolatedMargin, realizedPnl);
                crossPositions += mode == MarginMode.CROSS && size != 0 ? 1 : 0;
            }
            account.crossPositionCount(crossPositions);
            final long[] ids = new long[in.getInt()];
            for (int o = 0; o < ids.length; o++)
            {
                ids[o] = in.getLong();
            }
            liveOrderIds[i] = ids;
        }

        final LiveOrders liveOrders = matcher.liveOrders();
        for (int id = 1; id < markets.capacity(); id++)
        {
            final Market market = markets.get(id);
            if (market != null)
            {
                readSide(in, liveOrders, market, market.book().bids());
                readSide(in, liveOrders, market, market.book().asks());
            }
        }
        for (int i = 0; i < accountCount; i++)
        {
            for (final long orderId : liveOrderIds[i])
            {
                liveOrders.register(liveOrders.byOrderId(restored[i].id(), orderId));
            }
        }

        final Clearing clearing = matcher.clearing();
        for (final Account account : restored)
        {
            clearing.refile(account);
            for (int s = 0; s < account.positionCount(); s++)
            {
                if (account.positionAt(s).isIsolated())
                {
                    clearing.refile(account.positionAt(s));
                }
            }
        }
        if (in.position != offset + length)
        {
            throw new IllegalArgumentException("snapshot has " + (offset + length - in.position) + " trailing bytes");
        }

        return matcher;
    }

    private static Market readMarket(final Reader in)
    {
        final int id = in.getInt();
        final byte[] symbol = new byte[Market.SYMBOL_LENGTH];
        for (int i = 0; i < symbol.length; i++)
        {
            symbol[i] = in.getByte();
        }
        final Market market = new Market(id, symbol, in.getLong(), in.getByte(), in.getLong(), in.getByte(),
            in.getLong(), in.getLong(), in.getLong(), in.getInt(), in.getLong(), in.getLong(), in.getLong(),
            in.getInt(), in.getInt(), in.getInt());
        final long oracle = in.getLong();
        if (oracle != 0)
        {
            market.oraclePriceTicks(oracle);
        }
        market.fundingIndex(in.getLong());
        return market;
    }

    private static void readSide(final Reader in, final LiveOrders liveOrders, final Market market, final BookSide side)
    {
        for (int level = 0, levels = in.getInt(); level < levels; level++)
        {
            for (int i = 0, orders = in.getInt(); i < orders; i++)
            {
                final long orderId = in.getLong();
                final long clientOrderId = in.getLong();
                final int account = in.getInt();
                final Side orderSide = EngineEnums.side(in.getShort());
                final OrderType type = EngineEnums.orderType(in.getShort());
                final TimeInForce timeInForce = EngineEnums.timeInForce(in.getShort());
                final MarginMode marginMode = EngineEnums.marginMode(in.getShort());
                final SelfTradePrevention stp = EngineEnums.selfTradePrevention(in.getShort());
                final byte flags = in.getByte();
                final Order order = liveOrders.acquire().init(orderId, clientOrderId, account, market.id(), orderSide,
                    type, timeInForce, marginMode, stp, flags, in.getLong(), in.getLong());
                order.restoreFilled(in.getLong());
                liveOrders.restoreResting(order, side);
            }
        }
    }

    private static final class Reader
    {
        private final DirectBuffer buffer;
        private final int limit;
        private int position;

        Reader(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.position = offset;
            this.limit = offset + length;
        }

        private void need(final int bytes)
        {
            if (position + bytes > limit)
            {
                throw new IllegalArgumentException("snapshot truncated at byte " + position);
            }
        }

        long getLong()
        {
            need(Long.BYTES);
            final long value = buffer.getLong(position, ORDER);
            position += Long.BYTES;
            return value;
        }

        int getInt()
        {
            need(Integer.BYTES);
            final int value = buffer.getInt(position, ORDER);
            position += Integer.BYTES;
            return value;
        }

        short getShort()
        {
            need(Short.BYTES);
            final short value = buffer.getShort(position, ORDER);
            position += Short.BYTES;
            return value;
        }

        byte getByte()
        {
            need(1);
            return buffer.getByte(position++);
        }
    }
}
