package io.rollbook.bench.load;

import java.util.SplittableRandom;

import io.rollbook.client.ClientListener;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.CancelReason;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.HdrHistogram.Histogram;

/**
 * One market-making bot on one connection: quotes GTC limit orders a few ticks either side of the mid, now and then
 * crosses the spread with an IOC order (so there are trades), and cancels its oldest quote once it has
 * {@value #MAX_QUOTES} resting (plus those still in flight, at most the window). Every request is timed from its intended send time to its first answer (the
 * ExecutionNew or rejection of an order, the ExecutionCanceled or rejection of a cancel, or a business reject).
 *
 * <p>Client order ids are {@code base + n}; the answer's client order id finds the request's slot, so nothing is
 * allocated per request. Confined to the thread that drives the connection.
 */
final class LoadSession implements ClientListener
{
    private static final int MAX_QUOTES = 32;
    /** Resting plus in flight: well under the account's open order limit, even when a stall bunches requests. */
    private static final int MAX_OPEN = 500;
    private static final int SLOTS = 1 << 16;
    private static final byte IDLE = 0;
    private static final byte NEW = 1;
    private static final byte CANCEL = 2;
    private static final byte NEW_GTC = 3;

    private final long base;
    private final int market;
    private final int index;
    private final long midTicks;
    private final SplittableRandom random;
    private final long[] intendedNs = new long[SLOTS];
    private final byte[] pending = new byte[SLOTS];
    private final long[] quotes = new long[4096];
    private int quoteHead;
    private int quoteTail;
    private int gtcInFlight;
    private RollbookClient client;
    private Histogram histogram;
    private boolean counting;
    private long sent;
    private long answered;
    private long counted;
    private long trades;
    private long rejects;
    private final long[] rejectsByReason = new long[256];
    private final long[] businessRejectsByCode = new long[256];

    /**
     * @param index the connection's number among the bots, from 0, as messages name it
     */
    LoadSession(final int index, final long base, final int market, final long midTicks, final long seed)
    {
        this.index = index;
        this.base = base;
        this.market = market;
        this.midTicks = midTicks;
        this.random = new SplittableRandom(seed);
    }

    void client(final RollbookClient client)
    {
        this.client = client;
    }

    RollbookClient client()
    {
        return client;
    }

    /**
     * @param histogram where answers are recorded while counting
     */
    void measure(final Histogram histogram, final boolean counting)
    {
        this.histogram = histogram;
        this.counting = counting;
    }

    int index()
    {
        return index;
    }

    /**
     * @return the requests sent so far: orders and cancels
     */
    long sent()
    {
        return sent;
    }

    long inFlight()
    {
        return sent - answered;
    }

    long counted()
    {
        return counted;
    }

    long trades()
    {
        return trades;
    }

    long rejects()
    {
        return rejects;
    }

    /**
     * Sends the next request, due at {@code intendedNs}.
     *
     * @return false if the client is back pressured (nothing was sent)
     */
    boolean sendNext(final long intendedNs)
    {
        if (quoteTail - quoteHead >= MAX_QUOTES)
        {
            final long quote = quotes[quoteHead & (quotes.length - 1)];
            final int quoteSlot = (int)((quote - base) & (SLOTS - 1));
            if (pending[quoteSlot] != IDLE || client.cancelByClientOrderId(quote, market) < 0)
            {
                return false;
            }
            quoteHead++;
            pending[quoteSlot] = CANCEL;
            this.intendedNs[quoteSlot] = intendedNs;
            sent++;
            return true;
        }
        final long n = sent;
        final int slot = (int)(n & (SLOTS - 1));
        if (pending[slot] != IDLE || quoteTail - quoteHead + gtcInFlight >= MAX_OPEN)
        {
            return false;
        }
        final boolean buy = random.nextBoolean();
        final boolean cross = random.nextInt(10) == 0;
        final long offset = cross ? -5 : 1 + random.nextInt(50);
        final long price = buy ? midTicks - offset : midTicks + offset;
        if (client.newLimitOrder(base + n, market, buy ? Side.BUY : Side.SELL, price, 10 + random.nextInt(40),
            cross ? TimeInForce.IOC : TimeInForce.GTC) < 0)
        {
            return false;
        }
        pending[slot] = cross ? NEW : NEW_GTC;
        gtcInFlight += cross ? 0 : 1;
        this.intendedNs[slot] = intendedNs;
        sent++;
        return true;
    }

    private void answer(final long clientOrderId, final byte kind)
    {
        final int slot = (int)((clientOrderId - base) & (SLOTS - 1));
        if (clientOrderId - base < 0 || pending[slot] != kind)
        {
            return;
        }
        if (kind == NEW_GTC)
        {
            gtcInFlight--;
        }
        pending[slot] = IDLE;
        answered++;
        if (counting)
        {
            counted++;
            histogram.recordValue(Math.max(0, System.nanoTime() - intendedNs[slot]));
        }
    }

    @Override
    public void onExecutionNew(final ExecutionNewDecoder report)
    {
        final long clientOrderId = report.clientOrderId();
        answer(clientOrderId, pending[(int)((clientOrderId - base) & (SLOTS - 1))] == NEW_GTC ? NEW_GTC : NEW);
    }

    @Override
    public void onExecutionRested(final ExecutionRestedDecoder report)
    {
        if (quoteTail - quoteHead < quotes.length)
        {
            quotes[quoteTail & (quotes.length - 1)] = report.clientOrderId();
            quoteTail++;
        }
    }

    @Override
    public void onExecutionTrade(final ExecutionTradeDecoder report)
    {
        trades++;
    }

    @Override
    public void onExecutionCanceled(final ExecutionCanceledDecoder report)
    {
        if (report.reason() == CancelReason.USER)
        {
            answer(report.clientOrderId(), CANCEL);
        }
    }

    /**
     * Appends the counts of each rejection reason seen, for the log.
     */
    void describeRejects(final long[] byReason, final long[] byCode)
    {
        for (int i = 0; i < 256; i++)
        {
            byReason[i] += rejectsByReason[i];
            byCode[i] += businessRejectsByCode[i];
        }
    }

    @Override
    public void onExecutionRejected(final ExecutionRejectedDecoder report)
    {
        rejects++;
        rejectsByReason[report.reasonRaw()]++;
        final long clientOrderId = report.clientOrderId();
        final int slot = (int)((clientOrderId - base) & (SLOTS - 1));
        answer(clientOrderId, pending[slot]);
    }

    @Override
    public void onBusinessReject(final BusinessRejectDecoder reject)
    {
        rejects++;
        businessRejectsByCode[reject.codeRaw()]++;
        final long clientOrderId = reject.clientOrderId();
        final int slot = (int)((clientOrderId - base) & (SLOTS - 1));
        answer(clientOrderId, pending[slot]);
    }
}
