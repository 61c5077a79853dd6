package io.rollbook.matcher;

import io.rollbook.matcher.account.Account;
import io.rollbook.matcher.account.AccountTable;
import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.OrderPool;
import io.rollbook.matcher.risk.Clearing;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The registry of live orders: the order pool, the index by order id, each account's index and list, and each
 * position slot's open-order totals, all kept in step as orders rest, shrink and leave the book. An order becomes
 * live when it first rests and stops being live when it is filled or canceled; a taker that never rests is never
 * registered, so IOC flow costs no index updates.
 */
final class LiveOrders
{
    private final AccountTable accounts;
    private final Clearing clearing;
    private final OrderPool pool = new OrderPool();
    private final Long2ObjectHashMap<Order> byOrderId;
    private final int capacity;
    private int count;

    LiveOrders(final AccountTable accounts, final Clearing clearing, final int capacity)
    {
        this.accounts = accounts;
        this.clearing = clearing;
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
        final Order order = byOrderId.get(orderId);
        return order != null && order.account() == account ? order : null;
    }

    /**
     * Puts a new order on the book at the back of its level and registers it.
     */
    void rest(final Order order, final BookSide side)
    {
        final Account account = accounts.getOrCreate(order.account());
        byOrderId.put(order.orderId(), order);
        account.addLiveOrder(order);
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
        final Position slot = slotOf(order);
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
        byOrderId.put(order.orderId(), order);
        order.live(true);
        count++;
        restAgain(order, side);
    }

    /**
     * Loading a snapshot: makes a restored order findable by client order id and lists it for its account.
     */
    void register(final Order order)
    {
        accounts.get(order.account()).addLiveOrder(order);
    }

    /**
     * Takes a live order off the book while it is re-priced; it stays live.
     */
    void detach(final Order order, final BookSide side)
    {
        side.remove(order);
        final Position slot = slotOf(order);
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
        slotOf(order).changeOpen(order.side(), order.priceTicks(), order.remainingLots() - before);
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
            byOrderId.remove(order.orderId());
            final Account account = accounts.get(order.account());
            account.removeLiveOrder(order);
            order.live(false);
            count--;
            clearing.touch(account.position(order.market()));
        }
        pool.release(order);
    }

    private Position slotOf(final Order order)
    {
        return accounts.get(order.account()).position(order.market());
    }
}
