package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.ChallengeEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.SequenceDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against a scripted server that answers a subscription with a snapshot and then says nothing more, as a hung or
 * vanished server would: the client, which never logged on, keeps sending its heartbeat meanwhile, and after three
 * keep-alive intervals of silence drops the connection and says why.
 */
@Tag("system")
class SilentServerSystemTest
{
    /**
     * Long enough that the heartbeats the client owes in the silence (one every half interval, for three intervals)
     * do not hang on the test thread being scheduled within a few milliseconds on a loaded machine.
     */
    private static final long KEEP_ALIVE_MS = 500;

    private final ScriptedFrames frames = new ScriptedFrames();
    private final AtomicInteger heartbeatsReceived = new AtomicInteger();
    private final AtomicReference<Throwable> scriptFailure = new AtomicReference<>();
    /** When the script began to send the snapshot: the client cannot have heard it, its last word, before. */
    private volatile long snapshotSentNs;

    @Test
    void aMarketDataOnlyClientDropsAServerThatFellSilentAndKeepsItsOwnHeartbeatMeanwhile() throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> serve(server));
            script.start();
            final AtomicReference<String> disconnected = new AtomicReference<>();
            final RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), new ClientListener()
            {
                @Override
                public void onDisconnected(final String reason)
                {
                    disconnected.set(reason);
                }
            }).marketDataKeepAliveMs(KEEP_ALIVE_MS);
            client.subscribe(7);
            client.flush();
            client.await(() -> !client.book(7).isStale(), 5_000, "the snapshot");

            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.isOpen() && System.nanoTime() < deadlineNs)
            {
                client.poll(10);
            }
            // Timed from before the snapshot was sent, not from when this thread saw it: a thread descheduled
            // between the client reading the snapshot and this thread reading the clock would shorten the silence.
            final long silentNs = System.nanoTime() - snapshotSentNs;

            assertFalse(client.isOpen(), "the client dropped the silent server");
            assertNotNull(disconnected.get(), "the listener was told");
            assertTrue(disconnected.get().startsWith("nothing heard from the server for "), disconnected.get());
            assertEquals(disconnected.get(), client.disconnectReason());
            assertTrue(silentNs >= TimeUnit.MILLISECONDS.toNanos(3 * KEEP_ALIVE_MS), "not before three intervals");
            assertEquals(10, client.book(7).channelSeq(), "the snapshot stays as it was");
            script.join(5_000);
            assertFalse(script.isAlive());
            assertEquals(null, scriptFailure.get());
            assertTrue(heartbeatsReceived.get() >= 2, "heartbeats while the server was silent: " + heartbeatsReceived);
        }
    }

    private void serve(final ServerSocket server)
    {
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            ScriptedFrames.write(out, challenge());
            ScriptedFrames.expect(in, MarketDataSubscribeDecoder.TEMPLATE_ID);
            snapshotSentNs = System.nanoTime();
            ScriptedFrames.write(out, snapshot());
            // Silent from here on; reads what the client sends until it closes.
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            while (true)
            {
                final int length;
                try
                {
                    length = in.readInt();
                }
                catch (final EOFException closed)
                {
                    return;
                }
                final byte[] frame = new byte[length - 4];
                in.readFully(frame);
                if (header.wrap(new UnsafeBuffer(frame), 2).templateId() != SequenceDecoder.TEMPLATE_ID)
                {
                    throw new IllegalStateException("expected only heartbeats, got template " + header.templateId());
                }
                heartbeatsReceived.incrementAndGet();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            scriptFailure.set(ex);
        }
    }

    private byte[] challenge()
    {
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new ChallengeEncoder()
            .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
            .putNonce(new byte[32], 0, 32).serverTimeNs(1).encodedLength());
    }

    private byte[] snapshot()
    {
        final MarketDataSnapshotEncoder encoder = new MarketDataSnapshotEncoder()
            .wrapAndApplyHeader(frames.buffer, SimpleOpenFraming.HEADER_LENGTH, frames.header)
            .channelSeq(10).sequence(1).market(7);
        encoder.bidsCount(1).next().priceTicks(100).sizeLots(5);
        encoder.asksCount(0);
        return frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
