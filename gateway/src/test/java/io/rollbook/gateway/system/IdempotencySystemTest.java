package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resent order with a client order id the account used is answered with what became of it, never executed twice:
 * while it is in flight, while it is live, after it ended, and after a reconnect or a restart.
 */
@Tag("system")
class IdempotencySystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void aResentOrderIsAnsweredNotExecutedTwice() throws Exception
    {
        final long resent = ClientOrderIds.fromString("dup-1");
        final long ioc = ClientOrderIds.fromString("ioc-1");
        try (TestService service = new TestService(dataDirectory).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
            final Recorder events = new Recorder();
            try (RollbookClient client = service.session(10, events))
            {
                client.newLimitOrder(resent, BTC, Side.BUY, 499_000, 10, TimeInForce.GTC);
                client.newLimitOrder(resent, BTC, Side.BUY, 499_000, 10, TimeInForce.GTC);
                client.flush();
                client.await(() -> events.count("rested") == 1 && events.count("business") == 1, 5_000, "answers");
                assertTrue(events.lines.contains("business DUPLICATE_CLIENT_ORDER_ID ref=2 status=PENDING order=" +
                    Long.MIN_VALUE + " client order id already sent; its reports follow") ||
                    events.lines.contains("business DUPLICATE_CLIENT_ORDER_ID ref=2 status=LIVE order=1 client order " +
                    "id already used by order 1, now live"), events.lines.toString());

                client.newLimitOrder(resent, BTC, Side.BUY, 499_000, 10, TimeInForce.GTC);
                client.flush();
                client.await(() -> events.count("business") == 2, 5_000, "answer while live");
                assertEquals("business DUPLICATE_CLIENT_ORDER_ID ref=3 status=LIVE order=1 client order id already " +
                    "used by order 1, now live", events.last());

                client.newLimitOrder(ioc, BTC, Side.BUY, 400_000, 10, TimeInForce.IOC);
                client.flush();
                client.await(() -> events.count("canceled ioc-1") == 1, 5_000, "the IOC ends unfilled");
                client.newLimitOrder(ioc, BTC, Side.BUY, 400_000, 10, TimeInForce.IOC);
                client.flush();
                client.await(() -> events.count("business") == 3, 5_000, "answer after it ended");
                assertEquals("business DUPLICATE_CLIENT_ORDER_ID ref=5 status=CANCELED order=2 client order id " +
                    "already used by order 2, now canceled", events.last());
                assertEquals(1, events.count("new dup-1"));
                assertEquals(1, events.count("new ioc-1"));
            }

            final Recorder afterReconnect = new Recorder();
            try (RollbookClient client = service.session(10, afterReconnect))
            {
                client.newLimitOrder(ioc, BTC, Side.BUY, 400_000, 10, TimeInForce.IOC);
                client.flush();
                client.await(() -> afterReconnect.count("business") == 1, 5_000, "answer after a reconnect");
                assertTrue(afterReconnect.last().startsWith("business DUPLICATE_CLIENT_ORDER_ID ref=1 status=CANCELED"));
            }
        }

        try (TestService restarted = new TestService(dataDirectory).start())
        {
            final Recorder events = new Recorder();
            try (RollbookClient client = restarted.session(10, events))
            {
                client.newLimitOrder(resent, BTC, Side.BUY, 499_000, 10, TimeInForce.GTC);
                client.newLimitOrder(ioc, BTC, Side.BUY, 400_000, 10, TimeInForce.IOC);
                client.flush();
                client.await(() -> events.count("business") == 2, 5_000, "answers after a restart");
                assertTrue(events.lines.get(0).startsWith("business DUPLICATE_CLIENT_ORDER_ID ref=1 status=LIVE order=1"));
                assertTrue(events.lines.get(1).startsWith("business DUPLICATE_CLIENT_ORDER_ID ref=2 status=CANCELED"));
                assertEquals(0, events.count("new"));
            }
        }
    }
}
