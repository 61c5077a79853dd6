package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.BooleanType;
import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.BusinessRejectEncoder;
import io.rollbook.protocol.orderentry.EstablishDecoder;
import io.rollbook.protocol.orderentry.EstablishmentAckEncoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewEncoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeEncoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateDecoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateEncoder;
import io.rollbook.protocol.orderentry.MarketDataRejectCode;
import io.rollbook.protocol.orderentry.MarketDataRejectEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeDecoder;
import io.rollbook.protocol.orderentry.MarketDataTradeDecoder;
import io.rollbook.protocol.orderentry.MarketDataTradeEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateDecoder;
import io.rollbook.protocol.orderentry.NegotiationResponseEncoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.OperatorAckEncoder;
import io.rollbook.protocol.orderentry.OrderStatus;
import io.rollbook.protocol.orderentry.RetransmissionDecoder;
import io.rollbook.protocol.orderentry.RetransmissionEncoder;
import io.rollbook.protocol.orderentry.RetransmitRequestDecoder;
import io.rollbook.protocol.orderentry.SequenceEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TerminationCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A logged-on client against a scripted server that sends a stream of valid frames with one of them damaged at
 * random (its framing length, encoding type, block length, template, schema or version, its bytes, a count or a
 * length inside it, or cut short): nothing ever escapes {@code poll} or a listener callback, a frame that is
 * certainly malformed ends the connection as a protocol error naming it with nothing of it applied, and whatever
 * the damage the connection either carries on to the stream's last report or ends with a reason. Then one case per
 * damage the client once let through: a snapshot or a text whose counts run past its frame, a block shorter than
 * its message's, a retransmission's complete flag the schema does not have, a logon message after the
 * establishment, and snapshots of markets never subscribed (each once a new book).
 */
@Tag("system")
@Timeout(60)
class ServerFrameFuzzSystemTest
{
    private static final int CASES = 500;
    private static final int MARKET = 7;
    private static final long MARKER_ORDER_ID = 999_999;
    private static final int LENGTH_AT = 0;
    private static final int ENCODING_AT = 4;
    private static final int BLOCK_LENGTH_AT = 6;
    private static final int TEMPLATE_AT = 8;
    private static final int SCHEMA_AT = 10;
    private static final int VERSION_AT = 12;
    private static final int BODY_AT = SimpleOpenFraming.MIN_FRAME_LENGTH;

    private final ScriptedFrames frames = new ScriptedFrames();
    private final UnsafeBuffer buffer = frames.buffer;
    private final MessageHeaderEncoder header = frames.header;
    private final PrivateKey key = Ed25519Keys.generate().getPrivate();

    @Test
    void aDamagedFrameNeverEscapesPollAndACertainlyMalformedOneEndsTheConnectionChangingNothing() throws Exception
    {
        final long seed = Long.getLong("rollbook.fuzz.seed", System.nanoTime());
        System.out.println("ServerFrameFuzzSystemTest seed " + seed + " (-Drollbook.fuzz.seed=" + seed + " repeats it)");
        final BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        final Random random = new Random(seed);
        long directAfterFirst = -1;
        int malformed = 0;
        try (ServerSocket server = new ServerSocket(0))
        {
            for (int i = 0; i < CASES; i++)
            {
                final Stream stream = stream(random);
                final Damage damage = damage(random, stream);
                final String what = "seed " + seed + ", case " + i + ": " + damage.what;
                final Outcome outcome = run(server, stream.bytes(damage), what);
                if (damage.certainlyMalformed)
                {
                    malformed++;
                    assertTrue(outcome.reason.startsWith("protocol error: the server sent "), what + ": " + outcome.reason);
                    assertEquals(stream.reportsBefore[damage.frame], outcome.reports, what + ": reports delivered");
                    assertEquals(stream.channelSeqBefore[damage.frame], outcome.channelSeq, what + ": book's channelSeq");
                    assertFalse(outcome.markerSeen, what);
                }
                else
                {
                    assertTrue(outcome.markerSeen || !outcome.reason.isEmpty(), what);
                }
                if (i == 0)
                {
                    directAfterFirst = direct.getMemoryUsed();
                }
            }
        }
        assertTrue(malformed > CASES / 3, "certainly malformed cases: " + malformed);
        assertTrue(direct.getMemoryUsed() - directAfterFirst < 4 * 1024 * 1024,
            "direct memory held after " + CASES + " connections: " + (direct.getMemoryUsed() - directAfterFirst));
    }

    @Test
    void aSnapshotWhoseLevelsRunPastItsFrameEndsTheConnectionAndLeavesTheBookStale() throws Exception
    {
        final Stream stream = new Stream();
        final MarketDataSnapshotEncoder snapshot = new MarketDataSnapshotEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .channelSeq(10).sequence(1).market(MARKET);
        snapshot.bidsCount(1).next().priceTicks(100).sizeLots(5);
        snapshot.asksCount(1).next().priceTicks(110).sizeLots(7);
        final byte[] frame = frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength());
        // The asks' count: 65,535 levels of 65,535 bytes, 4 GiB in a frame of a few dozen bytes.
        final int asksAt = BODY_AT + MarketDataSnapshotEncoder.BLOCK_LENGTH + 4 + 16;
        putShort(frame, asksAt, 0xFFFF);
        putShort(frame, asksAt + 2, 0xFFFF);
        stream.add(frame, 0, 0);
        final Outcome outcome = run(stream.bytes(null), "snapshot");
        assertEquals("protocol error: the server sent a snapshot of 65535 ask levels of 65535 bytes with 16 bytes " +
            "left in its frame", outcome.reason);
        assertTrue(outcome.bookStale, "no snapshot applied");
    }

    @Test
    void aBusinessRejectWhoseTextRunsPastItsFrameEndsTheConnectionUndelivered() throws Exception
    {
        final Stream stream = new Stream();
        stream.snapshot();
        final byte[] reject = stream.businessReject(1, "no");
        putByte(reject, BODY_AT + BusinessRejectEncoder.BLOCK_LENGTH, 200);
        stream.add(reject, 0, 10);
        stream.add(stream.executionNew(2, 1, MARKER_ORDER_ID), 0, 10);
        final Outcome outcome = run(stream.bytes(null), "business reject");
        assertEquals("protocol error: the server sent template 37 with a text of 200 bytes with 2 left in its frame",
            outcome.reason);
        assertEquals(0, outcome.reports, "nothing delivered");
    }

    @Test
    void anExecutionReportWithABlockShorterThanItsMessageEndsTheConnectionUndelivered() throws Exception
    {
        final Stream stream = new Stream();
        stream.snapshot();
        final byte[] cut = stream.executionNew(1, 1, 5);
        // Only the seqNo left of the block; the report that follows would otherwise be read as its fields.
        final byte[] shortBlock = Arrays.copyOf(cut, BODY_AT + 4);
        putInt(shortBlock, LENGTH_AT, shortBlock.length);
        putShort(shortBlock, BLOCK_LENGTH_AT, 4);
        stream.add(shortBlock, 0, 10);
        stream.add(stream.executionNew(2, 2, MARKER_ORDER_ID), 0, 10);
        final Outcome outcome = run(stream.bytes(null), "short block");
        assertEquals("protocol error: the server sent template 30 with block length 4, less than its 64", outcome.reason);
        assertEquals(0, outcome.reports, "nothing delivered");
    }

    @Test
    void aRetransmissionWithACompleteFlagTheSchemaDoesNotHaveFailsTheLogon() throws Exception
    {
        final byte[] retransmission = frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new RetransmissionEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .afterSequence(0).afterEventIndex(0).count(0).complete(BooleanType.TRUE)
            .resumeAfterSequence(0).resumeAfterEventIndex(0).encodedLength());
        putByte(retransmission, BODY_AT + RetransmissionEncoder.completeEncodingOffset(), 7);
        try (ServerSocket server = new ServerSocket(0))
        {
            final Thread script = new Thread(() -> serve(server, retransmission, RetransmitRequestDecoder.TEMPLATE_ID));
            script.setDaemon(true);
            script.start();
            final Outcome outcome = new Outcome();
            final RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), outcome);
            final ClientException failed = assertThrows(ClientException.class, () -> client.logon(new Logon(10, key)
                .timeoutMs(5_000).resumeAfter(new JournalPosition(0, 0))));
            assertEquals("connection ended while waiting for the retransmission: protocol error: the server sent a " +
                "retransmission with complete 7", failed.getMessage());
            assertFalse(client.isOpen());
            script.join(10_000);
        }
    }

    @Test
    void aLogonMessageAfterTheEstablishmentEndsTheConnectionRatherThanResetTheSession() throws Exception
    {
        final Stream stream = new Stream();
        stream.snapshot();
        stream.add(frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new NegotiationResponseEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .sessionIdHigh(1).sessionIdLow(1).account(10).encodedLength()), 0, 10);
        stream.add(stream.executionNew(1, 1, MARKER_ORDER_ID), 0, 10);
        final Outcome outcome = run(stream.bytes(null), "negotiation response");
        assertEquals("protocol error: the server sent template 3 out of turn, after the establishment", outcome.reason);
        assertEquals(0, outcome.reports);
    }

    @Test
    void aRetransmissionNobodyAskedForEndsTheConnection() throws Exception
    {
        final Stream stream = new Stream();
        stream.snapshot();
        stream.add(frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + new RetransmissionEncoder()
            .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .afterSequence(0).afterEventIndex(0).count(1).complete(BooleanType.FALSE)
            .resumeAfterSequence(0).resumeAfterEventIndex(0).encodedLength()), 0, 10);
        stream.add(stream.executionNew(1, 1, MARKER_ORDER_ID), 0, 10);
        final Outcome outcome = run(stream.bytes(null), "unsolicited retransmission");
        assertEquals("protocol error: the server sent template 11 out of turn, after the establishment", outcome.reason);
        assertEquals(0, outcome.reports);
    }

    @Test
    void snapshotsOfMarketsNeverSubscribedAreDroppedWithoutABookEach() throws Exception
    {
        final Stream stream = new Stream();
        stream.snapshot();
        for (int market = 100; market < 110; market++)
        {
            final MarketDataSnapshotEncoder snapshot = new MarketDataSnapshotEncoder()
                .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .channelSeq(1).sequence(1).market(market);
            snapshot.bidsCount(0);
            snapshot.asksCount(1).next().priceTicks(110).sizeLots(7);
            stream.add(frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength()), 0, 10);
        }
        stream.add(stream.executionNew(1, 1, MARKER_ORDER_ID), 0, 10);
        final Outcome outcome = run(stream.bytes(null), "unsubscribed snapshots");
        assertTrue(outcome.markerSeen, "carried on");
        assertEquals("the server closed the connection", outcome.reason);
        assertEquals(List.of(MARKET), outcome.snapshots, "only the subscribed market's snapshot delivered");
        assertEquals(1, outcome.books, "books kept");
    }

    private Outcome run(final byte[] afterLogon, final String what) throws Exception
    {
        try (ServerSocket server = new ServerSocket(0))
        {
            return run(server, afterLogon, what);
        }
    }

    /**
     * Logs a client on to a scripted server that then answers its subscription with {@code afterLogon} and closes
     * its side, and polls the client until the connection ends.
     */
    private Outcome run(final ServerSocket server, final byte[] afterLogon, final String what) throws Exception
    {
        final Thread script = new Thread(() -> serve(server, afterLogon, MarketDataSubscribeDecoder.TEMPLATE_ID));
        script.setDaemon(true);
        script.start();
        final Outcome outcome = new Outcome();
        final RollbookClient client = RollbookClient.connect("127.0.0.1", server.getLocalPort(), outcome);
        client.logon(new Logon(10, key).timeoutMs(5_000));
        assertEquals(0, client.subscribe(MARKET), what);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try
        {
            while (client.isOpen() && System.nanoTime() < deadlineNs)
            {
                client.poll(10);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            throw new AssertionError(what + ": escaped poll", ex);
        }
        assertFalse(client.isOpen(), what + ": still open");
        assertNotNull(outcome.reason, what + ": onDisconnected");
        assertEquals(outcome.reason, client.disconnectReason(), what);
        if (outcome.failure != null)
        {
            throw new AssertionError(what + ": a callback could not read its message", outcome.failure);
        }
        final LocalOrderBook book = client.book(MARKET);
        outcome.bookStale = book.isStale();
        outcome.books = 0;
        for (int market = 0; market < 200; market++)
        {
            outcome.books += client.book(market) == null ? 0 : 1;
        }
        outcome.channelSeq = book.isStale() ? -1 : book.channelSeq();
        script.join(10_000);
        assertFalse(script.isAlive(), what + ": the client never closed its side");
        return outcome;
    }

    private void serve(final ServerSocket server, final byte[] afterLogon, final int answered)
    {
        final ScriptedFrames scripted = new ScriptedFrames();
        final UnsafeBuffer out0 = scripted.buffer;
        try (Socket socket = server.accept())
        {
            final OutputStream out = socket.getOutputStream();
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            ScriptedFrames.write(out, scripted.challenge());
            ScriptedFrames.expect(in, NegotiateDecoder.TEMPLATE_ID);
            ScriptedFrames.write(out, scripted.frame(MessageHeaderEncoder.ENCODED_LENGTH + new NegotiationResponseEncoder()
                .wrapAndApplyHeader(out0, SimpleOpenFraming.HEADER_LENGTH, scripted.header)
                .sessionIdHigh(1).sessionIdLow(1).account(10).encodedLength()));
            ScriptedFrames.expect(in, EstablishDecoder.TEMPLATE_ID);
            ScriptedFrames.write(out, scripted.frame(MessageHeaderEncoder.ENCODED_LENGTH + new EstablishmentAckEncoder()
                .wrapAndApplyHeader(out0, SimpleOpenFraming.HEADER_LENGTH, scripted.header)
                .sessionIdHigh(1).sessionIdLow(1).lastJournalSequence(0).nextSeqNo(1).keepAliveIntervalMs(1_000)
                .encodedLength()));
            ScriptedFrames.expect(in, answered);
            out.write(afterLogon);
            out.flush();
            socket.shutdownOutput();
            final byte[] scratch = new byte[4096];
            while (in.read(scratch) >= 0)
            {
                // Whatever the client sends (a snapshot request after a gap, Terminate) until it closes.
            }
        }
        catch (final IOException ex)
        {
            // The client closed first: the test's assertions say the rest.
        }
    }

    /**
     * A valid stream: a snapshot of the market, then sequenced reports and market data in order, the last an
     * ExecutionNew with {@link #MARKER_ORDER_ID}.
     */
    private Stream stream(final Random random)
    {
        final Stream stream = new Stream();
        stream.snapshot();
        final int messages = 1 + random.nextInt(8);
        long channelSeq = 10;
        long seqNo = 1;
        long sequence = 1;
        int reports = 0;
        for (int m = 0; m < messages; m++)
        {
            switch (random.nextInt(7))
            {
                case 0:
                    stream.add(stream.bookUpdate(++channelSeq, random.nextBoolean() ? Side.BUY : Side.SELL,
                        90 + random.nextInt(30), random.nextInt(5)), reports, channelSeq - 1);
                    break;
                case 1:
                    stream.add(stream.marketTrade(++channelSeq), reports, channelSeq - 1);
                    break;
                case 2:
                    stream.add(stream.executionNew(seqNo++, sequence++, m), reports++, channelSeq);
                    break;
                case 3:
                    stream.add(stream.executionTrade(seqNo++, sequence++), reports++, channelSeq);
                    break;
                case 4:
                    stream.add(stream.businessReject(seqNo++, "order " + m + " refused"), reports, channelSeq);
                    break;
                case 5:
                    stream.add(stream.operatorAck(seqNo++), reports, channelSeq);
                    break;
                default:
                    stream.add(random.nextBoolean() ? stream.heartbeat() : stream.marketDataReject(), reports, channelSeq);
                    break;
            }
        }
        stream.add(stream.executionNew(seqNo, sequence, MARKER_ORDER_ID), reports, channelSeq);
        return stream;
    }

    private static Damage damage(final Random random, final Stream stream)
    {
        final int frame = random.nextInt(stream.frames.size());
        final byte[] bytes = stream.frames.get(frame).clone();
        final int templateId = getShort(bytes, TEMPLATE_AT);
        switch (random.nextInt(11))
        {
            case 0:
            {
                final int[] lengths = {0, 1, 5, 6, 13, -1, Integer.MIN_VALUE, (8 << 20) + 1, Integer.MAX_VALUE};
                final int length = lengths[random.nextInt(lengths.length)];
                putInt(bytes, LENGTH_AT, length);
                return new Damage(frame, bytes, "frame length " + length, true);
            }
            case 1:
            {
                // Longer than the frame yet within the receive buffer: it takes in the frames after it, or waits.
                final int length = bytes.length + 1 + random.nextInt(200);
                putInt(bytes, LENGTH_AT, length);
                return new Damage(frame, bytes, "frame length " + length + " for " + bytes.length, false);
            }
            case 2:
            {
                final int encoding = random.nextInt(0x10000);
                putShort(bytes, ENCODING_AT, encoding);
                return new Damage(frame, bytes, "encoding type " + encoding,
                    encoding != SimpleOpenFraming.ENCODING_TYPE_SBE_LITTLE_ENDIAN);
            }
            case 3:
            {
                // Client messages, unknown templates, and logon messages out of turn.
                final int[] unknown = {0, 2, 5, 10, 12, 20, 23, 38, 50, 51, 56, 70, 73, 75, 999, 0xFFFF, 1, 3, 4, 6, 7, 11};
                final int template = unknown[random.nextInt(unknown.length)];
                putShort(bytes, TEMPLATE_AT, template);
                return new Damage(frame, bytes, "template " + templateId + " sent as " + template, true);
            }
            case 4:
            {
                final int schema = random.nextInt(0x10000);
                putShort(bytes, SCHEMA_AT, schema);
                return new Damage(frame, bytes, "schema " + schema, schema != getShort(stream.frames.get(frame), SCHEMA_AT));
            }
            case 5:
            {
                final int version = random.nextInt(0x10000);
                putShort(bytes, VERSION_AT, version);
                return new Damage(frame, bytes, "template " + templateId + " of version " + version, false);
            }
            case 6:
            {
                final int blockLength = getShort(bytes, BLOCK_LENGTH_AT);
                final int shorter = random.nextInt(blockLength);
                putShort(bytes, BLOCK_LENGTH_AT, shorter);
                return new Damage(frame, bytes, "template " + templateId + " with block length " + shorter + " of " +
                    blockLength, true);
            }
            case 7:
            {
                final int longer = bytes.length - BODY_AT + 1 + random.nextInt(0xFFFF - (bytes.length - BODY_AT));
                putShort(bytes, BLOCK_LENGTH_AT, longer);
                return new Damage(frame, bytes, "template " + templateId + " with block length " + longer + " in a " +
                    "frame of " + bytes.length, true);
            }
            case 8:
            {
                // The frame cut short and its length with it: a block, count or text that runs past the frame.
                final int cutTo = BODY_AT + random.nextInt(bytes.length - BODY_AT);
                final byte[] cut = Arrays.copyOf(bytes, cutTo);
                putInt(cut, LENGTH_AT, cutTo);
                return new Damage(frame, cut, "template " + templateId + " cut from " + bytes.length + " to " + cutTo,
                    true);
            }
            case 9:
            {
                // The stream ends inside the frame.
                final int cutTo = random.nextInt(bytes.length);
                return new Damage(frame, Arrays.copyOf(bytes, cutTo), "stream ends " + cutTo + " bytes into template " +
                    templateId, false).last();
            }
            default:
            {
                final int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++)
                {
                    bytes[BODY_AT + random.nextInt(bytes.length - BODY_AT)] = (byte)random.nextInt(256);
                }
                return new Damage(frame, bytes, flips + " body bytes of template " + templateId + " changed", false);
            }
        }
    }

    private static int getShort(final byte[] bytes, final int at)
    {
        return new UnsafeBuffer(bytes).getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    private static void putShort(final byte[] bytes, final int at, final int value)
    {
        if (at == ENCODING_AT)
        {
            new UnsafeBuffer(bytes).putShort(at, (short)value, ByteOrder.BIG_ENDIAN);
            return;
        }
        new UnsafeBuffer(bytes).putShort(at, (short)value, ByteOrder.LITTLE_ENDIAN);
    }

    private static void putInt(final byte[] bytes, final int at, final int value)
    {
        new UnsafeBuffer(bytes).putInt(at, value, ByteOrder.BIG_ENDIAN);
    }

    private static void putByte(final byte[] bytes, final int at, final int value)
    {
        bytes[at] = (byte)value;
    }

    private static final class Damage
    {
        final int frame;
        final byte[] bytes;
        final String what;
        final boolean certainlyMalformed;
        boolean last;

        Damage(final int frame, final byte[] bytes, final String what, final boolean certainlyMalformed)
        {
            this.frame = frame;
            this.bytes = bytes;
            this.what = what;
            this.certainlyMalformed = certainlyMalformed;
        }

        Damage last()
        {
            last = true;
            return this;
        }
    }

    /**
     * The frames a scripted server sends after the logon, with what the client has of them before each.
     */
    private final class Stream
    {
        final List<byte[]> frames = new ArrayList<>();
        int[] reportsBefore = new int[0];
        long[] channelSeqBefore = new long[0];

        void add(final byte[] frame, final int reports, final long channelSeq)
        {
            frames.add(frame);
            reportsBefore = Arrays.copyOf(reportsBefore, frames.size());
            channelSeqBefore = Arrays.copyOf(channelSeqBefore, frames.size());
            reportsBefore[frames.size() - 1] = reports;
            // Before the snapshot the book is stale: -1.
            channelSeqBefore[frames.size() - 1] = frames.size() == 1 ? -1 : channelSeq;
        }

        byte[] bytes(final Damage damage)
        {
            final List<byte[]> sent = new ArrayList<>(frames);
            if (damage != null)
            {
                sent.set(damage.frame, damage.bytes);
                if (damage.last)
                {
                    sent.subList(damage.frame + 1, sent.size()).clear();
                }
            }
            int length = 0;
            for (final byte[] frame : sent)
            {
                length += frame.length;
            }
            final byte[] all = new byte[length];
            int at = 0;
            for (final byte[] frame : sent)
            {
                System.arraycopy(frame, 0, all, at, frame.length);
                at += frame.length;
            }
            return all;
        }

        void snapshot()
        {
            final MarketDataSnapshotEncoder snapshot = new MarketDataSnapshotEncoder()
                .wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .channelSeq(10).sequence(1).market(MARKET);
            snapshot.bidsCount(2).next().priceTicks(100).sizeLots(5).next().priceTicks(99).sizeLots(3);
            snapshot.asksCount(1).next().priceTicks(110).sizeLots(7);
            add(ServerFrameFuzzSystemTest.this.frames.frame(MessageHeaderEncoder.ENCODED_LENGTH +
                snapshot.encodedLength()), 0, -1);
        }

        private byte[] frame(final int messageLength)
        {
            return ServerFrameFuzzSystemTest.this.frames.frame(MessageHeaderEncoder.ENCODED_LENGTH + messageLength);
        }

        byte[] bookUpdate(final long channelSeq, final Side side, final long priceTicks, final long sizeLots)
        {
            return frame(new MarketDataBookUpdateEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH,
                header).channelSeq(channelSeq).sequence(channelSeq).priceTicks(priceTicks).sizeLots(sizeLots)
                .market(MARKET).side(side).encodedLength());
        }

        byte[] marketTrade(final long channelSeq)
        {
            return frame(new MarketDataTradeEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH,
                header).channelSeq(channelSeq).sequence(channelSeq).tradeId(channelSeq).priceTicks(105).sizeLots(1)
                .transactTimeNs(1).market(MARKET).aggressorSide(Side.BUY).encodedLength());
        }

        byte[] executionNew(final long seqNo, final long sequence, final long orderId)
        {
            return frame(new ExecutionNewEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .seqNo(seqNo).sequence(sequence).eventIndex(0).orderId(orderId).clientOrderId(orderId).priceTicks(100)
                .sizeLots(1).market(MARKET).side(Side.BUY).encodedLength());
        }

        byte[] executionTrade(final long seqNo, final long sequence)
        {
            return frame(new ExecutionTradeEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .seqNo(seqNo).sequence(sequence).eventIndex(0).orderId(1).clientOrderId(1).tradeId(sequence)
                .priceTicks(100).sizeLots(1).leavesLots(0).market(MARKET).side(Side.SELL).encodedLength());
        }

        byte[] businessReject(final long seqNo, final String text)
        {
            return frame(new BusinessRejectEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .seqNo(seqNo).refSeqNo(seqNo).clientOrderId(seqNo).code(BusinessRejectCode.INVALID_VALUE)
                .orderId(BusinessRejectEncoder.orderIdNullValue()).orderStatus(OrderStatus.NULL_VAL).text(text)
                .encodedLength());
        }

        byte[] operatorAck(final long seqNo)
        {
            return frame(new OperatorAckEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .seqNo(seqNo).refSeqNo(seqNo).sequence(1).transactTimeNs(1).encodedLength());
        }

        byte[] heartbeat()
        {
            return frame(new SequenceEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .nextSeqNo(1).encodedLength());
        }

        byte[] marketDataReject()
        {
            return frame(new MarketDataRejectEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH,
                header).market(MARKET + 1).code(MarketDataRejectCode.UNKNOWN_MARKET).encodedLength());
        }
    }

    /**
     * What the listener saw. Each callback reads every field of its message, texts included, as an application
     * would: a message that runs past its frame would have it read another's bytes, or beyond the buffer.
     */
    private static final class Outcome implements ClientListener
    {
        String reason;
        int reports;
        boolean markerSeen;
        boolean bookStale;
        long channelSeq;
        int books;
        final List<Integer> snapshots = new ArrayList<>();
        Throwable failure;

        @Override
        public void onSnapshot(final LocalOrderBook book)
        {
            snapshots.add(book.market());
        }

        private void check(final Runnable read)
        {
            if (reason != null)
            {
                failure = new AssertionError("a callback after onDisconnected");
            }
            try
            {
                read.run();
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
        }

        @Override
        public void onExecutionNew(final ExecutionNewDecoder report)
        {
            reports++;
            check(() -> markerSeen |= report.orderId() == MARKER_ORDER_ID && report.sideRaw() >= 0);
        }

        @Override
        public void onExecutionTrade(final ExecutionTradeDecoder report)
        {
            reports++;
            check(() -> report.sideRaw());
        }

        @Override
        public void onBusinessReject(final BusinessRejectDecoder reject)
        {
            check(() -> reject.text());
        }

        @Override
        public void onOperatorAck(final OperatorAckDecoder ack)
        {
            check(() -> ack.detail());
        }

        @Override
        public void onRetransmission(final RetransmissionDecoder retransmission)
        {
            check(() -> retransmission.completeRaw());
        }

        @Override
        public void onBookUpdate(final LocalOrderBook book, final MarketDataBookUpdateDecoder update)
        {
            check(() -> update.sideRaw());
        }

        @Override
        public void onMarketTrade(final LocalOrderBook book, final MarketDataTradeDecoder trade)
        {
            check(() -> trade.aggressorSideRaw());
        }

        @Override
        public void onTerminated(final TerminationCode code, final String text)
        {
            check(() -> text.length());
        }

        @Override
        public void onDisconnected(final String reason)
        {
            this.reason = reason;
        }
    }
}
