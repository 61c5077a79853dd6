package io.rollbook.matcher.reference;

import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;

/**
 * One order of the {@link ReferenceMatcher}: plain fields, nothing pooled, nothing linked. The open size is
 * always derived ({@code size - filled}), so it can never drift from the other two.
 */
final class RefOrder
{
    final long orderId;
    final long clientOrderId;
    final int account;
    final int market;
    final Side side;
    final OrderType orderType;
    final TimeInForce timeInForce;
    final MarginMode marginMode;
    final SelfTradePrevention selfTradePrevention;
    final byte flags;
    long priceTicks;
    long sizeLots;
    long filledLots;

    RefOrder(
        final long orderId,
        final long clientOrderId,
        final int account,
        final int market,
        final Side side,
        final OrderType orderType,
        final TimeInForce timeInForce,
        final MarginMode marginMode,
        final SelfTradePrevention selfTradePrevention,
        final byte flags,
        final long priceTicks,
        final long sizeLots)
    {
        this.orderId = orderId;
        this.clientOrderId = clientOrderId;
        this.account = account;
        this.market = market;
        this.side = side;
        this.orderType = orderType;
        this.timeInForce = timeInForce;
        this.marginMode = marginMode;
        this.selfTradePrevention = selfTradePrevention;
        this.flags = flags;
        this.priceTicks = priceTicks;
        this.sizeLots = sizeLots;
    }

    long openLots()
    {
        return sizeLots - filledLots;
    }

    boolean isPostOnly()
    {
        return (flags & ReferenceMatcher.FLAG_POST_ONLY) != 0;
    }

    @Override
    public String toString()
    {
        return "order " + orderId + " (account " + account + ", market " + market + ", " + side + " " + openLots() +
            "/" + sizeLots + " @ " + priceTicks + ")";
    }
}
