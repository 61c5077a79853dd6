package io.rollbook.matcher.book;

import java.util.Arrays;

/**
 * One side of an order book: its price levels in an array sorted from worst to best price, so the best level is
 * the last element. Most activity happens at and near the best price, where inserting or removing a level moves
 * few or no elements, and the array stays in cache where a tree would chase pointers.
 */
public final class BookSide
{
    private static final int INITIAL_LEVEL_CAPACITY = 64;

    private final boolean bids;
    private final PriceLevelPool levelPool;
    private PriceLevel[] levels = new PriceLevel[INITIAL_LEVEL_CAPACITY];
    /** The levels' prices, kept in step with {@link #levels} so a search reads contiguous memory. */
    private long[] prices = new long[INITIAL_LEVEL_CAPACITY];
    private int levelCount;

    BookSide(final boolean bids, final PriceLevelPool levelPool)
    {
        this.bids = bids;
        this.levelPool = levelPool;
    }

    public boolean isBids()
    {
        return bids;
    }

    public int levelCount()
    {
        return levelCount;
    }

    /**
     * @return the best level, or null when the side is empty
     */
    public PriceLevel best()
    {
        return levelCount == 0 ? null : levels[levelCount - 1];
    }

    /**
     * @param depth 0 for the best level, 1 for the next, ...
     * @return the level at that depth
     */
    public PriceLevel levelAtDepth(final int depth)
    {
        return levels[levelCount - 1 - depth];
    }

    /**
     * @return the level at exactly this price, or null
     */
    public PriceLevel levelAt(final long priceTicks)
    {
        final int index = search(priceTicks);
        return index >= 0 ? levels[index] : null;
    }

    /**
     * @return true if a resting order at {@code priceTicks} on this side would trade with a taker whose limit is
     * {@code limitTicks}
     */
    public boolean crosses(final long priceTicks, final long limitTicks)
    {
        return bids ? priceTicks >= limitTicks : priceTicks <= limitTicks;
    }

    /**
     * @return true if {@code a} is a better price than {@code b} on this side
     */
    public boolean isBetter(final long a, final long b)
    {
        return bids ? a > b : a < b;
    }

    /**
     * Appends the order at the back of the level of its price, creating the level if needed.
     */
    public void add(final Order order)
    {
        final long price = order.priceTicks();
        int index = search(price);
        final PriceLevel level;
        if (index >= 0)
        {
            level = levels[index];
        }
        else
        {
            index = -index - 1;
            if (levelCount == levels.length)
            {
                levels = Arrays.copyOf(levels, levels.length * 2);
                prices = Arrays.copyOf(prices, prices.length * 2);
            }
            System.arraycopy(levels, index, levels, index + 1, levelCount - index);
            System.arraycopy(prices, index, prices, index + 1, levelCount - index);
            level = levelPool.acquire().init(price);
            levels[index] = level;
            prices[index] = price;
            levelCount++;
        }
        level.append(order);
    }

    /**
     * Takes the order out of its level, dropping the level when it empties.
     */
    public void remove(final Order order)
    {
        final PriceLevel level = order.level;
        level.remove(order);
        if (level.isEmpty())
        {
            removeLevel(level);
        }
    }

    /**
     * Fills a resting order of this side by {@code lots}; an order that is filled completely stays linked: the
     * caller removes it once it has written its events.
     */
    public void fill(final Order order, final long lots)
    {
        order.level.fill(order, lots);
    }

    /**
     * Shrinks a resting order to a new total size in place, keeping its queue position.
     */
    public void shrink(final Order order, final long newSizeLots)
    {
        order.level.shrink(order, newSizeLots);
    }

    private void removeLevel(final PriceLevel level)
    {
        final int index = levels[levelCount - 1] == level ? levelCount - 1 : search(level.priceTicks());
        System.arraycopy(levels, index + 1, levels, index, levelCount - index - 1);
        System.arraycopy(prices, index + 1, prices, index, levelCount - index - 1);
        levelCount--;
        levels[levelCount] = null;
        levelPool.release(level);
    }

    /**
     * @return the index of the level with this price, or -(insertion point) - 1
     */
    private int search(final long priceTicks)
    {
        final long key = bids ? priceTicks : -priceTicks;
        final long[] prices = this.prices;
        int low = 0;
        int high = levelCount - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            final long midPrice = prices[mid];
            final long midKey = bids ? midPrice : -midPrice;
            if (midKey < key)
            {
                low = mid + 1;
            }
            else if (midKey > key)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }

        return -(low + 1);
    }
}
