package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;

import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary client that stops reading is terminated as a slow consumer, and its connection is then really closed:
 * its cancel-on-disconnect runs and its unsent bytes are let go, though the client never reads the Terminate.
 */
@Tag("system")
class BinarySlowConsumerSystemTest
{
    private static final int LEVELS = 1_000;

    @TempDir
    Path dataDirectory;

    @Test
    void aClientThatStopsReadingIsDisconnectedAndItsOrdersCanceled() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context.outboundLimitBytes(64 * 1024)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10, 11);
            final Recorder depth = new Recorder();
            final Recorder observer = new Recorder();
            try (RollbookClient bookBuilder = service.connect(depth);
                RollbookClient watching = service.connect(observer))
            {
                // Neither is polled while the other works: long keep-alives.
                bookBuilder.logon(service.logon(11).keepAliveMs(60_000));
                watching.logon(service.logon(10).keepAliveMs(60_000));
                for (int i = 0; i < LEVELS; i++)
                {
                    bookBuilder.newLimitOrder(i + 1, BTC, Side.BUY, 400_000 + i, 1, TimeInForce.GTC);
                }
                bookBuilder.flush();
                bookBuilder.await(() -> depth.count("rested") == LEVELS, 10_000, "a deep book");

                try (RawSession slow = new RawSession(service.port(), 4096))
                {
                    slow.logon(10, TestService.ACCOUNT_KEYS[0].getPrivate(), 1, 60_000, true);
                    slow.sendLimitOrder(1, 77, BTC, Side.SELL, 600_000, 1);
                    slow.expect(io.rollbook.protocol.orderentry.ExecutionNewDecoder.TEMPLATE_ID);
                    slow.expect(ExecutionRestedDecoder.TEMPLATE_ID);

                    // Each snapshot is some 16 KB; the client reads none of them.
                    new MarketDataSnapshotRequestEncoder().wrapAndApplyHeader(slow.send, 0, slow.headerEncoder).market(BTC);
                    for (int i = 0; i < 2_000; i++)
                    {
                        slow.send(MarketDataSnapshotRequestEncoder.BLOCK_LENGTH);
                    }

                    watching.await(() -> observer.count("canceled", "CANCEL_ON_DISCONNECT") == 1, 10_000,
                        "the slow consumer's cancel-on-disconnect");
                    assertEquals("massCanceled 1", observer.last());
                    assertTrue(closedByServer(slow), "the server closed the slow consumer's connection");
                }
                assertTrue(watching.isOpen());
                assertEquals(0, service.service().binaryGateway().unexpectedErrors());
            }
        }
    }

    private static boolean closedByServer(final RawSession session) throws IOException
    {
        try
        {
            while (session.read() != -1)
            {
                continue;
            }
            return true;
        }
        catch (final SocketException | EOFException ex)
        {
            // Reset, or closed in the middle of a frame: what the client did not read was dropped.
            return true;
        }
    }
}
