package io.rollbook.gateway.system;

import java.util.function.ToLongFunction;

import io.rollbook.client.ClientListener;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.RejectReason;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Sends one operator message on {@code operator} (a session with this listener) and waits for its ack, which
     * must accept it.
     */
    void expectAccepted(final RollbookClient operator, final ToLongFunction<RollbookClient> send)
    {
        final int before = count;
        final long seqNo = send.applyAsLong(operator);
        assertTrue(seqNo > 0, "sent");
        operator.flush();
        operator.await(() -> count > before, 10_000, "the operator ack");
        assertEquals(seqNo, refSeqNo);
        assertEquals(RejectReason.NULL_VAL, reason, "accepted, detail " + detail);
    }
}
