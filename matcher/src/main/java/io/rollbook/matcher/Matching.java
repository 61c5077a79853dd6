package io.rollbook.matcher;

import java.util.Arrays;

import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.PriceLevel;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.risk.Clearing;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.SelfTradePrevention;

/**
 * Price-time matching of one incoming (taker) order against the opposite side of its book, with self-trade
 * prevention, reduce-only makers that can never flip a position, and StarkEx's validity rule on every fill.
 * Trades execute at the resting order's price. See docs/MATCHING.md and docs/MARGIN.md.
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
    /** The taker's next fill would have broken its margin validity. */
    static final int INSUFFICIENT_MARGIN = 4;
    /** The taker has met as many resting orders as one order may, and the next one still crosses. */
    static final int MATCH_LIMIT = 5;

    private final LiveOrders liveOrders;
    private final Clearing clearing;
    /** The most makers one taker meets, or {@link Integer#MAX_VALUE} for no limit. */
    private final int maxMakers;
    private long lastTradeId;
    // Sized so that a fill-or-kill order sweeping the orders of many accounts rarely grows them: growing allocates.
    private long[] pendingLots = new long[32];
    private long[] pendingCash = new long[32];
    private int pendingCount;
    /** Numbers the dry runs, so each slot can tell whether the current one has met it (runs start at 1). */
    private long dryRun;

    /**
     * @param maxMakersPerTaker the most resting orders one taker may meet in one command, 0 for no limit: it bounds a
     *                          command's work and events (a sweep through thousands of one-lot orders, a
     *                          fill-or-kill's walk) whatever the book holds
     */
    Matching(final LiveOrders liveOrders, final Clearing clearing, final int maxMakersPerTaker)
    {
        this.liveOrders = liveOrders;
        this.clearing = clearing;
        this.maxMakers = maxMakersPerTaker == 0 ? Integer.MAX_VALUE : maxMakersPerTaker;
    }

    long lastTradeId()
    {
        return lastTradeId;
    }

    void lastTradeId(final long tradeId)
    {
        lastTradeId = tradeId;
    }

    /**
     * Trades the taker against {@code opposite} while it crosses {@code limitTicks}.
     *
     * @param liquidation true when the taker closes a liquidated position: its own fills are exempt from the
     *                    validity rule (StarkEx proves them as liquidations), its counterparties' are not; nor is it
     *                    held to the makers limit, since a liquidation must close what it can
     * @return why matching stopped: {@link #FILLED}, {@link #NO_LIQUIDITY}, {@link #PRICE_LIMIT},
     * {@link #SELF_TRADE}, {@link #INSUFFICIENT_MARGIN} or {@link #MATCH_LIMIT}
     */
    int match(
        final Market market,
        final Order taker,
        final BookSide opposite,
        final long limitTicks,
        final boolean liquidation,
        final EventWriter events)
    {
        final int takerAccount = taker.account();
        final SelfTradePrevention mode = taker.selfTradePrevention();
        final int maxMakers = liquidation ? Integer.MAX_VALUE : this.maxMakers;
        int met = 0;
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
                if (met == maxMakers)
                {
                    return MATCH_LIMIT;
                }
                met++;
                final Order next = maker.nextInLevel();
                if (maker.account() == takerAccount)
                {
                    if (mode == SelfTradePrevention.EXPIRE_TAKER)
                    {
                        return SELF_TRADE;
                    }
                    cancelMaker(maker, opposite, CancelReason.SELF_TRADE_PREVENTION, events);
                    if (mode == SelfTradePrevention.EXPIRE_BOTH)
                    {
                        return SELF_TRADE;
                    }
                }
                else if (!meet(market, taker, maker, opposite, priceTicks, liquidation, events))
                {
                    return INSUFFICIENT_MARGIN;
                }
                maker = next;
            }
        }

        return FILLED;
    }

    /**
     * The taker meets a maker of another account: they trade, or the maker is canceled (a reduce-only order that
     * cannot trade, a fill that would break the maker's margin). A method of its own so that {@link #match} stays
     * small enough for the JIT to inline where it is hot.
     *
     * @return false if the fill would break the taker's margin: matching stops
     */
    private boolean meet(
        final Market market,
        final Order taker,
        final Order maker,
        final BookSide opposite,
        final long priceTicks,
        final boolean liquidation,
        final EventWriter events)
    {
        long lots = Math.min(maker.remainingLots(), taker.remainingLots());
        if (maker.isReduceOnly())
        {
            lots = Math.min(lots, reducibleLots(maker));
        }
        if (lots == 0)
        {
            cancelMaker(maker, opposite, CancelReason.REDUCE_ONLY, events);
            return true;
        }
        final int check = clearing.checkFill(market, maker, taker, priceTicks, lots, liquidation);
        if (check == Clearing.TAKER_INVALID)
        {
            return false;
        }
        if (check == Clearing.MAKER_INVALID)
        {
            cancelMaker(maker, opposite, CancelReason.INSUFFICIENT_MARGIN, events);
            return true;
        }
        opposite.fill(maker, lots);
        taker.fillAsTaker(lots);
        clearing.fill(market, maker, taker, priceTicks, lots, ++lastTradeId, events);
        if (maker.remainingLots() == 0)
        {
            liveOrders.close(maker, opposite);
        }
        return true;
    }

    /**
     * How much of the taker's size it could fill right now against {@code opposite} up to {@code limitTicks}: a dry
     * run of {@link #match} that changes nothing, applying the same self-trade prevention, reduce-only caps and
     * validity checks to the same makers in the same order, with each party's earlier fills in the run counted.
     * A fill-or-kill order is accepted only if this reaches its whole size, so it can never fill in part; the run
     * meets at most as many makers as {@link #match} would.
     *
     * @param takerTopUpMicros what the taker's isolated bucket will receive when the order is accepted, before it
     *                         trades
     * @return the fillable size, at most the taker's size
     */
    long fillableLots(
        final Market market, final Order taker, final BookSide opposite, final long limitTicks,
        final long takerTopUpMicros)
    {
        final long wantedLots = taker.remainingLots();
        final int account = taker.account();
        final SelfTradePrevention mode = taker.selfTradePrevention();
        pendingCount = 0;
        dryRun++;
        long takerLots = 0;
        long takerCash = takerTopUpMicros;
        long fillable = 0;
        int met = 0;
        for (PriceLevel level = opposite.best(); level != null; level = level.worse())
        {
            final long priceTicks = level.priceTicks();
            if (!opposite.crosses(priceTicks, limitTicks))
            {
                break;
            }
            for (Order maker = level.head(); maker != null; maker = maker.nextInLevel())
            {
                if (met == maxMakers)
                {
                    return fillable;
                }
                met++;
                if (maker.account() == account)
                {
                    if (mode != SelfTradePrevention.EXPIRE_MAKER)
                    {
                        return fillable;
                    }
                    continue;
                }
                final Position slot = maker.slot();
                final int pending = pendingIndex(slot);
                long lots = Math.min(maker.remainingLots(), wantedLots - fillable);
                if (maker.isReduceOnly())
                {
                    final long size = slot.sizeLots() + pendingLots[pending];
                    lots = Math.min(lots, maker.isBuy() ? Math.max(0, -size) : Math.max(0, size));
                    if (lots == 0)
                    {
                        continue;
                    }
                }
                final int check = clearing.checkFill(market, maker, taker, priceTicks, lots, false,
                    pendingLots[pending], pendingCash[pending], takerLots, takerCash);
                if (check == Clearing.TAKER_INVALID)
                {
                    return fillable;
                }
                if (check == Clearing.MAKER_INVALID)
                {
                    continue;
                }
                final long makerDelta = maker.isBuy() ? lots : -lots;
                pendingLots[pending] += makerDelta;
                pendingCash[pending] += clearing.fillCash(market, maker, taker, priceTicks, lots, true);
                takerLots -= makerDelta;
                takerCash += clearing.fillCash(market, maker, taker, priceTicks, lots, false);
                fillable += lots;
                if (fillable == wantedLots)
                {
                    return fillable;
                }
            }
        }

        return fillable;
    }

    private int pendingIndex(final Position slot)
    {
        final int known = slot.dryRunIndex(dryRun);
        if (known >= 0)
        {
            return known;
        }
        if (pendingCount == pendingLots.length)
        {
            pendingLots = Arrays.copyOf(pendingLots, pendingCount * 2);
            pendingCash = Arrays.copyOf(pendingCash, pendingCount * 2);
        }
        pendingLots[pendingCount] = 0;
        pendingCash[pendingCount] = 0;
        slot.dryRunIndex(dryRun, pendingCount);
        return pendingCount++;
    }

    /**
     * @return how far a reduce-only order can still shrink its owner's position: never past zero
     */
    private long reducibleLots(final Order order)
    {
        final long size = order.slot().sizeLots();
        return order.isBuy() ? Math.max(0, -size) : Math.max(0, size);
    }

    private void cancelMaker(final Order maker, final BookSide opposite, final CancelReason reason, final EventWriter events)
    {
        events.canceled(maker, maker.remainingLots(), reason, true);
        liveOrders.close(maker, opposite);
    }
}
