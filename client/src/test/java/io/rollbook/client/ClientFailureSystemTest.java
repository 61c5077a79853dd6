package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How the client fails, against scripted servers: a connect or a logon that times out says what it waited for and
 * closes its connection (the server sees it go), so that a market maker that reconnects once {@code isOpen()} is
 * false is not left with a half-open one; a book update with a side that is neither buy nor sell ends the
 * connection as the protocol error it is, rather than being applied to the asks; and an ended connection gives back
 * its direct buffers at once, not at a garbage collection that a quiet, reconnecting market maker may not have for
 * hours.
 */
@Tag("system")
class ClientFailureSystemTest
{
    private static final long MIB = 1024 * 1024;

    private final ScriptedFrames frames = new ScriptedFrames();
    private final UnsafeBuffer buffer = frames.buffer;
    private final MessageHeaderEncoder header = frames.header;

    @Test
    void aConnectWithoutAChallengeSaysWhatItWaitedForAndClosesTheSocket() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final CompletableFuture<Boolean> closedByClient = CompletableFuture.supplyAsync(() -> seesEndOfStream(
                server, false));
            final ClientException timedOut = assertThrows(ClientException.class,
                () -> RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
                {
                }, 300));
            assertEquals("timed out after 300 ms waiting for the server's challenge", timedOut.getMessage());
            assertTrue(closedByClient.get(10, TimeUnit.SECONDS), "the client closed its socket");
        }
    }

    @Test
    void aLogonThatTimesOutSaysWhatItWaitedForAndEndsTheConnection() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final CompletableFuture<Boolean> closedByClient = CompletableFuture.supplyAsync(() -> seesEndOfStream(
                server, true));
            final AtomicReference<String> disconnected = new AtomicReference<>();
            final RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
                @Override
                public void onDisconnected(final String reason)
                {
                    disconnected.set(reason);
                }
            });
            final ClientException timedOut = assertThrows(ClientException.class,
                () -> client.logon(new Logon(10, Ed25519Keys.generate().getPrivate()).timeoutMs(300)));
            assertTrue(timedOut.getMessage().startsWith("timed out after ") &&
                timedOut.getMessage().endsWith(" ms waiting for the negotiation response"), timedOut.getMessage());
            assertFalse(client.isOpen(), "a connection that failed to log on is closed");
            assertEquals("logon failed: " + timedOut.getMessage(), disconnected.get());
            assertEquals(disconnected.get(), client.disconnectReason());
            assertEquals(RollbookClient.CLOSED, client.newLimitOrder(1, 7, Side.BUY, 100, 1, TimeInForce.GTC));
            final IllegalStateException again = assertThrows(IllegalStateException.class,
                () -> client.logon(new Logon(10, Ed25519Keys.generate().getPrivate())));
            assertEquals("the connection has ended: " + disconnected.get(), again.getMessage());
            assertTrue(closedByClient.get(10, TimeUnit.SECONDS), "the client closed its socket");
        }
    }

    @Test
    void aBookUpdateWithAnUnknownSideEndsTheConnectionAndChangesNothing() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> serveBadSide(server));
            script.setDaemon(true);
            script.start();
            final AtomicReference<String> disconnected = new AtomicReference<>();
            final RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
                @Override
                public void onDisconnected(final String reason)
                {
                    disconnected.set(reason);
                }
            });
            client.subscribe(7);
            client.flush();
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.isOpen() && System.nanoTime() < deadlineNs)
            {
                client.poll(10);
            }
            assertFalse(client.isOpen());
            assertEquals("protocol error: the server sent a book update of market 7 with side 5", disconnected.get());
            final LocalOrderBook book = client.book(7);
            assertEquals(10, book.channelSeq(), "nothing applied after the snapshot");
            assertEquals(1, book.askCount());
            assertEquals(110, book.askPrice(0));
            assertEquals(7, book.askSize(0));
            script.join(5_000);
        }
    }

    @Test
    void anEndedConnectionGivesBackItsDirectBuffersAtOnce() throws Exception
    {
        final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> seesEndOfStream(server, true));
            script.setDaemon(true);
            script.start();
            final RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
            });
            final long open = direct.getMemoryUsed();
            client.abort();
            final long ended = direct.getMemoryUsed();
            assertTrue(open - ended >= 9 * MIB, "direct bytes given back: " + (open - ended));
            assertEquals(0, client.poll(), "an ended connection reads nothing");
            assertEquals(RollbookClient.CLOSED, client.subscribe(7));
            assertTrue(client.flush());
            script.join(5_000);
        }
    }

    /**
     * Accepts one connection, sends the challenge if asked to, and reads until the client closes.
     *
     * @return true once the stream ended, false if it did not within 10 s
     */
    private boolean seesEndOfStream(final ServerSocket server, final boolean challenge)
    {
        try (Socket socket = server.accept())
        {
            socket.setSoTimeout(10_000);
            if (challenge)
            {
                ScriptedFrames.write(socket.getOutputStream(), frames.challenge());
            }
            final InputStream in = socket.getInputStream();
            final byte[] scratch = new byte[4096];
            while (in.read(scratch) >= 0)
            {
                // Whatever the client sends (Negotiate, Terminate): the test waits for the end of the stream.
            }
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private void serveBadSide(final ServerSocket server)
    {
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            ScriptedFrames.write(out, frames.challenge());
            ScriptedFrames.expect(in, MarketDataSubscribeDecoder.TEMPLATE_ID);
            final MarketDataSnapshotEncoder snapshot = new MarketDataSnapshotEncoder()
                .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .channelSeq(10).sequence(1).market(7);
            snapshot.bidsCount(0);
            snapshot.asksCount(1).next().priceTicks(110).sizeLots(7);
            ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength()));
            final MarketDataBookUpdateEncoder update = new MarketDataBookUpdateEncoder()
                .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .channelSeq(11).sequence(2).priceTicks(110).sizeLots(0).market(7);
            // A side the schema does not have: written raw, as a faulty or hostile server would.
            buffer.putByte(update.offset() + MarketDataBookUpdateEncoder.sideEncodingOffset(), (byte)5);
            ScriptedFrames.write(out, frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + update.encodedLength()));
            in.read();
        }
        catch (final IOException ex)
        {
            // The client closed: the test's assertions say the rest.
        }
    }
}
