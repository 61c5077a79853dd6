package io.rollbook.matcher;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.rollbook.matcher.book.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The live-order index against a plain map: few distinct accounts and keys, so probe runs are long, collide, wrap
 * around the end of the table and get cut by removals, which is where backward-shift deletion can lose an entry.
 */
class OrderIndexTest
{
    private static final int ACCOUNTS = 8;
    private static final int KEYS = 48;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void agreesWithAMapThroughRandomPutsAndRemoves(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final OrderIndex index = new OrderIndex(1);
        final Map<Long, Order> model = new HashMap<>();
        final Order[][] orders = new Order[ACCOUNTS][KEYS];
        for (int account = 0; account < ACCOUNTS; account++)
        {
            for (int key = 0; key < KEYS; key++)
            {
                orders[account][key] = new Order();
            }
        }

        for (int step = 0; step < 50_000; step++)
        {
            final int account = random.nextInt(ACCOUNTS);
            final int key = random.nextInt(KEYS);
            final long modelKey = modelKey(account, key);
            if (model.containsKey(modelKey))
            {
                index.remove(account, key);
                model.remove(modelKey);
            }
            else
            {
                index.put(account, key, orders[account][key]);
                model.put(modelKey, orders[account][key]);
            }

            assertEquals(model.size(), index.size(), "size after step " + step);
            if (step % 64 == 0)
            {
                for (int a = 0; a < ACCOUNTS; a++)
                {
                    for (int k = 0; k < KEYS; k++)
                    {
                        assertSame(model.get(modelKey(a, k)), index.get(a, k), "account " + a + " key " + k);
                    }
                }
            }
        }
    }

    @Test
    void keysAreScopedByAccount()
    {
        final OrderIndex index = new OrderIndex(4);
        final Order first = new Order();
        final Order second = new Order();
        index.put(1, 77, first);
        index.put(2, 77, second);

        assertSame(first, index.get(1, 77));
        assertSame(second, index.get(2, 77));
        assertNull(index.get(3, 77));

        index.remove(1, 77);
        assertNull(index.get(1, 77));
        assertSame(second, index.get(2, 77));
    }

    @Test
    void removingWhatIsNotIndexedChangesNothing()
    {
        final OrderIndex index = new OrderIndex(4);
        final Order order = new Order();
        index.put(5, Long.MIN_VALUE, order);

        index.remove(5, Long.MAX_VALUE);
        index.remove(6, Long.MIN_VALUE);

        assertEquals(1, index.size());
        assertSame(order, index.get(5, Long.MIN_VALUE));
    }

    private static long modelKey(final int account, final int key)
    {
        return (long)account * KEYS + key;
    }
}
