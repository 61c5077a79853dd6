package io.rollbook.matcher;

import io.rollbook.matcher.book.Order;
import org.agrona.collections.Hashing;

/**
 * Live orders found by account and a key (an order id, or a client order id): one open-addressing table with
 * linear probing over flat arrays. Each slot's key and account sit side by side in one array, so a lookup reads
 * one line of keys and then the order itself; a map per account would first have to load the account, its map
 * and the map's arrays, which is where the matcher's time went on amend-heavy flow.
 *
 * <p>The table is only ever probed, never iterated in any way that reaches the output, so its layout cannot make
 * the matcher nondeterministic. It doubles when it passes half full and never shrinks, so once it has grown to the
 * book's high-water mark, indexing allocates nothing. Removal shifts the following entries back rather than
 * leaving tombstones, so probe chains stay as short as the load allows.
 *
 * <p>Owned by the matcher thread.
 */
final class OrderIndex
{
    private static final long EMPTY = -1;
    private static final int MINIMUM_CAPACITY = 16;

    /** Pairs: {@code [2i]} the key, {@code [2i + 1]} the account, or {@link #EMPTY} for a free slot. */
    private long[] entries;
    private Order[] orders;
    private int mask;
    private int size;

    OrderIndex(final int expectedOrders)
    {
        allocate(capacityFor(Math.max(MINIMUM_CAPACITY / 2, expectedOrders)));
    }

    int size()
    {
        return size;
    }

    /**
     * @return the order indexed under this account and key, or null
     */
    Order get(final int account, final long key)
    {
        final long[] entries = this.entries;
        final int mask = this.mask;
        int slot = slot(account, key, mask);
        while (true)
        {
            final long slotAccount = entries[2 * slot + 1];
            if (slotAccount == EMPTY)
            {
                return null;
            }
            if (slotAccount == account && entries[2 * slot] == key)
            {
                return orders[slot];
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * Indexes an order; the caller guarantees nothing is indexed yet under this account and key.
     */
    void put(final int account, final long key, final Order order)
    {
        if (2 * (size + 1) > orders.length)
        {
            grow();
        }
        insert(account, key, order);
        size++;
    }

    /**
     * Removes what is indexed under this account and key, if anything.
     */
    void remove(final int account, final long key)
    {
        final long[] entries = this.entries;
        int slot = slot(account, key, mask);
        while (true)
        {
            final long slotAccount = entries[2 * slot + 1];
            if (slotAccount == EMPTY)
            {
                return;
            }
            if (slotAccount == account && entries[2 * slot] == key)
            {
                break;
            }
            slot = (slot + 1) & mask;
        }
        size--;
        closeGap(slot);
    }

    /**
     * Backward-shift deletion: moves each later entry of the probe run into the gap when the gap lies between its
     * home slot and where it sits now, so every remaining entry stays reachable from its home without tombstones.
     */
    private void closeGap(final int removed)
    {
        final long[] entries = this.entries;
        int gap = removed;
        int next = (gap + 1) & mask;
        while (entries[2 * next + 1] != EMPTY)
        {
            final int home = slot((int)entries[2 * next + 1], entries[2 * next], mask);
            if (((next - home) & mask) >= ((next - gap) & mask))
            {
                entries[2 * gap] = entries[2 * next];
                entries[2 * gap + 1] = entries[2 * next + 1];
                orders[gap] = orders[next];
                gap = next;
            }
            next = (next + 1) & mask;
        }
        entries[2 * gap] = 0;
        entries[2 * gap + 1] = EMPTY;
        orders[gap] = null;
    }

    private void insert(final int account, final long key, final Order order)
    {
        int slot = slot(account, key, mask);
        while (entries[2 * slot + 1] != EMPTY)
        {
            slot = (slot + 1) & mask;
        }
        entries[2 * slot] = key;
        entries[2 * slot + 1] = account;
        orders[slot] = order;
    }

    private void grow()
    {
        final long[] oldEntries = entries;
        final Order[] oldOrders = orders;
        allocate(oldOrders.length * 2);
        for (int i = 0; i < oldOrders.length; i++)
        {
            if (oldEntries[2 * i + 1] != EMPTY)
            {
                insert((int)oldEntries[2 * i + 1], oldEntries[2 * i], oldOrders[i]);
            }
        }
    }

    private void allocate(final int capacity)
    {
        entries = new long[2 * capacity];
        orders = new Order[capacity];
        mask = capacity - 1;
        for (int i = 1; i < entries.length; i += 2)
        {
            entries[i] = EMPTY;
        }
    }

    private static int capacityFor(final int orders)
    {
        final int wanted = Math.max(MINIMUM_CAPACITY, 2 * orders);
        final int capacity = Integer.highestOneBit(wanted - 1) << 1;
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("order index too large: " + orders);
        }

        return capacity;
    }

    /**
     * Home slot of an entry. The key is spread by a golden-ratio multiply before the account is added, so accounts
     * numbering their orders alike do not share home slots.
     */
    private static int slot(final int account, final long key, final int mask)
    {
        return Hashing.hash(key * 0x9E3779B97F4A7C15L + account, mask);
    }
}
