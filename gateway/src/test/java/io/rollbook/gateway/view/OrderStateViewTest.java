package io.rollbook.gateway.view;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotency view against a plain model of what it promises, over seeded random claims, acceptances, ends and
 * rejections: every id's status, order id, market and filled size, the window of ended orders forgotten oldest first
 * (per stripe), pending ids freed by a refusal, tables that grow, and a view snapshot that decodes into the same view
 * and encodes to the same bytes.
 */
class OrderStateViewTest
{
    private static final int WINDOW = 64;
    private static final int STRIPES = 64;
    /** What one stripe remembers of a window of 64: {@code OrderStateView}'s rounding, at its minimum of 16. */
    private static final int REMEMBERED_PER_STRIPE = 32;

    private final Map<Long, long[]> model = new HashMap<>();
    private final Map<Integer, ArrayDeque<Long>> endedByStripe = new HashMap<>();
    private final Set<Long> touched = new HashSet<>();

    @Test
    void agreesWithAModelOfItsPromisesAndSurvivesItsSnapshot()
    {
        final long seed = 20261204L;
        System.out.println("OrderStateViewTest seed " + seed);
        final SplittableRandom random = new SplittableRandom(seed);
        final OrderStateView view = new OrderStateView(WINDOW);
        final OrderState out = new OrderState();
        long nextOrderId = 1;
        long mostInStripeZero = 0;

        for (int step = 0; step < 200_000; step++)
        {
            // A third of the steps use ids of one stripe only, enough live ones to grow its table past 1,024 slots.
            final int account = 1 + random.nextInt(4);
            long clientOrderId;
            if (step % 3 == 0)
            {
                clientOrderId = random.nextLong(1, 60_000);
                while (stripe(account, clientOrderId) != 0)
                {
                    clientOrderId++;
                }
            }
            else
            {
                clientOrderId = random.nextLong(1, 3_000);
            }
            final long key = key(account, clientOrderId);
            touched.add(key);
            final long[] entry = model.get(key);
            switch (random.nextInt(6))
            {
                case 0, 1 ->
                {
                    final int market = 1 + random.nextInt(3);
                    final int status = view.claim(account, clientOrderId, market, out);
                    assertEquals(entry == null ? OrderState.NONE : (int)entry[0], status, "claim at step " + step);
                    if (entry == null)
                    {
                        model.put(key, new long[] {OrderState.PENDING, Long.MIN_VALUE, market, 0});
                    }
                }
                case 2 ->
                {
                    if (entry != null && entry[0] == OrderState.PENDING)
                    {
                        if (random.nextBoolean())
                        {
                            view.unclaim(account, clientOrderId);
                            model.remove(key);
                        }
                        else
                        {
                            final int market = 1 + random.nextInt(3);
                            view.onAccepted(account, clientOrderId, nextOrderId, market, step + 1);
                            model.put(key, new long[] {OrderState.LIVE, nextOrderId++, market, entry[3]});
                        }
                    }
                    else
                    {
                        view.onPlaceRejected(account, clientOrderId);
                    }
                }
                case 3 ->
                {
                    // An order the gateway did not claim (sequenced by the operator or from the journal at start).
                    if (entry == null)
                    {
                        view.onAccepted(account, clientOrderId, nextOrderId, 2, step + 1);
                        model.put(key, new long[] {OrderState.LIVE, nextOrderId++, 2, 0});
                    }
                }
                default ->
                {
                    final boolean filled = random.nextBoolean();
                    final long filledLots = random.nextLong(0, 1L << 40);
                    final long orderId = entry != null && random.nextInt(8) > 0 ? entry[1] : nextOrderId + 5;
                    view.onEnded(account, clientOrderId, orderId, filled, filledLots, step + 1);
                    if (entry != null && entry[1] == orderId && entry[0] == OrderState.LIVE)
                    {
                        entry[0] = filled ? OrderState.FILLED : OrderState.CANCELED;
                        entry[3] = filledLots;
                        remember(account, clientOrderId);
                    }
                }
            }
            if (step % 20_000 == 0)
            {
                assertSameAsModel(view, "step " + step);
            }
            if (step % 500 == 0)
            {
                mostInStripeZero = Math.max(mostInStripeZero,
                    model.keySet().stream().filter(k -> stripe((int)(k & 7), k >>> 3) == 0).count());
            }
        }
        assertSameAsModel(view, "the end");
        assertTrue(mostInStripeZero > 512, "a stripe's table of 1,024 slots grew: " + mostInStripeZero);

        // A snapshot leaves pending ids out, and so would move the entries that probed past them: freed first, the
        // decoded tables must be the same, slot for slot.
        model.forEach((key, entry) ->
        {
            if (entry[0] == OrderState.PENDING)
            {
                view.unclaim((int)(key & 7), key >>> 3);
            }
        });
        model.values().removeIf(entry -> entry[0] == OrderState.PENDING);
        final ExpandableArrayBuffer written = new ExpandableArrayBuffer(1 << 16);
        final ViewSnapshotCursor writer = new ViewSnapshotCursor().forWriting(written, 0);
        encode(view, writer, 200_000);
        final OrderStateView decoded = new OrderStateView(WINDOW);
        decoded.decode(new ViewSnapshotCursor().forReading(written, 0, writer.position()));
        assertSameAsModel(decoded, "decoded");
        final ExpandableArrayBuffer rewritten = new ExpandableArrayBuffer(1 << 16);
        final ViewSnapshotCursor rewriter = new ViewSnapshotCursor().forWriting(rewritten, 0);
        encode(decoded, rewriter, 200_000);
        assertEquals(writer.position(), rewriter.position());
        for (int i = 0; i < writer.position(); i++)
        {
            assertEquals(written.getByte(i), rewritten.getByte(i), "snapshot byte " + i);
        }
    }

    @Test
    void aStripeReadFromASnapshotTakesOnlyTheCommandsAfterTheSequenceItHolds()
    {
        final OrderStateView view = new OrderStateView(WINDOW);
        final OrderState out = new OrderState();
        view.onAccepted(1, 10, 100, 1, 5);
        view.onAccepted(1, 11, 101, 1, 6);
        final ExpandableArrayBuffer written = new ExpandableArrayBuffer(1 << 16);
        final ViewSnapshotCursor writer = new ViewSnapshotCursor().forWriting(written, 0);
        encode(view, writer, 8);
        final OrderStateView decoded = new OrderStateView(WINDOW);
        decoded.decode(new ViewSnapshotCursor().forReading(written, 0, writer.position()));
        assertEquals(8, decoded.coveredThrough());

        // The journal after the batch a snapshot names, replayed: what the stripes hold already changes nothing.
        decoded.onAccepted(1, 10, 100, 1, 5);
        decoded.onEnded(1, 11, 101, true, 3, 7);
        decoded.onAccepted(1, 12, 102, 2, 8);
        assertEquals(OrderState.LIVE, decoded.lookup(1, 11, out));
        assertEquals(OrderState.NONE, decoded.lookup(1, 12, out));

        decoded.onEnded(1, 11, 101, true, 3, 9);
        decoded.onAccepted(1, 12, 102, 2, 10);
        assertEquals(OrderState.FILLED, decoded.lookup(1, 11, out));
        assertEquals(3, out.filledLots);
        assertEquals(OrderState.LIVE, decoded.lookup(1, 12, out));
        assertEquals(102, out.orderId);
    }

    /**
     * The order view's part of a view snapshot: its stripe count, then every stripe holding that sequence.
     */
    private static void encode(final OrderStateView view, final ViewSnapshotCursor out, final long sequence)
    {
        out.putInt(STRIPES);
        for (int i = 0; i < STRIPES; i++)
        {
            view.encodeStripe(i, out, sequence);
        }
    }

    private void remember(final int account, final long clientOrderId)
    {
        final ArrayDeque<Long> ended = endedByStripe.computeIfAbsent(stripe(account, clientOrderId),
            s -> new ArrayDeque<>());
        if (ended.size() == REMEMBERED_PER_STRIPE)
        {
            final long oldest = ended.removeFirst();
            final long[] entry = model.get(oldest);
            if (entry != null && (entry[0] == OrderState.FILLED || entry[0] == OrderState.CANCELED))
            {
                model.remove(oldest);
            }
        }
        ended.addLast(key(account, clientOrderId));
    }

    private void assertSameAsModel(final OrderStateView view, final String when)
    {
        final OrderState out = new OrderState();
        assertEquals(model.size(), view.size(), when);
        for (final long key : touched)
        {
            final int account = (int)(key & 7);
            final long clientOrderId = key >>> 3;
            final long[] entry = model.get(key);
            final int status = view.lookup(account, clientOrderId, out);
            final String id = when + ", account " + account + " id " + clientOrderId;
            assertEquals(entry == null ? OrderState.NONE : (int)entry[0], status, id);
            if (entry != null)
            {
                assertEquals(entry[1], out.orderId, id);
                assertEquals(entry[2], out.market, id);
                assertEquals(entry[3], out.filledLots, id);
            }
        }
    }

    private static int stripe(final int account, final long clientOrderId)
    {
        return (int)(OrderStateView.hash(account, clientOrderId) >>> 58);
    }

    private static long key(final int account, final long clientOrderId)
    {
        return clientOrderId * 8 + account;
    }
}
