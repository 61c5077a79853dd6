package io.rollbook.matcher.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.reference.RiskEngineScope;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.RejectReason;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated streams are reproducible from their seed, and they reach every rule of the order book: every
 * rejection and cancel reason outside the risk engine's, every order type, time in force and self-trade
 * prevention mode, and both kinds of amend.
 * Without this, agreement between two matchers on these streams would prove little.
 */
class CommandStreamTest
{
    private static final int COMMANDS = 100_000;

    @Test
    void sameSeedGivesTheSameCommandsAndOtherSeedsDoNot()
    {
        final StreamProfile profile = StreamProfile.standard();
        final CommandStream first = CommandStream.generate(profile, 77, 20_000);
        final CommandStream again = CommandStream.generate(profile, 77, 20_000);
        final CommandStream other = CommandStream.generate(profile, 78, 20_000);

        assertEquals(20_000, first.count());
        assertEquals(commands(first), commands(again));
        assertNotEquals(commands(first), commands(other));
    }

    @Test
    void streamReachesEveryRule()
    {
        final CommandStream stream = CommandStream.generate(StreamProfile.standard(), 5, COMMANDS);
        final Matcher matcher = new Matcher(stream.profile().context());
        final EventWriter writer = new EventWriter();
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(64 * 1024);
        final EventCounts counts = new EventCounts();
        stream.forEach((sequence, buffer, offset, length) ->
        {
            writer.wrap(events, 0);
            matcher.execute(sequence, sequence, buffer, offset, length, writer);
            counts.onEvents(events, 0, writer.position());
        });

        final List<String> missing = new ArrayList<>();
        for (final RejectReason reason : RejectReason.values())
        {
            if (reason != RejectReason.NULL_VAL && !RiskEngineScope.REJECTIONS.contains(reason) &&
                counts.rejections(reason) == 0)
            {
                missing.add(reason.name());
            }
        }
        for (final CancelReason reason : CancelReason.values())
        {
            if (reason != CancelReason.NULL_VAL && !RiskEngineScope.CANCELS.contains(reason) &&
                counts.cancels(reason) == 0)
            {
                missing.add(reason.name());
            }
        }
        for (final String kind : List.of("accepted LIMIT GTC", "accepted LIMIT GTC postOnly", "accepted LIMIT IOC",
            "accepted LIMIT FOK", "accepted MARKET IOC", "accepted MARKET FOK", "accepted stp EXPIRE_TAKER",
            "accepted stp EXPIRE_MAKER", "accepted stp EXPIRE_BOTH", "amend kept priority", "amend lost priority",
            "stp maker canceled", "stp taker canceled", "mass cancel hit orders"))
        {
            if (counts.other(kind) == 0)
            {
                missing.add(kind);
            }
        }
        assertEquals(List.of(), missing, "never seen in " + COMMANDS + " commands:\n" + counts);
        assertEquals(0, counts.other("self trade"), "an account traded with itself");
        assertTrue(counts.template(TradeDecoder.TEMPLATE_ID) > COMMANDS / 10, counts.toString());
        assertTrue(counts.template(OrderAmendedDecoder.TEMPLATE_ID) > COMMANDS / 20, counts.toString());
        assertTrue(counts.rejections(RejectReason.UNKNOWN_ORDER) < COMMANDS / 10,
            "cancels and amends should mostly find live orders:\n" + counts);
    }

    private static List<String> commands(final CommandStream stream)
    {
        final List<String> commands = new ArrayList<>();
        stream.forEach((sequence, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            commands.add(sequence + ":" + Arrays.toString(bytes));
        });
        return commands;
    }
}
