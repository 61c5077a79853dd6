package io.rollbook.matcher.account;

import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.OrderList;
import io.rollbook.protocol.engine.SelfTradePrevention;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * One account: its collateral, its defaults, and its live orders, both as a list in acceptance order (what mass
 * cancel walks, so its output is deterministic) and indexed by client order id (what cancel and amend look up).
 * The index is a hash map that is only ever probed, never iterated.
 */
public final class Account
{
    private static final int INITIAL_ORDER_INDEX_CAPACITY = 16;

    private final int id;
    private final Long2ObjectHashMap<Order> liveByClientOrderId =
        new Long2ObjectHashMap<>(INITIAL_ORDER_INDEX_CAPACITY, Hashing.DEFAULT_LOAD_FACTOR);
    private final OrderList liveOrders = new OrderList();
    private SelfTradePrevention defaultSelfTradePrevention = SelfTradePrevention.EXPIRE_TAKER;
    private long collateralMicros;

    Account(final int id)
    {
        this.id = id;
    }

    public int id()
    {
        return id;
    }

    public SelfTradePrevention defaultSelfTradePrevention()
    {
        return defaultSelfTradePrevention;
    }

    public void defaultSelfTradePrevention(final SelfTradePrevention mode)
    {
        defaultSelfTradePrevention = mode;
    }

    public long collateralMicros()
    {
        return collateralMicros;
    }

    public void addCollateral(final long deltaMicros)
    {
        collateralMicros = Math.addExact(collateralMicros, deltaMicros);
    }

    /**
     * @return the live order with this client order id, or null
     */
    public Order liveOrder(final long clientOrderId)
    {
        return liveByClientOrderId.get(clientOrderId);
    }

    public int liveOrderCount()
    {
        return liveOrders.size();
    }

    /**
     * @return the oldest live order; follow {@link Order#nextOfAccount()} for the rest
     */
    public Order firstLiveOrder()
    {
        return liveOrders.first();
    }

    /**
     * Makes the order live for this account: findable by client order id and listed for mass cancel.
     */
    public void addLiveOrder(final Order order)
    {
        liveByClientOrderId.put(order.clientOrderId(), order);
        liveOrders.append(order);
    }

    public void removeLiveOrder(final Order order)
    {
        liveByClientOrderId.remove(order.clientOrderId());
        liveOrders.remove(order);
    }
}
