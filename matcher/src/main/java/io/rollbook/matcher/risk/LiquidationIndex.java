package io.rollbook.matcher.risk;

import io.rollbook.matcher.account.Position;

/**
 * One market's index of positions that could fall below maintenance when the market moves.
 *
 * <p>A position whose margin depends on this market alone (an isolated position, or the only position of a cross
 * account) is liquidatable exactly when a market-wide quantity {@code X} (oracle price and funding index) crosses a
 * threshold of its own that no market move changes; see docs/MARGIN.md. Longs sit in a max-heap of thresholds and
 * shorts in a min-heap, so an oracle update or funding tick finds its candidates in O(k log n) without touching
 * anyone else. Cross accounts with positions in several markets have thresholds that move with the other markets'
 * prices; their positions are kept in a list that is re-checked exactly whenever this market moves.
 *
 * <p>Owned by the matcher thread.
 */
public final class LiquidationIndex
{
    private final PositionHeap longs = new PositionHeap(true);
    private final PositionHeap shorts = new PositionHeap(false);
    private Position multiFirst;
    private int multiCount;

    /**
     * Files (or re-files) a single-market position under its threshold.
     */
    void fileInHeap(final Position position, final long key)
    {
        final PositionHeap heap = position.sizeLots() > 0 ? longs : shorts;
        final PositionHeap other = heap == longs ? shorts : longs;
        unfileFromMulti(position);
        if (other.contains(position))
        {
            other.remove(position);
        }
        position.liquidationKey(key);
        if (heap.contains(position))
        {
            heap.rekey(position);
        }
        else
        {
            heap.add(position);
        }
    }

    /**
     * Files a position whose threshold depends on other markets in the re-check list.
     */
    void fileInMulti(final Position position)
    {
        removeFromHeaps(position);
        if (!position.inMultiList())
        {
            position.linkMulti(null, multiFirst, true);
            if (multiFirst != null)
            {
                multiFirst.multiPrev(position);
            }
            multiFirst = position;
            multiCount++;
        }
    }

    /**
     * Takes a position out of the index entirely (it is flat, or exempt).
     */
    void unfile(final Position position)
    {
        removeFromHeaps(position);
        unfileFromMulti(position);
    }

    /**
     * @return the long with the highest threshold, or null
     */
    Position highestLong()
    {
        return longs.top();
    }

    /**
     * @return the short with the lowest threshold, or null
     */
    Position lowestShort()
    {
        return shorts.top();
    }

    /**
     * @return the first position of the re-check list; follow {@link Position#multiNext()}
     */
    Position firstMulti()
    {
        return multiFirst;
    }

    int multiCount()
    {
        return multiCount;
    }

    int longCount()
    {
        return longs.size();
    }

    int shortCount()
    {
        return shorts.size();
    }

    Position longAt(final int index)
    {
        return longs.at(index);
    }

    Position shortAt(final int index)
    {
        return shorts.at(index);
    }

    void removeFromHeaps(final Position position)
    {
        if (longs.contains(position))
        {
            longs.remove(position);
        }
        else if (shorts.contains(position))
        {
            shorts.remove(position);
        }
    }

    private void unfileFromMulti(final Position position)
    {
        if (!position.inMultiList())
        {
            return;
        }
        final Position prev = position.multiPrev();
        final Position next = position.multiNext();
        if (prev == null)
        {
            multiFirst = next;
        }
        else
        {
            prev.multiNext(next);
        }
        if (next != null)
        {
            next.multiPrev(prev);
        }
        position.linkMulti(null, null, false);
        multiCount--;
    }
}
