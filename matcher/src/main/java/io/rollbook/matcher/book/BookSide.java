package io.rollbook.matcher.book;

/**
 * One side of an order book: its price levels in a red-black tree keyed by price (worse prices to the left), with
 * the levels also linked in price order and the best one cached. Finding or opening a level costs O(log n) however
 * deep the book, closing one O(log n) (amortised O(1) rebalancing), reading the best level O(1), and walking from
 * the best outwards O(1) a level. A sorted array did the same near the best but moved every level between the
 * insertion point and the best: a market maker quoting thousands of levels made one cancel far from the top cost
 * milliseconds. The tree's nodes are the pooled levels themselves, so the side allocates nothing in steady state.
 *
 * <p>Owned by the matcher thread.
 */
public final class BookSide
{
    private final boolean bids;
    private final PriceLevelPool levelPool;
    /** The tree's sentinel leaf: always black; its parent is scratch during a removal, as in CLRS. */
    private final PriceLevel nil = new PriceLevel();
    private PriceLevel root;
    private PriceLevel best;
    private int levelCount;

    BookSide(final boolean bids, final PriceLevelPool levelPool)
    {
        this.bids = bids;
        this.levelPool = levelPool;
        nil.parent = nil;
        nil.left = nil;
        nil.right = nil;
        root = nil;
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
        return best;
    }

    /**
     * Walks {@code depth} levels out from the best: O(depth). Code that visits levels in turn follows
     * {@link PriceLevel#worse()} from {@link #best()} instead.
     *
     * @param depth 0 for the best level, 1 for the next, ...
     * @return the level at that depth
     */
    public PriceLevel levelAtDepth(final int depth)
    {
        if (depth < 0 || depth >= levelCount)
        {
            throw new IndexOutOfBoundsException("depth " + depth + " of " + levelCount + " levels");
        }
        PriceLevel level = best;
        for (int i = 0; i < depth; i++)
        {
            level = level.worse;
        }
        return level;
    }

    /**
     * @return the root of the tree, the sentinel when the side is empty; for checks of the tree's shape
     */
    PriceLevel root()
    {
        return root;
    }

    /**
     * @return true if {@code level} is the tree's sentinel leaf rather than a level
     */
    boolean isLeaf(final PriceLevel level)
    {
        return level == nil;
    }

    /**
     * @return the level at exactly this price, or null
     */
    public PriceLevel levelAt(final long priceTicks)
    {
        PriceLevel node = root;
        while (node != nil)
        {
            final long nodePrice = node.priceTicks();
            if (nodePrice == priceTicks)
            {
                return node;
            }
            node = isBetter(priceTicks, nodePrice) ? node.right : node.left;
        }
        return null;
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
        if (best != null && best.priceTicks() == price)
        {
            best.append(order);
            return;
        }
        PriceLevel parent = nil;
        PriceLevel node = root;
        boolean better = false;
        while (node != nil)
        {
            final long nodePrice = node.priceTicks();
            if (nodePrice == price)
            {
                node.append(order);
                return;
            }
            parent = node;
            better = isBetter(price, nodePrice);
            node = better ? node.right : node.left;
        }
        insertLevel(price, parent, better).append(order);
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
     * Shrinks a resting order in place to a new total size, keeping its queue position.
     */
    public void shrink(final Order order, final long newSizeLots)
    {
        order.level.shrink(order, newSizeLots);
    }

    /**
     * Opens a level below {@code parent} (the right side when {@code better}), linking it between its neighbours in
     * price order: a new leaf's neighbours are its parent and the parent's old neighbour on that side.
     */
    private PriceLevel insertLevel(final long price, final PriceLevel parent, final boolean better)
    {
        final PriceLevel level = levelPool.acquire().init(price);
        level.left = nil;
        level.right = nil;
        level.parent = parent;
        level.red = true;
        if (parent == nil)
        {
            root = level;
            level.better = null;
            level.worse = null;
        }
        else if (better)
        {
            parent.right = level;
            level.worse = parent;
            level.better = parent.better;
            if (parent.better != null)
            {
                parent.better.worse = level;
            }
            parent.better = level;
        }
        else
        {
            parent.left = level;
            level.better = parent;
            level.worse = parent.worse;
            if (parent.worse != null)
            {
                parent.worse.better = level;
            }
            parent.worse = level;
        }
        if (level.better == null)
        {
            best = level;
        }
        levelCount++;
        fixAfterInsert(level);
        return level;
    }

    /**
     * CLRS's RB-DELETE, which relinks nodes rather than copying keys between them: a level is referenced by its
     * orders, so it must stay the node of its own price.
     */
    private void removeLevel(final PriceLevel level)
    {
        PriceLevel moved = level;
        boolean movedWasRed = moved.red;
        final PriceLevel replacement;
        if (level.left == nil)
        {
            replacement = level.right;
            transplant(level, level.right);
        }
        else if (level.right == nil)
        {
            replacement = level.left;
            transplant(level, level.left);
        }
        else
        {
            // The in-order successor: the next better level, the leftmost node of the right subtree.
            moved = level.better;
            movedWasRed = moved.red;
            replacement = moved.right;
            if (moved.parent == level)
            {
                replacement.parent = moved;
            }
            else
            {
                transplant(moved, moved.right);
                moved.right = level.right;
                moved.right.parent = moved;
            }
            transplant(level, moved);
            moved.left = level.left;
            moved.left.parent = moved;
            moved.red = level.red;
        }
        if (!movedWasRed)
        {
            fixAfterRemove(replacement);
        }

        if (level.worse != null)
        {
            level.worse.better = level.better;
        }
        if (level.better != null)
        {
            level.better.worse = level.worse;
        }
        if (best == level)
        {
            best = level.worse;
        }
        levelCount--;
        level.parent = null;
        level.left = null;
        level.right = null;
        level.better = null;
        level.worse = null;
        levelPool.release(level);
    }

    private void fixAfterInsert(final PriceLevel inserted)
    {
        PriceLevel node = inserted;
        while (node.parent.red)
        {
            final PriceLevel parent = node.parent;
            final PriceLevel grandparent = parent.parent;
            if (parent == grandparent.left)
            {
                final PriceLevel uncle = grandparent.right;
                if (uncle.red)
                {
                    parent.red = false;
                    uncle.red = false;
                    grandparent.red = true;
                    node = grandparent;
                }
                else
                {
                    if (node == parent.right)
                    {
                        node = parent;
                        rotateLeft(node);
                    }
                    node.parent.red = false;
                    node.parent.parent.red = true;
                    rotateRight(node.parent.parent);
                }
            }
            else
            {
                final PriceLevel uncle = grandparent.left;
                if (uncle.red)
                {
                    parent.red = false;
                    uncle.red = false;
                    grandparent.red = true;
                    node = grandparent;
                }
                else
                {
                    if (node == parent.left)
                    {
                        node = parent;
                        rotateRight(node);
                    }
                    node.parent.red = false;
                    node.parent.parent.red = true;
                    rotateLeft(node.parent.parent);
                }
            }
        }
        root.red = false;
    }

    private void fixAfterRemove(final PriceLevel start)
    {
        PriceLevel node = start;
        while (node != root && !node.red)
        {
            if (node == node.parent.left)
            {
                PriceLevel sibling = node.parent.right;
                if (sibling.red)
                {
                    sibling.red = false;
                    node.parent.red = true;
                    rotateLeft(node.parent);
                    sibling = node.parent.right;
                }
                if (!sibling.left.red && !sibling.right.red)
                {
                    sibling.red = true;
                    node = node.parent;
                }
                else
                {
                    if (!sibling.right.red)
                    {
                        sibling.left.red = false;
                        sibling.red = true;
                        rotateRight(sibling);
                        sibling = node.parent.right;
                    }
                    sibling.red = node.parent.red;
                    node.parent.red = false;
                    sibling.right.red = false;
                    rotateLeft(node.parent);
                    node = root;
                }
            }
            else
            {
                PriceLevel sibling = node.parent.left;
                if (sibling.red)
                {
                    sibling.red = false;
                    node.parent.red = true;
                    rotateRight(node.parent);
                    sibling = node.parent.left;
                }
                if (!sibling.right.red && !sibling.left.red)
                {
                    sibling.red = true;
                    node = node.parent;
                }
                else
                {
                    if (!sibling.left.red)
                    {
                        sibling.right.red = false;
                        sibling.red = true;
                        rotateLeft(sibling);
                        sibling = node.parent.left;
                    }
                    sibling.red = node.parent.red;
                    node.parent.red = false;
                    sibling.left.red = false;
                    rotateRight(node.parent);
                    node = root;
                }
            }
        }
        node.red = false;
    }

    /**
     * Puts {@code replacement} (possibly the sentinel) where {@code removed} hangs from its parent.
     */
    private void transplant(final PriceLevel removed, final PriceLevel replacement)
    {
        final PriceLevel parent = removed.parent;
        if (parent == nil)
        {
            root = replacement;
        }
        else if (removed == parent.left)
        {
            parent.left = replacement;
        }
        else
        {
            parent.right = replacement;
        }
        replacement.parent = parent;
    }

    private void rotateLeft(final PriceLevel node)
    {
        final PriceLevel pivot = node.right;
        node.right = pivot.left;
        if (pivot.left != nil)
        {
            pivot.left.parent = node;
        }
        pivot.parent = node.parent;
        if (node.parent == nil)
        {
            root = pivot;
        }
        else if (node == node.parent.left)
        {
            node.parent.left = pivot;
        }
        else
        {
            node.parent.right = pivot;
        }
        pivot.left = node;
        node.parent = pivot;
    }

    private void rotateRight(final PriceLevel node)
    {
        final PriceLevel pivot = node.left;
        node.left = pivot.right;
        if (pivot.right != nil)
        {
            pivot.right.parent = node;
        }
        pivot.parent = node.parent;
        if (node.parent == nil)
        {
            root = pivot;
        }
        else if (node == node.parent.right)
        {
            node.parent.right = pivot;
        }
        else
        {
            node.parent.left = pivot;
        }
        pivot.right = node;
        node.parent = pivot;
    }
}
