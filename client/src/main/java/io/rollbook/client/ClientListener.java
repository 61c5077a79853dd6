package io.rollbook.client;

import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.ExecutionAmendedDecoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.MarketDataBookUpdateDecoder;
import io.rollbook.protocol.orderentry.MarketDataRejectCode;
import io.rollbook.protocol.orderentry.MarketDataTradeDecoder;
import io.rollbook.protocol.orderentry.MassCancelReportDecoder;
import io.rollbook.protocol.orderentry.OperatorAckDecoder;
import io.rollbook.protocol.orderentry.RetransmissionDecoder;
import io.rollbook.protocol.orderentry.TerminationCode;

/**
 * What a {@link RollbookClient} delivers, on the thread that calls {@link RollbookClient#poll()}. Execution reports
 * arrive in journal order, each exactly once, retransmitted ones included; the decoders are flyweights over the
 * receive buffer, valid only during the call. Every method has an empty default.
 */
public interface ClientListener
{
    default void onExecutionNew(final ExecutionNewDecoder report)
    {
    }

    default void onExecutionTrade(final ExecutionTradeDecoder report)
    {
    }

    default void onExecutionRested(final ExecutionRestedDecoder report)
    {
    }

    default void onExecutionCanceled(final ExecutionCanceledDecoder report)
    {
    }

    default void onExecutionAmended(final ExecutionAmendedDecoder report)
    {
    }

    default void onExecutionRejected(final ExecutionRejectedDecoder report)
    {
    }

    default void onMassCancelReport(final MassCancelReportDecoder report)
    {
    }

    /**
     * The gateway refused a message before it reached the sequencer. Read the text last ({@code reject.text()}).
     */
    default void onBusinessReject(final BusinessRejectDecoder reject)
    {
    }

    default void onOperatorAck(final OperatorAckDecoder ack)
    {
    }

    /**
     * A chunk of retransmitted reports begins; they follow, then live ones.
     */
    default void onRetransmission(final RetransmissionDecoder retransmission)
    {
    }

    /**
     * A market's book was rebuilt from a snapshot.
     */
    default void onSnapshot(final LocalOrderBook book)
    {
    }

    /**
     * A price level changed; {@code book} already reflects it.
     */
    default void onBookUpdate(final LocalOrderBook book, final MarketDataBookUpdateDecoder update)
    {
    }

    default void onMarketTrade(final LocalOrderBook book, final MarketDataTradeDecoder trade)
    {
    }

    /**
     * The channel sequence jumped: the book is stale until the snapshot the client asked for arrives.
     */
    default void onGap(final LocalOrderBook book, final long expectedChannelSeq, final long receivedChannelSeq)
    {
    }

    /**
     * The server refused a market data subscription; {@code NULL_VAL} for a code this client does not know (a newer
     * server's).
     */
    default void onMarketDataReject(final int market, final MarketDataRejectCode code)
    {
    }

    /**
     * The server ended the session; {@code NULL_VAL} for a code this client does not know (a newer server's), its
     * number then at the start of the text.
     */
    default void onTerminated(final TerminationCode code, final String text)
    {
    }

    /**
     * The connection is gone (after a termination, a network failure, a server silent for three keep-alive intervals,
     * or a protocol error on either side).
     */
    default void onDisconnected(final String reason)
    {
    }
}
