package io.rollbook.matcher.book;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The price levels of a book side against a {@link TreeMap} of the same orders, over seeded random adds and removes
 * that open and close levels anywhere (at the best, far from it, in the middle): after every step the same levels in
 * the same order from the best outwards, the same best, every level findable by price, and the red-black tree's own
 * invariants (ordered keys, no red node with a red child, the same number of black nodes on every path), so its
 * depth stays logarithmic however the levels come and go.
 */
class BookSideTest
{
    @Test
    void bidsMatchASortedMapThroughRandomAddsAndRemoves()
    {
        run(true, 1);
    }

    @Test
    void asksMatchASortedMapThroughRandomAddsAndRemoves()
    {
        run(false, 2);
    }

    @Test
    void levelsAddedInPriceOrderKeepTheTreeShallow()
    {
        final BookSide side = new OrderBook().asks();
        final int levels = 100_000;
        for (int i = 0; i < levels; i++)
        {
            side.add(order(i, Side.SELL, 1_000_000 - i));
        }
        final int height = checkTree(side);
        // A red-black tree of n nodes is at most 2 log2(n + 1) high.
        assertTrue(height <= 2 * (32 - Integer.numberOfLeadingZeros(levels + 1)), "height " + height);
        assertEquals(1_000_000 - levels + 1, side.best().priceTicks());
        assertEquals(1_000_000, side.levelAtDepth(levels - 1).priceTicks());
    }

    private static void run(final boolean bids, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final BookSide side = bids ? new OrderBook().bids() : new OrderBook().asks();
        final TreeMap<Long, List<Order>> expected = new TreeMap<>();
        final List<Order> live = new ArrayList<>();
        long nextId = 1;
        for (int step = 0; step < 20_000; step++)
        {
            final boolean add = live.isEmpty() || random.nextInt(100) < (live.size() < 600 ? 60 : 40);
            if (add)
            {
                final long price = 1 + random.nextInt(2_000);
                final Order order = order(nextId++, bids ? Side.BUY : Side.SELL, price);
                side.add(order);
                expected.computeIfAbsent(price, p -> new ArrayList<>()).add(order);
                live.add(order);
            }
            else
            {
                final Order order = live.remove(random.nextInt(live.size()));
                side.remove(order);
                final List<Order> queue = expected.get(order.priceTicks());
                queue.remove(order);
                if (queue.isEmpty())
                {
                    expected.remove(order.priceTicks());
                }
            }
            if (step % 97 == 0 || step > 19_900)
            {
                compare(side, bids ? expected.descendingMap() : expected, step);
                checkTree(side);
            }
        }
    }

    private static void compare(final BookSide side, final Map<Long, List<Order>> bestFirst, final int step)
    {
        assertEquals(bestFirst.size(), side.levelCount(), "levels at step " + step);
        if (bestFirst.isEmpty())
        {
            assertNull(side.best(), "best of an empty side");
            return;
        }
        PriceLevel level = side.best();
        final Iterator<Map.Entry<Long, List<Order>>> entries = bestFirst.entrySet().iterator();
        while (entries.hasNext())
        {
            final Map.Entry<Long, List<Order>> entry = entries.next();
            assertEquals(entry.getKey(), level.priceTicks(), "price order at step " + step);
            assertSame(level, side.levelAt(entry.getKey()), "lookup at step " + step);
            Order order = level.head();
            for (final Order queued : entry.getValue())
            {
                assertSame(queued, order, "time priority at " + entry.getKey() + " at step " + step);
                order = order.nextInLevel();
            }
            assertNull(order, "no extra order at " + entry.getKey());
            level = level.worse();
        }
        assertNull(level, "no level beyond the worst at step " + step);
        assertNull(side.levelAt(0), "no level at an absent price");
    }

    /**
     * @return the tree's height, after checking its red-black invariants
     */
    private static int checkTree(final BookSide side)
    {
        final PriceLevel root = side.root();
        if (side.isLeaf(root))
        {
            assertNull(side.best(), "an empty tree has no best level");
            return 0;
        }
        assertTrue(!root.red, "the root is black");
        final int[] height = new int[1];
        blackHeight(side, root, Long.MIN_VALUE, Long.MAX_VALUE, 1, height);
        return height[0];
    }

    private static int blackHeight(
        final BookSide side, final PriceLevel node, final long lowKey, final long highKey, final int depth,
        final int[] height)
    {
        if (side.isLeaf(node))
        {
            return 1;
        }
        height[0] = Math.max(height[0], depth);
        final long key = side.isBids() ? node.priceTicks() : -node.priceTicks();
        assertTrue(key > lowKey && key < highKey, "keys in order at " + node.priceTicks());
        if (node.red)
        {
            assertTrue(!node.left.red && !node.right.red, "a red level has black children at " + node.priceTicks());
        }
        final int left = blackHeight(side, node.left, lowKey, key, depth + 1, height);
        final int right = blackHeight(side, node.right, key, highKey, depth + 1, height);
        assertEquals(left, right, "black heights below " + node.priceTicks());
        return left + (node.red ? 0 : 1);
    }

    private static Order order(final long id, final Side side, final long priceTicks)
    {
        return new Order().init(id, id, 10, 1, side, OrderType.LIMIT, TimeInForce.GTC, MarginMode.CROSS,
            SelfTradePrevention.EXPIRE_TAKER, (byte)0, priceTicks, 1);
    }
}
