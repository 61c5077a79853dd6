package io.rollbook.matcher.reference;

import java.util.Objects;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.generator.CommandGenerator;
import io.rollbook.matcher.generator.CommandText;
import io.rollbook.matcher.generator.StreamProfile;
import io.rollbook.matcher.market.Market;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.FundingAppliedDecoder;
import io.rollbook.protocol.engine.LiquidationStartedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.PositionTransferredDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fast matcher and the {@link ReferenceMatcher} execute the same seeded random streams and must write the
 * same events, byte for byte, for every command, and then hold the same number of resting orders and the same best
 * prices. A failure names the seed and the sequence number and shows the command and both event lists as JSON.
 */
class DifferentialTest
{
    private static final int COMMANDS = 120_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 0x5EEDL, 20_261_122L})
    void fastAndReferenceMatchersEmitTheSameEvents(final long seed)
    {
        final StreamProfile profile = StreamProfile.standard();
        final CommandGenerator generator = new CommandGenerator(profile, seed);
        final Matcher fast = new Matcher(profile.context());
        final ReferenceMatcher reference = new ReferenceMatcher(profile.context());
        final BookEvents bookEvents = new BookEvents(profile.marketSpecs());
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        final ExpandableArrayBuffer fastEvents = new ExpandableArrayBuffer(64 * 1024);
        final ExpandableArrayBuffer referenceEvents = new ExpandableArrayBuffer(64 * 1024);
        final EventWriter fastWriter = new EventWriter();
        final EventWriter referenceWriter = new EventWriter();

        for (long sequence = 1; sequence <= COMMANDS; sequence++)
        {
            final int length = generator.next(command, 0);
            fastWriter.wrap(fastEvents, 0);
            fast.execute(sequence, sequence, command, 0, length, fastWriter);
            generator.onEvents(fastEvents, 0, fastWriter.position());
            referenceWriter.wrap(referenceEvents, 0);
            reference.execute(sequence, sequence, command, 0, length, referenceWriter);

            if (!bookEvents.same(referenceEvents, referenceWriter.position(), fastEvents, fastWriter.position()))
            {
                fail("seed " + seed + ", sequence " + sequence + ": the matcher and the reference disagree on\n  " +
                    CommandText.describe(command, 0, length) + "\nreference:\n" +
                    bookEvents.render(sequence, referenceEvents, referenceWriter.position()) + "matcher:\n" +
                    bookEvents.render(sequence, fastEvents, fastWriter.position()));
            }
            final String riskEvent = riskEngineEvent(fastEvents, fastWriter.position());
            if (riskEvent != null)
            {
                fail("seed " + seed + ", sequence " + sequence + ": the stream reached the risk engine (" + riskEvent +
                    "), which it must stay clear of; the profile's deposits or limits are too tight\n" +
                    bookEvents.render(sequence, fastEvents, fastWriter.position()));
            }
            final String stateDifference = stateDifference(profile, fast, reference);
            if (stateDifference != null)
            {
                fail("seed " + seed + ", sequence " + sequence + ": same events, but " + stateDifference +
                    " after\n  " + CommandText.describe(command, 0, length));
            }
        }
    }

    /**
     * @return the kind of the first event only margin, funding or liquidation writes, or null
     */
    private static String riskEngineEvent(final DirectBuffer events, final int length)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
        int position = 0;
        while (position < length)
        {
            header.wrap(events, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            switch (header.templateId())
            {
                case LiquidationStartedDecoder.TEMPLATE_ID:
                    return "a liquidation";
                case PositionTransferredDecoder.TEMPLATE_ID:
                    return "a position transfer";
                case FundingAppliedDecoder.TEMPLATE_ID:
                    return "funding";
                case OrderCanceledDecoder.TEMPLATE_ID:
                    canceled.wrap(events, body, header.blockLength(), header.version());
                    if (canceled.reason() == CancelReason.INSUFFICIENT_MARGIN ||
                        canceled.reason() == CancelReason.REDUCE_ONLY || canceled.reason() == CancelReason.LIQUIDATION)
                    {
                        return "an order canceled for " + canceled.reason();
                    }
                    break;
                default:
                    break;
            }
            position = body + header.blockLength();
        }

        return null;
    }

    /**
     * What the events cannot show directly: how many orders rest, and the best prices of every book.
     */
    private static String stateDifference(
        final StreamProfile profile, final Matcher fast, final ReferenceMatcher reference)
    {
        if (fast.liveOrderCount() != reference.liveOrderCount())
        {
            return "the matcher has " + fast.liveOrderCount() + " orders resting, the reference " +
                reference.liveOrderCount();
        }
        for (final MarketSpec spec : profile.marketSpecs())
        {
            final Market market = fast.market(spec.id());
            final Long bestBid = market == null || market.book().bids().best() == null ? null :
                market.book().bids().best().priceTicks();
            final Long bestAsk = market == null || market.book().asks().best() == null ? null :
                market.book().asks().best().priceTicks();
            if (!Objects.equals(bestBid, reference.bestBid(spec.id())) ||
                !Objects.equals(bestAsk, reference.bestAsk(spec.id())))
            {
                return spec.symbol() + " has best bid/ask " + bestBid + "/" + bestAsk + " in the matcher, " +
                    reference.bestBid(spec.id()) + "/" + reference.bestAsk(spec.id()) + " in the reference";
            }
        }

        return null;
    }
}
