package io.rollbook.matcher;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.OrderBook;
import io.rollbook.matcher.book.PriceLevel;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.market.Market;
import io.rollbook.matcher.market.MarketTable;
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
 * The order commands: place, cancel, amend and mass cancel. Each validates completely before it changes
 * anything, so a rejected command leaves no trace but its {@code rejected} event. The checks and events follow
 * docs/MATCHING.md in order.
 */
final class OrderEntry
{
    private static final long NULL_ORDER_ID = CommandRejectedEncoder.orderIdNullValue();
    private static final long NULL_CLIENT_ORDER_ID = CommandRejectedEncoder.clientOrderIdNullValue();
    private static final int NULL_MARKET = CommandRejectedEncoder.marketNullValue();
    private static final int KNOWN_FLAGS = Order.FLAG_POST_ONLY | Order.FLAG_REDUCE_ONLY;
    private static final int FLAGS_OFFSET = PlaceOrderDecoder.flagsEncodingOffset();
    private static final long PPM = 1_000_000L;

    private final MarketTable markets;
    private final AccountTable accounts;
    private final LiveOrders liveOrders;
    private final Matching matching;
    private final int maxOpenOrdersPerAccount;
    private long lastOrderId;

    OrderEntry(
        final MarketTable markets,
        final AccountTable accounts,
        final LiveOrders liveOrders,
        final int maxOpenOrdersPerAccount)
    {
        this.markets = markets;
        this.accounts = accounts;
        this.liveOrders = liveOrders;
        this.matching = new Matching(liveOrders);
        this.maxOpenOrdersPerAccount = maxOpenOrdersPerAccount;
    }

    long lastOrderId()
    {
        return lastOrderId;
    }

    long lastTradeId()
    {
        return matching.lastTradeId();
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
            reject(events, templateId, RejectReason.INVALID_SIDE, accountId, marketId, clientOrderId, 0);
            return;
        }
        final OrderType orderType = EngineEnums.orderType(command.orderTypeRaw());
        if (orderType == null)
        {
            reject(events, templateId, RejectReason.INVALID_ORDER_TYPE, accountId, marketId, clientOrderId, 0);
            return;
        }
        final TimeInForce timeInForce = EngineEnums.timeInForce(command.timeInForceRaw());
        if (timeInForce == null)
        {
            reject(events, templateId, RejectReason.INVALID_TIME_IN_FORCE, accountId, marketId, clientOrderId, 0);
            return;
        }
        final MarginMode marginMode = EngineEnums.marginMode(command.marginModeRaw());
        if (marginMode == null)
        {
            reject(events, templateId, RejectReason.INVALID_MARGIN_MODE, accountId, marketId, clientOrderId, 0);
            return;
        }
        final SelfTradePrevention requestedStp = EngineEnums.selfTradePrevention(command.selfTradePreventionRaw());
        if (requestedStp == null)
        {
            reject(events, templateId, RejectReason.INVALID_SELF_TRADE_PREVENTION, accountId, marketId,
                clientOrderId, 0);
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
        if (!isMarket && !notionalFits(market, priceTicks, sizeLots))
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
        final Account account = accounts.get(accountId);
        if (account != null && account.liveOrder(clientOrderId) != null)
        {
            reject(events, templateId, RejectReason.DUPLICATE_CLIENT_ORDER_ID, accountId, marketId,
                clientOrderId, account.liveOrder(clientOrderId).orderId());
            return;
        }

        long limitTicks = priceTicks;
        if (isMarket)
        {
            final long oracleTicks = market.oraclePriceTicks();
            if (oracleTicks == 0)
            {
                reject(events, templateId, RejectReason.NO_ORACLE_PRICE, accountId, marketId, clientOrderId, 0);
                return;
            }
            limitTicks = protectionPrice(side, oracleTicks, market.marketOrderBandPpm(), priceTicks);
        }
        if (timeInForce == TimeInForce.GTC)
        {
            if (account != null && account.liveOrderCount() >= maxOpenOrdersPerAccount)
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
        final SelfTradePrevention stp = requestedStp == SelfTradePrevention.ACCOUNT_DEFAULT ?
            (account != null ? account.defaultSelfTradePrevention() : SelfTradePrevention.EXPIRE_TAKER) :
            requestedStp;
        if (timeInForce == TimeInForce.FOK)
        {
            final long fillable = Matching.fillableLots(opposite, accountId, limitTicks, stp, sizeLots);
            if (fillable < sizeLots)
            {
                reject(events, templateId, RejectReason.FOK_NOT_FILLABLE, accountId, marketId, clientOrderId,
                    fillable);
                return;
            }
        }

        final Order order = liveOrders.acquire().init(
            ++lastOrderId, clientOrderId, accountId, marketId, side, orderType, timeInForce, marginMode, stp, flags,
            limitTicks, sizeLots);
        events.accepted(order);
        final int stop = matching.match(order, opposite, limitTicks, events);
        finishTaker(order, market.book(), stop, events);
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
        if (!notionalFits(market, priceTicks, sizeLots))
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

        final long oldPriceTicks = order.priceTicks();
        final long oldRemainingLots = order.remainingLots();
        final BookSide own = book.sideOf(order.side());
        if (priceTicks == oldPriceTicks && sizeLots - order.filledLots() <= oldRemainingLots)
        {
            own.shrink(order, sizeLots);
            events.amended(order, oldPriceTicks, oldRemainingLots, true);
            return;
        }

        own.remove(order);
        order.amendDetached(priceTicks, sizeLots);
        events.amended(order, oldPriceTicks, oldRemainingLots, false);
        final int stop = matching.match(order, opposite, priceTicks, events);
        finishTaker(order, book, stop, events);
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
            reject(events, templateId, RejectReason.INVALID_SIDE, accountId, marketId, NULL_CLIENT_ORDER_ID, 0);
            return;
        }
        final MassCancelTrigger trigger = EngineEnums.massCancelTrigger(command.triggerRaw());
        if (trigger == null)
        {
            reject(events, templateId, RejectReason.INVALID_MASS_CANCEL_TRIGGER, accountId, marketId,
                NULL_CLIENT_ORDER_ID, 0);
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
                events.canceled(order, order.remainingLots(), reason, true);
                liveOrders.close(order, markets.get(order.market()).book().sideOf(order.side()));
                count++;
            }
            order = next;
        }
        events.massCanceled(accountId, marketId, side, count, trigger);
    }

    /**
     * Decides what happens to what is left of a taker (a new order, or an amended one re-matched).
     */
    private void finishTaker(final Order order, final OrderBook book, final int stop, final EventWriter events)
    {
        final BookSide own = book.sideOf(order.side());
        if (order.remainingLots() == 0)
        {
            liveOrders.close(order, own);
        }
        else if (stop == Matching.SELF_TRADE)
        {
            events.canceled(order, order.remainingLots(), CancelReason.SELF_TRADE_PREVENTION, false);
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
            final Account account = accounts.get(accountId);
            order = account == null ? null : account.liveOrder(clientOrderId);
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
     * @return true if price x size x the value of a tick-lot fits in a long, so that no notional computed from
     * this order can overflow
     */
    private static boolean notionalFits(final Market market, final long priceTicks, final long sizeLots)
    {
        final long priceSize = priceTicks * sizeLots;
        if (Math.multiplyHigh(priceTicks, sizeLots) != 0 || priceSize < 0)
        {
            return false;
        }
        final long tickLotValue = market.tickLotValueMicros();
        return Math.multiplyHigh(priceSize, tickLotValue) == 0 && priceSize * tickLotValue >= 0;
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
