package io.rollbook.client;

import java.util.Arrays;

/**
 * One side of a {@link LocalOrderBook}: its price levels in a red-black tree laid out in primitive arrays (a node is
 * an index), the better prices to the left, each node counting the levels of its subtree. The levels are also linked
 * best to worst, and the best one is cached. Opening, closing or finding a level costs O(log n) however deep the
 * side; reading the best level O(1); reading the level at any depth O(log n), and the one after the depth read last
 * O(1), so a walk from the best outwards costs O(1) a level. A sorted array did the same near the best but moved
 * every level behind a new or closed one: a ladder of tens of thousands of levels far from the touch made each of
 * its changes cost tens of microseconds on the market maker's thread.
 *
 * <p>Closed levels' nodes are reused, and the arrays only grow (doubling) when the side is deeper than it has ever
 * been, so changes allocate nothing in steady state; a side keeps the capacity of its deepest moment. Not
 * thread-safe: owned by the thread that polls the client.
 */
final class LevelTree
{
    /** The sentinel leaf: black, counting no levels; its parent is scratch during a removal, as in CLRS. */
    private static final int NIL = 0;
    private static final int INITIAL_CAPACITY = 64;

    private final boolean bids;
    private long[] prices = new long[INITIAL_CAPACITY];
    private long[] sizes = new long[INITIAL_CAPACITY];
    private int[] left = new int[INITIAL_CAPACITY];
    private int[] right = new int[INITIAL_CAPACITY];
    private int[] parent = new int[INITIAL_CAPACITY];
    /** Levels in the node's subtree, itself included. */
    private int[] subtree = new int[INITIAL_CAPACITY];
    private int[] better = new int[INITIAL_CAPACITY];
    private int[] worse = new int[INITIAL_CAPACITY];
    private boolean[] red = new boolean[INITIAL_CAPACITY];
    private int root = NIL;
    private int best = NIL;
    private int count;
    /** Nodes below this index have been used; closed ones are chained through {@link #right} from here. */
    private int used = 1;
    private int free = NIL;
    /** The depth read last and its node, NIL once a level opened or closed: what makes a walk O(1) a level. */
    private int cursorDepth;
    private int cursor = NIL;

    LevelTree(final boolean bids)
    {
        this.bids = bids;
    }

    int count()
    {
        return count;
    }

    /**
     * @param depth 0 for the best level
     * @throws IndexOutOfBoundsException if the side has no level at that depth
     */
    long priceAt(final int depth)
    {
        return prices[nodeAt(depth)];
    }

    /**
     * @param depth 0 for the best level
     * @throws IndexOutOfBoundsException if the side has no level at that depth
     */
    long sizeAt(final int depth)
    {
        return sizes[nodeAt(depth)];
    }

    /**
     * @return the level's size, 0 if there is no level at that price
     */
    long sizeOf(final long price)
    {
        return sizes[find(price)];
    }

    /**
     * Empties the side in O(1): every node is free again.
     */
    void clear()
    {
        root = NIL;
        best = NIL;
        count = 0;
        used = 1;
        free = NIL;
        cursor = NIL;
    }

    /**
     * Sets a level's total size: opens it, changes it, or closes it when {@code size} is 0 (a level that is not
     * there stays so).
     */
    void set(final long price, final long size)
    {
        int node = root;
        int above = NIL;
        boolean isBetter = false;
        while (node != NIL)
        {
            final long nodePrice = prices[node];
            if (nodePrice == price)
            {
                if (size == 0)
                {
                    remove(node);
                }
                else
                {
                    sizes[node] = size;
                }
                return;
            }
            above = node;
            isBetter = bids ? price > nodePrice : price < nodePrice;
            node = isBetter ? left[node] : right[node];
        }
        if (size != 0)
        {
            insert(price, size, above, isBetter);
        }
    }

    private int find(final long price)
    {
        int node = root;
        while (node != NIL)
        {
            final long nodePrice = prices[node];
            if (nodePrice == price)
            {
                return node;
            }
            node = (bids ? price > nodePrice : price < nodePrice) ? left[node] : right[node];
        }
        return NIL;
    }

    private int nodeAt(final int depth)
    {
        if (depth < 0 || depth >= count)
        {
            throw new IndexOutOfBoundsException("depth " + depth + " of " + count + (bids ? " bid" : " ask") +
                " levels");
        }
        final int node;
        if (cursor != NIL && depth == cursorDepth)
        {
            return cursor;
        }
        else if (cursor != NIL && depth == cursorDepth + 1)
        {
            node = worse[cursor];
        }
        else if (depth == 0)
        {
            node = best;
        }
        else
        {
            node = select(depth);
        }
        cursor = node;
        cursorDepth = depth;
        return node;
    }

    /**
     * @return the node with {@code rank} better levels than itself
     */
    private int select(final int rank)
    {
        int node = root;
        int remaining = rank;
        while (true)
        {
            final int betterCount = subtree[left[node]];
            if (remaining == betterCount)
            {
                return node;
            }
            if (remaining < betterCount)
            {
                node = left[node];
            }
            else
            {
                remaining -= betterCount + 1;
                node = right[node];
            }
        }
    }

    /**
     * Links a new leaf below {@code above} (its left, better, side when {@code isBetter}) between its neighbours in
     * price order: a new leaf's neighbours are its parent and the parent's old neighbour on that side.
     */
    private void insert(final long price, final long size, final int above, final boolean isBetter)
    {
        final int node = allocate();
        prices[node] = price;
        sizes[node] = size;
        left[node] = NIL;
        right[node] = NIL;
        parent[node] = above;
        subtree[node] = 1;
        red[node] = true;
        if (above == NIL)
        {
            root = node;
            better[node] = NIL;
            worse[node] = NIL;
        }
        else if (isBetter)
        {
            left[above] = node;
            worse[node] = above;
            better[node] = better[above];
            if (better[above] != NIL)
            {
                worse[better[above]] = node;
            }
            better[above] = node;
        }
        else
        {
            right[above] = node;
            better[node] = above;
            worse[node] = worse[above];
            if (worse[above] != NIL)
            {
                better[worse[above]] = node;
            }
            worse[above] = node;
        }
        if (better[node] == NIL)
        {
            best = node;
        }
        for (int up = above; up != NIL; up = parent[up])
        {
            subtree[up]++;
        }
        count++;
        cursor = NIL;
        fixAfterInsert(node);
    }

    private void remove(final int node)
    {
        if (better[node] != NIL)
        {
            worse[better[node]] = worse[node];
        }
        else
        {
            best = worse[node];
        }
        if (worse[node] != NIL)
        {
            better[worse[node]] = better[node];
        }
        int moved = node;
        boolean movedWasRed = red[moved];
        final int replacement;
        if (left[node] == NIL)
        {
            replacement = right[node];
            transplant(node, replacement);
        }
        else if (right[node] == NIL)
        {
            replacement = left[node];
            transplant(node, replacement);
        }
        else
        {
            // The next worse level, the leftmost of the right subtree, takes the removed node's place.
            moved = worse[node];
            movedWasRed = red[moved];
            replacement = right[moved];
            if (parent[moved] == node)
            {
                parent[replacement] = moved;
            }
            else
            {
                transplant(moved, replacement);
                right[moved] = right[node];
                parent[right[moved]] = moved;
            }
            transplant(node, moved);
            left[moved] = left[node];
            parent[left[moved]] = moved;
            red[moved] = red[node];
        }
        // Every subtree that lost the level lies on the path from the replacement's parent to the root.
        for (int up = parent[replacement]; up != NIL; up = parent[up])
        {
            subtree[up] = subtree[left[up]] + subtree[right[up]] + 1;
        }
        if (!movedWasRed)
        {
            fixAfterRemove(replacement);
        }
        right[node] = free;
        free = node;
        count--;
        cursor = NIL;
    }

    private int allocate()
    {
        if (free != NIL)
        {
            final int node = free;
            free = right[node];
            return node;
        }
        if (used == prices.length)
        {
            grow();
        }
        return used++;
    }

    private void grow()
    {
        final int capacity = prices.length * 2;
        prices = Arrays.copyOf(prices, capacity);
        sizes = Arrays.copyOf(sizes, capacity);
        left = Arrays.copyOf(left, capacity);
        right = Arrays.copyOf(right, capacity);
        parent = Arrays.copyOf(parent, capacity);
        subtree = Arrays.copyOf(subtree, capacity);
        better = Arrays.copyOf(better, capacity);
        worse = Arrays.copyOf(worse, capacity);
        red = Arrays.copyOf(red, capacity);
    }

    private void transplant(final int out, final int in)
    {
        final int above = parent[out];
        if (above == NIL)
        {
            root = in;
        }
        else if (out == left[above])
        {
            left[above] = in;
        }
        else
        {
            right[above] = in;
        }
        parent[in] = above;
    }

    private void rotateLeft(final int node)
    {
        final int child = right[node];
        right[node] = left[child];
        if (left[child] != NIL)
        {
            parent[left[child]] = node;
        }
        transplant(node, child);
        left[child] = node;
        parent[node] = child;
        subtree[child] = subtree[node];
        subtree[node] = subtree[left[node]] + subtree[right[node]] + 1;
    }

    private void rotateRight(final int node)
    {
        final int child = left[node];
        left[node] = right[child];
        if (right[child] != NIL)
        {
            parent[right[child]] = node;
        }
        transplant(node, child);
        right[child] = node;
        parent[node] = child;
        subtree[child] = subtree[node];
        subtree[node] = subtree[left[node]] + subtree[right[node]] + 1;
    }

    private void fixAfterInsert(final int inserted)
    {
        int node = inserted;
        while (red[parent[node]])
        {
            final int above = parent[node];
            final int grand = parent[above];
            if (above == left[grand])
            {
                final int uncle = right[grand];
                if (red[uncle])
                {
                    red[above] = false;
                    red[uncle] = false;
                    red[grand] = true;
                    node = grand;
                    continue;
                }
                if (node == right[above])
                {
                    node = above;
                    rotateLeft(node);
                }
                red[parent[node]] = false;
                red[grand] = true;
                rotateRight(grand);
            }
            else
            {
                final int uncle = left[grand];
                if (red[uncle])
                {
                    red[above] = false;
                    red[uncle] = false;
                    red[grand] = true;
                    node = grand;
                    continue;
                }
                if (node == left[above])
                {
                    node = above;
                    rotateRight(node);
                }
                red[parent[node]] = false;
                red[grand] = true;
                rotateLeft(grand);
            }
        }
        red[root] = false;
    }

    private void fixAfterRemove(final int replacement)
    {
        int node = replacement;
        while (node != root && !red[node])
        {
            final int above = parent[node];
            if (node == left[above])
            {
                int sibling = right[above];
                if (red[sibling])
                {
                    red[sibling] = false;
                    red[above] = true;
                    rotateLeft(above);
                    sibling = right[above];
                }
                if (!red[left[sibling]] && !red[right[sibling]])
                {
                    red[sibling] = true;
                    node = above;
                    continue;
                }
                if (!red[right[sibling]])
                {
                    red[left[sibling]] = false;
                    red[sibling] = true;
                    rotateRight(sibling);
                    sibling = right[above];
                }
                red[sibling] = red[above];
                red[above] = false;
                red[right[sibling]] = false;
                rotateLeft(above);
                node = root;
            }
            else
            {
                int sibling = left[above];
                if (red[sibling])
                {
                    red[sibling] = false;
                    red[above] = true;
                    rotateRight(above);
                    sibling = left[above];
                }
                if (!red[left[sibling]] && !red[right[sibling]])
                {
                    red[sibling] = true;
                    node = above;
                    continue;
                }
                if (!red[left[sibling]])
                {
                    red[right[sibling]] = false;
                    red[sibling] = true;
                    rotateLeft(sibling);
                    sibling = left[above];
                }
                red[sibling] = red[above];
                red[above] = false;
                red[left[sibling]] = false;
                rotateRight(above);
                node = root;
            }
        }
        red[node] = false;
    }

    /**
     * Checks the tree's invariants (order, colours, black heights, subtree counts, the links best to worst): for the
     * tests.
     *
     * @throws IllegalStateException naming the first broken one
     */
    void checkInvariants()
    {
        if (red[NIL] || subtree[NIL] != 0 || red[root])
        {
            throw new IllegalStateException("the sentinel or the root is not black, or the sentinel counts levels");
        }
        if (subtree[root] != count)
        {
            throw new IllegalStateException("the root counts " + subtree[root] + " levels of " + count);
        }
        blackHeight(root);
        int node = best;
        int previous = NIL;
        int seen = 0;
        while (node != NIL)
        {
            if (better[node] != previous || previous != NIL &&
                (bids ? prices[previous] <= prices[node] : prices[previous] >= prices[node]))
            {
                throw new IllegalStateException("the links best to worst break at level " + seen);
            }
            if (select(seen) != node)
            {
                throw new IllegalStateException("the level at depth " + seen + " is not the one the links reach");
            }
            previous = node;
            node = worse[node];
            seen++;
        }
        if (seen != count)
        {
            throw new IllegalStateException("the links reach " + seen + " levels of " + count);
        }
    }

    private int blackHeight(final int node)
    {
        if (node == NIL)
        {
            return 1;
        }
        if (red[node] && (red[left[node]] || red[right[node]]))
        {
            throw new IllegalStateException("a red level has a red child at price " + prices[node]);
        }
        if (subtree[node] != subtree[left[node]] + subtree[right[node]] + 1)
        {
            throw new IllegalStateException("the subtree count is wrong at price " + prices[node]);
        }
        final int leftHeight = blackHeight(left[node]);
        if (leftHeight != blackHeight(right[node]))
        {
            throw new IllegalStateException("black heights differ below price " + prices[node]);
        }
        return leftHeight + (red[node] ? 0 : 1);
    }
}
