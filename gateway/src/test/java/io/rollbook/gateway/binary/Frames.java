package io.rollbook.gateway.binary;

import java.util.SplittableRandom;

import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.AmendOrderEncoder;
import io.rollbook.protocol.orderentry.CancelOrderEncoder;
import io.rollbook.protocol.orderentry.EstablishEncoder;
import io.rollbook.protocol.orderentry.ExecutionNewEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestEncoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeEncoder;
import io.rollbook.protocol.orderentry.MassCancelEncoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateEncoder;
import io.rollbook.protocol.orderentry.NewOrderEncoder;
import io.rollbook.protocol.orderentry.OperatorDepositEncoder;
import io.rollbook.protocol.orderentry.RetransmitRequestEncoder;
import io.rollbook.protocol.orderentry.SequenceEncoder;
import io.rollbook.protocol.orderentry.TerminateEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Client frames for tests: well-formed ones with random field values (some out of range on purpose), and mutations
 * of them.
 */
final class Frames
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final SplittableRandom random;

    Frames(final SplittableRandom random)
    {
        this.random = random;
    }

    private byte[] frame(final int messageLength)
    {
        final int frameLength = SimpleOpenFraming.HEADER_LENGTH + messageLength;
        SimpleOpenFraming.writeHeader(buffer, 0, frameLength);
        final byte[] bytes = new byte[frameLength];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private int body(final int blockLength)
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + blockLength;
    }

    private long anyLong()
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextLong();
            case 1:
                return random.nextInt(1000);
            case 2:
                return Long.MIN_VALUE;
            default:
                return -random.nextInt(1000);
        }
    }

    private int market()
    {
        return random.nextInt(6) == 0 ? random.nextInt() : 1 + random.nextInt(2);
    }

    byte[] newOrder(final long seqNo)
    {
        final NewOrderEncoder e = new NewOrderEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .seqNo(seqNo)
            .clientOrderId(random.nextInt(3) == 0 ? anyLong() : random.nextInt(50))
            .priceTicks(random.nextInt(4) == 0 ? anyLong() : 1 + random.nextInt(1000))
            .sizeLots(random.nextInt(4) == 0 ? anyLong() : 1 + random.nextInt(100))
            .market(market());
        final int at = SimpleOpenFraming.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;
        buffer.putByte(at + NewOrderEncoder.sideEncodingOffset(), smallEnum(2));
        buffer.putByte(at + NewOrderEncoder.orderTypeEncodingOffset(), smallEnum(2));
        buffer.putByte(at + NewOrderEncoder.timeInForceEncodingOffset(), smallEnum(3));
        buffer.putByte(at + NewOrderEncoder.flagsEncodingOffset(), smallEnum(4));
        buffer.putByte(at + NewOrderEncoder.marginModeEncodingOffset(), smallEnum(2));
        buffer.putByte(at + NewOrderEncoder.selfTradePreventionEncodingOffset(), smallEnum(4));
        return frame(body(e.encodedLength()));
    }

    private byte smallEnum(final int valid)
    {
        return (byte)(random.nextInt(8) == 0 ? random.nextInt(256) : random.nextInt(valid));
    }

    byte[] cancel(final long seqNo)
    {
        final CancelOrderEncoder e = new CancelOrderEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH,
            header).seqNo(seqNo).orderId(random.nextBoolean() ? CancelOrderEncoder.orderIdNullValue() : anyLong())
            .clientOrderId(random.nextInt(50)).market(random.nextBoolean() ? CancelOrderEncoder.marketNullValue() : market());
        return frame(body(e.encodedLength()));
    }

    byte[] amend(final long seqNo)
    {
        final AmendOrderEncoder e = new AmendOrderEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH,
            header).seqNo(seqNo).orderId(AmendOrderEncoder.orderIdNullValue()).clientOrderId(random.nextInt(50))
            .priceTicks(anyLong()).sizeLots(anyLong()).market(market());
        return frame(body(e.encodedLength()));
    }

    byte[] massCancel(final long seqNo)
    {
        final MassCancelEncoder e = new MassCancelEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH,
            header).seqNo(seqNo).market(random.nextBoolean() ? MassCancelEncoder.marketNullValue() : market());
        buffer.putByte(SimpleOpenFraming.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            MassCancelEncoder.sideEncodingOffset(), (byte)(random.nextInt(4) == 0 ? random.nextInt(256) : 255));
        return frame(body(e.encodedLength()));
    }

    byte[] operatorDeposit(final long seqNo)
    {
        final OperatorDepositEncoder e = new OperatorDepositEncoder().wrapAndApplyHeader(buffer,
            SimpleOpenFraming.HEADER_LENGTH, header).seqNo(seqNo).account(random.nextInt(100)).amountMicros(anyLong());
        return frame(body(e.encodedLength()));
    }

    byte[] retransmitRequest()
    {
        final RetransmitRequestEncoder e = new RetransmitRequestEncoder().wrapAndApplyHeader(buffer,
            SimpleOpenFraming.HEADER_LENGTH, header).afterSequence(anyLong()).afterEventIndex(random.nextInt(65536))
            .maxCount(random.nextInt(65536));
        return frame(body(e.encodedLength()));
    }

    byte[] subscribe()
    {
        final int length = random.nextBoolean() ?
            body(new MarketDataSubscribeEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .market(market()).encodedLength()) :
            body(new MarketDataSnapshotRequestEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
                .market(market()).encodedLength());
        return frame(length);
    }

    byte[] sequence(final long nextSeqNo)
    {
        return frame(body(new SequenceEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .nextSeqNo(nextSeqNo).encodedLength()));
    }

    byte[] negotiate(final long high, final long low, final int account, final long timestampNs, final byte[] signature)
    {
        return frame(body(new NegotiateEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .sessionIdHigh(high).sessionIdLow(low).timestampNs(timestampNs).account(account)
            .putSignature(signature, 0, signature.length).encodedLength()));
    }

    byte[] establish(final long high, final long low, final long nextSeqNo, final long keepAliveMs, final long deadManMs)
    {
        final EstablishEncoder e = new EstablishEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .sessionIdHigh(high).sessionIdLow(low).nextSeqNo(nextSeqNo).keepAliveIntervalMs(keepAliveMs)
            .deadManTimeoutMs(deadManMs);
        buffer.putByte(SimpleOpenFraming.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            EstablishEncoder.cancelOnDisconnectEncodingOffset(), smallEnum(2));
        return frame(body(e.encodedLength()));
    }

    byte[] terminate()
    {
        final TerminateEncoder e = new TerminateEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .sessionIdHigh(0).sessionIdLow(0).code(io.rollbook.protocol.orderentry.TerminationCode.FINISHED).text("bye");
        return frame(body(e.encodedLength()));
    }

    byte[] serverMessage()
    {
        return frame(body(new ExecutionNewEncoder().wrapAndApplyHeader(buffer, SimpleOpenFraming.HEADER_LENGTH, header)
            .seqNo(1).encodedLength()));
    }

    /**
     * @return any client message with a random seqNo
     */
    byte[] anyMessage()
    {
        final long seqNo = random.nextInt(5);
        switch (random.nextInt(12))
        {
            case 0:
                return newOrder(seqNo);
            case 1:
                return cancel(seqNo);
            case 2:
                return amend(seqNo);
            case 3:
                return massCancel(seqNo);
            case 4:
                return operatorDeposit(seqNo);
            case 5:
                return retransmitRequest();
            case 6:
                return subscribe();
            case 7:
                return sequence(seqNo);
            case 8:
                final byte[] signature = new byte[64];
                random.nextBytes(signature);
                return negotiate(random.nextLong(), random.nextLong(), random.nextInt(20), System.currentTimeMillis() *
                    1_000_000, signature);
            case 9:
                return establish(random.nextLong(), random.nextLong(), random.nextInt(3), random.nextInt(100_000),
                    random.nextInt(100_000));
            case 10:
                return terminate();
            default:
                return serverMessage();
        }
    }

    /**
     * @return the frame with a few bytes changed, cut short, lengthened, or with a header field changed
     */
    byte[] mutate(final byte[] frame)
    {
        final byte[] copy = frame.clone();
        switch (random.nextInt(7))
        {
            case 0:
                for (int i = 0; i < 1 + random.nextInt(3); i++)
                {
                    copy[random.nextInt(copy.length)] = (byte)random.nextInt(256);
                }
                return copy;
            case 1:
                return java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
            case 2:
            {
                final byte[] longer = java.util.Arrays.copyOf(copy, copy.length + 1 + random.nextInt(20));
                new UnsafeBuffer(longer).putInt(0, longer.length, java.nio.ByteOrder.BIG_ENDIAN);
                return longer;
            }
            case 3:
                new UnsafeBuffer(copy).putInt(0, random.nextInt(), java.nio.ByteOrder.BIG_ENDIAN);
                return copy;
            case 4:
                copy[4 + random.nextInt(2)] = (byte)random.nextInt(256);
                return copy;
            case 5:
                copy[SimpleOpenFraming.HEADER_LENGTH + random.nextInt(8)] = (byte)random.nextInt(256);
                return copy;
            default:
                final byte[] noise = new byte[1 + random.nextInt(64)];
                random.nextBytes(noise);
                return noise;
        }
    }
}
