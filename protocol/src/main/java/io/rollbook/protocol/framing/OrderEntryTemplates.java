package io.rollbook.protocol.framing;

import io.rollbook.protocol.orderentry.AmendOrderEncoder;
import io.rollbook.protocol.orderentry.BusinessRejectEncoder;
import io.rollbook.protocol.orderentry.CancelOrderEncoder;
import io.rollbook.protocol.orderentry.ChallengeEncoder;
import io.rollbook.protocol.orderentry.EstablishEncoder;
import io.rollbook.protocol.orderentry.EstablishmentAckEncoder;
import io.rollbook.protocol.orderentry.EstablishmentRejectEncoder;
import io.rollbook.protocol.orderentry.ExecutionAmendedEncoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledEncoder;
import io.rollbook.protocol.orderentry.ExecutionNewEncoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedEncoder;
import io.rollbook.protocol.orderentry.ExecutionRestedEncoder;
import io.rollbook.protocol.orderentry.ExecutionTradeEncoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateEncoder;
import io.rollbook.protocol.orderentry.MarketDataRejectEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotEncoder;
import io.rollbook.protocol.orderentry.MarketDataSnapshotRequestEncoder;
import io.rollbook.protocol.orderentry.MarketDataSubscribeEncoder;
import io.rollbook.protocol.orderentry.MarketDataTradeEncoder;
import io.rollbook.protocol.orderentry.MassCancelEncoder;
import io.rollbook.protocol.orderentry.MassCancelReportEncoder;
import io.rollbook.protocol.orderentry.NegotiateEncoder;
import io.rollbook.protocol.orderentry.NegotiationRejectEncoder;
import io.rollbook.protocol.orderentry.NegotiationResponseEncoder;
import io.rollbook.protocol.orderentry.NewOrderEncoder;
import io.rollbook.protocol.orderentry.OperatorAckEncoder;
import io.rollbook.protocol.orderentry.OperatorDepositEncoder;
import io.rollbook.protocol.orderentry.OperatorFundingTickEncoder;
import io.rollbook.protocol.orderentry.OperatorOraclePriceEncoder;
import io.rollbook.protocol.orderentry.OperatorWithdrawEncoder;
import io.rollbook.protocol.orderentry.RetransmissionEncoder;
import io.rollbook.protocol.orderentry.RetransmitRequestEncoder;
import io.rollbook.protocol.orderentry.SequenceEncoder;
import io.rollbook.protocol.orderentry.TerminateEncoder;

/**
 * What each template of the order-entry schema (id 102) looks like on the wire, for validating frames before a
 * decoder touches them: who may send it, since which schema version it exists, its block length at each version,
 * and whether variable-length data or groups follow the block.
 *
 * <p>Immutable; thread-safe.
 */
public final class OrderEntryTemplates
{
    public static final int SCHEMA_ID = NewOrderEncoder.SCHEMA_ID;
    /** The newest version this build speaks; frames of a newer version are refused. */
    public static final int SCHEMA_VERSION = NewOrderEncoder.SCHEMA_VERSION;
    public static final int OLDEST_VERSION = 1;

    public static final int FROM_CLIENT = 1;
    public static final int FROM_SERVER = 2;
    public static final int FROM_EITHER = FROM_CLIENT | FROM_SERVER;

    private static final int MAX_TEMPLATE_ID = 127;
    private static final int[] DIRECTION = new int[MAX_TEMPLATE_ID + 1];
    private static final int[] SINCE_VERSION = new int[MAX_TEMPLATE_ID + 1];
    /** By version, then template: a block that grew at a version is shorter at the ones before. */
    private static final int[][] BLOCK_LENGTH = new int[SCHEMA_VERSION + 1][MAX_TEMPLATE_ID + 1];
    private static final boolean[] VARIABLE = new boolean[MAX_TEMPLATE_ID + 1];
    private static final String[] NAME = new String[MAX_TEMPLATE_ID + 1];

    static
    {
        add(ChallengeEncoder.TEMPLATE_ID, "Challenge", FROM_SERVER, 1, ChallengeEncoder.BLOCK_LENGTH, false);
        add(NegotiateEncoder.TEMPLATE_ID, "Negotiate", FROM_CLIENT, 1, NegotiateEncoder.BLOCK_LENGTH, false);
        add(NegotiationResponseEncoder.TEMPLATE_ID, "NegotiationResponse", FROM_SERVER, 1,
            NegotiationResponseEncoder.BLOCK_LENGTH, false);
        add(NegotiationRejectEncoder.TEMPLATE_ID, "NegotiationReject", FROM_SERVER, 1,
            NegotiationRejectEncoder.BLOCK_LENGTH, false);
        add(EstablishEncoder.TEMPLATE_ID, "Establish", FROM_CLIENT, 1, EstablishEncoder.BLOCK_LENGTH, false);
        add(EstablishmentAckEncoder.TEMPLATE_ID, "EstablishmentAck", FROM_SERVER, 1,
            EstablishmentAckEncoder.BLOCK_LENGTH, false);
        add(EstablishmentRejectEncoder.TEMPLATE_ID, "EstablishmentReject", FROM_SERVER, 1,
            EstablishmentRejectEncoder.BLOCK_LENGTH, false);
        grewAt(EstablishmentRejectEncoder.TEMPLATE_ID, 3, EstablishmentRejectEncoder.allowedMinMsEncodingOffset());
        add(SequenceEncoder.TEMPLATE_ID, "Sequence", FROM_EITHER, 1, SequenceEncoder.BLOCK_LENGTH, false);
        add(TerminateEncoder.TEMPLATE_ID, "Terminate", FROM_EITHER, 1, TerminateEncoder.BLOCK_LENGTH, true);
        add(RetransmitRequestEncoder.TEMPLATE_ID, "RetransmitRequest", FROM_CLIENT, 1,
            RetransmitRequestEncoder.BLOCK_LENGTH, false);
        add(RetransmissionEncoder.TEMPLATE_ID, "Retransmission", FROM_SERVER, 1, RetransmissionEncoder.BLOCK_LENGTH, false);
        grewAt(RetransmissionEncoder.TEMPLATE_ID, 2, RetransmissionEncoder.resumeAfterSequenceEncodingOffset());

        add(NewOrderEncoder.TEMPLATE_ID, "NewOrder", FROM_CLIENT, 1, NewOrderEncoder.BLOCK_LENGTH, false);
        add(CancelOrderEncoder.TEMPLATE_ID, "CancelOrder", FROM_CLIENT, 1, CancelOrderEncoder.BLOCK_LENGTH, false);
        add(AmendOrderEncoder.TEMPLATE_ID, "AmendOrder", FROM_CLIENT, 1, AmendOrderEncoder.BLOCK_LENGTH, false);
        add(MassCancelEncoder.TEMPLATE_ID, "MassCancel", FROM_CLIENT, 1, MassCancelEncoder.BLOCK_LENGTH, false);

        add(ExecutionNewEncoder.TEMPLATE_ID, "ExecutionNew", FROM_SERVER, 1, ExecutionNewEncoder.BLOCK_LENGTH, false);
        add(ExecutionTradeEncoder.TEMPLATE_ID, "ExecutionTrade", FROM_SERVER, 1, ExecutionTradeEncoder.BLOCK_LENGTH, false);
        add(ExecutionRestedEncoder.TEMPLATE_ID, "ExecutionRested", FROM_SERVER, 1,
            ExecutionRestedEncoder.BLOCK_LENGTH, false);
        add(ExecutionCanceledEncoder.TEMPLATE_ID, "ExecutionCanceled", FROM_SERVER, 1,
            ExecutionCanceledEncoder.BLOCK_LENGTH, false);
        add(ExecutionAmendedEncoder.TEMPLATE_ID, "ExecutionAmended", FROM_SERVER, 1,
            ExecutionAmendedEncoder.BLOCK_LENGTH, false);
        add(ExecutionRejectedEncoder.TEMPLATE_ID, "ExecutionRejected", FROM_SERVER, 1,
            ExecutionRejectedEncoder.BLOCK_LENGTH, false);
        add(MassCancelReportEncoder.TEMPLATE_ID, "MassCancelReport", FROM_SERVER, 1,
            MassCancelReportEncoder.BLOCK_LENGTH, false);
        add(BusinessRejectEncoder.TEMPLATE_ID, "BusinessReject", FROM_SERVER, 1, BusinessRejectEncoder.BLOCK_LENGTH, true);
        grewAt(BusinessRejectEncoder.TEMPLATE_ID, 2, BusinessRejectEncoder.orderIdEncodingOffset());

        add(MarketDataSubscribeEncoder.TEMPLATE_ID, "MarketDataSubscribe", FROM_CLIENT, 1,
            MarketDataSubscribeEncoder.BLOCK_LENGTH, false);
        add(MarketDataSnapshotRequestEncoder.TEMPLATE_ID, "MarketDataSnapshotRequest", FROM_CLIENT, 1,
            MarketDataSnapshotRequestEncoder.BLOCK_LENGTH, false);
        add(MarketDataSnapshotEncoder.TEMPLATE_ID, "MarketDataSnapshot", FROM_SERVER, 1,
            MarketDataSnapshotEncoder.BLOCK_LENGTH, true);
        add(MarketDataBookUpdateEncoder.TEMPLATE_ID, "MarketDataBookUpdate", FROM_SERVER, 1,
            MarketDataBookUpdateEncoder.BLOCK_LENGTH, false);
        add(MarketDataTradeEncoder.TEMPLATE_ID, "MarketDataTrade", FROM_SERVER, 1, MarketDataTradeEncoder.BLOCK_LENGTH, false);
        add(MarketDataRejectEncoder.TEMPLATE_ID, "MarketDataReject", FROM_SERVER, 1,
            MarketDataRejectEncoder.BLOCK_LENGTH, false);

        add(OperatorDepositEncoder.TEMPLATE_ID, "OperatorDeposit", FROM_CLIENT, 2, OperatorDepositEncoder.BLOCK_LENGTH, false);
        add(OperatorWithdrawEncoder.TEMPLATE_ID, "OperatorWithdraw", FROM_CLIENT, 2,
            OperatorWithdrawEncoder.BLOCK_LENGTH, false);
        add(OperatorOraclePriceEncoder.TEMPLATE_ID, "OperatorOraclePrice", FROM_CLIENT, 2,
            OperatorOraclePriceEncoder.BLOCK_LENGTH, false);
        add(OperatorFundingTickEncoder.TEMPLATE_ID, "OperatorFundingTick", FROM_CLIENT, 2,
            OperatorFundingTickEncoder.BLOCK_LENGTH, false);
        add(OperatorAckEncoder.TEMPLATE_ID, "OperatorAck", FROM_SERVER, 2, OperatorAckEncoder.BLOCK_LENGTH, false);
    }

    private OrderEntryTemplates()
    {
    }

    private static void add(
        final int templateId,
        final String name,
        final int direction,
        final int sinceVersion,
        final int blockLength,
        final boolean variable)
    {
        if (NAME[templateId] != null)
        {
            throw new IllegalStateException("template " + templateId + " twice");
        }
        NAME[templateId] = name;
        DIRECTION[templateId] = direction;
        SINCE_VERSION[templateId] = sinceVersion;
        for (int version = OLDEST_VERSION; version <= SCHEMA_VERSION; version++)
        {
            BLOCK_LENGTH[version][templateId] = blockLength;
        }
        VARIABLE[templateId] = variable;
    }

    /**
     * Records that fields were added at the end of a template's block at {@code version}: before it, the block
     * ended where the first of them starts.
     */
    private static void grewAt(final int templateId, final int version, final int lengthBefore)
    {
        for (int older = OLDEST_VERSION; older < version; older++)
        {
            BLOCK_LENGTH[older][templateId] = lengthBefore;
        }
    }

    /**
     * @return true if the template exists at this version and the given side may send it
     */
    public static boolean isKnown(final int templateId, final int version, final int from)
    {
        return templateId >= 0 && templateId <= MAX_TEMPLATE_ID && NAME[templateId] != null &&
            (DIRECTION[templateId] & from) != 0 && version >= SINCE_VERSION[templateId] &&
            version >= OLDEST_VERSION && version <= SCHEMA_VERSION;
    }

    /**
     * @return the block length of a known template at a version this build speaks
     */
    public static int blockLength(final int templateId, final int version)
    {
        return BLOCK_LENGTH[version][templateId];
    }

    /**
     * @return true if variable-length data or repeating groups follow the template's block
     */
    public static boolean hasVariablePart(final int templateId)
    {
        return VARIABLE[templateId];
    }

    /**
     * @return the template's name, or null if there is no such template
     */
    public static String name(final int templateId)
    {
        return templateId >= 0 && templateId <= MAX_TEMPLATE_ID ? NAME[templateId] : null;
    }
}
