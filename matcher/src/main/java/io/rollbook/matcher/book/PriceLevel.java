package io.rollbook.matcher.book;

/**
 * The orders resting at one price on one side, oldest first, in an intrusive doubly linked list, with their
 * total open size kept in step so depth queries cost nothing. A level is also a node of its {@link BookSide}'s
 * red-black tree and of the side's list of levels from best to worst; both links live here so that the book
 * allocates nothing beyond its pooled levels.
 *
 * <p>Owned by the matcher thread.
 */
public final class PriceLevel
{
    private long priceTicks;
    private long totalLots;
    private int orderCount;
    private Order head;
    private Order tail;

    /** The pool's free list. */
    PriceLevel next;

    PriceLevel parent;
    PriceLevel left;
    PriceLevel right;
    boolean red;
    /** The neighbouring levels of the side in price order; null past the best or the worst. */
    PriceLevel better;
    PriceLevel worse;

    PriceLevel init(final long priceTicks)
    {
        this.priceTicks = priceTicks;
        this.totalLots = 0;
        this.orderCount = 0;
        this.head = null;
        this.tail = null;
        this.next = null;
        return this;
    }

    public long priceTicks()
    {
        return priceTicks;
    }

    public long totalLots()
    {
        return totalLots;
    }

    public int orderCount()
    {
        return orderCount;
    }

    public boolean isEmpty()
    {
        return head == null;
    }

    /**
     * @return the next level away from the best price, or null for the worst level of its side
     */
    public PriceLevel worse()
    {
        return worse;
    }

    /**
     * @return the oldest order at this price
     */
    public Order head()
    {
        return head;
    }

    void append(final Order order)
    {
        order.level = this;
        order.levelNext = null;
        order.levelPrev = tail;
        if (tail == null)
        {
            head = order;
        }
        else
        {
            tail.levelNext = order;
        }
        tail = order;
        orderCount++;
        totalLots += order.remainingLots();
    }

    void remove(final Order order)
    {
        final Order prev = order.levelPrev;
        final Order next = order.levelNext;
        if (prev == null)
        {
            head = next;
        }
        else
        {
            prev.levelNext = next;
        }
        if (next == null)
        {
            tail = prev;
        }
        else
        {
            next.levelPrev = prev;
        }
        order.level = null;
        order.levelPrev = null;
        order.levelNext = null;
        orderCount--;
        totalLots -= order.remainingLots();
    }

    void fill(final Order order, final long lots)
    {
        order.fillResting(lots);
        totalLots -= lots;
    }

    void shrink(final Order order, final long newSizeLots)
    {
        final long before = order.remainingLots();
        order.shrinkResting(newSizeLots);
        totalLots -= before - order.remainingLots();
    }
}
