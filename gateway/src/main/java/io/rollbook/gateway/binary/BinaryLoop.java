package io.rollbook.gateway.binary;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.rollbook.gateway.auth.ChallengeVerifier;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.core.EventLoopOutbox;
import io.rollbook.gateway.core.InterestSet;
import io.rollbook.gateway.core.ReleaseProgress;
import io.rollbook.gateway.core.SourceTag;
import io.rollbook.gateway.view.BookSnapshot;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.protocol.engine.MassCancelTrigger;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.orderentry.BusinessRejectCode;
import io.rollbook.protocol.orderentry.TerminationCode;
import io.rollbook.sequencer.CommandPublisher;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the binary gateway keeps per Netty event loop: the loop's sessions by connection, by account and by
 * subscribed market; the loop's interest sets that the release thread reads; the consumer side of its
 * {@link EventLoopOutbox}, which routes each report and market data message to the sessions it concerns; a timer
 * for keep-alive and dead-man checks; and the cancels on disconnect that could not be published yet.
 *
 * <p>Confined to its event loop, except for the interest sets (read by the release thread) and the outbox.
 */
final class BinaryLoop implements EventLoopOutbox.Consumer, Retransmitter.Target
{
    private static final Logger LOG = LoggerFactory.getLogger(BinaryLoop.class);
    private static final long TIMER_PERIOD_MS = 10;

    private final BinaryGateway gateway;
    private final int index;
    private final EventLoop eventLoop;
    private final EventLoopOutbox outbox;
    private final InterestSet accounts;
    private final InterestSet markets;
    private final Codecs codecs = new Codecs();
    private final FrameCheck frameCheck = new FrameCheck();
    private final BookSnapshot snapshot = new BookSnapshot();
    private final UnsafeBuffer commandBuffer = new UnsafeBuffer(new byte[256]);
    private final SecureRandom random = new SecureRandom();
    private final Int2ObjectHashMap<BinarySession> byConnection = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<ArrayList<BinarySession>> byAccount = new Int2ObjectHashMap<>();
    private final ArrayList<BinarySession>[] subscribers;
    private final ArrayList<BinarySession> sessions = new ArrayList<>();
    private final ArrayList<BinarySession> dirty = new ArrayList<>();
    private final ArrayList<BinarySession> paused = new ArrayList<>();
    private final IntArrayList pendingCancelAccounts = new IntArrayList();
    private final IntArrayList pendingCancelConnections = new IntArrayList();
    private final DetachedDeadManTimers detachedDeadMan = new DetachedDeadManTimers();
    private int nextConnectionId;
    private boolean wakePending;
    private long lostSeen;
    private volatile long unexpectedErrors;
    /** Gauges for the metrics scraper: written on this loop on connects, logons and subscriptions only. */
    private volatile int connectionGauge;
    private volatile int sessionGauge;
    private volatile int subscriptionGauge;
    private long nowNs = System.nanoTime();

    @SuppressWarnings("unchecked")
    BinaryLoop(final BinaryGateway gateway, final int index, final EventLoop eventLoop, final EventLoopOutbox outbox)
    {
        this.gateway = gateway;
        this.index = index;
        this.eventLoop = eventLoop;
        this.outbox = outbox;
        this.accounts = new InterestSet(gateway.context().accountCapacity());
        this.markets = new InterestSet(gateway.context().marketCapacity());
        this.subscribers = new ArrayList[gateway.context().marketCapacity()];
        outbox.consumer(this);
    }

    void startTimer()
    {
        eventLoop.scheduleAtFixedRate(this::onTimer, TIMER_PERIOD_MS, TIMER_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    int index()
    {
        return index;
    }

    EventLoop eventLoop()
    {
        return eventLoop;
    }

    @Override
    public EventLoopOutbox outbox()
    {
        return outbox;
    }

    /**
     * Any thread: a task on the loop, since the outbox may be the very thing that had no room.
     */
    @Override
    public void refuseRetransmission(final int connection, final BusinessRejectCode code, final String text)
    {
        try
        {
            eventLoop.execute(() ->
            {
                final BinarySession session = byConnection.get(connection);
                if (session != null)
                {
                    tick();
                    session.onRetransmissionRefused(code, text);
                    flushDirty();
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            LOG.debug("event loop {} is shut down; its sessions are gone", index);
        }
    }

    InterestSet accountInterest()
    {
        return accounts;
    }

    InterestSet marketInterest()
    {
        return markets;
    }

    Codecs codecs()
    {
        return codecs;
    }

    FrameCheck frameCheck()
    {
        return frameCheck;
    }

    BookSnapshot snapshot()
    {
        return snapshot;
    }

    MutableDirectBuffer commandBuffer()
    {
        return commandBuffer;
    }

    SecureRandom random()
    {
        return random;
    }

    BinaryGateway.Context settings()
    {
        return gateway.context();
    }

    GatewayViews views()
    {
        return gateway.views();
    }

    ChallengeVerifier verifier()
    {
        return gateway.verifier();
    }

    SessionIds sessionIds()
    {
        return gateway.sessionIds();
    }

    AccountLogons accountLogons()
    {
        return gateway.accountLogons();
    }

    /**
     * A session closed with its dead-man timer armed: it fires at its deadline all the same (see
     * {@link DetachedDeadManTimers}).
     */
    void detachDeadManTimer(final int account, final int connectionId, final long deadlineNs)
    {
        detachedDeadMan.add(account, connectionId, nowNs, deadlineNs);
    }

    CommandPublisher publisher()
    {
        return gateway.publisher();
    }

    /**
     * Publishes a command decoded from a socket read; the matcher thread is woken once for the whole read, by
     * {@link #wakeSequencer()} when the read's bytes are decoded.
     *
     * @return true if published; false if the ring is full or sequencing has stopped
     */
    boolean publishFromRead(final long source, final MutableDirectBuffer command, final int length)
    {
        final CommandPublisher publisher = publisher();
        if (publisher.tryPublishDeferringWake(source, command, 0, length))
        {
            wakePending = true;
            return true;
        }

        return false;
    }

    /**
     * After the bytes of a socket read are decoded: wakes the matcher thread for the commands they published. Once
     * per read, not per burst of reads, so that the matcher thread starts on one read while the next is decoded.
     */
    void wakeSequencer()
    {
        if (wakePending)
        {
            wakePending = false;
            publisher().wakeConsumer();
        }
    }

    ReleaseProgress releaseProgress()
    {
        return gateway.releaseProgress();
    }

    Retransmitter retransmitter()
    {
        return gateway.retransmitter();
    }

    /**
     * @return the loop's clock reading for the callback in progress
     */
    long nowNs()
    {
        return nowNs;
    }

    /**
     * Reads the clock at the start of a callback on this loop (a read, a drain pass, a timer tick).
     */
    long tick()
    {
        nowNs = System.nanoTime();
        return nowNs;
    }

    void onUnexpectedError()
    {
        unexpectedErrors++;
    }

    long unexpectedErrors()
    {
        return unexpectedErrors;
    }

    int sessionCount()
    {
        return sessions.size();
    }

    /**
     * @return open connections on this loop; any thread
     */
    int connectionGauge()
    {
        return connectionGauge;
    }

    /**
     * @return established order-entry sessions (accounts and operators) on this loop; any thread
     */
    int sessionGauge()
    {
        return sessionGauge;
    }

    /**
     * @return market data subscriptions (connection and market) on this loop; any thread
     */
    int subscriptionGauge()
    {
        return subscriptionGauge;
    }

    /**
     * A session on this loop was established (+1) or ended (-1).
     */
    void sessionsChanged(final int delta)
    {
        sessionGauge += delta;
    }

    /**
     * A connection was accepted on this loop: its session, with the challenge sent.
     */
    BinarySession open(final SessionTransport transport)
    {
        int id;
        do
        {
            nextConnectionId = (nextConnectionId + 1) & SourceTag.CONNECTION_MASK;
            id = nextConnectionId;
        }
        while (id == 0 || byConnection.containsKey(id));
        final BinarySession session = new BinarySession(this, transport, id, tick());
        byConnection.put(id, session);
        sessions.add(session);
        connectionGauge = sessions.size();
        session.start();
        return session;
    }

    /**
     * The connection closed: forget the session, and publish its cancel-on-disconnect if it asked for one.
     */
    void closed(final BinarySession session)
    {
        tick();
        session.onClosed();
        byConnection.remove(session.connectionId());
        sessions.remove(session);
        connectionGauge = sessions.size();
        dirty.remove(session);
        paused.remove(session);
    }

    void registerAccountSession(final BinarySession session)
    {
        ArrayList<BinarySession> list = byAccount.get(session.account());
        if (list == null)
        {
            list = new ArrayList<>(2);
            byAccount.put(session.account(), list);
        }
        list.add(session);
        accounts.add(session.account());
    }

    void unregisterAccountSession(final BinarySession session)
    {
        final ArrayList<BinarySession> list = byAccount.get(session.account());
        if (list != null)
        {
            list.remove(session);
            if (list.isEmpty())
            {
                byAccount.remove(session.account());
                accounts.remove(session.account());
            }
        }
    }

    void subscribe(final BinarySession session, final int market)
    {
        ArrayList<BinarySession> list = subscribers[market];
        if (list == null)
        {
            list = new ArrayList<>(4);
            subscribers[market] = list;
        }
        list.add(session);
        markets.add(market);
        subscriptionGauge++;
    }

    void unsubscribe(final BinarySession session, final int market)
    {
        final ArrayList<BinarySession> list = subscribers[market];
        if (list != null && list.remove(session))
        {
            subscriptionGauge--;
            if (list.isEmpty())
            {
                markets.remove(market);
            }
        }
    }

    void markDirty(final BinarySession session)
    {
        dirty.add(session);
    }

    /**
     * Flushes every session written to since the last flush.
     */
    void flushDirty()
    {
        for (int i = 0; i < dirty.size(); i++)
        {
            final BinarySession session = dirty.get(i);
            if (session.isDirty())
            {
                session.flush();
            }
        }
        dirty.clear();
    }

    /**
     * After a session's read: while the outbox is more than half full, stop reading from the socket, so the loop
     * catches up with its outbound work before it takes more inbound.
     */
    void applyBackPressure(final BinarySession session)
    {
        if (outbox.occupancy() > outbox.capacity() / 2 && !session.isTerminated() && !session.isReadingPaused())
        {
            session.pauseReading();
            paused.add(session);
        }
    }

    /**
     * Publishes a mass cancel of the account's orders for the gateway itself (cancel-on-disconnect, dead-man
     * timer), journaled like any command.
     *
     * @return true if published; false if the ring is full (try again) or sequencing has stopped
     */
    boolean publishMassCancel(final int account, final MassCancelTrigger trigger, final int connectionId)
    {
        final int length = encodeMassCancel(account, trigger);
        final long source = SourceTag.of(SourceTag.KIND_BINARY_SESSION, index, connectionId, 0);
        return publisher().tryPublish(source, commandBuffer, 0, length);
    }

    private int encodeMassCancel(final int account, final MassCancelTrigger trigger)
    {
        final io.rollbook.protocol.engine.MassCancelEncoder encoder = codecs.engineMassCancel
            .wrapAndApplyHeader(commandBuffer, 0, codecs.engineHeader)
            .account(account)
            .market(io.rollbook.protocol.engine.MassCancelEncoder.marketNullValue())
            .side(io.rollbook.protocol.engine.Side.NULL_VAL)
            .trigger(trigger);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    void cancelOnDisconnect(final int account, final int connectionId)
    {
        if (!publishMassCancel(account, MassCancelTrigger.DISCONNECT, connectionId) && publisher().isAccepting())
        {
            pendingCancelAccounts.addInt(account);
            pendingCancelConnections.addInt(connectionId);
        }
    }

    private void retryPendingCancels()
    {
        while (!pendingCancelAccounts.isEmpty())
        {
            final int last = pendingCancelAccounts.size() - 1;
            if (!publisher().isAccepting())
            {
                LOG.warn("sequencing stopped with {} cancel-on-disconnect(s) unpublished", pendingCancelAccounts.size());
                pendingCancelAccounts.clear();
                pendingCancelConnections.clear();
                return;
            }
            if (!publishMassCancel(pendingCancelAccounts.getInt(last), MassCancelTrigger.DISCONNECT,
                pendingCancelConnections.getInt(last)))
            {
                return;
            }
            pendingCancelAccounts.removeAt(last);
            pendingCancelConnections.removeAt(last);
        }
    }

    int pendingCancels()
    {
        return pendingCancelAccounts.size();
    }

    private void onTimer()
    {
        final long now = tick();
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            sessions.get(i).onTimer(now);
        }
        retryPendingCancels();
        detachedDeadMan.onTimer(this, gateway.accountLogons(), now);
        flushDirty();
    }

    /**
     * Ends every session on this loop (shutdown).
     */
    /**
     * Ends the sessions on this loop that authenticated with a key the change took away.
     */
    void onKeysChanged(final KeyStore.KeyChange change)
    {
        tick();
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            sessions.get(i).onKeysChanged(change);
        }
        flushDirty();
    }

    void terminateAll(final TerminationCode code, final String text)
    {
        tick();
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            sessions.get(i).terminate(code, text);
        }
        flushDirty();
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        switch (msgTypeId)
        {
            case Outbox.REPORT:
            {
                final ArrayList<BinarySession> list = byAccount.get(buffer.getInt(offset + Outbox.REPORT_ACCOUNT));
                if (list != null)
                {
                    final long sequence = buffer.getLong(offset + Outbox.REPORT_SEQUENCE);
                    final long source = buffer.getLong(offset + Outbox.REPORT_SOURCE);
                    for (int i = 0; i < list.size(); i++)
                    {
                        list.get(i).onReport(buffer, offset + Outbox.REPORT_MESSAGE, length - Outbox.REPORT_MESSAGE,
                            sequence, source);
                    }
                }
                break;
            }
            case Outbox.MARKET_DATA:
            {
                final int market = buffer.getInt(offset + Outbox.MD_MARKET);
                final ArrayList<BinarySession> list = subscribers[market];
                if (list != null)
                {
                    final long channelSeq = buffer.getLong(offset + Outbox.MD_CHANNEL_SEQ);
                    for (int i = 0; i < list.size(); i++)
                    {
                        list.get(i).onMarketData(market, channelSeq, buffer, offset + Outbox.MD_MESSAGE,
                            length - Outbox.MD_MESSAGE);
                    }
                }
                break;
            }
            case Outbox.DIRECT:
            {
                final BinarySession session = byConnection.get(buffer.getInt(offset + Outbox.DIRECT_CONNECTION));
                if (session != null)
                {
                    session.onDirect(buffer, offset + Outbox.DIRECT_MESSAGE, length - Outbox.DIRECT_MESSAGE);
                }
                break;
            }
            case Outbox.RETRANSMISSION:
            {
                final BinarySession session = byConnection.get(buffer.getInt(offset + Outbox.DIRECT_CONNECTION));
                if (session != null)
                {
                    session.onRetransmission(buffer, offset + Outbox.DIRECT_MESSAGE, length - Outbox.DIRECT_MESSAGE,
                        buffer.getInt(offset + Outbox.DIRECT_FLAGS));
                }
                break;
            }
            default:
                break;
        }
    }

    @Override
    public void onDrainPassEnd()
    {
        tick();
        final long lost = outbox.lostMessages();
        if (lost != lostSeen)
        {
            recoverFromLoss(lost - lostSeen);
            lostSeen = lost;
        }
        flushDirty();
        if (!paused.isEmpty() && outbox.occupancy() < outbox.capacity() / 4)
        {
            for (int i = 0; i < paused.size(); i++)
            {
                paused.get(i).resumeReading();
            }
            paused.clear();
        }
    }

    /**
     * The outbox overflowed: some report or market data message never reached this loop. Sessions that may have
     * missed a report are ended (they reconnect and retransmit from the journal); subscribers get fresh snapshots,
     * which reset their books.
     */
    private void recoverFromLoss(final long lost)
    {
        LOG.warn("event loop {} fell behind: {} outbound message(s) lost; ending its order-entry sessions and " +
            "resending market data snapshots", index, lost);
        for (int i = sessions.size() - 1; i >= 0; i--)
        {
            final BinarySession session = sessions.get(i);
            if (session.isEstablishedAccountSession())
            {
                session.terminate(TerminationCode.SLOW_CONSUMER, "the gateway fell behind and lost " + lost +
                    " message(s); reconnect and retransmit");
            }
        }
        for (int market = 0; market < subscribers.length; market++)
        {
            final ArrayList<BinarySession> list = subscribers[market];
            if (list != null)
            {
                for (int i = 0; i < list.size(); i++)
                {
                    if (!list.get(i).isTerminated())
                    {
                        list.get(i).sendSnapshot(market);
                    }
                }
            }
        }
    }
}
