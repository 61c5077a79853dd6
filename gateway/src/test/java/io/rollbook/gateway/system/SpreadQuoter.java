package io.rollbook.gateway.system;

import java.security.PrivateKey;

import io.rollbook.client.ClientException;
import io.rollbook.client.ClientListener;
import io.rollbook.client.JournalPosition;
import io.rollbook.client.LocalOrderBook;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.ExecutionTradeDecoder;
import io.rollbook.protocol.orderentry.MarginMode;
import io.rollbook.protocol.orderentry.OrderType;
import io.rollbook.protocol.orderentry.SelfTradePrevention;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TimeInForce;

/**
 * A market maker on one market: it quotes a post-only bid and ask around a fair price, follows the market's book,
 * and counts its position from its own fills. It remembers the journal position of the last report it processed
 * and resumes after it at every logon, so a fill made while its connection was down reaches it on the next one
 * (stored with the position, that also holds across its own restarts). Its client order ids count up from one it is
 * given: the gateway refuses an id the account has used, so a real quoter stores its counter too. Single-threaded:
 * everything happens in the application's own loop, in {@link #poll()}.
 */
final class SpreadQuoter implements ClientListener, AutoCloseable
{
    private final String host;
    private final int port;
    private final int account;
    private final PrivateKey key;
    private final int market;
    private RollbookClient client;
    private JournalPosition processed;
    private long positionLots;
    private long nextClientOrderId;

    SpreadQuoter(
        final String host, final int port, final int account, final PrivateKey key, final int market,
        final long firstClientOrderId)
    {
        this.host = host;
        this.port = port;
        this.account = account;
        this.key = key;
        this.market = market;
        this.nextClientOrderId = firstClientOrderId;
    }

    /**
     * Connects and logs on; every report after the last one processed is delivered before this returns. Then
     * subscribes to the market's data: the book is stale until its snapshot arrives.
     *
     * @throws ClientException if the server cannot be reached or refuses the logon
     */
    void connect()
    {
        client = RollbookClient.connect(host, port, this);
        client.logon(new Logon(account, key).resumeAfter(processed));
        processed = client.lastPosition();
        client.subscribe(market);
        client.flush();
    }

    /**
     * One turn of the application's loop: reconnects if the connection was lost, then delivers what has arrived,
     * waiting up to a millisecond for it.
     */
    void poll()
    {
        if (client == null || !client.isOpen())
        {
            connect();
        }
        client.poll(1);
    }

    /**
     * Sends a bid and an ask {@code halfSpreadTicks} either side of {@code fairTicks}. A side the account's margin
     * cannot carry is rejected alone, with an ExecutionRejected report.
     */
    void quote(final long fairTicks, final long halfSpreadTicks, final long sizeLots)
    {
        send(Side.BUY, fairTicks - halfSpreadTicks, sizeLots);
        send(Side.SELL, fairTicks + halfSpreadTicks, sizeLots);
        client.flush();
    }

    private void send(final Side side, final long priceTicks, final long sizeLots)
    {
        long seqNo;
        while ((seqNo = client.newOrder(nextClientOrderId, market, side, OrderType.LIMIT, TimeInForce.GTC, priceTicks,
            sizeLots, true, false, MarginMode.CROSS, SelfTradePrevention.EXPIRE_TAKER)) == RollbookClient.BACK_PRESSURED)
        {
            client.poll();
        }
        if (seqNo == RollbookClient.CLOSED)
        {
            throw new ClientException("the connection is closed: " + client.disconnectReason());
        }
        nextClientOrderId++;
    }

    @Override
    public void onExecutionTrade(final ExecutionTradeDecoder report)
    {
        positionLots += report.side() == Side.BUY ? report.sizeLots() : -report.sizeLots();
        processed = new JournalPosition(report.sequence(), report.eventIndex());
    }

    /**
     * @return the market's book as the feed describes it; stale until its snapshot has arrived
     */
    LocalOrderBook book()
    {
        return client.book(market);
    }

    /**
     * @return lots bought minus lots sold, from the fills processed
     */
    long positionLots()
    {
        return positionLots;
    }

    /**
     * Ends the session; orders stay on the book unless the logon asked for cancel-on-disconnect.
     */
    @Override
    public void close()
    {
        client.close();
    }
}
