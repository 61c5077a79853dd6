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
 * The snapshot encoding as it was written before {@link SnapshotEncoder}: field by field, every list walked alone,
 * the buffer checked at every field. Kept as the reference the encoder's bytes are compared with.
 */
final class FieldByFieldSnapshotWriter
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private FieldByFieldSnapshotWriter()
    {
    }

    static int write(final Matcher matcher, final MutableDirectBuffer buffer, final int offset)
    {
        final Writer out = new Writer(buffer, offset);
        final Matcher.Context context = matcher.context();
        out.putLong(SnapshotCodec.MAGIC).putInt(SnapshotCodec.VERSION);
        out.putInt(context.marketCapacity()).putInt(context.accountCapacity()).putInt(context.orderCapacity())
            .putInt(context.maxOpenOrdersPerAccount()).putInt(context.feeAccount()).putInt(context.insuranceFundAccount())
            .putInt(context.maxMakersPerTaker());
        out.putLong(matcher.lastSequence()).putLong(matcher.lastTimestampNs()).putLong(matcher.lastOrderId())
            .putLong(matcher.lastTradeId()).putLong(matcher.depositedMicros()).putLong(matcher.withdrawnMicros())
            .putLong(matcher.fundingResidueNanos());

        final FeeSchedule fees = matcher.clearing().fees();
        int tiers = 0;
        for (int tier = 0; tier < FeeSchedule.TIER_COUNT; tier++)
        {
            tiers += fees.isDefined(tier) ? 1 : 0;
        }
        out.putInt(tiers);
        for (int tier = 0; tier < FeeSchedule.TIER_COUNT; tier++)
        {
            if (fees.isDefined(tier))
            {
                out.putInt(tier).putInt(fees.makerPpm(tier)).putInt(fees.takerPpm(tier));
            }
        }

        final MarketTable markets = matcher.markets();
        int marketCount = 0;
        for (int id = 1; id < markets.capacity(); id++)
        {
            marketCount += markets.get(id) != null ? 1 : 0;
        }
        out.putInt(marketCount);
        for (int id = 1; id < markets.capacity(); id++)
        {
            final Market market = markets.get(id);
            if (market != null)
            {
                writeMarket(out, market);
            }
        }

        final AccountTable accounts = matcher.accounts();
        int accountCount = 0;
        final int accountLimit = accounts.limit();
        for (int id = 1; id < accountLimit; id++)
        {
            accountCount += accounts.get(id) != null ? 1 : 0;
        }
        out.putInt(accountCount);
        for (int id = 1; id < accountLimit; id++)
        {
            final Account account = accounts.get(id);
            if (account != null)
            {
                writeAccount(out, account);
            }
        }

        for (int id = 1; id < markets.capacity(); id++)
        {
            final Market market = markets.get(id);
            if (market != null)
            {
                writeSide(out, market.book().bids());
                writeSide(out, market.book().asks());
            }
        }

        return out.position - offset;
    }

    private static void writeMarket(final Writer out, final Market market)
    {
        out.putInt(market.id());
        final byte[] symbol = market.symbol();
        for (final byte b : symbol)
        {
            out.putByte(b);
        }
        out.putLong(market.tickSizeMantissa()).putByte(market.tickSizeExponent())
            .putLong(market.lotSizeMantissa()).putByte(market.lotSizeExponent())
            .putLong(market.tickLotValueMicros()).putLong(market.minSizeLots()).putLong(market.maxOrderSizeLots())
            .putInt(market.marketOrderBandPpm()).putLong(market.baselinePositionLots())
            .putLong(market.incrementalPositionLots()).putLong(market.maxPositionLots())
            .putInt(market.initialMarginPpm()).putInt(market.maintenanceMarginPpm())
            .putInt(market.incrementalInitialMarginPpm())
            .putLong(market.oraclePriceTicks()).putLong(market.fundingIndex());
    }

    private static void writeAccount(final Writer out, final Account account)
    {
        out.putInt(account.id()).putLong(account.collateralMicros()).putInt(account.feeTier())
            .putShort(account.defaultSelfTradePrevention().value());
        out.putInt(account.positionCount());
        for (int i = 0; i < account.positionCount(); i++)
        {
            final Position position = account.positionAt(i);
            out.putInt(position.market()).putShort(position.marginMode().value()).putLong(position.sizeLots())
                .putLong(position.entryValueMicros()).putLong(position.fundingIndex())
                .putLong(position.isolatedMarginMicros()).putLong(position.realizedPnlMicros());
        }
        out.putInt(account.liveOrderCount());
        for (Order order = account.firstLiveOrder(); order != null; order = order.nextOfAccount())
        {
            out.putLong(order.orderId());
        }
    }

    private static void writeSide(final Writer out, final BookSide side)
    {
        out.putInt(side.levelCount());
        for (PriceLevel level = side.best(); level != null; level = level.worse())
        {
            out.putInt(level.orderCount());
            for (Order order = level.head(); order != null; order = order.nextInLevel())
            {
                out.putLong(order.orderId()).putLong(order.clientOrderId()).putInt(order.account())
                    .putShort(order.side().value()).putShort(order.orderType().value())
                    .putShort(order.timeInForce().value()).putShort(order.marginMode().value())
                    .putShort(order.selfTradePrevention().value()).putByte(order.flags())
                    .putLong(order.priceTicks()).putLong(order.sizeLots()).putLong(order.filledLots());
            }
        }
    }

    private static final class Writer
    {
        private final MutableDirectBuffer buffer;
        private int position;

        Writer(final MutableDirectBuffer buffer, final int offset)
        {
            this.buffer = buffer;
            this.position = offset;
        }

        Writer putLong(final long value)
        {
            buffer.putLong(position, value, ORDER);
            position += Long.BYTES;
            return this;
        }

        Writer putInt(final int value)
        {
            buffer.putInt(position, value, ORDER);
            position += Integer.BYTES;
            return this;
        }

        Writer putShort(final short value)
        {
            buffer.putShort(position, value, ORDER);
            position += Short.BYTES;
            return this;
        }

        Writer putByte(final byte value)
        {
            buffer.putByte(position, value);
            position += 1;
            return this;
        }
    }

}
