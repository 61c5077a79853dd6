package io.rollbook.gateway.system;

import java.util.ArrayList;
import java.util.List;

import io.rollbook.client.ClientListener;
import io.rollbook.client.JournalPosition;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.ExecutionAmendedDecoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.MassCancelReportDecoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.TerminationCode;

/**
 * Records what a client delivers as short lines, with each report's journal position, for assertions.
 */
final class Recorder implements ClientListener
{
    final List<String> lines = new ArrayList<>();
    final List<JournalPosition> positions = new ArrayList<>();
    final List<String> reports = new ArrayList<>();
    TerminationCode terminated;
    String terminationText;
    String disconnected;

    private void report(final long sequence, final int eventIndex, final String line)
    {
        positions.add(new JournalPosition(sequence, eventIndex));
        lines.add(line);
        reports.add(line);
    }

    synchronized int count(final String prefix)
    {
        int n = 0;
        for (final String line : lines)
        {
            if (line.startsWith(prefix))
            {
                n++;
            }
        }
        return n;
    }

    synchronized int count(final String prefix, final String containing)
    {
        int n = 0;
        for (final String line : lines)
        {
            if (line.startsWith(prefix) && line.contains(containing))
            {
                n++;
            }
        }
        return n;
    }

    String last()
    {
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    @Override
    public void onExecutionNew(final ExecutionNewDecoder r)
    {
        report(r.sequence(), r.eventIndex(), "new " + ClientOrderIds.toString(r.clientOrderId()) + " order=" +
            r.orderId() + " " + r.side() + " " + r.sizeLots() + "@" + r.priceTicks() + " " + r.timeInForce());
    }

    @Override
    public void onExecutionTrade(final ExecutionTradeDecoder r)
    {
        report(r.sequence(), r.eventIndex(), "trade " + ClientOrderIds.toString(r.clientOrderId()) + " " + r.side() +
            " " + r.sizeLots() + "@" + r.priceTicks() + " leaves=" + r.leavesLots() + " " + r.liquidity());
    }

    @Override
    public void onExecutionRested(final ExecutionRestedDecoder r)
    {
        report(r.sequence(), r.eventIndex(), "rested " + ClientOrderIds.toString(r.clientOrderId()) + " " +
            r.leavesLots() + "@" + r.priceTicks());
    }

    @Override
    public void onExecutionCanceled(final ExecutionCanceledDecoder r)
    {
        report(r.sequence(), r.eventIndex(), "canceled " + ClientOrderIds.toString(r.clientOrderId()) + " " +
            r.canceledLots() + " " + r.reason());
    }

    @Override
    public void onExecutionAmended(final ExecutionAmendedDecoder r)
    {
        report(r.sequence(), r.eventIndex(), "amended " + ClientOrderIds.toString(r.clientOrderId()) + " " +
            r.sizeLots() + "@" + r.priceTicks() + " leaves=" + r.leavesLots() + " kept=" + r.priorityKept());
    }

    @Override
    public void onExecutionRejected(final ExecutionRejectedDecoder r)
    {
        report(r.sequence(), r.eventIndex(), "rejected " + (r.clientOrderId() == ExecutionRejectedDecoder.clientOrderIdNullValue() ?
            "-" : ClientOrderIds.toString(r.clientOrderId())) + " " + r.reason() + " ref=" + r.refSeqNo());
    }

    @Override
    public void onMassCancelReport(final MassCancelReportDecoder r)
    {
        report(r.sequence(), r.eventIndex(), "massCanceled " + r.count());
    }

    @Override
    public void onBusinessReject(final BusinessRejectDecoder r)
    {
        final String line = "business " + r.code() + " ref=" + r.refSeqNo() + " status=" + r.orderStatus() +
            " order=" + r.orderId() + " " + r.text();
        lines.add(line);
    }

    @Override
    public void onOperatorAck(final OperatorAckDecoder ack)
    {
        lines.add("operatorAck " + ack.reason() + " " + ack.detail());
    }

    @Override
    public void onTerminated(final TerminationCode code, final String text)
    {
        terminated = code;
        terminationText = text;
    }

    @Override
    public void onDisconnected(final String reason)
    {
        disconnected = reason;
    }
}
