package io.rollbook.gateway.binary;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a connection may make the server hold: one TCP read full of market data requests (no logon needed) must not
 * build more answers than the outbound bound before they are handed to the connection, where the slow-consumer
 * check applies.
 */
class OutboundBoundTest
{
    private static final int LIMIT = 64 * 1024;

    @TempDir
    Path dataDirectory;

    @Test
    void aBurstOfSnapshotRequestsInOneReadIsFlushedWithinTheOutboundBound()
    {
        try (FuzzHarness harness = new FuzzHarness(dataDirectory, context -> context.outboundLimitBytes(LIMIT)))
        {
            final EmbeddedChannel channel = harness.connect();
            final byte[] request = snapshotRequest(1);
            final byte[] burst = new byte[request.length * 20_000];
            for (int at = 0; at < burst.length; at += request.length)
            {
                System.arraycopy(request, 0, burst, at, request.length);
            }
            FuzzHarness.send(channel, burst);

            long total = 0;
            int largest = 0;
            ByteBuf chunk;
            while ((chunk = channel.readOutbound()) != null)
            {
                total += chunk.readableBytes();
                largest = Math.max(largest, chunk.readableBytes());
                chunk.release();
            }
            assertTrue(total > 4L * LIMIT, "the burst was answered: " + total + " bytes");
            assertTrue(largest <= 2 * LIMIT, "at most the bound (and one message) built up at a time: " + largest);
        }
    }

    private static byte[] snapshotRequest(final int market)
    {
        final byte[] frame = new byte[SimpleOpenFraming.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            MarketDataSnapshotRequestEncoder.BLOCK_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        SimpleOpenFraming.writeHeader(buffer, 0, frame.length);
        new MarketDataSnapshotRequestEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH,
            new MessageHeaderEncoder()).market(market);
        return frame;
    }
}
