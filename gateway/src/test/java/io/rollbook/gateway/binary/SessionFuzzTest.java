package io.rollbook.gateway.binary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rollbook.protocol.auth.NegotiationSignature;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.ChallengeDecoder;
import io.rollbook.protocol.orderentry.EstablishmentAckDecoder;
import io.rollbook.protocol.orderentry.NegotiationRejectDecoder;
import io.rollbook.protocol.orderentry.TerminateDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random and mutated frames thrown at the frame reassembly, the frame checks and the session layer, through the
 * real Netty handler: nothing escapes as an exception, nothing is published that a well-formed message of an
 * established session did not ask for, refused input leaves no state behind, and every byte the server writes is
 * a well-formed frame. Seeded; a failure names its seed.
 */
class SessionFuzzTest
{
    @TempDir
    Path dataDirectory;

    static LongStream seeds()
    {
        return LongStream.rangeClosed(1, 12);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void garbageBeforeLogonIsAnsweredOrTerminatedAndPublishesNothing(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Frames frames = new Frames(random);
        try (FuzzHarness harness = new FuzzHarness(dataDirectory))
        {
            for (int connection = 0; connection < 60; connection++)
            {
                final EmbeddedChannel channel = harness.connect();
                final ByteArrayOutputStream stream = new ByteArrayOutputStream();
                for (int i = 0; i < 1 + random.nextInt(8); i++)
                {
                    final byte[] message = frames.anyMessage();
                    stream.writeBytes(random.nextInt(3) == 0 ? frames.mutate(message) : message);
                }
                feedInRandomChunks(channel, stream.toByteArray(), random);
                final List<byte[]> written = FuzzHarness.outboundFrames(channel);
                assertEquals(ChallengeDecoder.TEMPLATE_ID, FuzzHarness.templateOf(written.get(0)), "seed " + seed);
                if (!channel.isActive())
                {
                    final int last = FuzzHarness.templateOf(written.get(written.size() - 1));
                    assertTrue(last == TerminateDecoder.TEMPLATE_ID || last == NegotiationRejectDecoder.TEMPLATE_ID,
                        "seed " + seed + ": a closed connection was told why, last template " + last);
                }
                channel.finishAndReleaseAll();
            }
            assertEquals(0, harness.publisher.commands.size(), "seed " + seed + ": published before logon");
            assertEquals(0, harness.views.orders().size(), "seed " + seed);
            assertEquals(0, harness.gateway.sessionIds().size(), "seed " + seed + ": session ids held after close");
            assertEquals(0, harness.gateway.unexpectedErrors(), "seed " + seed);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mutatedMessagesOnAnEstablishedSessionNeverPublishWhatWasNotAskedFor(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Frames frames = new Frames(random);
        try (FuzzHarness harness = new FuzzHarness(dataDirectory))
        {
            int sessions = 0;
            int sent = 0;
            while (sent < 600)
            {
                final EmbeddedChannel channel = harness.connect();
                long seqNo = establish(harness, channel, frames, random);
                sessions++;
                while (channel.isActive() && sent < 600)
                {
                    final int before = harness.publisher.commands.size();
                    final byte[] message;
                    switch (random.nextInt(5))
                    {
                        case 0:
                            message = frames.cancel(seqNo);
                            break;
                        case 1:
                            message = frames.amend(seqNo);
                            break;
                        case 2:
                            message = frames.massCancel(seqNo);
                            break;
                        default:
                            message = frames.newOrder(seqNo);
                            break;
                    }
                    final boolean mutated = random.nextInt(10) == 0;
                    feedInRandomChunks(channel, mutated ? frames.mutate(message) : message, random);
                    sent++;
                    final int published = harness.publisher.commands.size() - before;
                    assertTrue(published <= 1, "seed " + seed + ": one message published " + published + " commands");
                    if (!mutated)
                    {
                        seqNo++;
                    }
                    else if (channel.isActive())
                    {
                        seqNo = -1;
                        channel.close();
                    }
                }
                FuzzHarness.outboundFrames(channel);
                channel.finishAndReleaseAll();
            }
            assertTrue(sessions >= 2, "seed " + seed + ": mutations end sessions");
            int places = 0;
            final MessageHeaderDecoder header = new MessageHeaderDecoder();
            for (final byte[] command : harness.publisher.commands)
            {
                header.wrap(new UnsafeBuffer(command), 0);
                final int templateId = header.templateId();
                assertTrue(templateId >= 1 && templateId <= 4, "seed " + seed + ": only order commands, got " + templateId);
                assertEquals(FuzzHarness.ACCOUNT, accountOf(command, templateId), "seed " + seed);
                if (templateId == PlaceOrderDecoder.TEMPLATE_ID)
                {
                    places++;
                }
            }
            assertTrue(places > 0, "seed " + seed + ": some orders got through");
            assertEquals(places, harness.views.orders().size(),
                "seed " + seed + ": a claim for every published order and none for refused ones");
            assertEquals(0, harness.gateway.unexpectedErrors(), "seed " + seed);
        }
    }

    private static int accountOf(final byte[] command, final int templateId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(command);
        final int body = MessageHeaderDecoder.ENCODED_LENGTH;
        switch (templateId)
        {
            case 1:
                return buffer.getInt(body + PlaceOrderDecoder.accountEncodingOffset(), ByteOrder.LITTLE_ENDIAN);
            case 2:
                return buffer.getInt(body + io.rollbook.protocol.engine.CancelOrderDecoder.accountEncodingOffset(),
                    ByteOrder.LITTLE_ENDIAN);
            case 3:
                return buffer.getInt(body + io.rollbook.protocol.engine.AmendOrderDecoder.accountEncodingOffset(),
                    ByteOrder.LITTLE_ENDIAN);
            default:
                return buffer.getInt(body + io.rollbook.protocol.engine.MassCancelDecoder.accountEncodingOffset(),
                    ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * @return the next seqNo the session expects
     */
    static long establish(
        final FuzzHarness harness, final EmbeddedChannel channel, final Frames frames, final SplittableRandom random)
    {
        final byte[] challenge = FuzzHarness.outboundFrames(channel).get(0);
        final byte[] nonce = new byte[NegotiationSignature.NONCE_LENGTH];
        new ChallengeDecoder().wrap(new UnsafeBuffer(challenge), SimpleOpenFraming.MIN_FRAME_LENGTH,
            ChallengeDecoder.BLOCK_LENGTH, ChallengeDecoder.SCHEMA_VERSION).getNonce(nonce, 0, nonce.length);
        final long high = random.nextLong();
        final long low = random.nextLong();
        final long timestampNs = System.currentTimeMillis() * 1_000_000L;
        final byte[] signature = NegotiationSignature.sign(harness.accountKey.getPrivate(), nonce, high, low,
            FuzzHarness.ACCOUNT, timestampNs);
        FuzzHarness.send(channel, frames.negotiate(high, low, FuzzHarness.ACCOUNT, timestampNs, signature));
        final long firstSeqNo = 1 + random.nextInt(1000);
        byte[] establish;
        do
        {
            establish = frames.establish(high, low, firstSeqNo, 1_000, 0);
        }
        while ((establish[SimpleOpenFraming.MIN_FRAME_LENGTH + io.rollbook.protocol.orderentry.EstablishEncoder
            .cancelOnDisconnectEncodingOffset()] & 0xFF) > 1);
        FuzzHarness.send(channel, establish);
        final List<byte[]> answers = FuzzHarness.outboundFrames(channel);
        final byte[] answer = answers.get(answers.size() - 1);
        assertEquals(EstablishmentAckDecoder.TEMPLATE_ID, FuzzHarness.templateOf(answer), () -> "establishment refused: " +
            new io.rollbook.protocol.orderentry.EstablishmentRejectDecoder().wrap(new UnsafeBuffer(answer),
            SimpleOpenFraming.MIN_FRAME_LENGTH, 17, 2).code());
        return firstSeqNo;
    }

    private static void feedInRandomChunks(final EmbeddedChannel channel, final byte[] bytes, final SplittableRandom random)
    {
        int at = 0;
        while (at < bytes.length && channel.isActive())
        {
            final int chunk = Math.min(bytes.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
            final byte[] part = new byte[chunk];
            System.arraycopy(bytes, at, part, 0, chunk);
            FuzzHarness.send(channel, part);
            at += chunk;
        }
    }
}
