package io.rollbook.gateway.system;

import io.rollbook.client.ClientListener;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.RejectReason;

/**
 * An operator session's listener for system tests: counts the acks and keeps the last one's figures, and the last
 * business reject. Read on the thread that polls the client.
 */
final class OperatorAcks implements ClientListener
{
    int count;
    long refSeqNo;
    long sequence;
    RejectReason reason;
    long detail;
    int rejects;
    String rejectCode;
    String rejectText;

    @Override
    public void onOperatorAck(final OperatorAckDecoder ack)
    {
        count++;
        refSeqNo = ack.refSeqNo();
        sequence = ack.sequence();
        reason = ack.reason();
        detail = ack.detail();
    }

    @Override
    public void onBusinessReject(final BusinessRejectDecoder reject)
    {
        rejects++;
        rejectCode = reject.code().name();
        rejectText = reject.text();
    }
}
