package io.rollbook.gateway.binary;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.rollbook.gateway.auth.ChallengeVerifier;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.core.SourceTag;
import io.rollbook.gateway.core.TokenBucket;
import io.rollbook.gateway.view.BookSnapshot;
import io.rollbook.gateway.view.OrderState;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.auth.NegotiationSignature;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.framing.SimpleOpenFraming;
import io.rollbook.protocol.orderentry.AmendOrderDecoder;
import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.BusinessRejectEncoder;
import io.rollbook.protocol.orderentry.CancelOrderDecoder;
import io.rollbook.protocol.orderentry.EstablishDecoder;
import io.rollbook.protocol.orderentry.EstablishRejectCode;
import io.rollbook.protocol.orderentry.ExecutionRejectedEncoder;
import io.rollbook.protocol.orderentry.MarketDataRejectCode;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestDecoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeDecoder;
import io.rollbook.protocol.orderentry.MassCancelDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateDecoder;
import io.rollbook.protocol.orderentry.NegotiationRejectCode;
import io.rollbook.protocol.orderentry.NewOrderDecoder;
import io.rollbook.protocol.orderentry.OperatorDepositDecoder;
import io.rollbook.protocol.orderentry.OperatorFundingTickDecoder;
import io.rollbook.protocol.orderentry.OperatorOraclePriceDecoder;
import io.rollbook.protocol.orderentry.OperatorWithdrawDecoder;
import io.rollbook.protocol.orderentry.OrderStatus;
import io.rollbook.protocol.orderentry.RetransmitRequestDecoder;
import io.rollbook.protocol.orderentry.SequenceDecoder;
import io.rollbook.protocol.orderentry.TerminateDecoder;
import io.rollbook.protocol.orderentry.TerminationCode;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One binary connection: the FIXP-style session state machine (challenge, negotiate, establish, sequenced
 * application messages, keep-alive, terminate), the checks every inbound message passes before anything is
 * published, and the outbound side (reports, market data and session messages framed into one buffer, flushed
 * once per read or drain pass).
 *
 * <p>Inbound: every frame has passed {@link FrameCheck} (lengths, schema, template, version) before it gets here;
 * this class checks what depends on the session: state, sequence numbers, throttle, authorization, field values,
 * idempotency. A message that fails is answered (BusinessReject, NegotiationReject, EstablishmentReject,
 * MarketDataReject) or ends the session (Terminate), and publishes nothing.
 *
 * <p>Outbound: the server numbers its application messages per connection from 1, at the moment it writes them.
 * Reports reach an established session only for sequences above the cut it read at establishment
 * ({@link io.rollbook.gateway.core.ReleaseProgress}); older ones come through retransmission.
 *
 * <p>Confined to its connection's event loop. Allocates nothing per application message.
 */
final class BinarySession
{
    static final int AWAITING_NEGOTIATE = 0;
    static final int NEGOTIATED = 1;
    static final int ESTABLISHED = 2;
    static final int TERMINATED = 3;

    private static final int MAX_TEXT = 254;
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    private static final String THROTTLED_TEXT = "above the session's message rate; nothing was done";
    private static final String BUSY_TEXT = "the sequencer is busy; nothing was done, send it again";
    private static final String DISK_LOW_TEXT = "the journal's disk has less free space than the service keeps in " +
        "reserve (journal.minFreeBytes): new orders and amendments are refused, cancels are taken; nothing was " +
        "done, send it again later";

    private final BinaryLoop loop;
    private final Codecs codecs;
    private final BinaryGateway.Context settings;
    private final SessionTransport transport;
    private final int connectionId;
    private final byte[] nonce = new byte[NegotiationSignature.NONCE_LENGTH];
    private final ExpandableDirectByteBuffer out = new ExpandableDirectByteBuffer(4096);
    private final TokenBucket throttle;
    private final OrderState orderState = new OrderState();

    private int state = AWAITING_NEGOTIATE;
    private boolean established;
    private boolean operator;
    /** Any value is a valid session id, the all-zero one included: whether it was claimed is kept apart. */
    private boolean holdsSessionId;
    private int account;
    private long sessionIdHigh;
    private long sessionIdLow;
    private long nextInboundSeqNo;
    private long nextOutboundSeqNo = 1;
    private long keepAliveNs;
    private long deadManNs;
    private boolean cancelOnDisconnect;
    private boolean deadManFired;
    private long connectedNs;
    private long negotiatedNs;
    private long lastReceivedNs;
    private long lastSentNs;
    private long throttleWindowStartNs;
    private int throttledInWindow;
    private long liveAfterSequence;
    private boolean retransmitting;
    private long[] marketDataLiveAfter;
    private int subscriptions;
    private int outLength;
    private boolean dirty;
    private boolean readingPaused;

    BinarySession(final BinaryLoop loop, final SessionTransport transport, final int connectionId, final long nowNs)
    {
        this.loop = loop;
        this.codecs = loop.codecs();
        this.settings = loop.settings();
        this.transport = transport;
        this.connectionId = connectionId;
        this.throttle = new TokenBucket(settings.throttleMessagesPerSecond());
        this.connectedNs = nowNs;
        this.lastReceivedNs = nowNs;
        this.lastSentNs = nowNs;
    }

    int connectionId()
    {
        return connectionId;
    }

    int account()
    {
        return account;
    }

    int state()
    {
        return state;
    }

    boolean isTerminated()
    {
        return state == TERMINATED;
    }

    boolean isEstablishedAccountSession()
    {
        return established && !operator;
    }

    boolean isDirty()
    {
        return dirty;
    }

    boolean isReadingPaused()
    {
        return readingPaused;
    }

    /**
     * Sends the challenge that opens every connection.
     */
    void start()
    {
        loop.random().nextBytes(nonce);
        codecs.challenge.wrapAndApplyHeader(out, claim(MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.ChallengeEncoder.BLOCK_LENGTH), codecs.header)
            .putNonce(nonce, 0, NegotiationSignature.NONCE_LENGTH)
            .serverTimeNs(settings.clock().nanoTime());
        flush();
    }

    /**
     * An inbound frame whose announced length is impossible: nothing after it can be trusted.
     */
    void onBadFrameLength(final String text)
    {
        terminate(TerminationCode.MALFORMED_FRAME, text);
    }

    /**
     * One whole inbound frame.
     *
     * @param offset where its framing header starts
     */
    void onFrame(final DirectBuffer buffer, final int offset, final int frameLength, final long nowNs)
    {
        if (state == TERMINATED)
        {
            return;
        }
        final FrameCheck check = loop.frameCheck();
        if (!check.check(buffer, offset, frameLength))
        {
            terminate(check.failure(), check.failureText());
            return;
        }
        lastReceivedNs = nowNs;
        deadManFired = false;
        final int body = offset + SimpleOpenFraming.MIN_FRAME_LENGTH;
        final int blockLength = check.blockLength();
        final int version = check.version();
        final int templateId = check.templateId();
        switch (templateId)
        {
            case NegotiateDecoder.TEMPLATE_ID:
                onNegotiate(codecs.negotiate.wrap(buffer, body, blockLength, version));
                break;
            case EstablishDecoder.TEMPLATE_ID:
                onEstablish(codecs.establish.wrap(buffer, body, blockLength, version), nowNs);
                break;
            case SequenceDecoder.TEMPLATE_ID:
                // A heartbeat takes a token too, so that nobody floods the loop with them; one over the rate is
                // still applied (it may announce the next seqNo) and never refused, but counts as flooding.
                if (throttle.tryAcquire(nowNs) || !terminatedForFlooding(nowNs))
                {
                    onSequence(codecs.sequence.wrap(buffer, body, blockLength, version));
                }
                break;
            case TerminateDecoder.TEMPLATE_ID:
                terminate(TerminationCode.FINISHED, "goodbye");
                break;
            case MarketDataSubscribeDecoder.TEMPLATE_ID:
                if (admit(nowNs, 0))
                {
                    subscribe(codecs.subscribe.wrap(buffer, body, blockLength, version).market());
                }
                break;
            case MarketDataSnapshotRequestDecoder.TEMPLATE_ID:
                if (admit(nowNs, 0))
                {
                    subscribe(codecs.snapshotRequest.wrap(buffer, body, blockLength, version).market());
                }
                break;
            case RetransmitRequestDecoder.TEMPLATE_ID:
                if (requireEstablished("RetransmitRequest") && admit(nowNs, 0))
                {
                    onRetransmitRequest(codecs.retransmitRequest.wrap(buffer, body, blockLength, version));
                }
                break;
            default:
                onApplicationMessage(buffer, body, templateId, blockLength, version, nowNs);
                break;
        }
    }

    private void onApplicationMessage(
        final DirectBuffer buffer,
        final int body,
        final int templateId,
        final int blockLength,
        final int version,
        final long nowNs)
    {
        if (!requireEstablished(io.rollbook.protocol.framing.OrderEntryTemplates.name(templateId)))
        {
            return;
        }
        final long seqNo = buffer.getInt(body, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        if (seqNo != nextInboundSeqNo)
        {
            terminate(TerminationCode.SEQUENCE_GAP, "expected seqNo " + nextInboundSeqNo + ", got " + seqNo);
            return;
        }
        nextInboundSeqNo = (nextInboundSeqNo + 1) & 0xFFFF_FFFFL;
        final boolean operatorMessage = templateId >= OperatorDepositDecoder.TEMPLATE_ID;
        if (operatorMessage != operator)
        {
            if (admit(nowNs, seqNo))
            {
                businessReject(seqNo, ClientOrderIds.NULL_VALUE, BusinessRejectCode.NOT_AUTHORIZED, operator ?
                    "an operator session does not trade" : "only an operator session may send operator messages");
            }
            return;
        }
        if (!admit(nowNs, seqNo))
        {
            return;
        }
        switch (templateId)
        {
            case NewOrderDecoder.TEMPLATE_ID:
                onNewOrder(codecs.newOrder.wrap(buffer, body, blockLength, version), seqNo);
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                onCancel(codecs.cancelOrder.wrap(buffer, body, blockLength, version), seqNo);
                break;
            case AmendOrderDecoder.TEMPLATE_ID:
                onAmend(codecs.amendOrder.wrap(buffer, body, blockLength, version), seqNo);
                break;
            case MassCancelDecoder.TEMPLATE_ID:
                onMassCancel(codecs.massCancel.wrap(buffer, body, blockLength, version), seqNo);
                break;
            case OperatorDepositDecoder.TEMPLATE_ID:
            {
                final OperatorDepositDecoder m = codecs.operatorDeposit.wrap(buffer, body, blockLength, version);
                final MutableDirectBuffer command = loop.commandBuffer();
                codecs.deposit.wrapAndApplyHeader(command, 0, codecs.engineHeader)
                    .account(m.account()).amountMicros(m.amountMicros());
                publish(seqNo, ClientOrderIds.NULL_VALUE, command, withHeader(codecs.deposit.encodedLength()));
                break;
            }
            case OperatorWithdrawDecoder.TEMPLATE_ID:
            {
                final OperatorWithdrawDecoder m = codecs.operatorWithdraw.wrap(buffer, body, blockLength, version);
                final MutableDirectBuffer command = loop.commandBuffer();
                codecs.withdraw.wrapAndApplyHeader(command, 0, codecs.engineHeader)
                    .account(m.account()).amountMicros(m.amountMicros());
                publish(seqNo, ClientOrderIds.NULL_VALUE, command, withHeader(codecs.withdraw.encodedLength()));
                break;
            }
            case OperatorOraclePriceDecoder.TEMPLATE_ID:
            {
                final OperatorOraclePriceDecoder m = codecs.operatorOraclePrice.wrap(buffer, body, blockLength, version);
                if (knownMarket(seqNo, ClientOrderIds.NULL_VALUE, m.market()))
                {
                    final MutableDirectBuffer command = loop.commandBuffer();
                    codecs.oraclePrice.wrapAndApplyHeader(command, 0, codecs.engineHeader)
                        .market(m.market()).priceTicks(m.priceTicks());
                    publish(seqNo, ClientOrderIds.NULL_VALUE, command, withHeader(codecs.oraclePrice.encodedLength()));
                }
                break;
            }
            case OperatorFundingTickDecoder.TEMPLATE_ID:
            {
                final OperatorFundingTickDecoder m = codecs.operatorFundingTick.wrap(buffer, body, blockLength, version);
                if (knownMarket(seqNo, ClientOrderIds.NULL_VALUE, m.market()))
                {
                    final MutableDirectBuffer command = loop.commandBuffer();
                    codecs.fundingTick.wrapAndApplyHeader(command, 0, codecs.engineHeader)
                        .market(m.market()).ratePpb(m.ratePpb());
                    publish(seqNo, ClientOrderIds.NULL_VALUE, command, withHeader(codecs.fundingTick.encodedLength()));
                }
                break;
            }
            default:
                terminate(TerminationCode.UNKNOWN_MESSAGE, "template " + templateId + " is not handled");
                break;
        }
    }

    private void onNegotiate(final NegotiateDecoder negotiate)
    {
        final long high = negotiate.sessionIdHigh();
        final long low = negotiate.sessionIdLow();
        if (state != AWAITING_NEGOTIATE)
        {
            negotiationReject(high, low, NegotiationRejectCode.ALREADY_NEGOTIATED);
            flush();
            return;
        }
        final byte[] signature = new byte[NegotiationSignature.SIGNATURE_LENGTH];
        negotiate.getSignature(signature, 0, NegotiationSignature.SIGNATURE_LENGTH);
        final int claimed = negotiate.account();
        final ChallengeVerifier.Outcome outcome = loop.verifier().verify(nonce, high, low, claimed,
            negotiate.timestampNs(), signature, settings.clock().nanoTime(), null);
        if (outcome != ChallengeVerifier.Outcome.ACCEPTED)
        {
            negotiationReject(high, low, outcome == ChallengeVerifier.Outcome.UNKNOWN_ACCOUNT ?
                NegotiationRejectCode.UNKNOWN_ACCOUNT : outcome == ChallengeVerifier.Outcome.STALE_TIMESTAMP ?
                NegotiationRejectCode.STALE_TIMESTAMP : NegotiationRejectCode.BAD_SIGNATURE);
            end();
            return;
        }
        if (!loop.sessionIds().claim(high, low, this))
        {
            negotiationReject(high, low, NegotiationRejectCode.SESSION_IN_USE);
            end();
            return;
        }
        holdsSessionId = true;
        state = NEGOTIATED;
        negotiatedNs = lastReceivedNs;
        account = claimed;
        operator = claimed == KeyStore.OPERATOR_ACCOUNT;
        sessionIdHigh = high;
        sessionIdLow = low;
        codecs.negotiationResponse.wrapAndApplyHeader(out, claim(MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.NegotiationResponseEncoder.BLOCK_LENGTH), codecs.header)
            .sessionIdHigh(high)
            .sessionIdLow(low)
            .account(claimed);
    }

    private void negotiationReject(final long high, final long low, final NegotiationRejectCode code)
    {
        codecs.negotiationReject.wrapAndApplyHeader(out, claim(MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.NegotiationRejectEncoder.BLOCK_LENGTH), codecs.header)
            .sessionIdHigh(high)
            .sessionIdLow(low)
            .code(code);
    }

    private void onEstablish(final EstablishDecoder establish, final long nowNs)
    {
        final long high = establish.sessionIdHigh();
        final long low = establish.sessionIdLow();
        if (state == AWAITING_NEGOTIATE)
        {
            establishmentReject(high, low, EstablishRejectCode.UNNEGOTIATED);
            return;
        }
        if (state == ESTABLISHED)
        {
            establishmentReject(high, low, EstablishRejectCode.ALREADY_ESTABLISHED);
            return;
        }
        if (high != sessionIdHigh || low != sessionIdLow)
        {
            establishmentReject(high, low, EstablishRejectCode.UNKNOWN_SESSION);
            return;
        }
        final long keepAliveMs = establish.keepAliveIntervalMs();
        if (keepAliveMs < settings.keepAliveMinMs() || keepAliveMs > settings.keepAliveMaxMs())
        {
            establishmentReject(high, low, EstablishRejectCode.INVALID_KEEP_ALIVE_INTERVAL)
                .allowedMinMs(settings.keepAliveMinMs())
                .allowedMaxMs(settings.keepAliveMaxMs());
            return;
        }
        final long deadManMs = establish.deadManTimeoutMs();
        if (deadManMs != 0 && (deadManMs < settings.deadManMinMs() || deadManMs > settings.deadManMaxMs()))
        {
            establishmentReject(high, low, EstablishRejectCode.INVALID_DEAD_MAN_TIMEOUT)
                .allowedMinMs(settings.deadManMinMs())
                .allowedMaxMs(settings.deadManMaxMs());
            return;
        }
        final short cod = establish.cancelOnDisconnectRaw();
        if (establish.nextSeqNo() == 0 || (cod != 0 && cod != 1))
        {
            establishmentReject(high, low, EstablishRejectCode.INVALID_VALUE);
            return;
        }
        keepAliveNs = TimeUnit.MILLISECONDS.toNanos(keepAliveMs);
        deadManNs = TimeUnit.MILLISECONDS.toNanos(deadManMs);
        cancelOnDisconnect = cod == 1;
        nextInboundSeqNo = establish.nextSeqNo();
        state = ESTABLISHED;
        established = true;
        loop.sessionsChanged(1);
        if (!operator)
        {
            loop.registerAccountSession(this);
            loop.accountLogons().established(account, nowNs);
        }
        liveAfterSequence = loop.releaseProgress().releasing();
        lastReceivedNs = nowNs;
        codecs.establishmentAck.wrapAndApplyHeader(out, claim(MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.EstablishmentAckEncoder.BLOCK_LENGTH), codecs.header)
            .sessionIdHigh(high)
            .sessionIdLow(low)
            .lastJournalSequence(liveAfterSequence)
            .nextSeqNo(nextOutboundSeqNo)
            .keepAliveIntervalMs(keepAliveMs);
    }

    /**
     * @return the reject, its range null: a refusal of a value sets the range the server allows for it
     */
    private io.rollbook.protocol.orderentry.EstablishmentRejectEncoder establishmentReject(
        final long high, final long low, final EstablishRejectCode code)
    {
        return codecs.establishmentReject.wrapAndApplyHeader(out, claim(MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.EstablishmentRejectEncoder.BLOCK_LENGTH), codecs.header)
            .sessionIdHigh(high)
            .sessionIdLow(low)
            .code(code)
            .allowedMinMs(io.rollbook.protocol.orderentry.EstablishmentRejectEncoder.allowedMinMsNullValue())
            .allowedMaxMs(io.rollbook.protocol.orderentry.EstablishmentRejectEncoder.allowedMaxMsNullValue());
    }

    private void onSequence(final SequenceDecoder sequence)
    {
        if (established && sequence.nextSeqNo() != nextInboundSeqNo)
        {
            terminate(TerminationCode.SEQUENCE_GAP, "Sequence announces seqNo " + sequence.nextSeqNo() +
                ", expected " + nextInboundSeqNo);
        }
    }

    private boolean requireEstablished(final String what)
    {
        if (!established)
        {
            terminate(TerminationCode.NOT_ESTABLISHED, what + " before the session was established");
            return false;
        }
        return true;
    }

    /**
     * The throttle: one token per inbound message.
     *
     * @return true if the message may go on; otherwise it was answered, or the session ended for flooding
     */
    private boolean admit(final long nowNs, final long seqNo)
    {
        if (throttle.tryAcquire(nowNs))
        {
            return true;
        }
        if (!terminatedForFlooding(nowNs))
        {
            businessReject(seqNo, ClientOrderIds.NULL_VALUE, BusinessRejectCode.THROTTLED, THROTTLED_TEXT);
        }
        return false;
    }

    /**
     * Counts a message over the rate.
     *
     * @return true if that made more than {@code throttleTerminateAfterRejects} within a second: the session ended
     */
    private boolean terminatedForFlooding(final long nowNs)
    {
        if (nowNs - throttleWindowStartNs >= SECOND_NS)
        {
            throttleWindowStartNs = nowNs;
            throttledInWindow = 0;
        }
        if (++throttledInWindow > settings.throttleTerminateAfterRejects())
        {
            terminate(TerminationCode.THROTTLE_EXCEEDED, "kept sending above " + settings.throttleMessagesPerSecond() +
                " messages per second");
            return true;
        }
        return false;
    }

    private void onNewOrder(final NewOrderDecoder order, final long seqNo)
    {
        final long clientOrderId = order.clientOrderId();
        final int market = order.market();
        if (!knownMarket(seqNo, clientOrderId, market))
        {
            return;
        }
        final String invalid = invalidOrderField(order, clientOrderId);
        if (invalid != null)
        {
            businessReject(seqNo, clientOrderId, BusinessRejectCode.INVALID_VALUE, invalid);
            return;
        }
        if (loop.views().orders().claim(account, clientOrderId, market, orderState) != OrderState.NONE)
        {
            duplicate(seqNo, clientOrderId);
            return;
        }
        final MutableDirectBuffer command = loop.commandBuffer();
        final io.rollbook.protocol.engine.PlaceOrderEncoder place = codecs.placeOrder
            .wrapAndApplyHeader(command, 0, codecs.engineHeader)
            .clientOrderId(clientOrderId)
            .priceTicks(order.priceTicks())
            .sizeLots(order.sizeLots())
            .account(account)
            .market(market);
        final int body = io.rollbook.protocol.engine.MessageHeaderEncoder.ENCODED_LENGTH;
        final DirectBuffer in = order.buffer();
        final int from = order.offset();
        command.putByte(body + io.rollbook.protocol.engine.PlaceOrderEncoder.sideEncodingOffset(),
            in.getByte(from + NewOrderDecoder.sideEncodingOffset()));
        command.putByte(body + io.rollbook.protocol.engine.PlaceOrderEncoder.orderTypeEncodingOffset(),
            in.getByte(from + NewOrderDecoder.orderTypeEncodingOffset()));
        command.putByte(body + io.rollbook.protocol.engine.PlaceOrderEncoder.timeInForceEncodingOffset(),
            in.getByte(from + NewOrderDecoder.timeInForceEncodingOffset()));
        command.putByte(body + io.rollbook.protocol.engine.PlaceOrderEncoder.flagsEncodingOffset(),
            in.getByte(from + NewOrderDecoder.flagsEncodingOffset()));
        command.putByte(body + io.rollbook.protocol.engine.PlaceOrderEncoder.marginModeEncodingOffset(),
            in.getByte(from + NewOrderDecoder.marginModeEncodingOffset()));
        command.putByte(body + io.rollbook.protocol.engine.PlaceOrderEncoder.selfTradePreventionEncodingOffset(),
            in.getByte(from + NewOrderDecoder.selfTradePreventionEncodingOffset()));
        if (!publish(seqNo, clientOrderId, command, withHeader(place.encodedLength())))
        {
            loop.views().orders().unclaim(account, clientOrderId);
        }
    }

    private static String invalidOrderField(final NewOrderDecoder order, final long clientOrderId)
    {
        if (!ClientOrderIds.isValid(clientOrderId))
        {
            return invalidClientOrderId(clientOrderId);
        }
        if (order.sideRaw() > 1)
        {
            return "side " + order.sideRaw() + " is not BUY (0) or SELL (1)";
        }
        if (order.orderTypeRaw() > 1)
        {
            return "orderType " + order.orderTypeRaw() + " is not LIMIT (0) or MARKET (1)";
        }
        if (order.timeInForceRaw() > 2)
        {
            return "timeInForce " + order.timeInForceRaw() + " is not GTC (0), IOC (1) or FOK (2)";
        }
        final int flags = order.buffer().getByte(order.offset() + NewOrderDecoder.flagsEncodingOffset()) & 0xFF;
        if ((flags & ~0b11) != 0)
        {
            return "flags 0x" + Integer.toHexString(flags) + " has bits other than postOnly (0) and reduceOnly (1)";
        }
        if (order.marginModeRaw() > 1)
        {
            return "marginMode " + order.marginModeRaw() + " is not CROSS (0) or ISOLATED (1)";
        }
        if (order.selfTradePreventionRaw() > 3)
        {
            return "selfTradePrevention " + order.selfTradePreventionRaw() + " is not 0 to 3";
        }
        return null;
    }

    /**
     * One sentence for a place, cancel or amend: the id and what an id may be.
     */
    private static String invalidClientOrderId(final long clientOrderId)
    {
        return "clientOrderId " + clientOrderId + " is neither a number from 0 to 2^63-1 nor 1 to 8 packed " +
            "printable characters";
    }

    private void duplicate(final long seqNo, final long clientOrderId)
    {
        final int status = orderState.status();
        final OrderStatus answer = status == OrderState.PENDING ? OrderStatus.PENDING :
            status == OrderState.LIVE ? OrderStatus.LIVE : status == OrderState.FILLED ? OrderStatus.FILLED :
            OrderStatus.CANCELED;
        final String text = status == OrderState.PENDING ? "client order id already sent; its reports follow" :
            "client order id already used by order " + orderState.orderId() + ", now " + OrderState.describe(status);
        final BusinessRejectEncoder reject = startBusinessReject(seqNo, clientOrderId,
            BusinessRejectCode.DUPLICATE_CLIENT_ORDER_ID, text);
        reject.orderId(status == OrderState.PENDING ? BusinessRejectEncoder.orderIdNullValue() : orderState.orderId());
        reject.orderStatus(answer);
    }

    private void onCancel(final CancelOrderDecoder cancel, final long seqNo)
    {
        final long clientOrderId = cancel.clientOrderId();
        final int market = cancel.market();
        if (market != CancelOrderDecoder.marketNullValue() && !knownMarket(seqNo, clientOrderId, market))
        {
            return;
        }
        if (clientOrderId != CancelOrderDecoder.clientOrderIdNullValue() && !ClientOrderIds.isValid(clientOrderId))
        {
            businessReject(seqNo, clientOrderId, BusinessRejectCode.INVALID_VALUE, invalidClientOrderId(clientOrderId));
            return;
        }
        final MutableDirectBuffer command = loop.commandBuffer();
        codecs.engineCancel.wrapAndApplyHeader(command, 0, codecs.engineHeader)
            .orderId(cancel.orderId())
            .clientOrderId(clientOrderId)
            .account(account)
            .market(market);
        publish(seqNo, clientOrderId, command, withHeader(codecs.engineCancel.encodedLength()));
    }

    private void onAmend(final AmendOrderDecoder amend, final long seqNo)
    {
        final long clientOrderId = amend.clientOrderId();
        if (!knownMarket(seqNo, clientOrderId, amend.market()))
        {
            return;
        }
        if (clientOrderId != AmendOrderDecoder.clientOrderIdNullValue() && !ClientOrderIds.isValid(clientOrderId))
        {
            businessReject(seqNo, clientOrderId, BusinessRejectCode.INVALID_VALUE, invalidClientOrderId(clientOrderId));
            return;
        }
        final MutableDirectBuffer command = loop.commandBuffer();
        codecs.engineAmend.wrapAndApplyHeader(command, 0, codecs.engineHeader)
            .orderId(amend.orderId())
            .clientOrderId(clientOrderId)
            .priceTicks(amend.priceTicks())
            .sizeLots(amend.sizeLots())
            .account(account)
            .market(amend.market());
        publish(seqNo, clientOrderId, command, withHeader(codecs.engineAmend.encodedLength()));
    }

    private void onMassCancel(final MassCancelDecoder massCancel, final long seqNo)
    {
        final int market = massCancel.market();
        if (market != MassCancelDecoder.marketNullValue() && !knownMarket(seqNo, ClientOrderIds.NULL_VALUE, market))
        {
            return;
        }
        final short side = massCancel.sideRaw();
        if (side != 0 && side != 1 && side != io.rollbook.protocol.orderentry.Side.NULL_VAL.value())
        {
            businessReject(seqNo, ClientOrderIds.NULL_VALUE, BusinessRejectCode.INVALID_VALUE,
                "side " + side + " is not BUY (0), SELL (1) or null (255)");
            return;
        }
        final MutableDirectBuffer command = loop.commandBuffer();
        final int length = encodeMassCancel(command, account, market, side, MassCancelTrigger.USER);
        publish(seqNo, ClientOrderIds.NULL_VALUE, command, length);
    }

    int encodeMassCancel(
        final MutableDirectBuffer command, final int account, final int market, final short side, final MassCancelTrigger trigger)
    {
        final io.rollbook.protocol.engine.MassCancelEncoder encoder = codecs.engineMassCancel
            .wrapAndApplyHeader(command, 0, codecs.engineHeader)
            .account(account)
            .market(market)
            .trigger(trigger);
        command.putByte(io.rollbook.protocol.engine.MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.engine.MassCancelEncoder.sideEncodingOffset(), (byte)side);
        return encoder.encodedLength() + io.rollbook.protocol.engine.MessageHeaderEncoder.ENCODED_LENGTH;
    }

    private boolean knownMarket(final long seqNo, final long clientOrderId, final int market)
    {
        if (loop.views().markets().isDefined(market))
        {
            return true;
        }
        businessReject(seqNo, clientOrderId, BusinessRejectCode.UNKNOWN_MARKET, "market " + market + " is not defined");
        return false;
    }

    /**
     * @param length the engine command's length, header included
     * @return true if published; otherwise the message was answered (busy) or the session ended (service stopped)
     */
    private boolean publish(final long seqNo, final long clientOrderId, final MutableDirectBuffer command, final int length)
    {
        final long source = SourceTag.of(operator ? SourceTag.KIND_BINARY_OPERATOR : SourceTag.KIND_BINARY_SESSION,
            loop.index(), connectionId, seqNo);
        if (loop.publishFromRead(source, command, length))
        {
            return true;
        }
        if (!loop.publisher().isAccepting())
        {
            terminate(TerminationCode.SERVICE_STOPPED, "sequencing has stopped; no orders are accepted");
            return false;
        }
        businessReject(seqNo, clientOrderId, BusinessRejectCode.SYSTEM_BUSY,
            loop.publisher().isLowOnDisk() ? DISK_LOW_TEXT : BUSY_TEXT);
        return false;
    }

    private static int withHeader(final int blockLength)
    {
        return io.rollbook.protocol.engine.MessageHeaderEncoder.ENCODED_LENGTH + blockLength;
    }

    private void subscribe(final int market)
    {
        if (!loop.views().markets().isDefined(market))
        {
            marketDataReject(market, MarketDataRejectCode.UNKNOWN_MARKET);
            return;
        }
        if (marketDataLiveAfter == null)
        {
            marketDataLiveAfter = new long[loop.views().markets().capacity()];
            Arrays.fill(marketDataLiveAfter, -1);
        }
        if (marketDataLiveAfter[market] < 0)
        {
            if (subscriptions >= settings.maxSubscriptions())
            {
                marketDataReject(market, MarketDataRejectCode.TOO_MANY_SUBSCRIPTIONS);
                return;
            }
            subscriptions++;
            marketDataLiveAfter[market] = 0;
            loop.subscribe(this, market);
        }
        sendSnapshot(market);
    }

    /**
     * Sends the market's book as of now; increments above its channel sequence follow.
     */
    void sendSnapshot(final int market)
    {
        final BookSnapshot snapshot = loop.snapshot();
        if (!loop.views().marketData().snapshot(market, snapshot))
        {
            return;
        }
        final int bids = Math.min(snapshot.bidCount(), MarketDataSnapshotEncoder.BidsEncoder.countMaxValue());
        final int asks = Math.min(snapshot.askCount(), MarketDataSnapshotEncoder.AsksEncoder.countMaxValue());
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + MarketDataSnapshotEncoder.BLOCK_LENGTH +
            2 * MarketDataSnapshotEncoder.BidsEncoder.sbeHeaderSize() +
            (bids + asks) * MarketDataSnapshotEncoder.BidsEncoder.sbeBlockLength();
        final MarketDataSnapshotEncoder encoder = codecs.snapshot.wrapAndApplyHeader(out, claim(length), codecs.header)
            .channelSeq(snapshot.channelSeq())
            .sequence(snapshot.sequence())
            .market(market);
        final MarketDataSnapshotEncoder.BidsEncoder bidGroup = encoder.bidsCount(bids);
        for (int i = 0; i < bids; i++)
        {
            bidGroup.next().priceTicks(snapshot.bidPrice(i)).sizeLots(snapshot.bidSize(i));
        }
        final MarketDataSnapshotEncoder.AsksEncoder askGroup = encoder.asksCount(asks);
        for (int i = 0; i < asks; i++)
        {
            askGroup.next().priceTicks(snapshot.askPrice(i)).sizeLots(snapshot.askSize(i));
        }
        marketDataLiveAfter[market] = snapshot.channelSeq();
        // One read can hold thousands of requests, each answered by a whole book: hand the answers over as they
        // pass the bound, where the slow-consumer check sees them, rather than build them all up first.
        if (outLength >= settings.outboundLimitBytes())
        {
            flush();
        }
    }

    private void marketDataReject(final int market, final MarketDataRejectCode code)
    {
        codecs.marketDataReject.wrapAndApplyHeader(out, claim(MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.MarketDataRejectEncoder.BLOCK_LENGTH), codecs.header)
            .market(market)
            .code(code);
    }

    private void onRetransmitRequest(final RetransmitRequestDecoder request)
    {
        if (operator)
        {
            businessReject(0, ClientOrderIds.NULL_VALUE, BusinessRejectCode.NOT_AUTHORIZED,
                "an operator session has no execution reports");
            return;
        }
        if (retransmitting)
        {
            businessReject(0, ClientOrderIds.NULL_VALUE, BusinessRejectCode.INVALID_VALUE,
                "a retransmission is in progress; ask again once it is complete");
            return;
        }
        final long after = request.afterSequence();
        if (after < 0 || after > liveAfterSequence)
        {
            businessReject(0, ClientOrderIds.NULL_VALUE, BusinessRejectCode.RETRANSMIT_OUT_OF_RANGE,
                "afterSequence " + after + " is not within 0.." + liveAfterSequence + " (lastJournalSequence)");
            return;
        }
        final int requested = request.maxCount();
        final int maxCount = requested == 0 ? settings.retransmitMaxReports() :
            Math.min(requested, settings.retransmitMaxReports());
        retransmitting = true;
        if (!loop.retransmitter().submit(loop.index(), connectionId, account, after, request.afterEventIndex(),
            liveAfterSequence, maxCount))
        {
            retransmitting = false;
            businessReject(0, ClientOrderIds.NULL_VALUE, BusinessRejectCode.SYSTEM_BUSY,
                "too many retransmissions are waiting; nothing was sent, ask again");
        }
    }

    private void businessReject(final long refSeqNo, final long clientOrderId, final BusinessRejectCode code, final String text)
    {
        startBusinessReject(refSeqNo, clientOrderId, code, text);
    }

    private BusinessRejectEncoder startBusinessReject(
        final long refSeqNo, final long clientOrderId, final BusinessRejectCode code, final String text)
    {
        final int textLength = Math.min(text.length(), MAX_TEXT);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + BusinessRejectEncoder.BLOCK_LENGTH + 1 + textLength;
        final int offset = claim(length);
        final BusinessRejectEncoder reject = codecs.businessReject.wrapAndApplyHeader(out, offset, codecs.header)
            .seqNo(nextOutboundSeqNo())
            .refSeqNo(refSeqNo)
            .clientOrderId(clientOrderId)
            .code(code)
            .orderId(BusinessRejectEncoder.orderIdNullValue())
            .orderStatus(OrderStatus.NULL_VAL);
        final int textAt = offset + MessageHeaderEncoder.ENCODED_LENGTH + BusinessRejectEncoder.BLOCK_LENGTH;
        out.putByte(textAt, (byte)textLength);
        for (int i = 0; i < textLength; i++)
        {
            final char c = text.charAt(i);
            out.putByte(textAt + 1 + i, (byte)(c < 128 ? c : '?'));
        }
        return reject;
    }

    /**
     * Ends the session if it authenticated with a key that the operator has since replaced or revoked: whoever
     * holds the old private key keeps no session. An operator session ends when any operator key is gone, since
     * the session does not keep which operator's key it verified.
     */
    void onKeysChanged(final KeyStore.KeyChange change)
    {
        if ((state == NEGOTIATED || state == ESTABLISHED) &&
            (operator ? change.operatorRevoked() : change.revokes(account)))
        {
            terminate(TerminationCode.FINISHED, "the operator replaced or revoked the key this session logged on " +
                "with; log on again with the current key");
        }
    }

    /**
     * Ends the session: sends Terminate with the reason and closes the connection once it is flushed.
     */
    void terminate(final TerminationCode code, final String text)
    {
        if (state == TERMINATED)
        {
            return;
        }
        final int textLength = Math.min(text.length(), MAX_TEXT);
        final int offset = claim(MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.TerminateEncoder.BLOCK_LENGTH + 1 + textLength);
        codecs.terminateOut.wrapAndApplyHeader(out, offset, codecs.header)
            .sessionIdHigh(sessionIdHigh)
            .sessionIdLow(sessionIdLow)
            .code(code);
        final int textAt = offset + MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.TerminateEncoder.BLOCK_LENGTH;
        out.putByte(textAt, (byte)textLength);
        for (int i = 0; i < textLength; i++)
        {
            final char c = text.charAt(i);
            out.putByte(textAt + 1 + i, (byte)(c < 128 ? c : '?'));
        }
        end();
    }

    private void end()
    {
        state = TERMINATED;
        flush();
        transport.closeAfterFlush();
    }

    /**
     * An execution report for this session's account.
     */
    void onReport(final DirectBuffer buffer, final int offset, final int length, final long sequence, final long source)
    {
        if (state != ESTABLISHED || sequence <= liveAfterSequence)
        {
            return;
        }
        final int at = append(buffer, offset, length);
        if (SourceTag.kind(source) == SourceTag.KIND_BINARY_SESSION && SourceTag.connection(source) == connectionId &&
            SourceTag.eventLoop(source) == loop.index() &&
            (out.getShort(at + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF) == ExecutionRejectedEncoder.TEMPLATE_ID)
        {
            out.putInt(at + MessageHeaderEncoder.ENCODED_LENGTH + ExecutionRejectedEncoder.refSeqNoEncodingOffset(),
                (int)SourceTag.request(source), java.nio.ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * An incremental market data message.
     */
    void onMarketData(final int market, final long channelSeq, final DirectBuffer buffer, final int offset, final int length)
    {
        if (state != TERMINATED && marketDataLiveAfter != null && marketDataLiveAfter[market] >= 0 &&
            channelSeq > marketDataLiveAfter[market])
        {
            append(buffer, offset, length);
        }
    }

    /**
     * A message addressed to this connection alone.
     */
    void onDirect(final DirectBuffer buffer, final int offset, final int length)
    {
        if (state != TERMINATED)
        {
            append(buffer, offset, length);
        }
    }

    /**
     * The retransmitter could not answer this session's request: nothing of it was sent, and the client may ask
     * again.
     */
    void onRetransmissionRefused(final BusinessRejectCode code, final String text)
    {
        retransmitting = false;
        if (state == ESTABLISHED)
        {
            businessReject(0, ClientOrderIds.NULL_VALUE, code, text);
        }
    }

    /**
     * A Retransmission and the reports it announces, written back to back.
     */
    void onRetransmission(final DirectBuffer buffer, final int offset, final int length, final int flags)
    {
        if ((flags & Outbox.FLAG_ENDS_RETRANSMISSION) != 0)
        {
            retransmitting = false;
        }
        if (state != ESTABLISHED)
        {
            return;
        }
        int at = offset;
        final int end = offset + length;
        while (at < end)
        {
            final int messageLength = buffer.getInt(at, java.nio.ByteOrder.LITTLE_ENDIAN);
            append(buffer, at + 4, messageLength);
            at += 4 + messageLength;
        }
    }

    /**
     * Called by the loop's timer: keep-alive (of sessions, and of connections that only subscribe to market data),
     * the dead-man timer, and connections that never negotiate.
     */
    void onTimer(final long nowNs)
    {
        if (state == TERMINATED)
        {
            return;
        }
        final long negotiationTimeoutNs = TimeUnit.MILLISECONDS.toNanos(settings.negotiationTimeoutMs());
        if (state == AWAITING_NEGOTIATE)
        {
            if (subscriptions > 0)
            {
                marketDataKeepAlive(nowNs);
            }
            else if (nowNs - connectedNs > negotiationTimeoutNs)
            {
                terminate(TerminationCode.KEEP_ALIVE_LAPSED, "no Negotiate within " + settings.negotiationTimeoutMs() +
                    " ms");
            }
            return;
        }
        if (state == NEGOTIATED)
        {
            if (nowNs - negotiatedNs > negotiationTimeoutNs)
            {
                terminate(TerminationCode.KEEP_ALIVE_LAPSED, "no Establish within " + settings.negotiationTimeoutMs() +
                    " ms");
            }
            return;
        }
        if (nowNs - lastReceivedNs > keepAliveNs + keepAliveNs / 2)
        {
            terminate(TerminationCode.KEEP_ALIVE_LAPSED, "nothing received for " +
                TimeUnit.NANOSECONDS.toMillis(nowNs - lastReceivedNs) + " ms");
            return;
        }
        if (deadManNs > 0 && !deadManFired && !operator && nowNs - lastReceivedNs >= deadManNs)
        {
            deadManFired = loop.publishMassCancel(account, MassCancelTrigger.DEAD_MAN_TIMER, connectionId);
        }
        if (nowNs - lastSentNs >= keepAliveNs)
        {
            heartbeat();
        }
    }

    /**
     * A connection that subscribed without negotiating has no keep-alive interval of its own: the server's
     * settings stand in for one. Without them a peer that vanished (a half-open connection, a hung client) would
     * hold its subscriptions and buffers until a write failed, which in a quiet market is never.
     */
    private void marketDataKeepAlive(final long nowNs)
    {
        if (nowNs - lastReceivedNs > TimeUnit.MILLISECONDS.toNanos(settings.marketDataTimeoutMs()))
        {
            terminate(TerminationCode.KEEP_ALIVE_LAPSED, "nothing received for " +
                TimeUnit.NANOSECONDS.toMillis(nowNs - lastReceivedNs) + " ms");
            return;
        }
        if (nowNs - lastSentNs >= TimeUnit.MILLISECONDS.toNanos(settings.marketDataHeartbeatMs()))
        {
            heartbeat();
        }
    }

    private void heartbeat()
    {
        codecs.sequenceOut.wrapAndApplyHeader(out, claim(MessageHeaderEncoder.ENCODED_LENGTH +
            io.rollbook.protocol.orderentry.SequenceEncoder.BLOCK_LENGTH), codecs.header)
            .nextSeqNo(nextOutboundSeqNo);
    }

    /**
     * Called once the connection is closed, for whatever reason.
     */
    void onClosed()
    {
        final boolean wasEstablished = established;
        state = TERMINATED;
        established = false;
        if (wasEstablished)
        {
            loop.sessionsChanged(-1);
        }
        if (wasEstablished && !operator)
        {
            loop.unregisterAccountSession(this);
        }
        if (subscriptions > 0)
        {
            for (int market = 0; market < marketDataLiveAfter.length; market++)
            {
                if (marketDataLiveAfter[market] >= 0)
                {
                    loop.unsubscribe(this, market);
                    marketDataLiveAfter[market] = -1;
                }
            }
            subscriptions = 0;
        }
        if (holdsSessionId)
        {
            holdsSessionId = false;
            loop.sessionIds().release(sessionIdHigh, sessionIdLow, this);
        }
        if (wasEstablished && cancelOnDisconnect && !operator)
        {
            loop.cancelOnDisconnect(account, connectionId);
        }
        else if (wasEstablished && deadManNs > 0 && !deadManFired && !operator)
        {
            loop.detachDeadManTimer(account, connectionId, lastReceivedNs + deadManNs);
        }
    }

    void pauseReading()
    {
        if (!readingPaused)
        {
            readingPaused = true;
            transport.readingEnabled(false);
        }
    }

    void resumeReading()
    {
        if (readingPaused)
        {
            readingPaused = false;
            transport.readingEnabled(true);
        }
    }

    /**
     * Reserves a frame of {@code messageLength} bytes after the framing header, which it writes.
     *
     * @return where the SBE message header goes
     */
    private int claim(final int messageLength)
    {
        final int frameAt = outLength;
        final int frameLength = SimpleOpenFraming.HEADER_LENGTH + messageLength;
        out.checkLimit(frameAt + frameLength);
        SimpleOpenFraming.writeHeader(out, frameAt, frameLength);
        outLength += frameLength;
        lastSentNs = loop.nowNs();
        markDirty();
        return frameAt + SimpleOpenFraming.HEADER_LENGTH;
    }

    /**
     * Frames a ready-made message, numbering it if it is a sequenced one.
     *
     * @return where its SBE message header is in {@code out}
     */
    private int append(final DirectBuffer buffer, final int offset, final int length)
    {
        final int at = claim(length);
        out.putBytes(at, buffer, offset, length);
        if (isSequenced(out.getShort(at + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF))
        {
            out.putInt(at + MessageHeaderEncoder.ENCODED_LENGTH, (int)nextOutboundSeqNo(),
                java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        if (outLength >= settings.outboundLimitBytes())
        {
            flush();
        }
        return at;
    }

    private long nextOutboundSeqNo()
    {
        final long seqNo = nextOutboundSeqNo;
        nextOutboundSeqNo = (nextOutboundSeqNo + 1) & 0xFFFF_FFFFL;
        return seqNo;
    }

    /**
     * Execution reports, business rejects and operator acks carry the session's outbound seqNo first in their block.
     */
    static boolean isSequenced(final int templateId)
    {
        return (templateId >= io.rollbook.protocol.orderentry.ExecutionNewEncoder.TEMPLATE_ID &&
            templateId <= BusinessRejectEncoder.TEMPLATE_ID) ||
            templateId == io.rollbook.protocol.orderentry.OperatorAckEncoder.TEMPLATE_ID;
    }

    private void markDirty()
    {
        if (!dirty)
        {
            dirty = true;
            loop.markDirty(this);
        }
    }

    /**
     * Hands what was written to the connection; a connection that no longer keeps up is ended as a slow consumer.
     */
    void flush()
    {
        dirty = false;
        if (outLength == 0)
        {
            return;
        }
        final ByteBuffer bytes = out.byteBuffer();
        final int length = outLength;
        outLength = 0;
        transport.send(bytes, length);
        if (state != TERMINATED && !transport.isWritable())
        {
            terminate(TerminationCode.SLOW_CONSUMER, "more than " + settings.outboundLimitBytes() +
                " bytes were waiting for the client to read");
        }
    }
}
