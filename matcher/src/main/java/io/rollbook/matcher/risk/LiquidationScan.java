package io.rollbook.matcher.risk;

import io.rollbook.matcher.account.Position;
import io.rollbook.matcher.market.Market;

/**
 * Reads a market's liquidation index: the candidates an oracle update or funding tick may have pushed below
 * maintenance, and the counterparties auto-deleveraging takes from. Reuses one scratch array.
 */
public final class LiquidationScan
{
    private Position[] found = new Position[64];
    private int count;

    public int count()
    {
        return count;
    }

    public Position at(final int index)
    {
        return found[index];
    }

    /**
     * Collects the market's candidates: heap entries whose threshold the market's current values reach, in the
     * heaps' order (threshold, then account id; taken out of the heaps, which the caller re-files before it
     * liquidates any, so that deleveraging sees them), then every position of the re-check list, by account id.
     */
    public void collect(final Market market)
    {
        count = 0;
        final LiquidationIndex index = market.liquidationIndex();
        final long valuePerLot = Margin.notional(market, market.oraclePriceTicks(), 1);
        final long maintenancePpm = market.maintenanceMarginPpm();
        final long funding = market.fundingIndex();
        final long longValue = FixedMath.mulDivFloor(valuePerLot, Margin.PPM - maintenancePpm, Margin.PPM) -
            FixedMath.ceilDiv(funding, Margin.NANOS_PER_MICRO);
        final long shortValue = FixedMath.mulDivCeil(valuePerLot, Margin.PPM + maintenancePpm, Margin.PPM) -
            Math.floorDiv(funding, Margin.NANOS_PER_MICRO);

        Position position;
        while ((position = index.highestLong()) != null && position.liquidationKey() >= longValue)
        {
            index.removeFromHeaps(position);
            add(position);
        }
        while ((position = index.lowestShort()) != null && position.liquidationKey() <= shortValue)
        {
            index.removeFromHeaps(position);
            add(position);
        }
        final int firstMulti = count;
        for (position = index.firstMulti(); position != null; position = position.multiNext())
        {
            add(position);
        }
        sortByAccount(firstMulti);
    }

    /**
     * The re-check list is in the order positions joined it, which a restored matcher cannot know; checking them in
     * account order keeps liquidation events a function of the state alone. A market's list holds each account at
     * most once, so the order is total and any correct sort gives the same one. Heapsort, in place: O(n log n)
     * whatever order the list is in, and no scratch array to allocate. The list is built newest first, so account
     * ids often come in descending order, where an insertion sort is quadratic: most of a second per funding tick
     * at 10,000 accounts with positions in two markets.
     */
    private void sortByAccount(final int from)
    {
        final int n = count - from;
        for (int root = n / 2 - 1; root >= 0; root--)
        {
            siftDown(from, root, n);
        }
        for (int end = n - 1; end > 0; end--)
        {
            final Position top = found[from];
            found[from] = found[from + end];
            found[from + end] = top;
            siftDown(from, 0, end);
        }
    }

    /**
     * Restores the max-heap (by account id) of the {@code size} entries from {@code base} below {@code root}.
     */
    private void siftDown(final int base, final int root, final int size)
    {
        final Position moving = found[base + root];
        final int movingId = moving.account().id();
        int hole = root;
        while (true)
        {
            int child = 2 * hole + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && found[base + child + 1].account().id() > found[base + child].account().id())
            {
                child++;
            }
            if (found[base + child].account().id() <= movingId)
            {
                break;
            }
            found[base + hole] = found[base + child];
            hole = child;
        }
        found[base + hole] = moving;
    }

    /**
     * @return the position on the other side of {@code size} with the highest unrealized PnL (ties: lowest account
     * id), not of {@code excludedAccount}; null if there is none in the index
     */
    public Position mostProfitableOpposite(final Market market, final long size, final int excludedAccount)
    {
        final LiquidationIndex index = market.liquidationIndex();
        Position best = null;
        long bestPnl = 0;
        final int heapCount = size > 0 ? index.shortCount() : index.longCount();
        for (int i = 0; i < heapCount; i++)
        {
            final Position candidate = size > 0 ? index.shortAt(i) : index.longAt(i);
            if (candidate.account().id() != excludedAccount)
            {
                final long pnl = unrealizedPnl(market, candidate);
                if (best == null || isBetter(pnl, candidate, bestPnl, best))
                {
                    best = candidate;
                    bestPnl = pnl;
                }
            }
        }
        for (Position candidate = index.firstMulti(); candidate != null; candidate = candidate.multiNext())
        {
            final boolean opposite = size > 0 ? candidate.sizeLots() < 0 : candidate.sizeLots() > 0;
            if (opposite && candidate.account().id() != excludedAccount)
            {
                final long pnl = unrealizedPnl(market, candidate);
                if (best == null || isBetter(pnl, candidate, bestPnl, best))
                {
                    best = candidate;
                    bestPnl = pnl;
                }
            }
        }
        return best;
    }

    private static boolean isBetter(final long pnl, final Position candidate, final long bestPnl, final Position best)
    {
        return pnl > bestPnl || (pnl == bestPnl && candidate.account().id() < best.account().id());
    }

    private static long unrealizedPnl(final Market market, final Position position)
    {
        return Margin.value(market, position.sizeLots()) - position.entryValueMicros();
    }

    private void add(final Position position)
    {
        if (count == found.length)
        {
            final Position[] grown = new Position[count * 2];
            System.arraycopy(found, 0, grown, 0, count);
            found = grown;
        }
        found[count++] = position;
    }
}
