package io.rollbook.journal.commitment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

import io.rollbook.matcher.margin.MarginStreamGenerator;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Building the commitment allocates nothing per event or batch in steady state: over the events of 300,000
 * margin-stream commands, committed in batches of varied size, the thread's allocated-bytes counter does not move
 * once every account has its leaf. And the sort that orders a batch's changed accounts sorts.
 */
class CommitmentAllocationTest
{
    private static final int WARM_UP_COMMANDS = 100_000;
    private static final int MEASURED_COMMANDS = 300_000;
    /**
     * A compilation or deoptimisation landing inside the window can materialise a few objects the compiled code had
     * kept in registers; a per-event allocation would show in every window, so one clean window out of three is
     * the steady state. Events state absolute values, so the same window can be applied again.
     */
    private static final int ATTEMPTS = 3;

    @Test
    void eventsAndCommitsAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM cannot count allocated bytes per thread");
        final int total = WARM_UP_COMMANDS + MEASURED_COMMANDS;
        final ExpandableDirectByteBuffer events = new ExpandableDirectByteBuffer(64 * 1024 * 1024);
        final int[] ends = new int[total];
        final MarginStreamGenerator stream = new MarginStreamGenerator(77);
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        int position = 0;
        for (int i = 0; i < total; i++)
        {
            stream.next(command, 0);
            events.putBytes(position, stream.lastEvents(), 0, stream.lastEventsLength());
            position += stream.lastEventsLength();
            ends[i] = position;
        }
        final int capacity = MarginStreamGenerator.context().accountCapacity();
        final byte[] root = new byte[CommitmentHash.LENGTH];
        run(new StateCommitment(capacity), events, ends, 0, total, root);

        final StateCommitment commitment = new StateCommitment(capacity);
        run(commitment, events, ends, 0, WARM_UP_COMMANDS, root);
        final long readCost = readCost(threads);
        long allocated = -1;
        final StringBuilder attempts = new StringBuilder();
        for (int attempt = 0; attempt < ATTEMPTS && allocated != 0; attempt++)
        {
            final long start = threads.getCurrentThreadAllocatedBytes();
            run(commitment, events, ends, WARM_UP_COMMANDS, total, root);
            allocated = threads.getCurrentThreadAllocatedBytes() - start - readCost;
            attempts.append(attempts.length() == 0 ? "" : ", ").append(allocated);
        }
        assertEquals(0, allocated, "bytes allocated building the commitment over " + MEASURED_COMMANDS +
            " commands, per attempt: " + attempts);

        final byte[] rebuilt = new byte[CommitmentHash.LENGTH];
        commitment.rebuild(rebuilt);
        assertArrayEquals(root, rebuilt);
    }

    private static long readCost(final com.sun.management.ThreadMXBean threads)
    {
        final long start = threads.getCurrentThreadAllocatedBytes();
        return threads.getCurrentThreadAllocatedBytes() - start;
    }

    @Test
    void theInPlaceSortSorts()
    {
        final SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 2_000; round++)
        {
            final int count = random.nextInt(300);
            final int[] values = new int[count + 5];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = random.nextInt(round % 2 == 0 ? 50 : Integer.MAX_VALUE);
            }
            final int[] expected = values.clone();
            Arrays.sort(expected, 0, count);
            StateCommitment.sort(values, count);
            assertArrayEquals(expected, values, "round " + round + ", " + count + " values");
        }
    }

    private static void run(
        final StateCommitment commitment, final ExpandableDirectByteBuffer events, final int[] ends, final int from,
        final int to, final byte[] root)
    {
        int batchSize = 1;
        int inBatch = 0;
        for (int i = from; i < to; i++)
        {
            final int begin = i == 0 ? 0 : ends[i - 1];
            commitment.apply(events, begin, ends[i] - begin);
            if (++inBatch == batchSize)
            {
                commitment.commit(root);
                inBatch = 0;
                batchSize = batchSize == 1024 ? 1 : batchSize * 2;
            }
        }
        commitment.commit(root);
    }
}
