package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.rollbook.client.ClientException;
import io.rollbook.client.LocalOrderBook;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example of docs/ORDER-ENTRY.md ("Using the Java client"), {@link SpreadQuoter}, against the real service: its
 * quotes reach the book it follows, it counts its fills, and a fill made while its connection was down reaches it
 * with the logon that follows.
 */
@Tag("system")
class ClientGuideSystemTest
{
    private static final int QUOTER = 10;
    private static final int TAKER = 11;

    @TempDir
    Path dataDirectory;

    @Test
    void theQuoterFollowsItsBookCountsItsFillsAndMissesNoneWhileDisconnected() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, QUOTER, TAKER);
            final Recorder takerEvents = new Recorder();
            try (SpreadQuoter quoter = new SpreadQuoter("127.0.0.1", service.port(), QUOTER,
                    TestService.ACCOUNT_KEYS[QUOTER - TestService.FIRST_ACCOUNT].getPrivate(), BTC, 1_000);
                RollbookClient taker = service.session(TAKER, takerEvents))
            {
                quoter.connect();
                pollUntil(quoter, () -> !quoter.book().isStale(), "the snapshot");
                quoter.quote(500_000, 10, 100);
                pollUntil(quoter, () -> quoter.book().bidCount() == 1 && quoter.book().askCount() == 1, "both quotes");
                assertBook(quoter.book(), 499_990, 100, 500_010, 100);

                taker.newLimitOrder(ClientOrderIds.fromString("sell"), BTC, Side.SELL, 499_990, 40, TimeInForce.IOC);
                taker.flush();
                pollUntil(quoter, () -> quoter.positionLots() == 40, "the bid's fill");
                pollUntil(quoter, () -> quoter.book().bidSize(0) == 60, "the bid's rest in the book");

                quoter.close();
                taker.newLimitOrder(ClientOrderIds.fromString("buy"), BTC, Side.BUY, 500_010, 30, TimeInForce.IOC);
                taker.flush();
                taker.await(() -> takerEvents.count("trade") == 2, 5_000, "the fill against the ask");

                quoter.poll();
                assertEquals(10, quoter.positionLots(), "the fill made while disconnected came with the logon");
                pollUntil(quoter, () -> !quoter.book().isStale(), "the new snapshot");
                assertBook(quoter.book(), 499_990, 60, 500_010, 70);

                quoter.quote(500_000, 20, 5);
                pollUntil(quoter, () -> quoter.book().bidCount() == 2 && quoter.book().askCount() == 2, "new quotes");
                assertEquals(5, quoter.book().sizeAt(0, 499_980));
                assertEquals(5, quoter.book().sizeAt(1, 500_020));
                assertEquals(10, quoter.positionLots(), "a fill is counted once, retransmitted or live");
            }
        }
    }

    private static void assertBook(
        final LocalOrderBook book, final long bid, final long bidSize, final long ask, final long askSize)
    {
        assertFalse(book.isStale());
        assertEquals(bid, book.bidPrice(0));
        assertEquals(bidSize, book.bidSize(0));
        assertEquals(ask, book.askPrice(0));
        assertEquals(askSize, book.askSize(0));
    }

    private static void pollUntil(final SpreadQuoter quoter, final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new ClientException("no " + what + " within 10 s");
            }
            quoter.poll();
        }
    }
}
