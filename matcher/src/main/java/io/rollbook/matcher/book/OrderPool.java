package io.rollbook.matcher.book;

/**
 * Recycles orders. It creates an order only when more orders are live than ever before, so the matcher in steady
 * state allocates nothing. The book's capacity is enforced by the caller, which counts resting orders.
 */
public final class OrderPool
{
    private Order free;

    public Order acquire()
    {
        final Order order = free;
        if (order == null)
        {
            return new Order();
        }
        free = order.levelNext;
        order.levelNext = null;
        return order;
    }

    /**
     * Returns an order that is linked nowhere any more.
     */
    public void release(final Order order)
    {
        order.levelNext = free;
        free = order;
    }
}
