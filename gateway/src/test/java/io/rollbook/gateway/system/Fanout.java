package io.rollbook.gateway.system;

import io.rollbook.client.ClientListener;
import io.rollbook.client.LocalOrderBook;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.ExecutionAmendedDecoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.MarketDataTradeDecoder;
import io.rollbook.protocol.orderentry.MassCancelReportDecoder;
import io.rollbook.protocol.orderentry.RetransmissionDecoder;

/**
 * Passes what a client delivers to two listeners.
 */
final class Fanout implements ClientListener
{
    private final ClientListener first;
    private final ClientListener second;

    Fanout(final ClientListener first, final ClientListener second)
    {
        this.first = first;
        this.second = second;
    }

    @Override
    public void onExecutionNew(final ExecutionNewDecoder report)
    {
        first.onExecutionNew(report);
        second.onExecutionNew(report);
    }

    @Override
    public void onExecutionTrade(final ExecutionTradeDecoder report)
    {
        first.onExecutionTrade(report);
        second.onExecutionTrade(report);
    }

    @Override
    public void onExecutionRested(final ExecutionRestedDecoder report)
    {
        first.onExecutionRested(report);
        second.onExecutionRested(report);
    }

    @Override
    public void onExecutionCanceled(final ExecutionCanceledDecoder report)
    {
        first.onExecutionCanceled(report);
        second.onExecutionCanceled(report);
    }

    @Override
    public void onExecutionAmended(final ExecutionAmendedDecoder report)
    {
        first.onExecutionAmended(report);
        second.onExecutionAmended(report);
    }

    @Override
    public void onExecutionRejected(final ExecutionRejectedDecoder report)
    {
        first.onExecutionRejected(report);
        second.onExecutionRejected(report);
    }

    @Override
    public void onMassCancelReport(final MassCancelReportDecoder report)
    {
        first.onMassCancelReport(report);
        second.onMassCancelReport(report);
    }

    @Override
    public void onBusinessReject(final BusinessRejectDecoder reject)
    {
        first.onBusinessReject(reject);
        second.onBusinessReject(reject);
    }

    @Override
    public void onMarketTrade(final LocalOrderBook book, final MarketDataTradeDecoder trade)
    {
        first.onMarketTrade(book, trade);
        second.onMarketTrade(book, trade);
    }

    @Override
    public void onRetransmission(final RetransmissionDecoder retransmission)
    {
        first.onRetransmission(retransmission);
        second.onRetransmission(retransmission);
    }
}
