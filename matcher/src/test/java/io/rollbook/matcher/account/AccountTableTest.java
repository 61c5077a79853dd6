package io.rollbook.matcher.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AccountTableTest
{
    @Test
    void noAccountLiesAtOrAboveTheLimit()
    {
        final AccountTable table = new AccountTable(1 << 16);
        assertEquals(1, table.limit(), "an empty table");
        final SplittableRandom random = new SplittableRandom(7);
        int highest = 0;
        for (int i = 0; i < 2_000; i++)
        {
            final int id = 1 + random.nextInt(table.capacity() - 1);
            final Account account = table.getOrCreate(id);
            highest = Math.max(highest, id);
            if (random.nextInt(4) == 0)
            {
                table.discard(account);
            }
            assertEquals(highest + 1, table.limit(), "a discarded account may leave the limit above the rest");
        }
        for (int id = table.limit(); id < table.capacity(); id++)
        {
            assertNull(table.get(id));
        }
    }
}
