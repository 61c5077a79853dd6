package io.rollbook.gateway.view;

/**
 * Sorts two parallel long arrays by the first, in place, without allocating (an introsort-free quicksort with
 * insertion sort for short ranges; prices are distinct, so no three-way partition is needed).
 */
final class PairSort
{
    private static final int INSERTION_THRESHOLD = 16;

    private PairSort()
    {
    }

    static void sort(final long[] keys, final long[] values, final int count, final boolean descending)
    {
        if (count > 1)
        {
            quicksort(keys, values, 0, count - 1, descending);
        }
    }

    private static void quicksort(final long[] keys, final long[] values, final int from, final int to, final boolean desc)
    {
        int lo = from;
        int hi = to;
        while (hi - lo >= INSERTION_THRESHOLD)
        {
            final long pivot = keys[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (before(keys[i], pivot, desc))
                {
                    i++;
                }
                while (before(pivot, keys[j], desc))
                {
                    j--;
                }
                if (i <= j)
                {
                    swap(keys, values, i, j);
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i)
            {
                quicksort(keys, values, lo, j, desc);
                lo = i;
            }
            else
            {
                quicksort(keys, values, i, hi, desc);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++)
        {
            final long key = keys[i];
            final long value = values[i];
            int j = i - 1;
            while (j >= lo && before(key, keys[j], desc))
            {
                keys[j + 1] = keys[j];
                values[j + 1] = values[j];
                j--;
            }
            keys[j + 1] = key;
            values[j + 1] = value;
        }
    }

    private static boolean before(final long a, final long b, final boolean descending)
    {
        return descending ? a > b : a < b;
    }

    private static void swap(final long[] keys, final long[] values, final int i, final int j)
    {
        final long key = keys[i];
        keys[i] = keys[j];
        keys[j] = key;
        final long value = values[i];
        values[i] = values[j];
        values[j] = value;
    }
}
