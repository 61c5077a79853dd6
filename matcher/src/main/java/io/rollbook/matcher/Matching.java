package io.rollbook.matcher;

import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.PriceLevel;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.SelfTradePrevention;

/**
 * Price-time matching of one incoming (taker) order against the opposite side of its book, with self-trade
 * prevention. Trades execute at the resting order's price. See docs/MATCHING.md for the rules this follows.
 */
final class Matching
{
    /** The taker has nothing left open. */
    static final int FILLED = 0;
    /** The opposite side ran out of orders. */
    static final int NO_LIQUIDITY = 1;
    /** The best opposite price no longer crosses the taker's limit. */
    static final int PRICE_LIMIT = 2;
    /** Self-trade prevention expired the taker. */
    static final int SELF_TRADE = 3;

    private final LiveOrders liveOrders;
    private long lastTradeId;

    Matching(final LiveOrders liveOrders)
    {
        this.liveOrders = liveOrders;
    }

    long lastTradeId()
    {
        return lastTradeId;
    }

    /**
     * Trades the taker against {@code opposite} while it crosses {@code limitTicks}.
     *
     * @return why matching stopped: {@link #FILLED}, {@link #NO_LIQUIDITY}, {@link #PRICE_LIMIT} or
     * {@link #SELF_TRADE}
     */
    int match(final Order taker, final BookSide opposite, final long limitTicks, final EventWriter events)
    {
        final int takerAccount = taker.account();
        final SelfTradePrevention mode = taker.selfTradePrevention();
        while (taker.remainingLots() > 0)
        {
            final PriceLevel level = opposite.best();
            if (level == null)
            {
                return NO_LIQUIDITY;
            }
            final long priceTicks = level.priceTicks();
            if (!opposite.crosses(priceTicks, limitTicks))
            {
                return PRICE_LIMIT;
            }

            Order maker = level.head();
            while (maker != null && taker.remainingLots() > 0)
            {
                final Order next = maker.nextInLevel();
                if (maker.account() == takerAccount)
                {
                    if (mode == SelfTradePrevention.EXPIRE_TAKER)
                    {
                        return SELF_TRADE;
                    }
                    events.canceled(maker, maker.remainingLots(), CancelReason.SELF_TRADE_PREVENTION, true);
                    liveOrders.close(maker, opposite);
                    if (mode == SelfTradePrevention.EXPIRE_BOTH)
                    {
                        return SELF_TRADE;
                    }
                }
                else
                {
                    final long lots = Math.min(maker.remainingLots(), taker.remainingLots());
                    opposite.fill(maker, lots);
                    taker.fillAsTaker(lots);
                    events.trade(++lastTradeId, maker, taker, priceTicks, lots);
                    if (maker.remainingLots() == 0)
                    {
                        liveOrders.close(maker, opposite);
                    }
                }
                maker = next;
            }
        }

        return FILLED;
    }

    /**
     * How much of {@code wantedLots} an order of {@code account} could fill right now against {@code opposite}
     * up to {@code limitTicks}, counting what self-trade prevention would let it trade.
     *
     * @return the fillable size, at most {@code wantedLots}
     */
    static long fillableLots(
        final BookSide opposite,
        final int account,
        final long limitTicks,
        final SelfTradePrevention mode,
        final long wantedLots)
    {
        long fillable = 0;
        final int levelCount = opposite.levelCount();
        for (int depth = 0; depth < levelCount; depth++)
        {
            final PriceLevel level = opposite.levelAtDepth(depth);
            if (!opposite.crosses(level.priceTicks(), limitTicks))
            {
                break;
            }
            for (Order order = level.head(); order != null; order = order.nextInLevel())
            {
                if (order.account() == account)
                {
                    if (mode != SelfTradePrevention.EXPIRE_MAKER)
                    {
                        return fillable;
                    }
                    continue;
                }
                fillable += Math.min(order.remainingLots(), wantedLots - fillable);
                if (fillable == wantedLots)
                {
                    return fillable;
                }
            }
        }

        return fillable;
    }
}
