package io.rollbook.matcher.book;

/**
 * Recycles price levels. It creates a level only when more levels are live than ever before, so a book in steady
 * state allocates nothing.
 */
final class PriceLevelPool
{
    private PriceLevel free;

    PriceLevel acquire()
    {
        final PriceLevel level = free;
        if (level == null)
        {
            return new PriceLevel();
        }
        free = level.next;
        level.next = null;
        return level;
    }

    void release(final PriceLevel level)
    {
        level.next = free;
        free = level;
    }
}
