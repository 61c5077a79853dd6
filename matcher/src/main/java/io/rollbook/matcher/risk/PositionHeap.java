package io.rollbook.matcher.risk;

import java.util.Arrays;

import io.rollbook.matcher.account.Position;

/**
 * A binary heap of position slots ordered by their liquidation key, largest first ({@code max}) or smallest first.
 * Each slot remembers its place, so any slot can be re-keyed or removed in O(log n). Grows (allocating) only when
 * it holds more slots than ever before.
 */
final class PositionHeap
{
    private final boolean max;
    private Position[] slots = new Position[64];
    private int size;

    PositionHeap(final boolean max)
    {
        this.max = max;
    }

    int size()
    {
        return size;
    }

    Position top()
    {
        return size == 0 ? null : slots[0];
    }

    Position at(final int index)
    {
        return slots[index];
    }

    boolean contains(final Position position)
    {
        final int index = position.heapIndex();
        return index >= 0 && index < size && slots[index] == position;
    }

    void add(final Position position)
    {
        if (size == slots.length)
        {
            slots = Arrays.copyOf(slots, size * 2);
        }
        slots[size] = position;
        position.heapIndex(size);
        size++;
        siftUp(size - 1);
    }

    /**
     * Restores order after the slot's key changed.
     */
    void rekey(final Position position)
    {
        final int index = position.heapIndex();
        siftUp(index);
        siftDown(position.heapIndex());
    }

    void remove(final Position position)
    {
        final int index = position.heapIndex();
        final Position last = slots[--size];
        slots[size] = null;
        position.heapIndex(-1);
        if (index != size)
        {
            slots[index] = last;
            last.heapIndex(index);
            siftUp(index);
            siftDown(last.heapIndex());
        }
    }

    private boolean above(final Position a, final Position b)
    {
        final long keyA = a.liquidationKey();
        final long keyB = b.liquidationKey();
        if (keyA != keyB)
        {
            return max ? keyA > keyB : keyA < keyB;
        }
        return a.account().id() < b.account().id();
    }

    private void siftUp(final int start)
    {
        int index = start;
        final Position position = slots[index];
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            if (!above(position, slots[parent]))
            {
                break;
            }
            slots[index] = slots[parent];
            slots[index].heapIndex(index);
            index = parent;
        }
        slots[index] = position;
        position.heapIndex(index);
    }

    private void siftDown(final int start)
    {
        int index = start;
        final Position position = slots[index];
        while (true)
        {
            final int left = 2 * index + 1;
            if (left >= size)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < size && above(slots[right], slots[left]) ? right : left;
            if (!above(slots[child], position))
            {
                break;
            }
            slots[index] = slots[child];
            slots[index].heapIndex(index);
            index = child;
        }
        slots[index] = position;
        position.heapIndex(index);
    }
}
