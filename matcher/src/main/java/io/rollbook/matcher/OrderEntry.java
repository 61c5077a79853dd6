package io.rollbook.matcher;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.OrderBook;
import io.rollbook.matcher.book.PriceLevel;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
import io.rollbook.matcher.risk.Clearing;
import io.rollbook.matcher.risk.Margin;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.EngineEnums;
import io.rollbook.protocol.engine.AmendOrderDecoder;
import io.rollbook.protocol.engine.CancelOrderDecoder;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.CommandRejectedEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MassCancelDecoder;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;

/**
 * The order commands: place, cancel, amend and mass cancel, plus the order-side steps of liquidation. Each command
 * validates completely before it changes anything, so a rejected command leaves no trace but its {@code rejected}
 * event. The checks and events follow docs/MATCHING.md and docs/MARGIN.md, in order.
 */
final class OrderEntry
{
    private static final long NULL_ORDER_ID = CommandRejectedEncoder.orderIdNullValue();
    private static final long NULL_CLIENT_ORDER_ID = CommandRejectedEncoder.clientOrderIdNullValue();
    private static final int NULL_MARKET = CommandRejectedEncoder.marketNullValue();
    private static final int KNOWN_FLAGS = Order.FLAG_POST_ONLY | Order.FLAG_REDUCE_ONLY;
    private static final int FLAGS_OFFSET = PlaceOrderDecoder.flagsEncodingOffset();
    private static final long PPM = 1_000_000L;
    private static final long REJECTED = -1;

    private final MarketTable markets;
    private final AccountTable accounts;
    private final LiveOrders liveOrders;
    private final Clearing clearing;
    private final Margin margin;
    private final Matching matching;
    private final int maxOpenOrdersPerAccount;
    private long lastOrderId;

    OrderEntry(
        final MarketTable markets,
        final AccountTable accounts,
        final LiveOrders liveOrders,
        final Clearing clearing,
        final int maxOpenOrdersPerAccount,
        final int maxMakersPerTaker)
    {
        this.markets = markets;
        this.accounts = accounts;
        this.liveOrders = liveOrders;
        this.clearing = clearing;
        this.margin = clearing.margin();
        this.matching = new Matching(liveOrders, clearing, maxMakersPerTaker);
        this.maxOpenOrdersPerAccount = maxOpenOrdersPerAccount;
    }

    long lastOrderId()
    {
        return lastOrderId;
    }

    void lastOrderId(final long orderId)
    {
        lastOrderId = orderId;
    }

    long lastTradeId()
    {
        return matching.lastTradeId();
    }

    void lastTradeId(final long tradeId)
    {
        matching.lastTradeId(tradeId);
    }

    void place(final PlaceOrderDecoder command, final EventWriter events)
    {
        final int templateId = PlaceOrderDecoder.TEMPLATE_ID;
        final int marketId = command.market();
        final int accountId = command.account();
        final long clientOrderId = command.clientOrderId();
        final long priceTicks = command.priceTicks();
        final long sizeLots = command.sizeLots();

        final Market market = markets.get(marketId);
        if (market == null)
        {
            reject(events, templateId, RejectReason.UNKNOWN_MARKET, accountId, marketId, clientOrderId, 0);
            return;
        }
        if (!accounts.inRange(accountId))
        {
            reject(events, templateId, RejectReason.ACCOUNT_OUT_OF_RANGE, accountId, marketId, clientOrderId,
                accounts.capacity() - 1);
            return;
        }
        final Side side = EngineEnums.side(command.sideRaw());
        if (side == null)
        {
            reject(events, templateId, RejectReason.INVALID_SIDE, accountId, marketId, clientOrderId,
                command.sideRaw());
            return;
        }
        final OrderType orderType = EngineEnums.orderType(command.orderTypeRaw());
        if (orderType == null)
        {
            reject(events, templateId, RejectReason.INVALID_ORDER_TYPE, accountId, marketId, clientOrderId,
                command.orderTypeRaw());
            return;
        }
        final TimeInForce timeInForce = EngineEnums.timeInForce(command.timeInForceRaw());
        if (timeInForce == null)
        {
            reject(events, templateId, RejectReason.INVALID_TIME_IN_FORCE, accountId, marketId, clientOrderId,
                command.timeInForceRaw());
            return;
        }
        final MarginMode marginMode = EngineEnums.marginMode(command.marginModeRaw());
        if (marginMode == null)
        {
            reject(events, templateId, RejectReason.INVALID_MARGIN_MODE, accountId, marketId, clientOrderId,
                command.marginModeRaw());
            return;
        }
        final SelfTradePrevention requestedStp = EngineEnums.selfTradePrevention(command.selfTradePreventionRaw());
        if (requestedStp == null)
        {
            reject(events, templateId, RejectReason.INVALID_SELF_TRADE_PREVENTION, accountId, marketId,
                clientOrderId, command.selfTradePreventionRaw());
            return;
        }
        final byte flags = command.buffer().getByte(command.offset() + FLAGS_OFFSET);
        if ((flags & ~KNOWN_FLAGS) != 0)
        {
            reject(events, templateId, RejectReason.INVALID_FLAGS, accountId, marketId, clientOrderId, flags & 0xFF);
            return;
        }
        if (!ClientOrderIds.isValid(clientOrderId))
        {
            reject(events, templateId, RejectReason.INVALID_CLIENT_ORDER_ID, accountId, marketId, clientOrderId, 0);
            return;
        }
        if (rejectSize(events, templateId, market, accountId, clientOrderId, NULL_ORDER_ID, sizeLots))
        {
            return;
        }
        final boolean isMarket = orderType == OrderType.MARKET;
        if (isMarket ? priceTicks < 0 : priceTicks <= 0)
        {
            reject(events, templateId, RejectReason.PRICE_NOT_POSITIVE, accountId, marketId, clientOrderId,
                priceTicks);
            return;
        }
        if (!isMarket && Margin.notionalOrMinusOne(market, priceTicks, sizeLots) < 0)
        {
            reject(events, templateId, RejectReason.PRICE_ABOVE_MAXIMUM, accountId, marketId, clientOrderId,
                priceTicks);
            return;
        }
        if (isMarket && timeInForce == TimeInForce.GTC)
        {
            reject(events, templateId, RejectReason.MARKET_ORDER_NOT_IMMEDIATE, accountId, marketId,
                clientOrderId, 0);
            return;
        }
        final boolean postOnly = (flags & Order.FLAG_POST_ONLY) != 0;
        if (postOnly && (isMarket || timeInForce != TimeInForce.GTC))
        {
            reject(events, templateId, RejectReason.POST_ONLY_NOT_GTC, accountId, marketId, clientOrderId, 0);
            return;
        }
        final Account existing = accounts.get(accountId);
        final Order duplicate = liveOrders.byClientOrderId(accountId, clientOrderId);
        if (duplicate != null)
        {
            reject(events, templateId, RejectReason.DUPLICATE_CLIENT_ORDER_ID, accountId, marketId, clientOrderId,
                duplicate.orderId());
            return;
        }
        final long oracleTicks = market.oraclePriceTicks();
        if (oracleTicks == 0)
        {
            reject(events, templateId, RejectReason.NO_ORACLE_PRICE, accountId, marketId, clientOrderId, 0);
            return;
        }
        final long limitTicks = isMarket ?
            protectionPrice(side, oracleTicks, market.marketOrderBandPpm(), priceTicks) : priceTicks;
        if (isMarket && Margin.notionalOrMinusOne(market, limitTicks, sizeLots) < 0)
        {
            reject(events, templateId, RejectReason.PRICE_ABOVE_MAXIMUM, accountId, marketId, clientOrderId,
                limitTicks);
            return;
        }
        final Position existingSlot = existing == null ? null : existing.position(marketId);
        if (existingSlot != null && existingSlot.marginMode() != marginMode)
        {
            reject(events, templateId, RejectReason.MARGIN_MODE_CONFLICT, accountId, marketId, clientOrderId, 0);
            return;
        }
        if (existingSlot != null &&
            !Margin.openNotionalFits(market, existingSlot, side, limitTicks, sizeLots, 0, 0))
        {
            reject(events, templateId, RejectReason.PRICE_ABOVE_MAXIMUM, accountId, marketId, clientOrderId,
                limitTicks);
            return;
        }
        final boolean reduceOnly = (flags & Order.FLAG_REDUCE_ONLY) != 0;
        if (reduceOnly && !reduces(existingSlot, side, sizeLots))
        {
            reject(events, templateId, RejectReason.REDUCE_ONLY_WOULD_INCREASE, accountId, marketId, clientOrderId,
                existingSlot == null ? 0 : Math.abs(existingSlot.sizeLots()));
            return;
        }
        if (timeInForce == TimeInForce.GTC)
        {
            if (existing != null && existing.liveOrderCount() >= maxOpenOrdersPerAccount)
            {
                reject(events, templateId, RejectReason.TOO_MANY_OPEN_ORDERS, accountId, marketId, clientOrderId,
                    maxOpenOrdersPerAccount);
                return;
            }
            if (liveOrders.isFull())
            {
                reject(events, templateId, RejectReason.ORDER_CAPACITY_EXHAUSTED, accountId, marketId,
                    clientOrderId, liveOrders.capacity());
                return;
            }
        }
        final BookSide opposite = market.book().oppositeOf(side);
        if (postOnly)
        {
            final PriceLevel best = opposite.best();
            if (best != null && opposite.crosses(best.priceTicks(), limitTicks))
            {
                reject(events, templateId, RejectReason.POST_ONLY_WOULD_CROSS, accountId, marketId, clientOrderId,
                    best.priceTicks());
                return;
            }
        }

        final Account account = accounts.getOrCreate(accountId);
        final Position slot = clearing.slotFor(account, market, marginMode);
        final SelfTradePrevention stp = requestedStp == SelfTradePrevention.ACCOUNT_DEFAULT ?
            account.defaultSelfTradePrevention() : requestedStp;
        final Order order = liveOrders.acquire().init(
            lastOrderId + 1, clientOrderId, accountId, marketId, side, orderType, timeInForce, marginMode, stp, flags,
            limitTicks, sizeLots);
        order.slot(slot);
        if (timeInForce == TimeInForce.FOK)
        {
            final long fillable = matching.fillableLots(market, order, opposite, limitTicks,
                isolatedTopUp(slot, side, limitTicks, sizeLots));
            if (fillable < sizeLots)
            {
                abandon(order, slot, existing == null);
                reject(events, templateId, RejectReason.FOK_NOT_FILLABLE, accountId, marketId, clientOrderId,
                    fillable);
                return;
            }
        }
        final long topUp =
            checkRisk(events, templateId, market, slot, order, NULL_ORDER_ID, side, limitTicks, sizeLots, 0, 0, 0);
        if (topUp == REJECTED)
        {
            abandon(order, slot, existing == null);
            return;
        }

        lastOrderId++;
        events.accepted(order);
        topUp(slot, topUp, events);
        final int stop = matching.match(market, order, opposite, limitTicks, false, events);
        finishTaker(order, market, stop, events);
    }

    void cancel(final CancelOrderDecoder command, final EventWriter events)
    {
        final int templateId = CancelOrderDecoder.TEMPLATE_ID;
        final Order order = findOrder(
            events, templateId, command.account(), command.market(), command.orderId(), command.clientOrderId());
        if (order == null)
        {
            return;
        }

        events.canceled(order, order.remainingLots(), CancelReason.USER, true);
        liveOrders.close(order, markets.get(order.market()).book().sideOf(order.side()));
    }

    void amend(final AmendOrderDecoder command, final EventWriter events)
    {
        final int templateId = AmendOrderDecoder.TEMPLATE_ID;
        final Order order = findOrder(
            events, templateId, command.account(), command.market(), command.orderId(), command.clientOrderId());
        if (order == null)
        {
            return;
        }
        final Market market = markets.get(order.market());
        final long priceTicks = command.priceTicks();
        final long sizeLots = command.sizeLots();
        final int accountId = order.account();
        final int marketId = order.market();
        final long clientOrderId = order.clientOrderId();
        final long orderId = order.orderId();

        if (priceTicks <= 0)
        {
            rejectOrder(events, templateId, RejectReason.PRICE_NOT_POSITIVE, accountId, marketId, orderId,
                clientOrderId, priceTicks);
            return;
        }
        if (rejectSize(events, templateId, market, accountId, clientOrderId, orderId, sizeLots))
        {
            return;
        }
        if (Margin.notionalOrMinusOne(market, priceTicks, sizeLots) < 0)
        {
            rejectOrder(events, templateId, RejectReason.PRICE_ABOVE_MAXIMUM, accountId, marketId, orderId,
                clientOrderId, priceTicks);
            return;
        }
        if (sizeLots <= order.filledLots())
        {
            rejectOrder(events, templateId, RejectReason.AMEND_SIZE_NOT_ABOVE_FILLED, accountId, marketId, orderId,
                clientOrderId, order.filledLots());
            return;
        }
        final Position slot = order.slot();
        final long newRemaining = sizeLots - order.filledLots();
        if (!Margin.openNotionalFits(market, slot, order.side(), priceTicks, newRemaining, order.priceTicks(),
            order.remainingLots()))
        {
            rejectOrder(events, templateId, RejectReason.PRICE_ABOVE_MAXIMUM, accountId, marketId, orderId,
                clientOrderId, priceTicks);
            return;
        }
        if (order.isReduceOnly() && newRemaining > order.remainingLots() && !reduces(slot, order.side(), newRemaining))
        {
            rejectOrder(events, templateId, RejectReason.REDUCE_ONLY_WOULD_INCREASE, accountId, marketId, orderId,
                clientOrderId, Math.abs(slot.sizeLots()));
            return;
        }
        final OrderBook book = market.book();
        final BookSide opposite = book.oppositeOf(order.side());
        if (order.isPostOnly())
        {
            final PriceLevel best = opposite.best();
            if (best != null && opposite.crosses(best.priceTicks(), priceTicks))
            {
                rejectOrder(events, templateId, RejectReason.POST_ONLY_WOULD_CROSS, accountId, marketId, orderId,
                    clientOrderId, best.priceTicks());
                return;
            }
        }
        final long topUp = raisesWorstCase(order, priceTicks, newRemaining) ? checkRisk(events, templateId, market,
            slot, order, orderId, order.side(), priceTicks, newRemaining, order.priceTicks(), order.remainingLots(),
            1) : 0;
        if (topUp == REJECTED)
        {
            return;
        }

        final long oldPriceTicks = order.priceTicks();
        final long oldRemainingLots = order.remainingLots();
        final BookSide own = book.sideOf(order.side());
        if (priceTicks == oldPriceTicks && newRemaining <= oldRemainingLots)
        {
            liveOrders.shrink(order, own, sizeLots);
            events.amended(order, oldPriceTicks, oldRemainingLots, true);
            return;
        }

        liveOrders.detach(order, own);
        order.amendDetached(priceTicks, sizeLots);
        events.amended(order, oldPriceTicks, oldRemainingLots, false);
        topUp(slot, topUp, events);
        final int stop = matching.match(market, order, opposite, priceTicks, false, events);
        finishTaker(order, market, stop, events);
    }

    void massCancel(final MassCancelDecoder command, final EventWriter events)
    {
        final int templateId = MassCancelDecoder.TEMPLATE_ID;
        final int accountId = command.account();
        final int marketId = command.market();
        if (!accounts.inRange(accountId))
        {
            reject(events, templateId, RejectReason.ACCOUNT_OUT_OF_RANGE, accountId, marketId, NULL_CLIENT_ORDER_ID,
                accounts.capacity() - 1);
            return;
        }
        if (marketId != NULL_MARKET && markets.get(marketId) == null)
        {
            reject(events, templateId, RejectReason.UNKNOWN_MARKET, accountId, marketId, NULL_CLIENT_ORDER_ID, 0);
            return;
        }
        final short sideRaw = command.sideRaw();
        final Side side = sideRaw == Side.NULL_VAL.value() ? Side.NULL_VAL : EngineEnums.side(sideRaw);
        if (side == null)
        {
            reject(events, templateId, RejectReason.INVALID_SIDE, accountId, marketId, NULL_CLIENT_ORDER_ID, sideRaw);
            return;
        }
        final MassCancelTrigger trigger = EngineEnums.massCancelTrigger(command.triggerRaw());
        if (trigger == null)
        {
            reject(events, templateId, RejectReason.INVALID_MASS_CANCEL_TRIGGER, accountId, marketId,
                NULL_CLIENT_ORDER_ID, command.triggerRaw());
            return;
        }

        final CancelReason reason = trigger == MassCancelTrigger.USER ? CancelReason.MASS_CANCEL :
            trigger == MassCancelTrigger.DISCONNECT ? CancelReason.CANCEL_ON_DISCONNECT : CancelReason.DEAD_MAN_TIMER;
        int count = 0;
        final Account account = accounts.get(accountId);
        Order order = account == null ? null : account.firstLiveOrder();
        while (order != null)
        {
            final Order next = order.nextOfAccount();
            if ((marketId == NULL_MARKET || order.market() == marketId) && (side == Side.NULL_VAL || order.side() == side))
            {
                cancelLive(order, reason, events);
                count++;
            }
            order = next;
        }
        events.massCanceled(accountId, marketId, side, count, trigger);
    }

    /**
     * Cancels the orders a liquidation takes down: every order of the account's cross side when {@code marketId}
     * is null, else every order of the account in that (isolated) market.
     */
    void cancelForLiquidation(final Account account, final int marketId, final EventWriter events)
    {
        Order order = account.firstLiveOrder();
        while (order != null)
        {
            final Order next = order.nextOfAccount();
            final boolean inScope = marketId == NULL_MARKET ? order.marginMode() == MarginMode.CROSS :
                order.market() == marketId;
            if (inScope)
            {
                cancelLive(order, CancelReason.LIQUIDATION, events);
            }
            order = next;
        }
    }

    /**
     * Closes (part of) a liquidated position against the book with an IOC order bounded by {@code limitTicks}.
     */
    void closeForLiquidation(
        final Market market,
        final Account account,
        final Side side,
        final long limitTicks,
        final long lots,
        final MarginMode marginMode,
        final EventWriter events)
    {
        final Order order = Liquidations.liquidationOrder(liveOrders.acquire(), ++lastOrderId, account.id(),
            market.id(), side, limitTicks, lots, marginMode);
        order.slot(account.position(market.id()));
        events.accepted(order);
        matching.match(market, order, market.book().oppositeOf(side), limitTicks, true, events);
        if (order.remainingLots() > 0)
        {
            events.canceled(order, order.remainingLots(), CancelReason.LIQUIDATION, false);
        }
        liveOrders.release(order);
    }

    /**
     * Trims the account's resting reduce-only orders in the slot's market to its position after the position
     * changed: oldest kept first; an order that must shrink is amended in place, one that cannot fit is canceled.
     */
    void trimReduceOnly(final Position slot, final EventWriter events)
    {
        if (slot.reduceOnlyOrderCount() == 0)
        {
            return;
        }
        final long size = slot.sizeLots();
        final Side closing = size > 0 ? Side.SELL : Side.BUY;
        long allowance = Math.abs(size);
        final BookSide own = markets.get(slot.market()).book().sideOf(closing);
        Order order = slot.account().firstLiveOrder();
        while (order != null)
        {
            final Order next = order.nextOfAccount();
            if (order.isReduceOnly() && order.market() == slot.market())
            {
                if (size == 0 || order.side() != closing || allowance == 0)
                {
                    cancelLive(order, CancelReason.REDUCE_ONLY, events);
                }
                else if (order.remainingLots() <= allowance)
                {
                    allowance -= order.remainingLots();
                }
                else
                {
                    final long oldRemaining = order.remainingLots();
                    liveOrders.shrink(order, own, order.filledLots() + allowance);
                    events.amended(order, order.priceTicks(), oldRemaining, true);
                    allowance = 0;
                }
            }
            order = next;
        }
    }

    private void cancelLive(final Order order, final CancelReason reason, final EventWriter events)
    {
        events.canceled(order, order.remainingLots(), reason, true);
        liveOrders.close(order, markets.get(order.market()).book().sideOf(order.side()));
    }

    /**
     * Decides what happens to what is left of a taker (a new order, or an amended one re-matched).
     */
    private void finishTaker(final Order order, final Market market, final int stop, final EventWriter events)
    {
        final BookSide own = market.book().sideOf(order.side());
        clearing.touch(order.slot());
        if (order.remainingLots() == 0)
        {
            liveOrders.close(order, own);
        }
        else if (stop == Matching.SELF_TRADE || stop == Matching.INSUFFICIENT_MARGIN || stop == Matching.MATCH_LIMIT)
        {
            // A remainder stopped by the makers limit may still cross the book: it cannot rest, whatever its TIF.
            events.canceled(order, order.remainingLots(), stop == Matching.SELF_TRADE ?
                CancelReason.SELF_TRADE_PREVENTION : stop == Matching.INSUFFICIENT_MARGIN ?
                CancelReason.INSUFFICIENT_MARGIN : CancelReason.MATCH_LIMIT, false);
            liveOrders.close(order, own);
        }
        else if (order.timeInForce() == TimeInForce.GTC)
        {
            if (order.isLive())
            {
                liveOrders.restAgain(order, own);
            }
            else
            {
                liveOrders.rest(order, own);
            }
            events.resting(order);
        }
        else
        {
            final CancelReason reason = order.orderType() == OrderType.MARKET && stop == Matching.PRICE_LIMIT ?
                CancelReason.PRICE_PROTECTION : CancelReason.IOC_REMAINDER;
            events.canceled(order, order.remainingLots(), reason, false);
            liveOrders.close(order, own);
        }
    }

    /**
     * The margin checks of an order or amend (docs/MARGIN.md): maximum position, then worst-case initial margin,
     * for an isolated bucket with what free cross collateral can top it up with. The order's open size is counted
     * as if it rested at its limit; an amend's old contribution ({@code oldSign} 1) is taken out first. Changes
     * nothing: the caller moves the top-up once the order's {@code accepted} or {@code amended} event is out.
     *
     * @return {@link #REJECTED} after writing the rejection, else what to move into the isolated bucket (0 if
     * nothing)
     */
    private long checkRisk(
        final EventWriter events,
        final int templateId,
        final Market market,
        final Position slot,
        final Order order,
        final long orderId,
        final Side side,
        final long priceTicks,
        final long lots,
        final long oldPriceTicks,
        final long oldLots,
        final int oldSign)
    {
        slot.changeOpen(side, oldPriceTicks, -oldLots * oldSign);
        slot.changeOpen(side, priceTicks, lots);
        final long worstSizeAfter = Margin.worstCaseSize(slot);
        final long shortfallAfter = margin.shortfall(slot);
        slot.changeOpen(side, priceTicks, -lots);
        slot.changeOpen(side, oldPriceTicks, oldLots * oldSign);

        // The usual case, an account that stays funded and small enough, needs no "before" figures.
        final int accountId = slot.account().id();
        if (worstSizeAfter > market.maxPositionLots() && worstSizeAfter > Margin.worstCaseSize(slot))
        {
            rejectOrder(events, templateId, RejectReason.POSITION_ABOVE_MAXIMUM, accountId, market.id(), orderId,
                order.clientOrderId(), market.maxPositionLots());
            return REJECTED;
        }
        if (shortfallAfter <= 0 || shortfallAfter <= margin.shortfall(slot))
        {
            return 0;
        }
        if (!slot.isIsolated())
        {
            rejectOrder(events, templateId, RejectReason.INSUFFICIENT_MARGIN, accountId, market.id(), orderId,
                order.clientOrderId(), shortfallAfter);
            return REJECTED;
        }

        final long crossFree = margin.crossFreeCollateral(slot.account());
        if (crossFree < shortfallAfter)
        {
            rejectOrder(events, templateId, RejectReason.INSUFFICIENT_MARGIN, accountId, market.id(), orderId,
                order.clientOrderId(), shortfallAfter - Math.max(0, crossFree));
            return REJECTED;
        }
        return shortfallAfter;
    }

    /**
     * Moves {@code amount} of free cross collateral into the slot's isolated bucket, with its position event.
     */
    private void topUp(final Position slot, final long amount, final EventWriter events)
    {
        if (amount == 0)
        {
            return;
        }
        slot.account().addCollateral(-amount);
        slot.addIsolatedMargin(amount);
        clearing.positionChanged(slot, events);
        clearing.refile(slot);
        clearing.refile(slot.account());
    }

    /**
     * @return what accepting an order of {@code lots} at {@code priceTicks} would move from cross collateral into
     * the slot's isolated bucket (0 for a cross slot, or when the order does not raise the bucket's shortfall);
     * changes nothing
     */
    private long isolatedTopUp(final Position slot, final Side side, final long priceTicks, final long lots)
    {
        if (!slot.isIsolated())
        {
            return 0;
        }
        slot.changeOpen(side, priceTicks, lots);
        final long shortfallAfter = margin.isolatedShortfall(slot);
        slot.changeOpen(side, priceTicks, -lots);
        return shortfallAfter > 0 && shortfallAfter > margin.isolatedShortfall(slot) ? shortfallAfter : 0;
    }

    /**
     * An order's contribution to the worst case grows only with its open size, with a higher buy price or a lower
     * sell price (the cost of filling away from the oracle price), and, when its account pays fees, with its
     * notional at its limit: a higher sell price raises the fee counted. An amend that does none of these cannot
     * raise the requirement, so it needs no margin check.
     */
    private boolean raisesWorstCase(final Order order, final long priceTicks, final long remainingLots)
    {
        final long oldPriceTicks = order.priceTicks();
        final boolean worsePrice = order.isBuy() ? priceTicks > oldPriceTicks : priceTicks < oldPriceTicks ||
            (priceTicks > oldPriceTicks && clearing.fees().worstCasePpm(order.slot().account().feeTier()) > 0);
        return worsePrice || remainingLots > order.remainingLots();
    }

    /**
     * @return true if an order of {@code side} and {@code lots} can only shrink the slot's position
     */
    private static boolean reduces(final Position slot, final Side side, final long lots)
    {
        if (slot == null)
        {
            return false;
        }
        final long size = slot.sizeLots();
        return side == Side.BUY ? size < 0 && lots <= -size : size > 0 && lots <= size;
    }

    /**
     * Gives back an order that was rejected after its object and slot were prepared, and the account too if this
     * order brought it into being: a rejected command changes nothing.
     */
    private void abandon(final Order order, final Position slot, final boolean newAccount)
    {
        liveOrders.release(order);
        clearing.releaseIfEmpty(slot);
        if (newAccount)
        {
            accounts.discard(slot.account());
        }
    }

    /**
     * Finds the live order a cancel or amend names, or rejects the command.
     */
    private Order findOrder(
        final EventWriter events,
        final int templateId,
        final int accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId)
    {
        if (!accounts.inRange(accountId))
        {
            rejectOrder(events, templateId, RejectReason.ACCOUNT_OUT_OF_RANGE, accountId, marketId, orderId,
                clientOrderId, accounts.capacity() - 1);
            return null;
        }

        final Order order;
        if (orderId != NULL_ORDER_ID)
        {
            order = liveOrders.byOrderId(accountId, orderId);
        }
        else if (clientOrderId != NULL_CLIENT_ORDER_ID)
        {
            order = liveOrders.byClientOrderId(accountId, clientOrderId);
        }
        else
        {
            rejectOrder(events, templateId, RejectReason.NO_ORDER_ID_GIVEN, accountId, marketId, orderId,
                clientOrderId, 0);
            return null;
        }

        if (order == null)
        {
            rejectOrder(events, templateId, RejectReason.UNKNOWN_ORDER, accountId, marketId, orderId, clientOrderId, 0);
            return null;
        }
        if (marketId != NULL_MARKET && order.market() != marketId)
        {
            rejectOrder(events, templateId, RejectReason.MARKET_MISMATCH, accountId, marketId, orderId,
                clientOrderId, order.market());
            return null;
        }

        return order;
    }

    private static boolean rejectSize(
        final EventWriter events,
        final int templateId,
        final Market market,
        final int accountId,
        final long clientOrderId,
        final long orderId,
        final long sizeLots)
    {
        final RejectReason reason;
        final long detail;
        if (sizeLots <= 0)
        {
            reason = RejectReason.SIZE_NOT_POSITIVE;
            detail = sizeLots;
        }
        else if (sizeLots < market.minSizeLots())
        {
            reason = RejectReason.SIZE_BELOW_MINIMUM;
            detail = market.minSizeLots();
        }
        else if (sizeLots > market.maxOrderSizeLots())
        {
            reason = RejectReason.SIZE_ABOVE_MAXIMUM;
            detail = market.maxOrderSizeLots();
        }
        else
        {
            return false;
        }

        rejectOrder(events, templateId, reason, accountId, market.id(), orderId, clientOrderId, detail);
        return true;
    }

    /**
     * The worst price a market order may trade at: the oracle price moved by the market's band, or the client's
     * own worst price when that is stricter.
     */
    static long protectionPrice(
        final Side side, final long oracleTicks, final int bandPpm, final long clientWorstTicks)
    {
        final long offset = (oracleTicks / PPM) * bandPpm + (oracleTicks % PPM) * bandPpm / PPM;
        if (side == Side.BUY)
        {
            final long band = oracleTicks > Long.MAX_VALUE - offset ? Long.MAX_VALUE : oracleTicks + offset;
            return clientWorstTicks > 0 ? Math.min(band, clientWorstTicks) : band;
        }
        final long band = Math.max(1, oracleTicks - offset);
        return clientWorstTicks > 0 ? Math.max(band, clientWorstTicks) : band;
    }

    private static void reject(
        final EventWriter events,
        final int templateId,
        final RejectReason reason,
        final int accountId,
        final int marketId,
        final long clientOrderId,
        final long detail)
    {
        events.rejected(templateId, reason, accountId, marketId, NULL_ORDER_ID, clientOrderId, detail);
    }

    private static void rejectOrder(
        final EventWriter events,
        final int templateId,
        final RejectReason reason,
        final int accountId,
        final int marketId,
        final long orderId,
        final long clientOrderId,
        final long detail)
    {
        events.rejected(templateId, reason, accountId, marketId, orderId, clientOrderId, detail);
    }
}
