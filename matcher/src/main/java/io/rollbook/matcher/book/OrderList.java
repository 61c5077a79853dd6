package io.rollbook.matcher.book;

/**
 * An account's live orders in acceptance order, linked through the orders themselves.
 */
public final class OrderList
{
    private Order first;
    private Order last;
    private int size;

    public Order first()
    {
        return first;
    }

    public int size()
    {
        return size;
    }

    public void append(final Order order)
    {
        order.accountNext = null;
        order.accountPrev = last;
        if (last == null)
        {
            first = order;
        }
        else
        {
            last.accountNext = order;
        }
        last = order;
        size++;
    }

    public void remove(final Order order)
    {
        final Order prev = order.accountPrev;
        final Order next = order.accountNext;
        if (prev == null)
        {
            first = next;
        }
        else
        {
            prev.accountNext = next;
        }
        if (next == null)
        {
            last = prev;
        }
        else
        {
            next.accountPrev = prev;
        }
        order.accountPrev = null;
        order.accountNext = null;
        size--;
    }
}
