package io.rollbook.matcher.property;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.rollbook.matcher.Matcher;
import io.rollbook.matcher.book.BookSide;
import io.rollbook.matcher.book.Order;
import io.rollbook.matcher.book.PriceLevel;
import io.rollbook.matcher.event.EventWriter;
import io.rollbook.matcher.generator.CommandGenerator;
import io.rollbook.matcher.generator.CommandText;
import io.rollbook.matcher.generator.StreamProfile;
import io.rollbook.matcher.market.Market;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.Side;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The invariants of docs/MATCHING.md, checked after every command of seeded random streams through the fast
 * matcher: the book is never crossed at rest; size conservation per order; price-time priority of every fill
 * (both checked by {@link EventModel} from the events alone); and the books themselves hold exactly the queues the
 * events describe, level by level and order by order, with the open sizes the events give. A failure names the
 * seed and the sequence number.
 */
class BookPropertiesTest
{
    private static final int COMMANDS = 60_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11L, 12L, 13L, 0xB00CL})
    void invariantsHoldAfterEveryCommand(final long seed)
    {
        final StreamProfile profile = StreamProfile.standard();
        final CommandGenerator generator = new CommandGenerator(profile, seed);
        final Matcher matcher = new Matcher(profile.context());
        final EventModel model = new EventModel();
        final ExpandableArrayBuffer command = new ExpandableArrayBuffer(256);
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(64 * 1024);
        final EventWriter writer = new EventWriter();

        for (long sequence = 1; sequence <= COMMANDS; sequence++)
        {
            final int length = generator.next(command, 0);
            writer.wrap(events, 0);
            matcher.execute(sequence, sequence, command, 0, length, writer);
            generator.onEvents(events, 0, writer.position());
            try
            {
                model.onCommand(events, writer.position());
                checkBooks(matcher, profile, model);
            }
            catch (final AssertionError ex)
            {
                fail("seed " + seed + ", sequence " + sequence + " (" + CommandText.describe(command, 0, length) +
                    "): " + ex.getMessage(), ex);
            }
        }
    }

    private static void checkBooks(final Matcher matcher, final StreamProfile profile, final EventModel model)
    {
        int resting = 0;
        for (final MarketSpec spec : profile.marketSpecs())
        {
            final Market market = matcher.market(spec.id());
            if (market == null)
            {
                continue;
            }
            final BookSide bids = market.book().bids();
            final BookSide asks = market.book().asks();
            if (bids.best() != null && asks.best() != null && bids.best().priceTicks() >= asks.best().priceTicks())
            {
                throw new AssertionError("market " + spec.symbol() + " is crossed at rest: best bid " +
                    bids.best().priceTicks() + ", best ask " + asks.best().priceTicks());
            }
            resting += sameQueues(spec.symbol() + " bids", bids, model.queues(spec.id(), Side.BUY), model);
            resting += sameQueues(spec.symbol() + " asks", asks, model.queues(spec.id(), Side.SELL), model);
        }
        if (resting != matcher.liveOrderCount())
        {
            throw new AssertionError(matcher.liveOrderCount() + " live orders, but " + resting + " on the books");
        }
    }

    /**
     * @return how many orders rest on the side
     */
    private static int sameQueues(
        final String name, final BookSide side, final TreeMap<Long, List<Long>> expected, final EventModel model)
    {
        if (side.levelCount() != expected.size())
        {
            throw new AssertionError(name + ": " + side.levelCount() + " levels, the events give " + expected.size());
        }
        int depth = 0;
        int orders = 0;
        for (final Map.Entry<Long, List<Long>> expectedLevel : expected.entrySet())
        {
            final PriceLevel level = side.levelAtDepth(depth);
            final String where = name + " level " + depth + " @ " + level.priceTicks();
            if (level.priceTicks() != expectedLevel.getKey())
            {
                throw new AssertionError(where + ": the events put level " + depth + " at " + expectedLevel.getKey());
            }
            long totalLots = 0;
            int index = 0;
            for (Order order = level.head(); order != null; order = order.nextInLevel())
            {
                final List<Long> queue = expectedLevel.getValue();
                if (index >= queue.size() || queue.get(index) != order.orderId())
                {
                    throw new AssertionError(where + ": order " + order.orderId() + " at place " + index +
                        ", the events give the queue " + queue);
                }
                if (order.remainingLots() != model.openLots(order.orderId()))
                {
                    throw new AssertionError(where + ": order " + order.orderId() + " has " + order.remainingLots() +
                        " open, the events give " + model.openLots(order.orderId()));
                }
                totalLots += order.remainingLots();
                index++;
            }
            if (index != expectedLevel.getValue().size() || index != level.orderCount() ||
                totalLots != level.totalLots())
            {
                throw new AssertionError(where + ": " + index + " orders linked, " + level.orderCount() +
                    " counted, " + level.totalLots() + " lots counted, " + totalLots + " linked, the events give " +
                    expectedLevel.getValue());
            }
            orders += index;
            depth++;
        }

        return orders;
    }
}
