package io.rollbook.matcher.margin;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The matcher allocates nothing per command in steady state, margin and liquidations included: over a million
 * pre-encoded commands of {@link MarginStreamGenerator} (orders of every kind, cancels, amends, oracle walks that
 * liquidate, funding, transfers), the calling thread's allocated-bytes counter does not move at all (in one of up
 * to {@link #ATTEMPTS} attempts, each with a fresh matcher).
 *
 * <p>Steady state means: after the JIT has compiled the paths (a first matcher runs the whole stream), and after
 * the measured matcher's own pools and arrays have grown to their working size (it runs the first part of the
 * stream unmeasured). The counter is read twice in a row first, to show that reading it costs nothing, so any
 * byte counted is the matcher's.
 */
class ZeroAllocationTest
{
    private static final int WARM_UP_COMMANDS = 400_000;
    private static final int MEASURED_COMMANDS = 1_100_000;
    /**
     * Once in a while a run counts a hundred-odd bytes that the command-by-command re-run cannot find: most likely
     * the JIT deoptimizing a method mid-stream, when the JVM puts on the heap the objects compiled code had kept in
     * registers. A fresh matcher over the same stream does not meet it again, while garbage made by commands would
     * show in every attempt.
     */
    private static final int ATTEMPTS = 3;

    @Test
    void millionCommandsAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
            "this JVM cannot count allocated bytes per thread");

        final ExpandableDirectByteBuffer commands = new ExpandableDirectByteBuffer(96 * 1024 * 1024);
        final MarginStreamGenerator generator = new MarginStreamGenerator(2024);
        final int total = WARM_UP_COMMANDS + MEASURED_COMMANDS;
        final int[] ends = new int[total];
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int liquidations = 0;
        int position = 0;
        for (int i = 0; i < total; i++)
        {
            position += generator.next(commands, position);
            ends[i] = position;
            for (int e = 0; i >= WARM_UP_COMMANDS && e < generator.lastEventsLength(); )
            {
                header.wrap(generator.lastEvents(), e);
                liquidations += header.templateId() == LiquidationStartedDecoder.TEMPLATE_ID ? 1 : 0;
                e += MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
            }
        }
        assertTrue(liquidations > 1_000, "the measured commands liquidate too little: " + liquidations);

        final UnsafeBuffer eventBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024 * 1024));
        final EventWriter events = new EventWriter();
        run(new Matcher(MarginStreamGenerator.context()), commands, ends, 0, total, eventBuffer, events);

        final long calibrationStart = threads.getCurrentThreadAllocatedBytes();
        final long calibrationEnd = threads.getCurrentThreadAllocatedBytes();
        assertEquals(0, calibrationEnd - calibrationStart, "reading the allocation counter allocates");

        long allocated = -1;
        for (int attempt = 0; attempt < ATTEMPTS && allocated != 0; attempt++)
        {
            final Matcher matcher = new Matcher(MarginStreamGenerator.context());
            run(matcher, commands, ends, 0, WARM_UP_COMMANDS, eventBuffer, events);
            final long start = threads.getCurrentThreadAllocatedBytes();
            run(matcher, commands, ends, WARM_UP_COMMANDS, total, eventBuffer, events);
            allocated = threads.getCurrentThreadAllocatedBytes() - start;
            assertEquals(total, matcher.lastSequence());
        }
        if (allocated != 0)
        {
            fail(allocated + " bytes allocated by the matcher over " + MEASURED_COMMANDS + " commands, in each of " +
                ATTEMPTS + " attempts; the first that allocated: " + culprits(threads, commands, ends, eventBuffer,
                events));
        }
    }

    /**
     * Runs the stream again, reading the counter around every measured command, to name the commands that
     * allocate (a pool or array that grew past what the warm-up reached shows up as a few commands only).
     */
    private static String culprits(
        final com.sun.management.ThreadMXBean threads,
        final DirectBuffer commands,
        final int[] ends,
        final UnsafeBuffer eventBuffer,
        final EventWriter events)
    {
        final Matcher matcher = new Matcher(MarginStreamGenerator.context());
        run(matcher, commands, ends, 0, WARM_UP_COMMANDS, eventBuffer, events);
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final StringBuilder found = new StringBuilder();
        int reported = 0;
        for (int i = WARM_UP_COMMANDS; i < ends.length && reported < 5; i++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            run(matcher, commands, ends, i, i + 1, eventBuffer, events);
            final long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (bytes != 0)
            {
                header.wrap(commands, ends[i - 1]);
                found.append("\n  sequence ").append(i + 1).append(" (template ").append(header.templateId())
                    .append(", ").append(events.eventCount()).append(" events): ").append(bytes).append(" bytes");
                reported++;
            }
        }
        return found.toString();
    }

    private static void run(
        final Matcher matcher,
        final DirectBuffer commands,
        final int[] ends,
        final int from,
        final int to,
        final UnsafeBuffer eventBuffer,
        final EventWriter events)
    {
        int offset = from == 0 ? 0 : ends[from - 1];
        for (int i = from; i < to; i++)
        {
            events.wrap(eventBuffer, 0);
            matcher.execute(i + 1, i + 1, commands, offset, ends[i] - offset, events);
            offset = ends[i];
        }
    }
}
