package io.rollbook.matcher.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.AccountConfiguredDecoder;
import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.CommandRejectedDecoder;
import io.rollbook.protocol.engine.FeeTierDefinedDecoder;
import io.rollbook.protocol.engine.MarketDefinedDecoder;
import io.rollbook.protocol.engine.MassCanceledDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OracleUpdatedDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.TradeDecoder;
import io.rollbook.protocol.json.JsonEvents;
import org.agrona.DirectBuffer;

/**
 * Compares the events two matchers wrote for one command, byte for byte, and renders them as JSON when they
 * differ.
 *
 * <p>Only the event types in the compared set take part: every event of the order book, the oracle, fees, balances,
 * accounts and markets. The events only the risk engine writes — positions after fills, funding, liquidations,
 * position transfers — fall outside the set and are skipped, so the order-book events stay compared while the
 * reference does not model margin.
 */
public final class BookEvents
{
    /** The events the reference writes: the order book's, the oracle's, balances', accounts', markets', fee tiers'. */
    public static final Set<Integer> COMPARED_TEMPLATES = Set.of(
        OrderAcceptedDecoder.TEMPLATE_ID,
        CommandRejectedDecoder.TEMPLATE_ID,
        TradeDecoder.TEMPLATE_ID,
        OrderCanceledDecoder.TEMPLATE_ID,
        OrderRestingDecoder.TEMPLATE_ID,
        OrderAmendedDecoder.TEMPLATE_ID,
        MassCanceledDecoder.TEMPLATE_ID,
        OracleUpdatedDecoder.TEMPLATE_ID,
        BalanceChangedDecoder.TEMPLATE_ID,
        AccountConfiguredDecoder.TEMPLATE_ID,
        MarketDefinedDecoder.TEMPLATE_ID,
        FeeTierDefinedDecoder.TEMPLATE_ID);

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final JsonEvents json;

    /**
     * @param markets the markets, for rendering prices and sizes in their units
     */
    public BookEvents(final List<MarketSpec> markets)
    {
        this.json = new JsonEvents(new MarketDirectory(markets));
    }

    /**
     * @return true if both event sequences hold the same compared events, byte for byte, in the same order
     */
    public boolean same(
        final DirectBuffer expected, final int expectedLength, final DirectBuffer actual, final int actualLength)
    {
        final List<int[]> expectedEvents = compared(expected, expectedLength);
        final List<int[]> actualEvents = compared(actual, actualLength);
        if (expectedEvents.size() != actualEvents.size())
        {
            return false;
        }
        for (int i = 0; i < expectedEvents.size(); i++)
        {
            final int[] a = expectedEvents.get(i);
            final int[] b = actualEvents.get(i);
            if (a[1] != b[1])
            {
                return false;
            }
            for (int j = 0; j < a[1]; j++)
            {
                if (expected.getByte(a[0] + j) != actual.getByte(b[0] + j))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /**
     * @return the events as JSON lines, one per event, with those outside the compared set marked
     */
    public String render(final long sequence, final DirectBuffer buffer, final int length)
    {
        final StringBuilder out = new StringBuilder();
        int position = 0;
        while (position < length)
        {
            header.wrap(buffer, position);
            final int eventLength = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
            if (!COMPARED_TEMPLATES.contains(header.templateId()))
            {
                out.append("  (not compared) ");
            }
            else
            {
                out.append("  ");
            }
            try
            {
                json.append(out, sequence, buffer, position);
            }
            catch (final RuntimeException ex)
            {
                out.append("template ").append(header.templateId()).append(" that JSON cannot render: ")
                    .append(ex.getMessage());
            }
            out.append('\n');
            position += eventLength;
        }

        return out.length() == 0 ? "  (no events)\n" : out.toString();
    }

    /**
     * @return offset and length of each compared event
     */
    private List<int[]> compared(final DirectBuffer buffer, final int length)
    {
        final List<int[]> events = new ArrayList<>();
        int position = 0;
        while (position < length)
        {
            header.wrap(buffer, position);
            final int eventLength = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
            if (COMPARED_TEMPLATES.contains(header.templateId()))
            {
                events.add(new int[] {position, eventLength});
            }
            position += eventLength;
        }

        return events;
    }
}
