package io.rollbook.matcher;

import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.OrderPool;
import io.rollbook.matcher.risk.Clearing;

/**
 * The registry of live orders: the order pool, the indexes by order id and by client order id, each account's
 * list, and each position slot's open-order totals, all kept in step as orders rest, shrink and leave the book. An
 * order becomes live when it first rests and stops being live when it is filled or canceled; a taker that never
 * rests is never registered, so IOC flow costs no index updates.
 */
final class LiveOrders
{
    /**
     * The indexes start small and grow with the book, so a book of a few thousand orders keeps them within the
     * caches however large the configured capacity.
     */
    private static final int INITIAL_INDEX_ORDERS = 1024;

    private final AccountTable accounts;
    private final Clearing clearing;
    private final OrderPool pool = new OrderPool();
    private final OrderIndex byOrderId;
    private final OrderIndex byClientOrderId;
    private final int capacity;
    private int count;

    LiveOrders(final AccountTable accounts, final Clearing clearing, final int capacity)
    {
        this.accounts = accounts;
        this.clearing = clearing;
        this.capacity = capacity;
        this.byOrderId = new OrderIndex(INITIAL_INDEX_ORDERS);
        this.byClientOrderId = new OrderIndex(INITIAL_INDEX_ORDERS);
    }

    int capacity()
    {
        return capacity;
    }

    int count()
    {
        return count;
    }

    boolean isFull()
    {
        return count >= capacity;
    }

    Order acquire()
    {
        return pool.acquire();
    }

    /**
     * Returns a taker that never rested to the pool.
     */
    void release(final Order order)
    {
        pool.release(order);
    }

    /**
     * @return the live order with this id if it belongs to {@code account}, else null
     */
    Order byOrderId(final int account, final long orderId)
    {
        return byOrderId.get(account, orderId);
    }

    /**
     * @return the live order of {@code account} with this client order id, else null
     */
    Order byClientOrderId(final int account, final long clientOrderId)
    {
        return byClientOrderId.get(account, clientOrderId);
    }

    /**
     * Puts a new order on the book at the back of its level and registers it.
     */
    void rest(final Order order, final BookSide side)
    {
        byOrderId.put(order.account(), order.orderId(), order);
        byClientOrderId.put(order.account(), order.clientOrderId(), order);
        order.slot().account().addLiveOrder(order);
        order.live(true);
        count++;
        restAgain(order, side);
    }

    /**
     * Puts a live order (one being amended) back on the book, at the back of its level.
     */
    void restAgain(final Order order, final BookSide side)
    {
        side.add(order);
        final Position slot = order.slot();
        slot.addOpenOrder(order.side(), order.priceTicks(), order.remainingLots());
        if (order.isReduceOnly())
        {
            slot.changeReduceOnlyOrderCount(1);
        }
    }

    /**
     * Loading a snapshot: puts an order at the back of its level, indexes it by id and counts it in its slot; the
     * account's list is linked afterwards, in the account's own order ({@link #register}).
     */
    void restoreResting(final Order order, final BookSide side)
    {
        order.slot(accounts.get(order.account()).position(order.market()));
        byOrderId.put(order.account(), order.orderId(), order);
        order.live(true);
        count++;
        restAgain(order, side);
    }

    /**
     * Loading a snapshot: makes a restored order findable by client order id and lists it for its account.
     */
    void register(final Order order)
    {
        byClientOrderId.put(order.account(), order.clientOrderId(), order);
        order.slot().account().addLiveOrder(order);
    }

    /**
     * Takes a live order off the book while it is re-priced; it stays live.
     */
    void detach(final Order order, final BookSide side)
    {
        side.remove(order);
        final Position slot = order.slot();
        slot.removeOpenOrder(order.side(), order.priceTicks(), order.remainingLots());
        if (order.isReduceOnly())
        {
            slot.changeReduceOnlyOrderCount(-1);
        }
    }

    /**
     * Shrinks a resting order in place to a new total size, keeping its queue position.
     */
    void shrink(final Order order, final BookSide side, final long newSizeLots)
    {
        final long before = order.remainingLots();
        side.shrink(order, newSizeLots);
        order.slot().changeOpen(order.side(), order.priceTicks(), order.remainingLots() - before);
    }

    /**
     * Ends an order, filled or canceled: off the book, out of every index, back to the pool.
     */
    void close(final Order order, final BookSide side)
    {
        if (order.isResting())
        {
            detach(order, side);
        }
        if (order.isLive())
        {
            byOrderId.remove(order.account(), order.orderId());
            byClientOrderId.remove(order.account(), order.clientOrderId());
            order.slot().account().removeLiveOrder(order);
            order.live(false);
            count--;
            clearing.touch(order.slot());
        }
        pool.release(order);
    }
}
