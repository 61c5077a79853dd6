package io.rollbook.gateway.binary;

/**
 * The layouts of the messages the binary gateway's threads hand to an event loop through its
 * {@link io.rollbook.gateway.core.EventLoopOutbox}. All little-endian; the order-entry message (SBE header
 * included, framing header not) follows the prefix.
 *
 * <pre>
 *  REPORT          int account, int eventIndex, long sequence, long source, message
 *                  to every established session of the account on the loop whose live cut is below the sequence
 *  MARKET_DATA     int market, int reserved, long channelSeq, message
 *                  to every subscriber of the market on the loop whose snapshot is below the channel sequence
 *  DIRECT          int connection, int flags, message                  to one connection (operator acks, rejects)
 *  RETRANSMISSION  int connection, int flags, then (int length, message) repeated: the Retransmission message, then
 *                  the reports it announces, written to the connection back to back
 * </pre>
 */
final class Outbox
{
    static final int REPORT = 1;
    static final int MARKET_DATA = 2;
    static final int DIRECT = 3;
    static final int RETRANSMISSION = 4;

    static final int REPORT_ACCOUNT = 0;
    static final int REPORT_EVENT_INDEX = 4;
    static final int REPORT_SEQUENCE = 8;
    static final int REPORT_SOURCE = 16;
    static final int REPORT_MESSAGE = 24;

    static final int MD_MARKET = 0;
    static final int MD_CHANNEL_SEQ = 8;
    static final int MD_MESSAGE = 16;

    static final int DIRECT_CONNECTION = 0;
    static final int DIRECT_FLAGS = 4;
    static final int DIRECT_MESSAGE = 8;

    /** The message answers the connection's retransmission request: it may ask again. A refusal goes as a loop task. */
    static final int FLAG_ENDS_RETRANSMISSION = 1;

    private Outbox()
    {
    }
}
