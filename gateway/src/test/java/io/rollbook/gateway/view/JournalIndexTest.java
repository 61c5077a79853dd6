package io.rollbook.gateway.view;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sparse journal index holds at most its capacity of entries however many batches it sees, keeps recent
 * batches at full density, and still finds an indexed batch at or before any sequence.
 */
final class JournalIndexTest
{
    private static final int STRIDE = 16;
    private static final int CAPACITY = 64;

    @Test
    void holdsAtMostItsCapacityAndKeepsTheNewestAtFullDensity()
    {
        final JournalIndex index = new JournalIndex(STRIDE, CAPACITY);
        final long batches = 1_000_000;
        for (long batch = 1; batch <= batches; batch++)
        {
            // batch b holds the commands 10(b-1)+1 to 10b, in Chronicle index 1000 + b
            index.onBatch(batch, 1000 + batch, 10 * batch);
            assertTrue(index.size() <= CAPACITY);
        }

        assertTrue(index.size() >= CAPACITY / 2, "thinning drops a quarter at a time: " + index.size());
        for (int entry = 1; entry < index.size(); entry++)
        {
            assertTrue(index.batchNumber(entry) > index.batchNumber(entry - 1), "entries stay in journal order");
            assertEquals(1000 + index.batchNumber(entry), index.index(entry));
            assertEquals(10 * index.batchNumber(entry), index.lastSequence(entry));
        }
        final int last = index.size() - 1;
        assertEquals(batches - batches % STRIDE, index.batchNumber(last));
        for (int back = 1; back < CAPACITY / 2; back++)
        {
            assertEquals(index.batchNumber(last) - back * STRIDE, index.batchNumber(last - back),
                "the newer half is every stride-th batch");
        }
        assertEquals(STRIDE, index.batchNumber(0), "the first indexed batch is kept through every thinning");

        assertEquals(last, index.floorBefore(10 * batches + 1));
        assertEquals(last - 1, index.floorBefore(10 * batches - 5), "the last ends at the sequence, not before it");
        final int early = index.floorBefore(10 * 5_000);
        assertTrue(early >= 0 && index.lastSequence(early) < 10 * 5_000);
        assertTrue(index.floorBefore(10 * STRIDE) < 0, "nothing ends before the first indexed batch's end");
    }
}
