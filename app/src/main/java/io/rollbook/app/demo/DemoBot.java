package io.rollbook.app.demo;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import io.rollbook.client.ClientListener;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.BusinessRejectDecoder;
import io.rollbook.protocol.orderentry.ExecutionCanceledDecoder;
import io.rollbook.protocol.orderentry.ExecutionRejectedDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;

/**
 * One demo market maker on its own binary session: at each turn it picks a market and either cancels its oldest
 * quote there (once it has {@value #MAX_QUOTES} resting), crosses the spread with an IOC order now and then (so
 * there are trades), or quotes a GTC order a few steps from the oracle price. It leans against its inventory: the
 * longer it is in a market, the likelier it sells there, so positions stay small however long the demo runs.
 *
 * <p>Confined to the demo thread, which calls {@link #act} and polls its client.
 */
final class DemoBot implements ClientListener
{
    private static final int MAX_QUOTES = 6;
    private static final int CROSS_ONE_IN = 8;
    private static final long QUOTE_NOTIONAL_USD = 2_000;

    private final int account;
    private final OracleWalk oracle;
    private final SplittableRandom random;
    private final ArrayDeque<Long>[] quotes;
    private final long[] positionLots;
    private long nextClientOrderId;
    private RollbookClient client;
    private long trades;
    private long rejects;

    @SuppressWarnings("unchecked")
    DemoBot(final int account, final OracleWalk oracle, final long firstClientOrderId, final long seed)
    {
        this.account = account;
        this.oracle = oracle;
        this.random = new SplittableRandom(seed);
        this.nextClientOrderId = firstClientOrderId;
        this.quotes = new ArrayDeque[oracle.marketCount()];
        for (int i = 0; i < quotes.length; i++)
        {
            quotes[i] = new ArrayDeque<>();
        }
        this.positionLots = new long[oracle.marketCount()];
    }

    void client(final RollbookClient client)
    {
        this.client = client;
    }

    RollbookClient client()
    {
        return client;
    }

    int account()
    {
        return account;
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
     * One turn: a cancel, a crossing order or a quote, in one market.
     */
    void act()
    {
        final int index = random.nextInt(oracle.marketCount());
        final int market = oracle.market(index).id();
        final long mid = oracle.priceTicks(index);
        final long step = oracle.stepTicks(index);
        final ArrayDeque<Long> resting = quotes[index];
        if (resting.size() >= MAX_QUOTES)
        {
            client.cancelByClientOrderId(resting.pollFirst(), market);
            return;
        }
        final long baseLots = oracle.lotsWorth(index, QUOTE_NOTIONAL_USD);
        // The chance to buy, 50%, falls by up to 40 points as the position grows long (rises as it grows short).
        final long lean = Math.max(-40, Math.min(40, positionLots[index] * 5 / baseLots));
        final boolean buy = random.nextInt(100) < 50 - lean;
        final long sizeLots = Math.min(baseLots * (1 + random.nextInt(4)), oracle.market(index).maxOrderSizeLots());
        final long clientOrderId = nextClientOrderId++;
        if (random.nextInt(CROSS_ONE_IN) == 0)
        {
            final long price = buy ? mid + 6 * step : Math.max(1, mid - 6 * step);
            client.newLimitOrder(clientOrderId, market, buy ? Side.BUY : Side.SELL, price, sizeLots, TimeInForce.IOC);
            return;
        }
        final long offset = step * (1 + random.nextInt(5));
        final long price = buy ? Math.max(1, mid - offset) : mid + offset;
        client.newLimitOrder(clientOrderId, market, buy ? Side.BUY : Side.SELL, price, sizeLots, TimeInForce.GTC);
    }

    private int indexOf(final int market)
    {
        for (int i = 0; i < oracle.marketCount(); i++)
        {
            if (oracle.market(i).id() == market)
            {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void onExecutionRested(final ExecutionRestedDecoder report)
    {
        final int index = indexOf(report.market());
        if (index >= 0)
        {
            quotes[index].addLast(report.clientOrderId());
        }
    }

    @Override
    public void onExecutionTrade(final ExecutionTradeDecoder report)
    {
        trades++;
        final int index = indexOf(report.market());
        if (index >= 0)
        {
            positionLots[index] += report.side() == Side.BUY ? report.sizeLots() : -report.sizeLots();
            if (report.leavesLots() == 0)
            {
                quotes[index].remove(report.clientOrderId());
            }
        }
    }

    @Override
    public void onExecutionCanceled(final ExecutionCanceledDecoder report)
    {
        final int index = indexOf(report.market());
        if (index >= 0)
        {
            quotes[index].remove(report.clientOrderId());
        }
    }

    @Override
    public void onExecutionRejected(final ExecutionRejectedDecoder report)
    {
        rejects++;
    }

    @Override
    public void onBusinessReject(final BusinessRejectDecoder reject)
    {
        rejects++;
    }
}
