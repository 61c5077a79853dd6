package io.rollbook.gateway.system;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.PrivateKey;
import java.util.concurrent.TimeUnit;

import io.rollbook.protocol.auth.NegotiationSignature;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.BooleanType;
import io.rollbook.protocol.orderentry.ChallengeDecoder;
import io.rollbook.protocol.orderentry.EstablishEncoder;
import io.rollbook.protocol.orderentry.EstablishmentAckDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateEncoder;
import io.rollbook.protocol.orderentry.NegotiationResponseDecoder;
import io.rollbook.protocol.orderentry.TerminateDecoder;
import io.rollbook.protocol.orderentry.MarginMode;
import io.rollbook.protocol.orderentry.NewOrderEncoder;
import io.rollbook.protocol.orderentry.OrderType;
import io.rollbook.protocol.orderentry.SelfTradePrevention;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A blocking order-entry connection for system tests that need frames the client library never sends (sequence
 * gaps, a Sequence moving backwards): logs on by hand, then sends and reads raw SBE messages.
 */
final class RawSession implements AutoCloseable
{
    final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    final MessageHeaderDecoder header = new MessageHeaderDecoder();
    final UnsafeBuffer send = new UnsafeBuffer(new byte[1024]);
    final UnsafeBuffer received = new UnsafeBuffer(new byte[1 << 16]);
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final byte[] nonce = new byte[NegotiationSignature.NONCE_LENGTH];
    long lastJournalSequence;

    RawSession(final int port) throws IOException
    {
        this(port, 0);
    }

    /**
     * @param receiveBufferBytes the socket's receive buffer, 0 for the default: a small one makes a client that
     *                           does not read a slow consumer sooner
     */
    RawSession(final int port, final int receiveBufferBytes) throws IOException
    {
        socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        if (read() != ChallengeDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("no challenge");
        }
        new ChallengeDecoder().wrap(received, MessageHeaderEncoder.ENCODED_LENGTH, header.blockLength(), header.version())
            .getNonce(nonce, 0, nonce.length);
    }

    /**
     * Negotiates and establishes with the given client nextSeqNo and keep-alive; no dead-man timer, no cancel on
     * disconnect.
     */
    RawSession logon(final int account, final PrivateKey key, final long nextSeqNo, final long keepAliveMs) throws IOException
    {
        return logon(account, key, nextSeqNo, keepAliveMs, false);
    }

    /**
     * Negotiates and establishes with the given client nextSeqNo, keep-alive and cancel-on-disconnect.
     */
    RawSession logon(
        final int account, final PrivateKey key, final long nextSeqNo, final long keepAliveMs, final boolean cancelOnDisconnect)
        throws IOException
    {
        final long high = 0x5EED_0000L + account;
        final long low = System.nanoTime();
        final long timestampNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        final byte[] signature = NegotiationSignature.sign(key, nonce, high, low, account, timestampNs);
        new NegotiateEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .sessionIdHigh(high).sessionIdLow(low).timestampNs(timestampNs).account(account)
            .putSignature(signature, 0, signature.length);
        send(NegotiateEncoder.BLOCK_LENGTH);
        expect(NegotiationResponseDecoder.TEMPLATE_ID);
        new EstablishEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .sessionIdHigh(high).sessionIdLow(low).nextSeqNo(nextSeqNo).keepAliveIntervalMs(keepAliveMs)
            .deadManTimeoutMs(0).cancelOnDisconnect(cancelOnDisconnect ? BooleanType.TRUE : BooleanType.FALSE);
        send(EstablishEncoder.BLOCK_LENGTH);
        expect(EstablishmentAckDecoder.TEMPLATE_ID);
        lastJournalSequence = new EstablishmentAckDecoder().wrap(received, MessageHeaderEncoder.ENCODED_LENGTH,
            header.blockLength(), header.version()).lastJournalSequence();
        return this;
    }

    /**
     * Sends a cross-margin GTC limit order with the account's default self-trade prevention.
     */
    void sendLimitOrder(
        final long seqNo, final long clientOrderId, final int market, final Side side, final long priceTicks,
        final long sizeLots) throws IOException
    {
        final NewOrderEncoder order = new NewOrderEncoder().wrapAndApplyHeader(send, 0, headerEncoder)
            .seqNo(seqNo).clientOrderId(clientOrderId).priceTicks(priceTicks).sizeLots(sizeLots).market(market)
            .side(side).orderType(OrderType.LIMIT).timeInForce(TimeInForce.GTC).marginMode(MarginMode.CROSS)
            .selfTradePrevention(SelfTradePrevention.ACCOUNT_DEFAULT);
        order.flags().clear();
        send(NewOrderEncoder.BLOCK_LENGTH);
    }

    /**
     * Frames and sends the message encoded at the start of {@link #send}.
     */
    void send(final int blockLength) throws IOException
    {
        send(blockLength, 1);
    }

    /**
     * Frames the message encoded at the start of {@link #send} {@code times} over and sends them in one write, so
     * that the server reads them all at once.
     */
    void send(final int blockLength, final int times) throws IOException
    {
        final int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + blockLength;
        final int frameLength = SimpleOpenFraming.HEADER_LENGTH + messageLength;
        final byte[] frames = new byte[frameLength * times];
        final UnsafeBuffer framed = new UnsafeBuffer(frames);
        for (int i = 0; i < times; i++)
        {
            SimpleOpenFraming.writeHeader(framed, i * frameLength, frameLength);
            framed.putBytes(i * frameLength + SimpleOpenFraming.HEADER_LENGTH, send, 0, messageLength);
        }
        out.write(frames);
        out.flush();
    }

    /**
     * Reads the next frame into {@link #received} (the SBE header at 0).
     *
     * @return its template id, or -1 once the server has closed the connection
     */
    int read() throws IOException
    {
        final byte[] framing = new byte[SimpleOpenFraming.HEADER_LENGTH];
        try
        {
            in.readFully(framing);
        }
        catch (final EOFException ex)
        {
            return -1;
        }
        final int frameLength = SimpleOpenFraming.frameLength(new UnsafeBuffer(framing), 0);
        final byte[] message = new byte[frameLength - SimpleOpenFraming.HEADER_LENGTH];
        in.readFully(message);
        received.putBytes(0, message);
        header.wrap(received, 0);
        return header.templateId();
    }

    /**
     * Reads frames until one of the template arrives, skipping heartbeats.
     */
    void expect(final int templateId) throws IOException
    {
        int read;
        while ((read = read()) == io.rollbook.protocol.orderentry.SequenceDecoder.TEMPLATE_ID)
        {
            continue;
        }
        if (read != templateId)
        {
            throw new IllegalStateException("expected template " + templateId + ", got " + read);
        }
    }

    /**
     * Reads until the server's Terminate, and then its close.
     *
     * @return the Terminate as "CODE text"
     */
    String awaitTermination() throws IOException
    {
        expect(TerminateDecoder.TEMPLATE_ID);
        final TerminateDecoder terminate = new TerminateDecoder().wrap(received, MessageHeaderEncoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
        final String answer = terminate.code() + " " + terminate.text();
        try
        {
            if (read() != -1)
            {
                throw new IllegalStateException("a frame after Terminate");
            }
        }
        catch (final SocketTimeoutException ex)
        {
            throw new IllegalStateException("the server did not close after Terminate", ex);
        }
        return answer;
    }

    /**
     * Reads what a connection refused at accept gets: one Terminate of no session, then the end of the stream.
     *
     * @return the Terminate as "CODE text"
     */
    static String refusal(final Socket socket) throws IOException
    {
        final DataInputStream in = new DataInputStream(socket.getInputStream());
        final byte[] framing = new byte[SimpleOpenFraming.HEADER_LENGTH];
        in.readFully(framing);
        final byte[] message = new byte[SimpleOpenFraming.frameLength(new UnsafeBuffer(framing), 0) -
            SimpleOpenFraming.HEADER_LENGTH];
        in.readFully(message);
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        if (header.templateId() != TerminateDecoder.TEMPLATE_ID)
        {
            throw new IllegalStateException("expected a Terminate, got template " + header.templateId());
        }
        final TerminateDecoder terminate = new TerminateDecoder().wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH,
            header.blockLength(), header.version());
        if (terminate.sessionIdHigh() != 0 || terminate.sessionIdLow() != 0)
        {
            throw new IllegalStateException("a refusal belongs to no session");
        }
        final String answer = terminate.code() + " " + terminate.text();
        if (in.read() != -1)
        {
            throw new IllegalStateException("bytes after the Terminate");
        }
        return answer;
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
