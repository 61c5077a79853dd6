package io.rollbook.gateway.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.core.EventLoopOutbox;
import io.rollbook.gateway.core.InterestSet;
import io.rollbook.gateway.core.TokenBucket;
import io.rollbook.gateway.view.AccountSnapshot;
import io.rollbook.gateway.view.BookSnapshot;
import io.rollbook.gateway.view.MarketStatsView;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The HTTP gateway's state on one event loop: the requests waiting for their command's release, the accounts'
 * rate limits, the WebSocket sessions and what they subscribe to, the plain connections under the read and idle
 * timeouts, and the consumer of the loop's {@link EventLoopOutbox} (answers and market data handed over by the release
 * thread). One timer every {@value #TIMER_PERIOD_MS} ms checks every deadline: release timeouts, heartbeats, read and
 * idle timeouts, so that no deadline costs a scheduled task of its own.
 *
 * <p>Owned by its event loop: every method but the interest sets' reads runs there.
 */
final class HttpLoop implements EventLoopOutbox.Consumer
{
    private static final long TIMER_PERIOD_MS = 50;

    private final HttpGateway gateway;
    private final int index;
    private final EventLoopOutbox outbox;
    private final RestApi api;
    private final Long2ObjectHashMap<Pending> pending = new Long2ObjectHashMap<>();
    private final Int2ObjectHashMap<TokenBucket> buckets = new Int2ObjectHashMap<>();
    private final List<WsSession> webSockets = new ArrayList<>();
    /** Plain HTTP connections, under the read and idle timeouts; each knows its index. */
    private final ArrayList<HttpConnection> timed = new ArrayList<>();
    private final long readTimeoutNs;
    private final long idleTimeoutNs;
    private final List<WsSession> dirty = new ArrayList<>();
    private final InterestSet marketInterest;
    private final InterestSet accountInterest;
    private final int[] marketSubscribers;
    private final Int2ObjectHashMap<int[]> accountSubscribers = new Int2ObjectHashMap<>();
    private final WsDispatch dispatch;
    private final BookSnapshot bookSnapshot = new BookSnapshot();
    private final AccountSnapshot accountSnapshot = new AccountSnapshot();
    private final MarketStatsView.Stats stats = new MarketStatsView.Stats();
    private final StringBuilder scratch = new StringBuilder(512);
    private long nextRequest;
    /** Counters for the metrics scraper: written on this loop only. */
    private volatile long unexpectedErrors;
    private volatile long slowConsumerDisconnects;
    private volatile long readTimeouts;
    private volatile long idleTimeouts;
    private volatile long overAddressRate;
    private volatile long tlsHandshakeTimeouts;
    private volatile long tlsHandshakesClosed;
    private volatile long tlsHandshakesInvalid;
    private long lostSeen;
    /** Gauges for the metrics scraper: written on this loop when a WebSocket opens, closes or (un)subscribes. */
    private volatile int webSocketGauge;
    private volatile int marketSubscriptionGauge;
    private ScheduledFuture<?> timer;

    /**
     * A request waiting for its command's release.
     */
    interface Pending
    {
        /**
         * The command was released with these events.
         */
        void onReleased(long sequence, DirectBuffer buffer, int eventsOffset, int eventsLength);

        /**
         * No release came in time: answer 504.
         */
        void onTimeout();

        long deadlineNs();
    }

    HttpLoop(final HttpGateway gateway, final int index, final EventLoopOutbox outbox)
    {
        this.gateway = gateway;
        this.index = index;
        this.outbox = outbox;
        this.readTimeoutNs = TimeUnit.MILLISECONDS.toNanos(gateway.context().requestReadTimeoutMs());
        this.idleTimeoutNs = TimeUnit.MILLISECONDS.toNanos(gateway.context().idleTimeoutMs());
        final int marketCapacity = gateway.views().markets().capacity();
        this.marketInterest = new InterestSet(marketCapacity);
        this.marketSubscribers = new int[marketCapacity];
        this.accountInterest = new InterestSet(gateway.context().accountCapacity());
        this.api = new RestApi(this);
        this.dispatch = new WsDispatch(this);
        outbox.consumer(this);
    }

    HttpGateway gateway()
    {
        return gateway;
    }

    int index()
    {
        return index;
    }

    EventLoop eventLoop()
    {
        return outbox.eventLoop();
    }

    EventLoopOutbox outbox()
    {
        return outbox;
    }

    RestApi api()
    {
        return api;
    }

    InterestSet marketInterest()
    {
        return marketInterest;
    }

    InterestSet accountInterest()
    {
        return accountInterest;
    }

    List<WsSession> webSockets()
    {
        return webSockets;
    }

    BookSnapshot bookSnapshot()
    {
        return bookSnapshot;
    }

    AccountSnapshot accountSnapshot()
    {
        return accountSnapshot;
    }

    MarketStatsView.Stats stats()
    {
        return stats;
    }

    /**
     * @return the loop's emptied scratch text, for a message that is sent before the next use
     */
    StringBuilder scratch()
    {
        scratch.setLength(0);
        return scratch;
    }

    /**
     * @return a request number for a source tag: 32 bits, never 0
     */
    long nextRequest()
    {
        nextRequest = (nextRequest + 1) & 0xFFFF_FFFFL;
        if (nextRequest == 0)
        {
            nextRequest = 1;
        }
        return nextRequest;
    }

    void await(final long request, final Pending waiting)
    {
        pending.put(request, waiting);
    }

    int pendingCount()
    {
        return pending.size();
    }

    /**
     * @return the account's bucket, created full on first use
     */
    TokenBucket bucket(final int account)
    {
        TokenBucket bucket = buckets.get(account);
        if (bucket == null)
        {
            bucket = new TokenBucket(gateway.context().rateLimitIntervalNs(), gateway.context().rateLimitBurst());
            buckets.put(account, bucket);
        }
        return bucket;
    }

    /**
     * Closes the WebSocket connections on this loop that authenticated with a key the change took away.
     */
    void onKeysChanged(final KeyStore.KeyChange change)
    {
        for (int i = webSockets.size() - 1; i >= 0; i--)
        {
            webSockets.get(i).onKeysChanged(change);
        }
        flushDirty();
    }

    void startTimer()
    {
        timer = eventLoop().scheduleAtFixedRate(this::onTimer, TIMER_PERIOD_MS, TIMER_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void onTimer()
    {
        final long nowNs = System.nanoTime();
        if (!pending.isEmpty())
        {
            final Long2ObjectHashMap<Pending>.ValueIterator waiting = pending.values().iterator();
            while (waiting.hasNext())
            {
                final Pending request = waiting.next();
                if (nowNs - request.deadlineNs() >= 0)
                {
                    waiting.remove();
                    request.onTimeout();
                }
            }
        }
        for (int i = webSockets.size() - 1; i >= 0; i--)
        {
            webSockets.get(i).onTimer(nowNs);
        }
        for (int i = timed.size() - 1; i >= 0; i--)
        {
            timed.get(i).onTimer(nowNs, readTimeoutNs, idleTimeoutNs);
        }
        if (index == 0)
        {
            gateway.replays().expire(gateway.context().clock().time());
        }
        flushDirty();
    }

    /**
     * Puts a plain HTTP connection under the read and idle timeouts.
     */
    void timeConnection(final HttpConnection connection)
    {
        if (connection.timedIndex < 0)
        {
            connection.timedIndex = timed.size();
            timed.add(connection);
        }
    }

    /**
     * Takes a connection out of the timeouts (closed, or upgraded to a WebSocket); in O(1), so that the timer's
     * backward walk may take out the connection it is at.
     */
    void untimeConnection(final HttpConnection connection)
    {
        final int at = connection.timedIndex;
        if (at < 0)
        {
            return;
        }
        final HttpConnection last = timed.remove(timed.size() - 1);
        if (last != connection)
        {
            timed.set(at, last);
            last.timedIndex = at;
        }
        connection.timedIndex = -1;
    }

    void readTimedOut()
    {
        readTimeouts++;
    }

    void idleTimedOut()
    {
        idleTimeouts++;
    }

    void refusedOverAddressRate()
    {
        overAddressRate++;
    }

    /**
     * @return requests and WebSocket messages refused because their client address was over its request rate; any
     *     thread
     */
    long overAddressRate()
    {
        return overAddressRate;
    }

    /**
     * @return requests answered 408 because they did not arrive whole in time; any thread
     */
    long readTimeouts()
    {
        return readTimeouts;
    }

    /**
     * @return plain HTTP connections closed for being idle; any thread
     */
    long idleTimeouts()
    {
        return idleTimeouts;
    }

    void tlsHandshakeFailed(final TlsHandshake.Failure failure)
    {
        switch (failure)
        {
            case TIMEOUT:
                tlsHandshakeTimeouts++;
                break;
            case CLOSED:
                tlsHandshakesClosed++;
                break;
            default:
                tlsHandshakesInvalid++;
                break;
        }
    }

    /**
     * @return TLS handshakes on this loop not finished within the read timeout; any thread
     */
    long tlsHandshakeTimeouts()
    {
        return tlsHandshakeTimeouts;
    }

    /**
     * @return TLS handshakes on this loop that the client gave up on; any thread
     */
    long tlsHandshakesClosed()
    {
        return tlsHandshakesClosed;
    }

    /**
     * @return TLS connections on this loop whose client sent no valid handshake; any thread
     */
    long tlsHandshakesInvalid()
    {
        return tlsHandshakesInvalid;
    }

    void onWebSocketOpened(final WsSession session)
    {
        webSockets.add(session);
        webSocketGauge = webSockets.size();
    }

    void onWebSocketClosed(final WsSession session)
    {
        webSockets.remove(session);
        webSocketGauge = webSockets.size();
        session.unsubscribeAll();
    }

    void subscribeMarket(final int market)
    {
        marketSubscriptionGauge++;
        if (marketSubscribers[market]++ == 0)
        {
            marketInterest.add(market);
        }
    }

    void unsubscribeMarket(final int market)
    {
        marketSubscriptionGauge--;
        if (--marketSubscribers[market] == 0)
        {
            marketInterest.remove(market);
        }
    }

    /**
     * @return open WebSocket connections on this loop; any thread
     */
    int webSocketGauge()
    {
        return webSocketGauge;
    }

    /**
     * @return market channel subscriptions of this loop's WebSockets; any thread
     */
    int marketSubscriptionGauge()
    {
        return marketSubscriptionGauge;
    }

    void subscribeAccount(final int account)
    {
        int[] count = accountSubscribers.get(account);
        if (count == null)
        {
            count = new int[1];
            accountSubscribers.put(account, count);
        }
        if (count[0]++ == 0)
        {
            accountInterest.add(account);
        }
    }

    void unsubscribeAccount(final int account)
    {
        final int[] count = accountSubscribers.get(account);
        if (count != null && --count[0] == 0)
        {
            accountSubscribers.remove(account);
            accountInterest.remove(account);
        }
    }

    void markDirty(final WsSession session)
    {
        if (!session.dirty)
        {
            session.dirty = true;
            dirty.add(session);
        }
    }

    void slowConsumerDisconnected()
    {
        slowConsumerDisconnects++;
    }

    /**
     * @return WebSocket connections closed because their client did not read fast enough; any thread
     */
    long slowConsumerDisconnects()
    {
        return slowConsumerDisconnects;
    }

    void unexpectedError()
    {
        unexpectedErrors++;
    }

    /**
     * @return errors that escaped a request's handling on this loop; any thread
     */
    long unexpectedErrors()
    {
        return unexpectedErrors;
    }

    void closeAll()
    {
        if (timer != null)
        {
            timer.cancel(false);
        }
        for (int i = webSockets.size() - 1; i >= 0; i--)
        {
            webSockets.get(i).close(1001, "the server is shutting down");
        }
        pending.clear();
    }

    @Override
    public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        if (msgTypeId == HttpOutbox.ANSWER)
        {
            final Pending request = pending.remove(buffer.getLong(index + HttpOutbox.ANSWER_REQUEST));
            if (request != null)
            {
                request.onReleased(buffer.getLong(index + HttpOutbox.ANSWER_SEQUENCE), buffer,
                    index + HttpOutbox.ANSWER_EVENTS, length - HttpOutbox.ANSWER_EVENTS);
            }
            return;
        }
        dispatch.onMessage(msgTypeId, buffer, index, length);
    }

    @Override
    public void onDrainPassEnd()
    {
        final long lost = outbox.lostMessages();
        if (lost != lostSeen)
        {
            lostSeen = lost;
            for (int i = webSockets.size() - 1; i >= 0; i--)
            {
                webSockets.get(i).close(1013, "the server lost updates for this connection; reconnect");
            }
        }
        flushDirty();
    }

    private void flushDirty()
    {
        for (int i = 0; i < dirty.size(); i++)
        {
            final WsSession session = dirty.get(i);
            session.dirty = false;
            session.flush();
        }
        dirty.clear();
    }
}
