package io.rollbook.matcher.book;

import io.rollbook.matcher.account.Position;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;

/**
 * A live order. Instances are pooled ({@link OrderPool}) and linked intrusively into their price level's queue
 * and their account's list of open orders, so placing, filling and canceling allocate nothing.
 *
 * <p>Owned by the matcher thread; never shared.
 */
public final class Order
{
    public static final byte FLAG_POST_ONLY = 1;
    public static final byte FLAG_REDUCE_ONLY = 2;

    private long orderId;
    private long clientOrderId;
    private long priceTicks;
    private long sizeLots;
    private long filledLots;
    private long remainingLots;
    private int account;
    private int market;
    private Side side;
    private OrderType orderType;
    private TimeInForce timeInForce;
    private MarginMode marginMode;
    private SelfTradePrevention selfTradePrevention;
    private byte flags;
    private boolean live;
    private Position slot;

    PriceLevel level;
    Order levelPrev;
    Order levelNext;

    Order accountPrev;
    Order accountNext;

    /**
     * Sets every field of a fresh order; it is linked nowhere yet.
     */
    public Order init(
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
        this.filledLots = 0;
        this.remainingLots = sizeLots;
        this.live = false;
        this.slot = null;
        this.level = null;
        this.levelPrev = null;
        this.levelNext = null;
        this.accountPrev = null;
        this.accountNext = null;
        return this;
    }

    /**
     * @return the position slot of the order's account in its market, which counts the order's margin; set once
     * the slot is known ({@link #slot(Position)}). Kept on the order because cancels, amends and fills need it on
     * every command, and reaching it through the account costs several cache misses.
     */
    public Position slot()
    {
        return slot;
    }

    /**
     * Binds the order to its slot; a slot cannot close while an order of it is live, so the binding stays valid for
     * the order's life.
     */
    public void slot(final Position slot)
    {
        this.slot = slot;
    }

    public long orderId()
    {
        return orderId;
    }

    public long clientOrderId()
    {
        return clientOrderId;
    }

    public long priceTicks()
    {
        return priceTicks;
    }

    /**
     * @return the total size of the order (as placed, or as last amended)
     */
    public long sizeLots()
    {
        return sizeLots;
    }

    public long filledLots()
    {
        return filledLots;
    }

    /**
     * @return the open size: what can still trade
     */
    public long remainingLots()
    {
        return remainingLots;
    }

    public int account()
    {
        return account;
    }

    public int market()
    {
        return market;
    }

    public Side side()
    {
        return side;
    }

    public boolean isBuy()
    {
        return side == Side.BUY;
    }

    public OrderType orderType()
    {
        return orderType;
    }

    public TimeInForce timeInForce()
    {
        return timeInForce;
    }

    public MarginMode marginMode()
    {
        return marginMode;
    }

    public SelfTradePrevention selfTradePrevention()
    {
        return selfTradePrevention;
    }

    public byte flags()
    {
        return flags;
    }

    public boolean isPostOnly()
    {
        return (flags & FLAG_POST_ONLY) != 0;
    }

    public boolean isReduceOnly()
    {
        return (flags & FLAG_REDUCE_ONLY) != 0;
    }

    /**
     * @return true while the order is registered as live: findable by id and client order id. An order being
     * re-matched by an amend is live but, for the moment, not resting.
     */
    public boolean isLive()
    {
        return live;
    }

    public void live(final boolean live)
    {
        this.live = live;
    }

    /**
     * @return true while the order sits in a price level of a book
     */
    public boolean isResting()
    {
        return level != null;
    }

    /**
     * Records a fill of an order that is not resting (a taker). Resting orders are filled through their
     * {@link PriceLevel}, which keeps the level's total in step.
     */
    public void fillAsTaker(final long lots)
    {
        filledLots += lots;
        remainingLots -= lots;
    }

    /**
     * Sets what was filled of a fresh order when a snapshot is loaded.
     */
    public void restoreFilled(final long filledLots)
    {
        this.filledLots = filledLots;
        this.remainingLots = sizeLots - filledLots;
    }

    /**
     * Re-prices and re-sizes an order that is not resting: {@code sizeLots} is the new total size.
     */
    public void amendDetached(final long priceTicks, final long sizeLots)
    {
        this.priceTicks = priceTicks;
        this.sizeLots = sizeLots;
        this.remainingLots = sizeLots - filledLots;
    }

    void fillResting(final long lots)
    {
        filledLots += lots;
        remainingLots -= lots;
    }

    void shrinkResting(final long sizeLots)
    {
        this.sizeLots = sizeLots;
        this.remainingLots = sizeLots - filledLots;
    }

    /**
     * @return the next order of the same account, in acceptance order, or null
     */
    public Order nextOfAccount()
    {
        return accountNext;
    }

    /**
     * @return the next order in the same price level (later in time), or null
     */
    public Order nextInLevel()
    {
        return levelNext;
    }
}
