package io.rollbook.gateway.binary;

import io.rollbook.protocol.orderentry.AmendOrderDecoder;
import io.rollbook.protocol.orderentry.BusinessRejectEncoder;
import io.rollbook.protocol.orderentry.CancelOrderDecoder;
import io.rollbook.protocol.orderentry.ChallengeEncoder;
import io.rollbook.protocol.orderentry.EstablishDecoder;
import io.rollbook.protocol.orderentry.EstablishmentAckEncoder;
import io.rollbook.protocol.orderentry.EstablishmentRejectEncoder;
import io.rollbook.protocol.orderentry.MarketDataRejectEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestDecoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeDecoder;
import io.rollbook.protocol.orderentry.MassCancelDecoder;
import io.rollbook.protocol.orderentry.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.NegotiateDecoder;
import io.rollbook.protocol.orderentry.NegotiationRejectEncoder;
import io.rollbook.protocol.orderentry.NegotiationResponseEncoder;
import io.rollbook.protocol.orderentry.NewOrderDecoder;
import io.rollbook.protocol.orderentry.OperatorDepositDecoder;
import io.rollbook.protocol.orderentry.OperatorFundingTickDecoder;
import io.rollbook.protocol.orderentry.OperatorOraclePriceDecoder;
import io.rollbook.protocol.orderentry.OperatorWithdrawDecoder;
import io.rollbook.protocol.orderentry.RetransmitRequestDecoder;
import io.rollbook.protocol.orderentry.SequenceDecoder;
import io.rollbook.protocol.orderentry.SequenceEncoder;
import io.rollbook.protocol.orderentry.TerminateDecoder;
import io.rollbook.protocol.orderentry.TerminateEncoder;

/**
 * The flyweights the sessions of one event loop decode and encode with. Sessions of a loop run one at a time on its
 * thread, so they share one set instead of each holding its own.
 *
 * <p>Not thread-safe: owned by one event loop.
 */
final class Codecs
{
    final NegotiateDecoder negotiate = new NegotiateDecoder();
    final EstablishDecoder establish = new EstablishDecoder();
    final SequenceDecoder sequence = new SequenceDecoder();
    final TerminateDecoder terminate = new TerminateDecoder();
    final RetransmitRequestDecoder retransmitRequest = new RetransmitRequestDecoder();
    final NewOrderDecoder newOrder = new NewOrderDecoder();
    final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    final AmendOrderDecoder amendOrder = new AmendOrderDecoder();
    final MassCancelDecoder massCancel = new MassCancelDecoder();
    final MarketDataSubscribeDecoder subscribe = new MarketDataSubscribeDecoder();
    final MarketDataSnapshotRequestDecoder snapshotRequest = new MarketDataSnapshotRequestDecoder();
    final OperatorDepositDecoder operatorDeposit = new OperatorDepositDecoder();
    final OperatorWithdrawDecoder operatorWithdraw = new OperatorWithdrawDecoder();
    final OperatorOraclePriceDecoder operatorOraclePrice = new OperatorOraclePriceDecoder();
    final OperatorFundingTickDecoder operatorFundingTick = new OperatorFundingTickDecoder();

    final MessageHeaderEncoder header = new MessageHeaderEncoder();
    final ChallengeEncoder challenge = new ChallengeEncoder();
    final NegotiationResponseEncoder negotiationResponse = new NegotiationResponseEncoder();
    final NegotiationRejectEncoder negotiationReject = new NegotiationRejectEncoder();
    final EstablishmentAckEncoder establishmentAck = new EstablishmentAckEncoder();
    final EstablishmentRejectEncoder establishmentReject = new EstablishmentRejectEncoder();
    final SequenceEncoder sequenceOut = new SequenceEncoder();
    final TerminateEncoder terminateOut = new TerminateEncoder();
    final BusinessRejectEncoder businessReject = new BusinessRejectEncoder();
    final MarketDataRejectEncoder marketDataReject = new MarketDataRejectEncoder();
    final MarketDataSnapshotEncoder snapshot = new MarketDataSnapshotEncoder();

    final io.rollbook.protocol.engine.MessageHeaderEncoder engineHeader =
        new io.rollbook.protocol.engine.MessageHeaderEncoder();
    final io.rollbook.protocol.engine.PlaceOrderEncoder placeOrder = new io.rollbook.protocol.engine.PlaceOrderEncoder();
    final io.rollbook.protocol.engine.CancelOrderEncoder engineCancel =
        new io.rollbook.protocol.engine.CancelOrderEncoder();
    final io.rollbook.protocol.engine.AmendOrderEncoder engineAmend = new io.rollbook.protocol.engine.AmendOrderEncoder();
    final io.rollbook.protocol.engine.MassCancelEncoder engineMassCancel =
        new io.rollbook.protocol.engine.MassCancelEncoder();
    final io.rollbook.protocol.engine.DepositEncoder deposit = new io.rollbook.protocol.engine.DepositEncoder();
    final io.rollbook.protocol.engine.WithdrawEncoder withdraw = new io.rollbook.protocol.engine.WithdrawEncoder();
    final io.rollbook.protocol.engine.OraclePriceEncoder oraclePrice = new io.rollbook.protocol.engine.OraclePriceEncoder();
    final io.rollbook.protocol.engine.FundingTickEncoder fundingTick = new io.rollbook.protocol.engine.FundingTickEncoder();
}
