package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.orderentry.MassCancelEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("system")
class OrderLifecycleSystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void ordersAreAcceptedRestTradeAmendAndCancelWithReportsToBothSides() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
            final Recorder makerEvents = new Recorder();
            final Recorder takerEvents = new Recorder();
            try (RollbookClient maker = service.session(10, makerEvents);
                RollbookClient taker = service.session(11, takerEvents))
            {
                final long a1 = ClientOrderIds.fromString("a1");
                maker.newLimitOrder(a1, BTC, Side.BUY, 499_990, 1_000, TimeInForce.GTC);
                maker.flush();
                maker.await(() -> makerEvents.count("rested") == 1, 5_000, "rested");
                assertEquals(List.of("new a1 order=1 BUY 1000@499990 GTC", "rested a1 1000@499990"), makerEvents.lines);

                maker.amend(io.rollbook.protocol.orderentry.AmendOrderEncoder.orderIdNullValue(), a1, BTC, 499_990, 500);
                maker.flush();
                maker.await(() -> makerEvents.count("amended") == 1, 5_000, "amended");
                assertEquals("amended a1 500@499990 leaves=500 kept=TRUE", makerEvents.last());

                taker.newLimitOrder(ClientOrderIds.fromString("b1"), BTC, Side.SELL, 499_990, 300, TimeInForce.IOC);
                taker.flush();
                taker.await(() -> takerEvents.count("trade") == 1, 5_000, "taker trade");
                maker.await(() -> makerEvents.count("trade") == 1, 5_000, "maker trade");
                assertEquals(List.of("new b1 order=2 SELL 300@499990 IOC", "trade b1 SELL 300@499990 leaves=0 TAKER"),
                    takerEvents.lines);
                assertEquals("trade a1 BUY 300@499990 leaves=200 MAKER", makerEvents.last());

                maker.cancelByClientOrderId(a1, BTC);
                final long zeroSizeSeqNo = maker.newLimitOrder(ClientOrderIds.fromString("a2"), BTC, Side.BUY, 499_000, 0,
                    TimeInForce.GTC);
                maker.newLimitOrder(ClientOrderIds.fromString("a3"), 99, Side.BUY, 499_000, 10, TimeInForce.GTC);
                maker.massCancel(MassCancelEncoder.marketNullValue(), Side.NULL_VAL);
                maker.flush();
                maker.await(() -> makerEvents.count("massCanceled") == 1, 5_000, "mass cancel report");
                // The gateway answers a business reject at once; reports come once their batch is journaled.
                assertEquals(List.of(
                    "business UNKNOWN_MARKET ref=" + (zeroSizeSeqNo + 1) + " status=NULL_VAL order=" +
                        Long.MIN_VALUE + " market 99 is not defined",
                    "canceled a1 200 USER",
                    "rejected a2 SIZE_NOT_POSITIVE ref=" + zeroSizeSeqNo,
                    "massCanceled 0"), makerEvents.lines.subList(makerEvents.lines.size() - 4, makerEvents.lines.size()));
                for (int i = 1; i < makerEvents.positions.size(); i++)
                {
                    assertTrue(makerEvents.positions.get(i).compareTo(makerEvents.positions.get(i - 1)) > 0,
                        "reports in journal order");
                }
            }
        }
    }
}
