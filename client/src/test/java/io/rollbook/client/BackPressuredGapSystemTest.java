package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.ChallengeEncoder;
import io.rollbook.protocol.orderentry.MarginMode;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateDecoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestDecoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.OrderType;
import io.rollbook.protocol.orderentry.SelfTradePrevention;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A gap found while the send buffer is full (a server that has stopped reading for a while): the snapshot request
 * that repairs it cannot be queued then, and must go out once there is room, or the book stays stale for good.
 */
@Tag("system")
class BackPressuredGapSystemTest
{
    private static final int MARKET = 7;
    private static final int OTHER_MARKET = 8;

    private final ScriptedFrames frames = new ScriptedFrames();
    private final UnsafeBuffer buffer = frames.buffer;
    private final MessageHeaderEncoder header = frames.header;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private final CountDownLatch gapSeen = new CountDownLatch(1);

    @Test
    void aGapFoundWhileTheSendBufferIsFullIsRepairedOnceThereIsRoom() throws Exception
    {
        try (ServerSocket server = new ServerSocket())
        {
            // Small, so that the client's sends back up into its own buffer soon.
            server.setReceiveBufferSize(4096);
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            final Thread script = new Thread(() -> serve(server));
            script.setDaemon(true);
            script.start();
            final RollbookClient[] client = new RollbookClient[1];
            client[0] = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
                @Override
                public void onBookUpdate(final LocalOrderBook book, final MarketDataBookUpdateDecoder update)
                {
                    if (update.channelSeq() == 11)
                    {
                        fillTheSendBuffer(client[0]);
                    }
                }

                @Override
                public void onGap(final LocalOrderBook book, final long expected, final long received)
                {
                    gapSeen.countDown();
                }
            });
            try
            {
                // The script sends nothing while it reads the full send buffer back, which on a loaded machine takes
                // seconds: a keep-alive long enough that the client does not drop it for that silence.
                client[0].marketDataKeepAliveMs(10_000);
                client[0].subscribe(MARKET);
                client[0].flush();
                final LocalOrderBook book = client[0].book(MARKET);
                client[0].await(() -> !book.isStale(), 5_000, "the snapshot");
                subscribed.countDown();
                client[0].await(() -> gapSeen.getCount() == 0, 5_000, "the gap");
                client[0].await(() -> !book.isStale() && book.channelSeq() == 21, 10_000, "the repairing snapshot");
                assertEquals(1, book.bidCount());
                assertEquals(300, book.bidPrice(0));
                assertEquals(1, book.gaps());
            }
            finally
            {
                client[0].abort();
            }
        }
    }

    /**
     * From the callback of the update before the gap, so that the gap is met in the same read, with no room left.
     */
    private static void fillTheSendBuffer(final RollbookClient client)
    {
        long sent = 0;
        while (client.newOrder(sent + 1, MARKET, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 1, false,
            false, MarginMode.CROSS, SelfTradePrevention.ACCOUNT_DEFAULT) != RollbookClient.BACK_PRESSURED)
        {
            sent++;
            assertTrue(sent < 10_000_000, "the send buffer never filled");
        }
        // The last bytes of room, with frames as small as the snapshot request (of another market).
        while (client.requestSnapshot(OTHER_MARKET) != RollbookClient.BACK_PRESSURED)
        {
            sent++;
        }
    }

    private void serve(final ServerSocket server)
    {
        try (Socket socket = server.accept())
        {
            socket.setSoTimeout(20_000);
            final OutputStream out = socket.getOutputStream();
            // Buffered: the client's filled send buffer is read frame by frame, and a read per field took longer on
            // a loaded machine than the client waits for a word from a silent server.
            final DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            ScriptedFrames.write(out, challenge());
            ScriptedFrames.expect(in, MarketDataSubscribeDecoder.TEMPLATE_ID);
            ScriptedFrames.write(out, snapshot(10, 100));
            if (!subscribed.await(10, TimeUnit.SECONDS))
            {
                return;
            }
            final byte[] next = update(11, 101);
            final byte[] afterGap = update(13, 102);
            final byte[] both = new byte[next.length + afterGap.length];
            System.arraycopy(next, 0, both, 0, next.length);
            System.arraycopy(afterGap, 0, both, next.length, afterGap.length);
            ScriptedFrames.write(out, both);
            if (!gapSeen.await(10, TimeUnit.SECONDS))
            {
                return;
            }
            // Reads on only now, when the client has met the gap with its buffer full: the orders that filled it,
            // then the snapshot request.
            final MessageHeaderDecoder decoder = new MessageHeaderDecoder();
            while (true)
            {
                final int length = in.readInt();
                final byte[] frame = new byte[length - 4];
                in.readFully(frame);
                final UnsafeBuffer message = new UnsafeBuffer(frame);
                if (decoder.wrap(message, 2).templateId() == MarketDataSnapshotRequestDecoder.TEMPLATE_ID &&
                    message.getInt(2 + MessageHeaderDecoder.ENCODED_LENGTH, ByteOrder.LITTLE_ENDIAN) == MARKET)
                {
                    break;
                }
            }
            ScriptedFrames.write(out, snapshot(20, 300));
            ScriptedFrames.write(out, update(21, 300));
            in.read();
        }
        catch (final IOException | InterruptedException ex)
        {
            // The client closed, or gave up: the test's own assertions say what went wrong.
        }
    }

    private byte[] challenge()
    {
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new ChallengeEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .putNonce(new byte[32], 0, 32).serverTimeNs(1).encodedLength());
    }

    private byte[] snapshot(final long channelSeq, final long bidPrice)
    {
        final MarketDataSnapshotEncoder encoder = new MarketDataSnapshotEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .channelSeq(channelSeq).sequence(1).market(MARKET);
        encoder.bidsCount(1).next().priceTicks(bidPrice).sizeLots(5);
        encoder.asksCount(0);
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private byte[] update(final long channelSeq, final long price)
    {
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new MarketDataBookUpdateEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .channelSeq(channelSeq).sequence(1).priceTicks(price).sizeLots(2).market(MARKET).side(Side.BUY)
            .encodedLength());
    }
}
