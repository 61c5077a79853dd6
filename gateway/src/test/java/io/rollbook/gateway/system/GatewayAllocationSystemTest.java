package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.rollbook.client.ClientListener;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's hot paths allocate nothing per message once warm, measured with the JVM's per-thread allocation
 * counters on the real service: the event loop (reading and decoding frames, publishing commands, writing the
 * reports and the market data the release thread hands it) and the journal thread, which runs the gateway's
 * release listeners (the views, the binary and HTTP fan-outs). Each round is three orders through the binary
 * gateway, with a market data subscriber following the book: a maker's resting sell, a taker's IOC buy that
 * trades with the best of them, and the maker's cancel of what is left. A chunk of rounds goes in three steps
 * (the sells, then the buys, then the cancels), each awaited, because the two sessions' orders would otherwise
 * reach the sequencer in any order.
 *
 * <p>The bound is 8 bytes an order on the event loop, where even one object per order would be at least 16. It is
 * not zero because the loop allocates a little with time rather than with orders: about 12 KB a second while
 * idle with these sessions open, against 1 to 10 KB in all for 30,000 orders at full speed. The journal thread gets the same bound; it allocated 0 to 1.4 KB for the 30,000 orders.
 */
@Tag("system")
class GatewayAllocationSystemTest
{
    private static final int CHUNK = 250;
    private static final int WARM_UP_ROUNDS = 40 * CHUNK;
    private static final int MEASURED_ROUNDS = 40 * CHUNK;
    private static final long MAKER = 10;
    private static final long TAKER = 11;
    private static final long ALLOWED_BYTES_PER_ORDER = 8;
    private static final long MAKER_IDS = 1_000_000;
    private static final long TAKER_IDS = 2_000_000;

    @TempDir
    Path dataDirectory;

    /** Counted on the test thread, which polls the clients. */
    private long rested;
    private long takerFills;
    private long canceled;

    @Test
    void eventLoopAndReleaseThreadDoNotAllocatePerMessage() throws InterruptedException
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ClientListener counting = new ClientListener()
        {
            @Override
            public void onExecutionRested(final ExecutionRestedDecoder report)
            {
                rested++;
            }

            @Override
            public void onExecutionTrade(final ExecutionTradeDecoder report)
            {
                if (report.clientOrderId() >= TAKER_IDS)
                {
                    takerFills++;
                }
            }

            @Override
            public void onExecutionCanceled(final ExecutionCanceledDecoder report)
            {
                canceled++;
            }
        };
        try (TestService service = new TestService(dataDirectory).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, (int)MAKER, (int)TAKER);
            try (RollbookClient maker = service.session((int)MAKER, counting);
                RollbookClient taker = service.session((int)TAKER, counting);
                RollbookClient subscriber = service.connect(new ClientListener()
                {
                }))
            {
                subscriber.subscribe(BTC);
                subscriber.flush();
                final RollbookClient[] clients = {maker, taker, subscriber};
                rounds(clients, 0, WARM_UP_ROUNDS);

                final List<Thread> gatewayThreads = threads("rollbook-gateway");
                final List<Thread> journalThreads = threads("rollbook-journal");
                assertEquals(1, journalThreads.size(), "the journal thread");
                assertTrue(!gatewayThreads.isEmpty(), "the gateway's event loop");
                final long eventLoopBefore = allocated(threads, gatewayThreads);
                final long journalBefore = allocated(threads, journalThreads);
                rounds(clients, WARM_UP_ROUNDS, WARM_UP_ROUNDS + MEASURED_ROUNDS);
                final long eventLoopBytes = allocated(threads, gatewayThreads) - eventLoopBefore;
                final long journalBytes = allocated(threads, journalThreads) - journalBefore;

                final long messages = 3L * MEASURED_ROUNDS;
                assertTrue(journalBytes < ALLOWED_BYTES_PER_ORDER * messages, "the journal thread allocated " +
                    journalBytes + " bytes for " + messages + " orders");
                assertTrue(eventLoopBytes < ALLOWED_BYTES_PER_ORDER * messages, "the event loop allocated " +
                    eventLoopBytes + " bytes for " + messages + " orders");
            }
        }
    }

    /**
     * Sends the rounds a chunk at a time, each step awaited, so the measured period holds exactly these orders'
     * work.
     */
    private void rounds(final RollbookClient[] clients, final int from, final int to)
    {
        final RollbookClient maker = clients[0];
        final RollbookClient taker = clients[1];
        for (int chunk = from; chunk < to; chunk += CHUNK)
        {
            for (int round = chunk; round < chunk + CHUNK; round++)
            {
                maker.newLimitOrder(MAKER_IDS + round, BTC, Side.SELL, 500_000 + round % 50, 1_000, TimeInForce.GTC);
            }
            maker.flush();
            await(clients, () -> rested, chunk + CHUNK, "the sells resting");
            for (int round = chunk; round < chunk + CHUNK; round++)
            {
                taker.newLimitOrder(TAKER_IDS + round, BTC, Side.BUY, 500_100, 2, TimeInForce.IOC);
            }
            taker.flush();
            await(clients, () -> takerFills, chunk + CHUNK, "the buys filled");
            for (int round = chunk; round < chunk + CHUNK; round++)
            {
                maker.cancelByClientOrderId(MAKER_IDS + round, BTC);
            }
            maker.flush();
            await(clients, () -> canceled, chunk + CHUNK, "the sells canceled");
        }
    }

    private static void await(
        final RollbookClient[] clients, final LongSupplier count, final long expected, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count.getAsLong() < expected && System.nanoTime() < deadline)
        {
            for (final RollbookClient client : clients)
            {
                client.poll();
            }
        }
        assertEquals(expected, count.getAsLong(), what);
    }

    private static List<Thread> threads(final String namePrefix)
    {
        final List<Thread> found = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith(namePrefix))
            {
                found.add(thread);
            }
        }
        return found;
    }

    private static long allocated(final com.sun.management.ThreadMXBean threads, final List<Thread> of)
    {
        long bytes = 0;
        for (final Thread thread : of)
        {
            bytes += threads.getThreadAllocatedBytes(thread.getId());
        }
        return bytes;
    }
}
