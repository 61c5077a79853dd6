package io.rollbook.matcher.property;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.generator.CommandGenerator;
import io.rollbook.matcher.generator.CommandText;
import io.rollbook.matcher.generator.StreamProfile;
import io.rollbook.matcher.margin.MarginInvariants;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Collateral over the order-book streams, whose fee tiers the stream itself defines and redefines at random (a
 * free tier, rebates larger than some tiers' taker fees), so that every pairing of maker and taker tiers trades:
 * after every command all collateral, the fee account's and the insurance fund's included, sums exactly to
 * deposits less withdrawals and no account owes collateral without a position ({@link MarginInvariants}); and no
 * fill takes money out of the fee account (a rebate is paid out of the same fill's taker fee, docs/MARGIN.md), so
 * the venue can never pay out fees it did not take in. The risk-engine streams of {@code MarginPropertyTest} check
 * the invariants through funding and liquidations as well.
 */
class CollateralPropertyTest
{
    private static final int COMMANDS = 40_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31L, 33L, 34L})
    void collateralIsConservedAndNoFillDrainsTheFeeAccount(final long seed)
    {
        final StreamProfile profile = StreamProfile.standard();
        final CommandGenerator generator = new CommandGenerator(profile, seed);
        final Matcher matcher = new Matcher(profile.context());
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(64 * 1024);
        final EventWriter writer = new EventWriter();
        final FeeCheck fees = new FeeCheck();

        for (long sequence = 1; sequence <= COMMANDS; sequence++)
        {
            final int length = generator.next(command, 0);
            writer.wrap(events, 0);
            matcher.execute(sequence, sequence, command, 0, length, writer);
            generator.onEvents(events, 0, writer.position());
            try
            {
                fees.check(events, writer.position());
                MarginInvariants.check(matcher);
            }
            catch (final AssertionError ex)
            {
                fail("seed " + seed + ", sequence " + sequence + " (" + CommandText.describe(command, 0, length) +
                    "): " + ex.getMessage(), ex);
            }
        }
        assertTrue(fees.rebatesCapped > 0, "seed " + seed + ": no fill paired a rebate with a smaller taker fee");
    }

    private static final class FeeCheck
    {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final TradeDecoder trade = new TradeDecoder();
        int rebatesCapped;

        void check(final DirectBuffer buffer, final int length)
        {
            int offset = 0;
            while (offset < length)
            {
                header.wrap(buffer, offset);
                final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
                if (header.templateId() == TradeDecoder.TEMPLATE_ID)
                {
                    trade.wrap(buffer, body, header.blockLength(), header.version());
                    final long net = trade.makerFeeMicros() + trade.takerFeeMicros();
                    if (net < 0)
                    {
                        throw new AssertionError("trade " + trade.tradeId() + " pays a rebate of " +
                            -trade.makerFeeMicros() + " micro-USDC out of a taker fee of " + trade.takerFeeMicros());
                    }
                    if (net == 0 && trade.makerFeeMicros() < 0)
                    {
                        rebatesCapped++;
                    }
                }
                offset = body + header.blockLength();
            }
        }
    }
}
