package io.rollbook.matcher;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.OrderPool;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The registry of live orders: the order pool, the index by order id, and each account's index and list. An order
 * becomes live when it first rests and stops being live when it is filled or canceled; a taker that never rests
 * is never registered, so IOC flow costs no index updates.
 */
final class LiveOrders
{
    private final AccountTable accounts;
    private final OrderPool pool = new OrderPool();
    private final Long2ObjectHashMap<Order> byOrderId;
    private final int capacity;
    private int count;

    LiveOrders(final AccountTable accounts, final int capacity)
    {
        this.accounts = accounts;
        this.capacity = capacity;
        this.byOrderId = new Long2ObjectHashMap<>(Math.max(16, capacity / 8), Hashing.DEFAULT_LOAD_FACTOR);
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
     * @return the live order with this id if it belongs to {@code account}, else null
     */
    Order byOrderId(final int account, final long orderId)
    {
        final Order order = byOrderId.get(orderId);
        return order != null && order.account() == account ? order : null;
    }

    /**
     * Puts a new order on the book at the back of its level and registers it.
     */
    void rest(final Order order, final BookSide side)
    {
        side.add(order);
        byOrderId.put(order.orderId(), order);
        accounts.getOrCreate(order.account()).addLiveOrder(order);
        order.live(true);
        count++;
    }

    /**
     * Puts an order that is already live (being amended) back on the book, at the back of its level.
     */
    void restAgain(final Order order, final BookSide side)
    {
        side.add(order);
    }

    /**
     * Ends an order, filled or canceled: off the book, out of every index, back to the pool.
     */
    void close(final Order order, final BookSide side)
    {
        if (order.isResting())
        {
            side.remove(order);
        }
        if (order.isLive())
        {
            byOrderId.remove(order.orderId());
            final Account account = accounts.get(order.account());
            account.removeLiveOrder(order);
            order.live(false);
            count--;
        }
        pool.release(order);
    }
}
