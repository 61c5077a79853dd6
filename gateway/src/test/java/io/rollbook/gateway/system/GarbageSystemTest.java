package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.SplittableRandom;

import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that send garbage (random bytes, impossible lengths, half frames, then silence) are each ended on
 * their own; a trading session in between sees none of it, and the server keeps accepting.
 */
@Tag("system")
class GarbageSystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void garbageConnectionsNeverDisturbATradingSession() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context.negotiationTimeoutMs(300)).start())
        {
            service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
            final Recorder events = new Recorder();
            try (RollbookClient trader = service.session(10, events))
            {
                final SplittableRandom random = new SplittableRandom(7);
                int closedByServer = 0;
                for (int i = 0; i < 40; i++)
                {
                    trader.newLimitOrder(i + 1, BTC, Side.BUY, 490_000 - i, 5, TimeInForce.GTC);
                    trader.flush();
                    try (Socket socket = new Socket("127.0.0.1", service.port()))
                    {
                        socket.setSoTimeout(3_000);
                        final OutputStream out = socket.getOutputStream();
                        final byte[] garbage = new byte[random.nextInt(200)];
                        random.nextBytes(garbage);
                        if (random.nextBoolean() && garbage.length >= 4)
                        {
                            garbage[0] = 0;
                            garbage[1] = 0;
                            garbage[2] = 0;
                            garbage[3] = (byte)(14 + random.nextInt(40));
                        }
                        out.write(garbage);
                        out.flush();
                        final InputStream in = socket.getInputStream();
                        final byte[] sink = new byte[4096];
                        while (in.read(sink) >= 0)
                        {
                            continue;
                        }
                        closedByServer++;
                    }
                    trader.poll();
                }
                trader.await(() -> events.count("rested") == 40, 10_000, "every order of the trading session");
                assertEquals(40, closedByServer, "every garbage connection was ended by the server");
                assertEquals(0, events.count("business"));
                assertTrue(trader.isOpen());
                assertEquals(0, service.service().binaryGateway().unexpectedErrors());
            }
            final Recorder later = new Recorder();
            try (RollbookClient client = service.session(11, later))
            {
                assertTrue(client.isEstablished(), "the server still accepts sessions");
            }
        }
    }
}
