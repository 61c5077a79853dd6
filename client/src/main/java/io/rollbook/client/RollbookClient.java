package io.rollbook.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.rollbook.protocol.auth.NegotiationSignature;
import io.rollbook.protocol.framing.OrderEntryTemplates;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.AmendOrderEncoder;
import io.rollbook.protocol.orderentry.BooleanType;
import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.CancelOrderEncoder;
import io.rollbook.protocol.orderentry.ChallengeDecoder;
import io.rollbook.protocol.orderentry.EstablishEncoder;
import io.rollbook.protocol.orderentry.EstablishmentAckDecoder;
import io.rollbook.protocol.orderentry.EstablishmentRejectDecoder;
import io.rollbook.protocol.orderentry.ExecutionAmendedDecoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.MarginMode;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateDecoder;
import io.rollbook.protocol.orderentry.MarketDataRejectDecoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotDecoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestEncoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeEncoder;
import io.rollbook.protocol.orderentry.MarketDataTradeDecoder;
import io.rollbook.protocol.orderentry.MassCancelEncoder;
import io.rollbook.protocol.orderentry.MassCancelReportDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateEncoder;
import io.rollbook.protocol.orderentry.NegotiationRejectDecoder;
import io.rollbook.protocol.orderentry.NegotiationResponseDecoder;
import io.rollbook.protocol.orderentry.NewOrderEncoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.OperatorDepositEncoder;
import io.rollbook.protocol.orderentry.OperatorFundingTickEncoder;
import io.rollbook.protocol.orderentry.OperatorOraclePriceEncoder;
import io.rollbook.protocol.orderentry.OperatorWithdrawEncoder;
import io.rollbook.protocol.orderentry.OrderType;
import io.rollbook.protocol.orderentry.RetransmissionDecoder;
import io.rollbook.protocol.orderentry.RetransmitRequestEncoder;
import io.rollbook.protocol.orderentry.SelfTradePrevention;
import io.rollbook.protocol.orderentry.SequenceEncoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TerminateDecoder;
import io.rollbook.protocol.orderentry.TerminateEncoder;
import io.rollbook.protocol.orderentry.TerminationCode;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.agrona.BufferUtil;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A market maker's connection to Rollbook's binary gateway (docs/ORDER-ENTRY.md): one TCP connection, one order
 * entry session on it, and any number of market data subscriptions with a {@link LocalOrderBook} each.
 *
 * <p><b>Threading.</b> Single-threaded and poll-driven, with no thread of its own: the application calls
 * {@link #poll()} (or {@link #poll(long)}) often enough — at least every keep-alive interval — and receives its
 * callbacks there. Every method, {@link #close()} and the getters included, and every {@link LocalOrderBook} it
 * keeps, belong to that one thread: nothing here is safe to call or read from another (a shutdown hook that wants
 * the connection closed must ask the polling thread to do it). Sends are buffered; {@link #flush()} (or the next
 * poll) writes them, so a burst of orders goes out in one system call. A send returns the message's seqNo, or
 * {@link #BACK_PRESSURED} when the send buffer is full (poll, then send again) or {@link #CLOSED}. Nothing is
 * allocated per message. A callback may send and may {@link #close()}; it may not poll, await or log on (an
 * {@link IllegalStateException}): the frames being delivered are still in the receive buffer.
 *
 * <p><b>Sequence tracking.</b> The client checks that the server numbers its application messages one by one and
 * remembers the journal position of the last execution report it delivered ({@link #lastPosition()}). Reconnect
 * with {@link Logon#resumeAfter} set to it: logon then has every later report retransmitted from the journal and
 * delivers them, in order and exactly once, before any live report (live ones arriving meanwhile are held, up to
 * {@link Logon#maxHeldBytes}).
 *
 * <p><b>Market data.</b> {@link #subscribe} asks for a market's snapshot and increments; the client applies them to
 * the market's book in channel sequence order, and on a gap marks the book stale and asks for a new snapshot. A
 * connection that subscribes without logging on keeps itself alive like a session, with
 * {@link #marketDataKeepAliveMs}: it sends Sequence when idle and drops a server that has gone silent, so that a
 * dead server is told from a quiet market.
 */
public final class RollbookClient implements AutoCloseable
{
    public static final long BACK_PRESSURED = -1;
    public static final long CLOSED = -2;

    private static final int SEND_CAPACITY = 1 << 20;
    private static final int RECEIVE_CAPACITY = 8 << 20;
    private static final int AFTER_ALL_EVENTS = 0xFFFF;
    /** A retransmission the server was too busy to serve is asked for again after this pause, within the logon. */
    private static final long RETRANSMIT_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A server that never stops sending must not keep the caller from sending in turn. */
    private static final int MAX_READS_PER_POLL = 16;

    private static final int CONNECTED = 0;
    private static final int NEGOTIATING = 1;
    private static final int NEGOTIATED = 2;
    private static final int ESTABLISHING = 3;
    private static final int ESTABLISHED = 4;
    private static final int ENDED = 5;

    private final SocketChannel channel;
    private final Selector selector;
    private final ClientListener listener;
    private final ByteBuffer sendBytes = ByteBuffer.allocateDirect(SEND_CAPACITY);
    private final UnsafeBuffer send = new UnsafeBuffer(sendBytes);
    private final ByteBuffer receiveBytes = ByteBuffer.allocateDirect(RECEIVE_CAPACITY);
    private final UnsafeBuffer receive = new UnsafeBuffer(receiveBytes);
    private final ExpandableDirectByteBuffer held = new ExpandableDirectByteBuffer(64 * 1024);
    private final Int2ObjectHashMap<LocalOrderBook> books = new Int2ObjectHashMap<>();

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final NegotiateEncoder negotiate = new NegotiateEncoder();
    private final EstablishEncoder establish = new EstablishEncoder();
    private final SequenceEncoder sequence = new SequenceEncoder();
    private final TerminateEncoder terminate = new TerminateEncoder();
    private final RetransmitRequestEncoder retransmitRequest = new RetransmitRequestEncoder();
    private final NewOrderEncoder newOrder = new NewOrderEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final AmendOrderEncoder amendOrder = new AmendOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final MarketDataSubscribeEncoder subscribe = new MarketDataSubscribeEncoder();
    private final MarketDataSnapshotRequestEncoder snapshotRequest = new MarketDataSnapshotRequestEncoder();
    private final OperatorDepositEncoder operatorDeposit = new OperatorDepositEncoder();
    private final OperatorWithdrawEncoder operatorWithdraw = new OperatorWithdrawEncoder();
    private final OperatorOraclePriceEncoder operatorOraclePrice = new OperatorOraclePriceEncoder();
    private final OperatorFundingTickEncoder operatorFundingTick = new OperatorFundingTickEncoder();

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ChallengeDecoder challenge = new ChallengeDecoder();
    private final NegotiationResponseDecoder negotiationResponse = new NegotiationResponseDecoder();
    private final NegotiationRejectDecoder negotiationReject = new NegotiationRejectDecoder();
    private final EstablishmentAckDecoder establishmentAck = new EstablishmentAckDecoder();
    private final EstablishmentRejectDecoder establishmentReject = new EstablishmentRejectDecoder();
    private final TerminateDecoder terminateIn = new TerminateDecoder();
    private final RetransmissionDecoder retransmission = new RetransmissionDecoder();
    private final ExecutionNewDecoder executionNew = new ExecutionNewDecoder();
    private final ExecutionTradeDecoder executionTrade = new ExecutionTradeDecoder();
    private final ExecutionRestedDecoder executionRested = new ExecutionRestedDecoder();
    private final ExecutionCanceledDecoder executionCanceled = new ExecutionCanceledDecoder();
    private final ExecutionAmendedDecoder executionAmended = new ExecutionAmendedDecoder();
    private final ExecutionRejectedDecoder executionRejected = new ExecutionRejectedDecoder();
    private final MassCancelReportDecoder massCancelReport = new MassCancelReportDecoder();
    private final BusinessRejectDecoder businessReject = new BusinessRejectDecoder();
    private final OperatorAckDecoder operatorAck = new OperatorAckDecoder();
    private final MarketDataSnapshotDecoder snapshot = new MarketDataSnapshotDecoder();
    private final MarketDataBookUpdateDecoder bookUpdate = new MarketDataBookUpdateDecoder();
    private final MarketDataTradeDecoder marketTrade = new MarketDataTradeDecoder();
    private final MarketDataRejectDecoder marketDataReject = new MarketDataRejectDecoder();

    private final byte[] nonce = new byte[NegotiationSignature.NONCE_LENGTH];
    private boolean challenged;
    /** The server's clock less this host's when the Challenge arrived: what a refused timestamp is told by. */
    private long serverClockAheadMs;
    private int state = CONNECTED;
    private String refusal;
    /** The logon in progress, which a refusal names what it sent of. */
    private Logon logon;
    private String retransmitRefusal;
    private String retransmitBusy;
    private long sessionIdHigh;
    private long sessionIdLow;
    private long nextSeqNo = 1;
    private long expectedServerSeqNo = 1;
    private long keepAliveNs = TimeUnit.SECONDS.toNanos(1);
    /** The longest the client stays silent before it sends a heartbeat. */
    private long heartbeatNs = keepAliveNs / 2;
    private boolean subscribed;
    private long lastSentNs;
    private long lastReceivedNs;
    private long lastJournalSequence;
    private long lastSequence;
    private int lastEventIndex;
    private boolean recovering;
    private int retransmitRemaining;
    /** When to ask again for a retransmission the server refused as busy; 0 when none is owed. */
    private long retransmitRetryAtNs;
    private boolean retransmitComplete;
    private long resumeSequence;
    private int resumeEventIndex;
    private int heldLength;
    private int maxHeldBytes;
    private int sendLength;
    private TerminationCode terminationCode;
    private String terminationText;
    private String disconnectReason;
    /** True while received frames are delivered: a listener callback is on the stack. */
    private boolean dispatching;
    private boolean closeRequested;
    private boolean buffersReleased;
    /** Books with a gap whose snapshot request found the send buffer full: asked for again on the next polls. */
    private int snapshotsOwed;

    private RollbookClient(final SocketChannel channel, final Selector selector, final ClientListener listener)
    {
        this.channel = channel;
        this.selector = selector;
        this.listener = listener;
        receiveBytes.order(ByteOrder.LITTLE_ENDIAN);
        lastReceivedNs = System.nanoTime();
        lastSentNs = lastReceivedNs;
    }

    /**
     * Connects and waits for the server's challenge.
     *
     * @param timeoutMs how long the TCP connect, and then the wait for the challenge, may each take
     * @throws ClientException          if the connection fails or no challenge comes within the timeout (the
     *                                  connection is then closed)
     * @throws IllegalArgumentException if {@code timeoutMs} is not positive
     */
    public static RollbookClient connect(
        final String host, final int port, final ClientListener listener, final long timeoutMs)
    {
        Objects.requireNonNull(listener, "listener");
        if (timeoutMs <= 0)
        {
            throw new IllegalArgumentException("timeoutMs must be positive, got " + timeoutMs);
        }
        SocketChannel channel = null;
        Selector selector = null;
        try
        {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(host, port), (int)Math.min(Integer.MAX_VALUE, timeoutMs));
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel, selector);
            throw new ClientException("cannot connect to " + host + ":" + port + ": " + ConnectFailures.reason(ex), ex);
        }
        final RollbookClient client = new RollbookClient(channel, selector, listener);
        try
        {
            client.await(() -> client.challenged, timeoutMs, "the server's challenge");
        }
        catch (final ClientException ex)
        {
            // The caller never gets this client: nobody else would close its socket and free its buffers.
            client.endQuietly(ex.getMessage());
            throw ex;
        }
        return client;
    }

    public static RollbookClient connect(final String host, final int port, final ClientListener listener)
    {
        return connect(host, port, listener, 10_000);
    }

    /**
     * Negotiates (signing the challenge) and establishes the session; with {@link Logon#resumeAfter} set, also
     * retransmits every report after that position, delivering them to the listener before this returns.
     *
     * @throws ClientException       naming the server's reject code, the timeout, or a resume position beyond the
     *                               server's journal or a retransmission the server refused; the connection is then
     *                               closed, whatever the reason (log on again on a new one)
     * @throws IllegalStateException if this connection began a logon before, or has ended
     */
    public void logon(final Logon logon)
    {
        if (state != CONNECTED)
        {
            throw new IllegalStateException(state == ENDED ? "the connection has ended: " + disconnectReason :
                "logon once per connection");
        }
        try
        {
            negotiateAndEstablish(logon);
        }
        catch (final ClientException ex)
        {
            // A connection left half logged on would take no orders, yet look open to a caller that reconnects
            // only once isOpen() turns false.
            if (state == ESTABLISHED)
            {
                close();
            }
            else
            {
                ended("logon failed: " + ex.getMessage());
            }
            throw ex;
        }
    }

    private void negotiateAndEstablish(final Logon logon)
    {
        final long deadlineMs = System.currentTimeMillis() + logon.timeoutMs();
        this.logon = logon;
        sessionIdHigh = logon.sessionId().getMostSignificantBits();
        sessionIdLow = logon.sessionId().getLeastSignificantBits();
        final long timestampNs = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        final byte[] signature = NegotiationSignature.sign(logon.key(), nonce, sessionIdHigh, sessionIdLow,
            logon.account(), timestampNs);
        int at = claim(NegotiateEncoder.BLOCK_LENGTH);
        negotiate.wrapAndApplyHeader(send, at, headerEncoder)
            .sessionIdHigh(sessionIdHigh)
            .sessionIdLow(sessionIdLow)
            .timestampNs(timestampNs)
            .account(logon.account())
            .putSignature(signature, 0, signature.length);
        state = NEGOTIATING;
        flush();
        await(() -> state != NEGOTIATING, remaining(deadlineMs), "the negotiation response");
        if (state != NEGOTIATED)
        {
            throw new ClientException(refusal != null ? refusal : "negotiation failed: " + describeEnd());
        }

        keepAliveNs = TimeUnit.MILLISECONDS.toNanos(logon.keepAliveMs());
        // Any message re-arms the server's dead-man timer: an idle client that polls must be heard within it, or the
        // timer meant for a hung client cancels the orders of a live one.
        heartbeatNs = logon.deadManTimeoutMs() == 0 ? keepAliveNs / 2 :
            Math.min(keepAliveNs, TimeUnit.MILLISECONDS.toNanos(logon.deadManTimeoutMs())) / 2;
        nextSeqNo = logon.nextSeqNo();
        at = claim(EstablishEncoder.BLOCK_LENGTH);
        establish.wrapAndApplyHeader(send, at, headerEncoder)
            .sessionIdHigh(sessionIdHigh)
            .sessionIdLow(sessionIdLow)
            .nextSeqNo(nextSeqNo)
            .keepAliveIntervalMs(logon.keepAliveMs())
            .deadManTimeoutMs(logon.deadManTimeoutMs())
            .cancelOnDisconnect(logon.cancelOnDisconnect() ? BooleanType.TRUE : BooleanType.FALSE);
        state = ESTABLISHING;
        flush();
        await(() -> state != ESTABLISHING, remaining(deadlineMs), "the establishment acknowledgement");
        if (state != ESTABLISHED)
        {
            throw new ClientException(refusal != null ? refusal : "establishment failed: " + describeEnd());
        }

        final JournalPosition resume = logon.resumeAfter();
        if (resume == null)
        {
            lastSequence = lastJournalSequence;
            lastEventIndex = AFTER_ALL_EVENTS;
            return;
        }
        if (JournalPosition.compare(resume.sequence(), resume.eventIndex(), lastJournalSequence, AFTER_ALL_EVENTS) > 0)
        {
            // Not a position of this server's history (another data directory, or a tail it lost): resuming
            // after it would drop every report up to it as already delivered.
            throw new ClientException("resume position " + resume + " is beyond the server's journal " +
                "(lastJournalSequence " + lastJournalSequence + ")");
        }
        lastSequence = resume.sequence();
        lastEventIndex = resume.eventIndex();
        if (JournalPosition.compare(resume.sequence(), resume.eventIndex(), lastJournalSequence, AFTER_ALL_EVENTS) < 0)
        {
            recovering = true;
            maxHeldBytes = logon.maxHeldBytes();
            requestRetransmission(resume.sequence(), resume.eventIndex());
            try
            {
                await(() -> !recovering, remaining(deadlineMs), "the retransmission");
            }
            catch (final ClientException ex)
            {
                // Part of the range may have been delivered: lastPosition() says where a new logon resumes.
                throw new ClientException(ex.getMessage() + (retransmitBusy == null ? "" :
                    " (the server last refused it: " + retransmitBusy + ")"));
            }
            if (retransmitRefusal != null)
            {
                throw new ClientException(retransmitRefusal);
            }
        }
    }

    private static long remaining(final long deadlineMs)
    {
        return Math.max(1, deadlineMs - System.currentTimeMillis());
    }

    private String describeEnd()
    {
        if (terminationCode != null)
        {
            return "terminated " + terminationCode + ": " + terminationText;
        }
        return disconnectReason != null ? disconnectReason : "no answer";
    }

    /**
     * Polls until the condition holds.
     *
     * @throws ClientException on timeout or if the connection ends first
     */
    public void await(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (state == ENDED && !condition.getAsBoolean())
            {
                throw new ClientException("connection ended while waiting for " + what + ": " + describeEnd());
            }
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                throw new ClientException("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            poll(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 100));
        }
    }

    /**
     * Sends buffered messages, reads what has arrived and delivers it, sends a heartbeat when due.
     *
     * @return how many frames were handled
     */
    public int poll()
    {
        if (dispatching)
        {
            // The frames in the receive buffer are being delivered: reading on from here would deliver them again.
            throw new IllegalStateException("poll, await and logon cannot be called from a listener callback; " +
                "close and the sends can");
        }
        if (state == ENDED)
        {
            return 0;
        }
        if (snapshotsOwed > 0)
        {
            requestOwedSnapshots();
        }
        if (sendLength > 0)
        {
            flush();
        }
        int work = 0;
        try
        {
            for (int reads = 0; reads < MAX_READS_PER_POLL && state != ENDED; reads++)
            {
                final int read = channel.read(receiveBytes);
                if (read < 0)
                {
                    ended("the server closed the connection");
                    break;
                }
                if (read == 0)
                {
                    break;
                }
                // A read that left room in the buffer emptied the socket: another read now would only return 0.
                final boolean drained = receiveBytes.hasRemaining();
                work += parse();
                if (drained)
                {
                    break;
                }
            }
        }
        catch (final IOException ex)
        {
            ended("connection failed: " + ex.getMessage());
        }
        if (retransmitRetryAtNs != 0 && state == ESTABLISHED && System.nanoTime() - retransmitRetryAtNs >= 0)
        {
            retransmitRetryAtNs = 0;
            requestRetransmission(lastSequence, lastEventIndex);
        }
        heartbeat();
        if (closeRequested)
        {
            close();
        }
        return work;
    }

    /**
     * Registers the connection with another selector for read readiness, so that a thread driving several clients
     * can wait until any of them has something to read; {@link #poll()} then reads it. The caller owns that selector
     * and its key.
     *
     * @throws ClientException if the connection is closed
     */
    public SelectionKey registerReadiness(final Selector readiness)
    {
        try
        {
            return channel.register(readiness, SelectionKey.OP_READ);
        }
        catch (final IOException ex)
        {
            throw new ClientException("cannot watch the connection: " + ex.getMessage(), ex);
        }
    }

    /**
     * Polls, waiting up to {@code timeoutMs} for something to arrive if nothing has.
     */
    public int poll(final long timeoutMs)
    {
        final int work = poll();
        if (work > 0 || state == ENDED)
        {
            return work;
        }
        try
        {
            selector.select(Math.max(1, timeoutMs));
            selector.selectedKeys().clear();
        }
        catch (final IOException ex)
        {
            ended("selector failed: " + ex.getMessage());
            return 0;
        }
        return poll();
    }

    private int parse()
    {
        final int filled = receiveBytes.position();
        int offset = 0;
        int frames = 0;
        dispatching = true;
        try
        {
            while (state != ENDED && filled - offset >= SimpleOpenFraming.HEADER_LENGTH)
            {
                final int frameLength = SimpleOpenFraming.frameLength(receive, offset);
                if (frameLength < SimpleOpenFraming.MIN_FRAME_LENGTH || frameLength > RECEIVE_CAPACITY)
                {
                    protocolError("the server sent a frame of " + frameLength + " bytes");
                    return frames;
                }
                if (filled - offset < frameLength)
                {
                    break;
                }
                lastReceivedNs = System.nanoTime();
                final int frameAt = offset;
                // Counted as consumed before it is delivered: a listener that throws must not have it delivered twice.
                offset += frameLength;
                frames++;
                onFrame(frameAt, frameLength);
            }
        }
        finally
        {
            dispatching = false;
            if (state == ENDED)
            {
                releaseBuffers();
            }
            if (state != ENDED && offset > 0)
            {
                receive.putBytes(0, receive, offset, filled - offset);
                receiveBytes.position(filled - offset);
            }
        }
        return frames;
    }

    private void onFrame(final int offset, final int frameLength)
    {
        if (SimpleOpenFraming.encodingType(receive, offset) != SimpleOpenFraming.ENCODING_TYPE_SBE_LITTLE_ENDIAN)
        {
            protocolError("the server sent encoding type " + SimpleOpenFraming.encodingType(receive, offset));
            return;
        }
        header.wrap(receive, offset + SimpleOpenFraming.HEADER_LENGTH);
        if (header.schemaId() != OrderEntryTemplates.SCHEMA_ID)
        {
            protocolError("the server sent schema " + header.schemaId());
            return;
        }
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        final int body = offset + SimpleOpenFraming.MIN_FRAME_LENGTH;
        final String malformed = ServerFrameCheck.problem(receive, body, offset + frameLength, templateId, blockLength,
            version);
        if (malformed != null)
        {
            protocolError(malformed);
            return;
        }
        switch (templateId)
        {
            case ChallengeDecoder.TEMPLATE_ID:
                if (challenged)
                {
                    outOfTurn(templateId);
                    return;
                }
                challenge.wrap(receive, body, blockLength, version).getNonce(nonce, 0, nonce.length);
                serverClockAheadMs = TimeUnit.NANOSECONDS.toMillis(challenge.serverTimeNs()) - System.currentTimeMillis();
                challenged = true;
                return;
            case NegotiationResponseDecoder.TEMPLATE_ID:
                if (state != NEGOTIATING)
                {
                    outOfTurn(templateId);
                    return;
                }
                state = NEGOTIATED;
                return;
            case NegotiationRejectDecoder.TEMPLATE_ID:
                if (state != NEGOTIATING)
                {
                    outOfTurn(templateId);
                    return;
                }
                refusal = LogonRefusals.negotiation(logon,
                    negotiationReject.wrap(receive, body, blockLength, version).codeRaw(), serverClockAheadMs);
                state = CONNECTED;
                return;
            case EstablishmentAckDecoder.TEMPLATE_ID:
                if (state != ESTABLISHING)
                {
                    outOfTurn(templateId);
                    return;
                }
                establishmentAck.wrap(receive, body, blockLength, version);
                lastJournalSequence = establishmentAck.lastJournalSequence();
                expectedServerSeqNo = establishmentAck.nextSeqNo();
                state = ESTABLISHED;
                return;
            case EstablishmentRejectDecoder.TEMPLATE_ID:
                if (state != ESTABLISHING)
                {
                    outOfTurn(templateId);
                    return;
                }
                refusal = LogonRefusals.establishment(logon,
                    establishmentReject.wrap(receive, body, blockLength, version));
                state = NEGOTIATED;
                return;
            case io.rollbook.protocol.orderentry.SequenceDecoder.TEMPLATE_ID:
                return;
            case TerminateDecoder.TEMPLATE_ID:
                terminateIn.wrap(receive, body, blockLength, version);
                terminationCode = ServerCodes.termination(terminateIn.codeRaw());
                terminationText = terminationCode == TerminationCode.NULL_VAL ?
                    "(code " + terminateIn.codeRaw() + ") " + terminateIn.text() : terminateIn.text();
                listener.onTerminated(terminationCode, terminationText);
                ended("terminated by the server: " + terminationCode + " " + terminationText);
                return;
            case RetransmissionDecoder.TEMPLATE_ID:
                if (!recovering)
                {
                    outOfTurn(templateId);
                    return;
                }
                onRetransmission(retransmission.wrap(receive, body, blockLength, version));
                return;
            case MarketDataSnapshotDecoder.TEMPLATE_ID:
                onSnapshot(snapshot.wrap(receive, body, blockLength, version));
                return;
            case MarketDataBookUpdateDecoder.TEMPLATE_ID:
                onBookUpdate(bookUpdate.wrap(receive, body, blockLength, version));
                return;
            case MarketDataTradeDecoder.TEMPLATE_ID:
                onMarketTrade(marketTrade.wrap(receive, body, blockLength, version));
                return;
            case MarketDataRejectDecoder.TEMPLATE_ID:
                marketDataReject.wrap(receive, body, blockLength, version);
                listener.onMarketDataReject(marketDataReject.market(),
                    ServerCodes.marketDataReject(marketDataReject.codeRaw()));
                return;
            default:
                break;
        }
        if (!isSequenced(templateId))
        {
            protocolError("the server sent template " + templateId);
            return;
        }
        final long seqNo = receive.getInt(body, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (seqNo != expectedServerSeqNo)
        {
            protocolError("the server sent seqNo " + seqNo + ", expected " + expectedServerSeqNo);
            return;
        }
        expectedServerSeqNo = (expectedServerSeqNo + 1) & 0xFFFF_FFFFL;
        if (templateId == BusinessRejectDecoder.TEMPLATE_ID)
        {
            listener.onBusinessReject(businessReject.wrap(receive, body, blockLength, version));
            if (recovering && businessReject.refSeqNo() == 0)
            {
                // During logon nothing but the RetransmitRequest was sent: this is its answer, and no reports follow.
                businessReject.wrap(receive, body, blockLength, version);
                final BusinessRejectCode code = ServerCodes.businessReject(businessReject.codeRaw());
                if (code == BusinessRejectCode.SYSTEM_BUSY)
                {
                    retransmitBusy = businessReject.text();
                    // Nothing of the range was sent: ask again from the last report delivered, until logon's deadline.
                    retransmitRetryAtNs = System.nanoTime() + RETRANSMIT_RETRY_NS;
                    return;
                }
                retransmitRefusal = "retransmission refused: " + ServerCodes.name(code, businessReject.codeRaw()) +
                    " " + businessReject.text();
                recovering = false;
            }
            return;
        }
        if (templateId == OperatorAckDecoder.TEMPLATE_ID)
        {
            listener.onOperatorAck(operatorAck.wrap(receive, body, blockLength, version));
            return;
        }
        if (retransmitRemaining > 0)
        {
            deliverReport(receive, body, templateId, blockLength, version);
            if (--retransmitRemaining == 0)
            {
                chunkDone();
            }
        }
        else if (recovering)
        {
            hold(offset, frameLength);
        }
        else
        {
            deliverReport(receive, body, templateId, blockLength, version);
        }
    }

    /**
     * A logon message the client is not waiting for: taken as it comes, it would reset the session's state (a
     * NegotiationResponse after the establishment turns heartbeats off, an EstablishmentAck the server's seqNo), and
     * a retransmission nobody asked for would have reports counted as its.
     */
    private void outOfTurn(final int templateId)
    {
        protocolError("the server sent template " + templateId + " out of turn" +
            (state == ESTABLISHED ? ", after the establishment" : ""));
    }

    private static boolean isSequenced(final int templateId)
    {
        return (templateId >= ExecutionNewDecoder.TEMPLATE_ID && templateId <= BusinessRejectDecoder.TEMPLATE_ID) ||
            templateId == OperatorAckDecoder.TEMPLATE_ID;
    }

    private void onRetransmission(final RetransmissionDecoder decoder)
    {
        // Raw: the enum's getter throws on a value the schema does not have, out of poll.
        final short complete = decoder.completeRaw();
        if (complete != BooleanType.TRUE.value() && complete != BooleanType.FALSE.value())
        {
            protocolError("the server sent a retransmission with complete " + complete);
            return;
        }
        retransmitComplete = complete == BooleanType.TRUE.value();
        retransmitRemaining = decoder.count();
        resumeSequence = decoder.resumeAfterSequence();
        resumeEventIndex = decoder.resumeAfterEventIndex();
        listener.onRetransmission(decoder);
        if (retransmitRemaining == 0)
        {
            chunkDone();
        }
    }

    private void chunkDone()
    {
        if (!retransmitComplete)
        {
            requestRetransmission(resumeSequence, resumeEventIndex);
            return;
        }
        recovering = false;
        int at = 0;
        while (at < heldLength)
        {
            final int frameLength = SimpleOpenFraming.frameLength(held, at);
            header.wrap(held, at + SimpleOpenFraming.HEADER_LENGTH);
            deliverReport(held, at + SimpleOpenFraming.MIN_FRAME_LENGTH, header.templateId(), header.blockLength(),
                header.version());
            at += frameLength;
        }
        heldLength = 0;
    }

    private void hold(final int offset, final int frameLength)
    {
        if (frameLength > maxHeldBytes - heldLength)
        {
            // Dropped, not delivered: the last position delivered stays where a new logon resumes.
            endQuietly("more than " + maxHeldBytes + " bytes of live reports arrived while the retransmission ran " +
                "(Logon.maxHeldBytes); log on again resuming after " + lastPosition() + " to have them retransmitted");
            return;
        }
        held.putBytes(heldLength, receive, offset, frameLength);
        heldLength += frameLength;
    }

    private void requestRetransmission(final long afterSequence, final int afterEventIndex)
    {
        final int at = claim(RetransmitRequestEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            protocolError("no room to ask for a retransmission");
            return;
        }
        retransmitRequest.wrapAndApplyHeader(send, at, headerEncoder)
            .afterSequence(afterSequence)
            .afterEventIndex(afterEventIndex)
            .maxCount(0);
        flush();
    }

    /**
     * Delivers a report once: one at or before the last delivered position is a duplicate and is dropped.
     */
    private void deliverReport(
        final org.agrona.DirectBuffer buffer, final int body, final int templateId, final int blockLength, final int version)
    {
        final long reportSequence;
        final int eventIndex;
        switch (templateId)
        {
            case ExecutionNewDecoder.TEMPLATE_ID:
                executionNew.wrap(buffer, body, blockLength, version);
                reportSequence = executionNew.sequence();
                eventIndex = executionNew.eventIndex();
                break;
            case ExecutionTradeDecoder.TEMPLATE_ID:
                executionTrade.wrap(buffer, body, blockLength, version);
                reportSequence = executionTrade.sequence();
                eventIndex = executionTrade.eventIndex();
                break;
            case ExecutionRestedDecoder.TEMPLATE_ID:
                executionRested.wrap(buffer, body, blockLength, version);
                reportSequence = executionRested.sequence();
                eventIndex = executionRested.eventIndex();
                break;
            case ExecutionCanceledDecoder.TEMPLATE_ID:
                executionCanceled.wrap(buffer, body, blockLength, version);
                reportSequence = executionCanceled.sequence();
                eventIndex = executionCanceled.eventIndex();
                break;
            case ExecutionAmendedDecoder.TEMPLATE_ID:
                executionAmended.wrap(buffer, body, blockLength, version);
                reportSequence = executionAmended.sequence();
                eventIndex = executionAmended.eventIndex();
                break;
            case ExecutionRejectedDecoder.TEMPLATE_ID:
                executionRejected.wrap(buffer, body, blockLength, version);
                reportSequence = executionRejected.sequence();
                eventIndex = executionRejected.eventIndex();
                break;
            case MassCancelReportDecoder.TEMPLATE_ID:
                massCancelReport.wrap(buffer, body, blockLength, version);
                reportSequence = massCancelReport.sequence();
                eventIndex = massCancelReport.eventIndex();
                break;
            default:
                return;
        }
        if (JournalPosition.compare(reportSequence, eventIndex, lastSequence, lastEventIndex) <= 0)
        {
            return;
        }
        lastSequence = reportSequence;
        lastEventIndex = eventIndex;
        switch (templateId)
        {
            case ExecutionNewDecoder.TEMPLATE_ID:
                listener.onExecutionNew(executionNew);
                break;
            case ExecutionTradeDecoder.TEMPLATE_ID:
                listener.onExecutionTrade(executionTrade);
                break;
            case ExecutionRestedDecoder.TEMPLATE_ID:
                listener.onExecutionRested(executionRested);
                break;
            case ExecutionCanceledDecoder.TEMPLATE_ID:
                listener.onExecutionCanceled(executionCanceled);
                break;
            case ExecutionAmendedDecoder.TEMPLATE_ID:
                listener.onExecutionAmended(executionAmended);
                break;
            case ExecutionRejectedDecoder.TEMPLATE_ID:
                listener.onExecutionRejected(executionRejected);
                break;
            default:
                listener.onMassCancelReport(massCancelReport);
                break;
        }
    }

    private void onSnapshot(final MarketDataSnapshotDecoder decoder)
    {
        // Only of a market subscribed or asked for, as its updates: one book each of any market the server named
        // would let it grow the client's memory without bound.
        final LocalOrderBook book = books.get(decoder.market());
        if (book == null)
        {
            return;
        }
        book.beginSnapshot(decoder.channelSeq(), decoder.sequence());
        for (final MarketDataSnapshotDecoder.BidsDecoder bid : decoder.bids())
        {
            book.snapshotLevel(0, bid.priceTicks(), bid.sizeLots());
        }
        for (final MarketDataSnapshotDecoder.AsksDecoder ask : decoder.asks())
        {
            book.snapshotLevel(1, ask.priceTicks(), ask.sizeLots());
        }
        book.endSnapshot();
        if (book.snapshotOwed())
        {
            book.snapshotOwed(false);
            snapshotsOwed--;
        }
        listener.onSnapshot(book);
    }

    private void onBookUpdate(final MarketDataBookUpdateDecoder decoder)
    {
        final short side = decoder.sideRaw();
        if (side != Side.BUY.value() && side != Side.SELL.value())
        {
            protocolError("the server sent a book update of market " + decoder.market() + " with side " + side);
            return;
        }
        final LocalOrderBook book = books.get(decoder.market());
        if (book != null && inSequence(book, decoder.channelSeq()))
        {
            book.set(side, decoder.priceTicks(), decoder.sizeLots(), decoder.channelSeq(), decoder.sequence());
            listener.onBookUpdate(book, decoder);
        }
    }

    private void onMarketTrade(final MarketDataTradeDecoder decoder)
    {
        final LocalOrderBook book = books.get(decoder.market());
        if (book != null && inSequence(book, decoder.channelSeq()))
        {
            book.advance(decoder.channelSeq(), decoder.sequence());
            listener.onMarketTrade(book, decoder);
        }
    }

    /**
     * @return true if the message is the next one on the book's channel; on a gap, the book turns stale and a new
     *         snapshot is requested
     */
    private boolean inSequence(final LocalOrderBook book, final long channelSeq)
    {
        if (book.isStale() || channelSeq <= book.channelSeq())
        {
            return false;
        }
        if (channelSeq != book.channelSeq() + 1)
        {
            final long expected = book.channelSeq() + 1;
            book.markStale();
            listener.onGap(book, expected, channelSeq);
            if (requestSnapshot(book.market()) < 0 && !book.snapshotOwed())
            {
                // Increments are ignored while the book is stale: nothing else would ever ask for this again.
                book.snapshotOwed(true);
                snapshotsOwed++;
            }
            return false;
        }
        return true;
    }

    private void requestOwedSnapshots()
    {
        for (final LocalOrderBook book : books.values())
        {
            if (book.snapshotOwed() && requestSnapshot(book.market()) >= 0)
            {
                book.snapshotOwed(false);
                snapshotsOwed--;
            }
        }
    }

    private LocalOrderBook bookFor(final int market)
    {
        LocalOrderBook book = books.get(market);
        if (book == null)
        {
            book = new LocalOrderBook(market);
            books.put(market, book);
        }
        return book;
    }

    /**
     * @return the market's book, or null if it was never subscribed
     */
    public LocalOrderBook book(final int market)
    {
        return books.get(market);
    }

    /**
     * Subscribes to a market's data: a snapshot, then increments. Needs no logon.
     *
     * @return 0 once the request is buffered, {@link #BACK_PRESSURED} (poll, then subscribe again) or {@link #CLOSED}
     */
    public long subscribe(final int market)
    {
        bookFor(market);
        final int at = claim(MarketDataSubscribeEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        subscribe.wrapAndApplyHeader(send, at, headerEncoder).market(market);
        if (!subscribed)
        {
            // The server's silence counts from now: before it, there was nothing it had to send.
            subscribed = true;
            lastReceivedNs = System.nanoTime();
        }
        return 0;
    }

    /**
     * The keep-alive interval of a connection that subscribes to market data without logging on (a logon sets the
     * session's own, {@link Logon#keepAliveMs}): the client sends Sequence after half an interval in which it sent
     * nothing, and drops a server it heard nothing from for three ({@link ClientListener#onDisconnected}). The
     * default, 1 s, is the server's default heartbeat ({@code gateway.marketDataHeartbeatMs}); it must not be
     * shorter than a third of the server's heartbeat, nor longer than twice its {@code gateway.marketDataTimeoutMs}.
     *
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException    after a logon began
     */
    public RollbookClient marketDataKeepAliveMs(final long intervalMs)
    {
        if (intervalMs <= 0)
        {
            throw new IllegalArgumentException("marketDataKeepAliveMs must be positive, got " + intervalMs);
        }
        if (state != CONNECTED && state != ENDED)
        {
            throw new IllegalStateException("a logged-on connection keeps the keep-alive its logon asked for");
        }
        keepAliveNs = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        heartbeatNs = keepAliveNs / 2;
        return this;
    }

    /**
     * Asks for a fresh snapshot of a market (the client does so itself on a gap). The server subscribes the
     * connection to a market it was not subscribed to, and the client keeps its book as for {@link #subscribe}.
     *
     * @return 0 once the request is buffered, {@link #BACK_PRESSURED} or {@link #CLOSED}
     */
    public long requestSnapshot(final int market)
    {
        // The server subscribes a connection to the market it asks a snapshot of: the book is kept from then on.
        bookFor(market);
        final int at = claim(MarketDataSnapshotRequestEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        snapshotRequest.wrapAndApplyHeader(send, at, headerEncoder).market(market);
        return 0;
    }

    /**
     * Sends a new order. Prices in ticks, sizes in lots of the market.
     *
     * @return the message's seqNo, {@link #BACK_PRESSURED} or {@link #CLOSED}
     */
    public long newOrder(
        final long clientOrderId,
        final int market,
        final Side side,
        final OrderType type,
        final TimeInForce timeInForce,
        final long priceTicks,
        final long sizeLots,
        final boolean postOnly,
        final boolean reduceOnly,
        final MarginMode marginMode,
        final SelfTradePrevention selfTradePrevention)
    {
        final int at = claim(NewOrderEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        final long seqNo = nextSeqNo();
        final NewOrderEncoder encoder = newOrder.wrapAndApplyHeader(send, at, headerEncoder)
            .seqNo(seqNo)
            .clientOrderId(clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .market(market)
            .side(side)
            .orderType(type)
            .timeInForce(timeInForce)
            .marginMode(marginMode)
            .selfTradePrevention(selfTradePrevention);
        encoder.flags().clear().postOnly(postOnly).reduceOnly(reduceOnly);
        return seqNo;
    }

    /**
     * A limit order in cross margin with the account's self-trade prevention mode.
     */
    public long newLimitOrder(
        final long clientOrderId,
        final int market,
        final Side side,
        final long priceTicks,
        final long sizeLots,
        final TimeInForce timeInForce)
    {
        return newOrder(clientOrderId, market, side, OrderType.LIMIT, timeInForce, priceTicks, sizeLots, false, false,
            MarginMode.CROSS, SelfTradePrevention.ACCOUNT_DEFAULT);
    }

    /**
     * Cancels by order id, or by client order id when {@code orderId} is {@link CancelOrderEncoder#orderIdNullValue()}.
     *
     * @param market the market the order must be in, or {@link CancelOrderEncoder#marketNullValue()}
     */
    public long cancel(final long orderId, final long clientOrderId, final int market)
    {
        final int at = claim(CancelOrderEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        final long seqNo = nextSeqNo();
        cancelOrder.wrapAndApplyHeader(send, at, headerEncoder)
            .seqNo(seqNo)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .market(market);
        return seqNo;
    }

    public long cancelByClientOrderId(final long clientOrderId, final int market)
    {
        return cancel(CancelOrderEncoder.orderIdNullValue(), clientOrderId, market);
    }

    /**
     * Amends a resting order (by order id, or by client order id when the order id is null): a new price and a new
     * total size.
     */
    public long amend(final long orderId, final long clientOrderId, final int market, final long priceTicks, final long sizeLots)
    {
        final int at = claim(AmendOrderEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        final long seqNo = nextSeqNo();
        amendOrder.wrapAndApplyHeader(send, at, headerEncoder)
            .seqNo(seqNo)
            .orderId(orderId)
            .clientOrderId(clientOrderId)
            .priceTicks(priceTicks)
            .sizeLots(sizeLots)
            .market(market);
        return seqNo;
    }

    /**
     * Cancels the account's orders, optionally of one market ({@link MassCancelEncoder#marketNullValue()} for all)
     * and one side ({@link Side#NULL_VAL} for both).
     */
    public long massCancel(final int market, final Side side)
    {
        final int at = claim(MassCancelEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        final long seqNo = nextSeqNo();
        massCancel.wrapAndApplyHeader(send, at, headerEncoder).seqNo(seqNo).market(market).side(side);
        return seqNo;
    }

    /**
     * Operator sessions only: credits collateral to an account.
     */
    public long operatorDeposit(final int account, final long amountMicros)
    {
        final int at = claim(OperatorDepositEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        final long seqNo = nextSeqNo();
        operatorDeposit.wrapAndApplyHeader(send, at, headerEncoder).seqNo(seqNo).account(account).amountMicros(amountMicros);
        return seqNo;
    }

    /**
     * Operator sessions only: debits collateral from an account.
     */
    public long operatorWithdraw(final int account, final long amountMicros)
    {
        final int at = claim(OperatorWithdrawEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        final long seqNo = nextSeqNo();
        operatorWithdraw.wrapAndApplyHeader(send, at, headerEncoder).seqNo(seqNo).account(account).amountMicros(amountMicros);
        return seqNo;
    }

    /**
     * Operator sessions only: a market's oracle price.
     */
    public long operatorOraclePrice(final int market, final long priceTicks)
    {
        final int at = claim(OperatorOraclePriceEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        final long seqNo = nextSeqNo();
        operatorOraclePrice.wrapAndApplyHeader(send, at, headerEncoder).seqNo(seqNo).market(market).priceTicks(priceTicks);
        return seqNo;
    }

    /**
     * Operator sessions only: one funding period of a market.
     */
    public long operatorFundingTick(final int market, final long ratePpb)
    {
        final int at = claim(OperatorFundingTickEncoder.BLOCK_LENGTH);
        if (at < 0)
        {
            return at;
        }
        final long seqNo = nextSeqNo();
        operatorFundingTick.wrapAndApplyHeader(send, at, headerEncoder).seqNo(seqNo).market(market).ratePpb(ratePpb);
        return seqNo;
    }

    private long nextSeqNo()
    {
        final long seqNo = nextSeqNo;
        nextSeqNo = (nextSeqNo + 1) & 0xFFFF_FFFFL;
        return seqNo;
    }

    /**
     * @return the seqNo the next application message will carry
     */
    public long peekNextSeqNo()
    {
        return nextSeqNo;
    }

    /**
     * Reserves a frame for a message with this block length (no variable part) in the send buffer.
     *
     * @return where its SBE header goes, or {@link #BACK_PRESSURED} / {@link #CLOSED}
     */
    private int claim(final int blockLength)
    {
        if (state == ENDED)
        {
            return (int)CLOSED;
        }
        final int frameLength = SimpleOpenFraming.MIN_FRAME_LENGTH + blockLength;
        if (sendLength + frameLength > SEND_CAPACITY)
        {
            flush();
            if (sendLength + frameLength > SEND_CAPACITY)
            {
                return (int)BACK_PRESSURED;
            }
        }
        final int at = sendLength;
        SimpleOpenFraming.writeHeader(send, at, frameLength);
        sendLength += frameLength;
        return at + SimpleOpenFraming.HEADER_LENGTH;
    }

    /**
     * Writes buffered messages to the socket, as much as it takes now.
     *
     * @return true if nothing is left buffered
     */
    public boolean flush()
    {
        if (sendLength == 0 || state == ENDED)
        {
            return sendLength == 0;
        }
        try
        {
            sendBytes.limit(sendLength).position(0);
            channel.write(sendBytes);
            final int written = sendBytes.position();
            if (written < sendLength)
            {
                send.putBytes(0, send, written, sendLength - written);
            }
            sendLength -= written;
            sendBytes.clear();
            if (written > 0)
            {
                lastSentNs = System.nanoTime();
            }
        }
        catch (final IOException ex)
        {
            ended("send failed: " + ex.getMessage());
        }
        return sendLength == 0;
    }

    private void heartbeat()
    {
        if (state != ESTABLISHED && !(state == CONNECTED && subscribed))
        {
            return;
        }
        final long now = System.nanoTime();
        if (now - lastReceivedNs > 3 * keepAliveNs)
        {
            ended("nothing heard from the server for " + TimeUnit.NANOSECONDS.toMillis(now - lastReceivedNs) + " ms");
            return;
        }
        if (now - lastSentNs >= heartbeatNs)
        {
            final int at = claim(SequenceEncoder.BLOCK_LENGTH);
            if (at >= 0)
            {
                sequence.wrapAndApplyHeader(send, at, headerEncoder).nextSeqNo(nextSeqNo);
                flush();
            }
        }
    }

    private void protocolError(final String reason)
    {
        ended("protocol error: " + reason);
    }

    private void ended(final String reason)
    {
        if (state == ENDED)
        {
            return;
        }
        endQuietly(reason);
        listener.onDisconnected(reason);
    }

    /**
     * Ends the connection without telling the listener.
     */
    private void endQuietly(final String reason)
    {
        if (state == ENDED)
        {
            return;
        }
        state = ENDED;
        disconnectReason = reason;
        closeQuietly(channel, selector);
        if (!dispatching)
        {
            // While frames are delivered, the decoders still read the receive buffer: parse frees it after them.
            releaseBuffers();
        }
    }

    /**
     * Frees the connection's 9 MiB of direct buffers now rather than at some later garbage collection: a market
     * maker that reconnects through a long session, allocating little, would otherwise hold one set per connection
     * it ever had. Nothing reads or writes them once the connection has ended (every send returns {@link #CLOSED},
     * poll returns 0).
     */
    private void releaseBuffers()
    {
        if (!buffersReleased)
        {
            buffersReleased = true;
            BufferUtil.free(sendBytes);
            BufferUtil.free(receiveBytes);
            BufferUtil.free(held);
        }
    }

    /**
     * @return true until the connection ends
     */
    public boolean isOpen()
    {
        return state != ENDED;
    }

    public boolean isEstablished()
    {
        return state == ESTABLISHED;
    }

    /**
     * @return the position of the last execution report delivered (or, before any, the point live delivery began):
     *         what {@link Logon#resumeAfter} takes after a reconnect
     */
    public JournalPosition lastPosition()
    {
        return new JournalPosition(lastSequence, lastEventIndex);
    }

    /**
     * @return the establishment's cut: reports up to this journal sequence come only by retransmission
     */
    public long lastJournalSequence()
    {
        return lastJournalSequence;
    }

    /**
     * @return the server's termination code (NULL_VAL for one this client does not know), or null if it did not
     *         terminate the session
     */
    public TerminationCode terminationCode()
    {
        return terminationCode;
    }

    public String terminationText()
    {
        return terminationText;
    }

    /**
     * @return why the connection ended, or null while it is open
     */
    public String disconnectReason()
    {
        return disconnectReason;
    }

    /**
     * Ends the session politely (Terminate, then waits briefly for the server's), then closes. Called from a listener
     * callback, it does so when the {@link #poll()} that delivered the callback has delivered what it read.
     */
    @Override
    public void close()
    {
        if (state == ENDED)
        {
            return;
        }
        if (dispatching)
        {
            closeRequested = true;
            return;
        }
        closeRequested = false;
        final int at = claim(TerminateEncoder.BLOCK_LENGTH + 1);
        if (at >= 0)
        {
            terminate.wrapAndApplyHeader(send, at, headerEncoder)
                .sessionIdHigh(sessionIdHigh)
                .sessionIdLow(sessionIdLow)
                .code(TerminationCode.FINISHED)
                .text("");
            flush();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (state != ENDED && System.nanoTime() < deadline)
            {
                poll(10);
            }
        }
        ended("closed by the client");
    }

    /**
     * Drops the connection without a Terminate, as a crash or a network failure would.
     */
    public void abort()
    {
        ended("aborted by the client");
    }

    private static void closeQuietly(final SocketChannel channel, final Selector selector)
    {
        try
        {
            if (selector != null)
            {
                selector.close();
            }
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
        try
        {
            if (channel != null)
            {
                channel.close();
            }
        }
        catch (final IOException ignored)
        {
            // closing anyway
        }
    }
}
