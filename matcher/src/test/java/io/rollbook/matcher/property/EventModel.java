package io.rollbook.matcher.property;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.rollbook.protocol.engine.BooleanType;
import io.rollbook.protocol.engine.CancelReason;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.OrderAcceptedDecoder;
import io.rollbook.protocol.engine.OrderAmendedDecoder;
import io.rollbook.protocol.engine.OrderCanceledDecoder;
import io.rollbook.protocol.engine.OrderRestingDecoder;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TradeDecoder;
import org.agrona.DirectBuffer;

/**
 * What the events say about every order and every book, built only from the events, and checked against the
 * rules of docs/MATCHING.md as each event arrives:
 *
 * <ul>
 * <li>size conservation: for every order, filled + open + canceled = ordered, where an amend re-bases "ordered"
 *     to its new total size; every size an event reports agrees with the sizes before it;</li>
 * <li>price-time priority: every fill (and every maker that self-trade prevention cancels) is the oldest order
 *     of the best price level of a queue model that orders join at the back when they come to rest and leave
 *     when filled or canceled; an amend that keeps priority keeps the place, any other sends the order to the
 *     back of its new level; every fill is at the maker's price and within the taker's limit;</li>
 * <li>every order accepted by a command ends that command either resting with open size or done (filled or
 *     canceled), and every order on a queue is open.</li>
 * </ul>
 *
 * <p>A violation throws {@link AssertionError} saying which rule and which order. Not thread-safe.
 */
final class EventModel
{
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final OrderAcceptedDecoder accepted = new OrderAcceptedDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final OrderCanceledDecoder canceled = new OrderCanceledDecoder();
    private final OrderRestingDecoder resting = new OrderRestingDecoder();
    private final OrderAmendedDecoder amended = new OrderAmendedDecoder();

    private final Map<Long, Ledger> orders = new HashMap<>();
    private final Map<Integer, Queues> books = new HashMap<>();
    private final List<Ledger> touched = new ArrayList<>();

    /**
     * Applies the events of one command, checking each.
     */
    void onCommand(final DirectBuffer buffer, final int length)
    {
        touched.clear();
        int position = 0;
        while (position < length)
        {
            header.wrap(buffer, position);
            final int body = position + MessageHeaderDecoder.ENCODED_LENGTH;
            final int blockLength = header.blockLength();
            final int version = header.version();
            switch (header.templateId())
            {
                case OrderAcceptedDecoder.TEMPLATE_ID:
                    onAccepted(accepted.wrap(buffer, body, blockLength, version));
                    break;
                case TradeDecoder.TEMPLATE_ID:
                    onTrade(trade.wrap(buffer, body, blockLength, version));
                    break;
                case OrderCanceledDecoder.TEMPLATE_ID:
                    onCanceled(canceled.wrap(buffer, body, blockLength, version));
                    break;
                case OrderRestingDecoder.TEMPLATE_ID:
                    onResting(resting.wrap(buffer, body, blockLength, version));
                    break;
                case OrderAmendedDecoder.TEMPLATE_ID:
                    onAmended(amended.wrap(buffer, body, blockLength, version));
                    break;
                default:
                    break;
            }
            position = body + blockLength;
        }

        for (final Ledger order : touched)
        {
            check(order.filled + order.open + order.canceled == order.ordered, order,
                "filled " + order.filled + " + open " + order.open + " + canceled " + order.canceled +
                    " != ordered " + order.ordered);
            check(order.open == 0 || order.onQueue, order, "has open size " + order.open + " but is not resting");
            check(order.open > 0 || !order.onQueue, order, "rests with nothing open");
            if (order.open == 0)
            {
                orders.remove(order.orderId);
            }
        }
    }

    /**
     * @return the queue model of one side of one market, best price first, each level oldest first; empty when
     * nothing rests there
     */
    TreeMap<Long, List<Long>> queues(final int market, final Side side)
    {
        final Queues queues = books.get(market);
        if (queues == null)
        {
            return new TreeMap<>();
        }
        return side == Side.BUY ? queues.bids : queues.asks;
    }

    /**
     * @return the open size the events give an order that rests, or -1 when the model does not know it
     */
    long openLots(final long orderId)
    {
        final Ledger order = orders.get(orderId);
        return order == null ? -1 : order.open;
    }

    private void onAccepted(final OrderAcceptedDecoder event)
    {
        check(!orders.containsKey(event.orderId()), null, "order id " + event.orderId() + " accepted twice");
        final Ledger order = new Ledger(event.orderId(), event.market(), event.side(), event.priceTicks(),
            event.sizeLots());
        orders.put(order.orderId, order);
        touch(order);
    }

    private void onTrade(final TradeDecoder event)
    {
        final Ledger maker = known(event.makerOrderId());
        final Ledger taker = known(event.takerOrderId());
        final long lots = event.sizeLots();
        check(lots > 0, maker, "trade " + event.tradeId() + " of " + lots + " lots");
        check(maker.side == event.makerSide() && taker.side != maker.side, maker,
            "trade " + event.tradeId() + " between orders on sides " + maker.side + " and " + taker.side);
        check(!taker.onQueue, taker, "trades as a taker while resting");

        final TreeMap<Long, List<Long>> makerSide = queues(maker.market, maker.side);
        check(!makerSide.isEmpty() && makerSide.firstEntry().getValue().get(0) == maker.orderId, maker,
            "trade " + event.tradeId() + " fills it, but the oldest order of the best level is " +
                (makerSide.isEmpty() ? "none" : makerSide.firstEntry().getValue().get(0) + " at " +
                    makerSide.firstKey()));
        check(event.priceTicks() == maker.priceTicks, maker,
            "trade " + event.tradeId() + " at " + event.priceTicks() + ", not at the maker's price");
        check(taker.side == Side.BUY ? event.priceTicks() <= taker.priceTicks :
            event.priceTicks() >= taker.priceTicks, taker,
            "trade " + event.tradeId() + " at " + event.priceTicks() + " is beyond its limit " + taker.priceTicks);

        fill(maker, lots, event.makerRemainingLots(), event.tradeId());
        fill(taker, lots, event.takerRemainingLots(), event.tradeId());
        if (maker.open == 0)
        {
            dequeue(maker);
        }
    }

    private void fill(final Ledger order, final long lots, final long remainingLots, final long tradeId)
    {
        check(lots <= order.open, order, "trade " + tradeId + " fills " + lots + " of " + order.open + " open");
        order.filled += lots;
        order.open -= lots;
        check(remainingLots == order.open, order,
            "trade " + tradeId + " says " + remainingLots + " remain, the sizes before say " + order.open);
        touch(order);
    }

    private void onCanceled(final OrderCanceledDecoder event)
    {
        final Ledger order = known(event.orderId());
        final boolean wasResting = event.wasResting() == BooleanType.TRUE;
        check(wasResting == order.onQueue, order, "canceled with wasResting " + wasResting);
        check(event.canceledLots() == order.open && order.open > 0, order,
            "canceled " + event.canceledLots() + " lots with " + order.open + " open");
        if (wasResting && event.reason() == CancelReason.SELF_TRADE_PREVENTION)
        {
            final TreeMap<Long, List<Long>> side = queues(order.market, order.side);
            check(side.firstEntry().getValue().get(0) == order.orderId, order,
                "self-trade prevention canceled it, but it is not the oldest order of the best level");
        }
        if (order.onQueue)
        {
            dequeue(order);
        }
        order.canceled += order.open;
        order.open = 0;
        touch(order);
    }

    private void onResting(final OrderRestingDecoder event)
    {
        final Ledger order = known(event.orderId());
        check(!order.onQueue, order, "comes to rest twice");
        check(event.remainingLots() == order.open && order.open > 0, order,
            "rests " + event.remainingLots() + " lots with " + order.open + " open");
        check(event.priceTicks() == order.priceTicks, order, "rests at " + event.priceTicks());
        final TreeMap<Long, List<Long>> opposite = queues(order.market, order.side == Side.BUY ? Side.SELL : Side.BUY);
        check(opposite.isEmpty() || (order.side == Side.BUY ? opposite.firstKey() > order.priceTicks :
            opposite.firstKey() < order.priceTicks), order, "rests crossing the best opposite price " +
            (opposite.isEmpty() ? "" : opposite.firstKey()));
        books.computeIfAbsent(order.market, market -> new Queues())
            .side(order.side).computeIfAbsent(order.priceTicks, price -> new ArrayList<>()).add(order.orderId);
        order.onQueue = true;
        touch(order);
    }

    private void onAmended(final OrderAmendedDecoder event)
    {
        final Ledger order = known(event.orderId());
        check(order.onQueue, order, "amended while not resting");
        check(event.oldPriceTicks() == order.priceTicks && event.oldRemainingLots() == order.open, order,
            "amended from " + event.oldRemainingLots() + " @ " + event.oldPriceTicks());
        check(event.sizeLots() > order.filled && event.remainingLots() == event.sizeLots() - order.filled, order,
            "amended to size " + event.sizeLots() + " with " + event.remainingLots() + " open after " + order.filled +
                " filled");
        final boolean priorityKept = event.priorityKept() == BooleanType.TRUE;
        final boolean shouldKeep = event.priceTicks() == order.priceTicks && event.remainingLots() <= order.open;
        check(priorityKept == shouldKeep, order, "amend says priorityKept " + priorityKept);
        if (!priorityKept)
        {
            dequeue(order);
        }
        order.ordered = event.sizeLots();
        order.priceTicks = event.priceTicks();
        order.open = event.remainingLots();
        touch(order);
    }

    private void dequeue(final Ledger order)
    {
        final TreeMap<Long, List<Long>> side = queues(order.market, order.side);
        final List<Long> level = side.get(order.priceTicks);
        check(level != null && level.remove(order.orderId), order, "is not on its queue");
        if (level.isEmpty())
        {
            side.remove(order.priceTicks);
        }
        order.onQueue = false;
    }

    private Ledger known(final long orderId)
    {
        final Ledger order = orders.get(orderId);
        check(order != null, null, "an event names order " + orderId + ", which is not open");
        return order;
    }

    private void touch(final Ledger order)
    {
        if (!touched.contains(order))
        {
            touched.add(order);
        }
    }

    private static void check(final boolean condition, final Ledger order, final String problem)
    {
        if (!condition)
        {
            throw new AssertionError((order == null ? "" : order + ": ") + problem);
        }
    }

    /** The sizes of one order as the events told them. */
    private static final class Ledger
    {
        final long orderId;
        final int market;
        final Side side;
        long priceTicks;
        long ordered;
        long filled;
        long open;
        long canceled;
        boolean onQueue;

        Ledger(final long orderId, final int market, final Side side, final long priceTicks, final long sizeLots)
        {
            this.orderId = orderId;
            this.market = market;
            this.side = side;
            this.priceTicks = priceTicks;
            this.ordered = sizeLots;
            this.open = sizeLots;
        }

        @Override
        public String toString()
        {
            return "order " + orderId + " (market " + market + ", " + side + " @ " + priceTicks + ")";
        }
    }

    /** Both sides of one market's queue model, best price first. */
    private static final class Queues
    {
        final TreeMap<Long, List<Long>> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<Long, List<Long>> asks = new TreeMap<>();

        TreeMap<Long, List<Long>> side(final Side side)
        {
            return side == Side.BUY ? bids : asks;
        }
    }
}
