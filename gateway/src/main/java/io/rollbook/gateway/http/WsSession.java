package io.rollbook.gateway.http;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.view.AccountSnapshot;
import io.rollbook.gateway.view.BookSnapshot;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.gateway.view.MarketStatsView;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.MarketSpec;

/**
 * One WebSocket connection of the trader API (docs/REST.md, "WebSocket"): its subscriptions, its authenticated
 * account, a gap-free sequence number per subscription, heartbeats, and the bound on what it may leave unread: a
 * client whose unsent bytes pass the connection's outbound bound (the channel turns unwritable) is closed with 1008
 * and a reason, so a slow reader never grows the server's memory.
 *
 * <p>Public channels per market: {@code book} (a snapshot, then one delta per changed level with its new total),
 * {@code trades}, {@code oracle} (oracle price and funding). Private channels after {@code auth}: {@code orders},
 * {@code fills}, {@code positions}, {@code balances}, {@code account} (its settings, and every fee tier's rates),
 * each the account's own events in the JSON event format.
 *
 * <p>Owned by its event loop.
 */
final class WsSession
{
    private static final int BOOK = 0;
    private static final int TRADES = 1;
    private static final int ORACLE = 2;
    private static final String[] PUBLIC_CHANNELS = {"book", "trades", "oracle"};
    private static final List<String> PING_FIELDS = List.of("op");
    private static final List<String> SUBSCRIBE_FIELDS = List.of("op", "channel", "market");
    private static final List<String> AUTH_FIELDS = List.of("op", "account", "timestamp", "signature");
    private static final List<String> AUTH_SIGNING_FIELDS = List.of("account", "timestamp", "signature");

    private final HttpLoop loop;
    private final HttpConnection connection;
    private final GatewayViews views;
    private final boolean[][] subscribed;
    private final long[][] seq;
    private final long[][] baseline;
    private final boolean[] privateSubscribed = new boolean[EventRouting.CHANNELS.length];
    private final long[] privateSeq = new long[EventRouting.CHANNELS.length];
    private final long[] privateBaseline = new long[EventRouting.CHANNELS.length];
    private int subscriptions;
    private int account;
    private boolean accountInterest;
    private long lastReceivedNs = System.nanoTime();
    private long lastPingNs = lastReceivedNs;
    private boolean closing;
    boolean dirty;

    WsSession(final HttpLoop loop, final HttpConnection connection)
    {
        this.loop = loop;
        this.connection = connection;
        this.views = loop.gateway().views();
        final int markets = views.markets().capacity();
        this.subscribed = new boolean[PUBLIC_CHANNELS.length][markets];
        this.seq = new long[PUBLIC_CHANNELS.length][markets];
        this.baseline = new long[PUBLIC_CHANNELS.length][markets];
    }

    int account()
    {
        return account;
    }

    boolean follows(final int account, final int channel)
    {
        return this.account != 0 && this.account == account && privateSubscribed[channel];
    }

    /**
     * @return whether this connection follows the private channel, whatever the account
     */
    boolean followsAny(final int channel)
    {
        return account != 0 && privateSubscribed[channel];
    }

    boolean followsMarket(final int channel, final int market)
    {
        return subscribed[channel][market];
    }

    void onFrame(final WebSocketFrame frame)
    {
        lastReceivedNs = System.nanoTime();
        if (closing || frame instanceof PongWebSocketFrame)
        {
            return;
        }
        final ApiException overRate = connection.overAddressRate();
        if (overRate != null)
        {
            error(overRate.code(), overRate.getMessage());
            return;
        }
        if (!(frame instanceof TextWebSocketFrame))
        {
            error("MALFORMED_JSON", "a binary frame is not read: send each message as a text frame holding one " +
                "JSON object");
            return;
        }
        final Map<String, Object> message;
        try
        {
            message = RestApi.parse(((TextWebSocketFrame)frame).text());
        }
        catch (final ApiException ex)
        {
            error(ex.code(), ex.getMessage());
            return;
        }
        final Object op = message.get("op");
        try
        {
            if ("ping".equals(op))
            {
                onlyFields(message, "ping", PING_FIELDS);
                send("{\"op\":\"pong\"}");
            }
            else if ("subscribe".equals(op))
            {
                onlyFields(message, "subscribe", SUBSCRIBE_FIELDS);
                subscribe(message, true);
            }
            else if ("unsubscribe".equals(op))
            {
                onlyFields(message, "unsubscribe", SUBSCRIBE_FIELDS);
                subscribe(message, false);
            }
            else if ("auth".equals(op))
            {
                onlyFields(message, "auth", AUTH_FIELDS);
                auth(message);
            }
            else
            {
                error("UNKNOWN_OP", "op must be subscribe, unsubscribe, auth or ping, got " + op);
            }
        }
        catch (final ApiException ex)
        {
            error(ex.code(), ex.getMessage());
        }
    }

    /**
     * Answers a WebSocket ping of the client with a pong carrying its payload, as a message is answered: under the
     * connection's outbound bound (a client that pings without reading is a slow consumer like any other) and
     * counted against its address's request rate (one over it goes unanswered: RFC 6455 lets a pong answer only the
     * latest of several pings, and an error message would cost the bytes the rate bounds).
     */
    void onPing(final PingWebSocketFrame ping)
    {
        lastReceivedNs = System.nanoTime();
        if (closing || connection.overAddressRate() != null)
        {
            return;
        }
        if (writableElseClose())
        {
            connection.context().write(new PongWebSocketFrame(ping.content().retainedDuplicate()));
            loop.markDirty(this);
        }
    }

    /**
     * Refuses a key the message does not take, as the REST bodies do: a filter the server would ignore (a market on
     * a private channel, a depth on the book) would give the client more than it asked for, without a word.
     */
    private static void onlyFields(final Map<String, Object> message, final String op, final List<String> fields)
    {
        for (final String key : message.keySet())
        {
            if (!fields.contains(key))
            {
                throw ApiException.badRequest("INVALID_FIELD", key + " is not a field of \"" + op + "\", which takes " +
                    String.join(", ", fields));
            }
        }
    }

    private void subscribe(final Map<String, Object> message, final boolean on)
    {
        final Object channel = message.get("channel");
        for (int c = 0; c < EventRouting.CHANNELS.length; c++)
        {
            if (EventRouting.CHANNELS[c].equals(channel))
            {
                if (message.containsKey("market"))
                {
                    throw ApiException.badRequest("INVALID_FIELD", "market is not a field of the " + channel +
                        " channel, which carries every market of the account");
                }
                subscribePrivate(c, on);
                return;
            }
        }
        int publicChannel = -1;
        for (int c = 0; c < PUBLIC_CHANNELS.length; c++)
        {
            if (PUBLIC_CHANNELS[c].equals(channel))
            {
                publicChannel = c;
            }
        }
        if (publicChannel < 0)
        {
            throw ApiException.badRequest("UNKNOWN_CHANNEL", "channel must be book, trades, oracle, orders, fills, " +
                "positions, balances or account, got " + channel);
        }
        final Object symbol = message.get("market");
        if (symbol == null)
        {
            throw ApiException.badRequest("INVALID_FIELD", "market is required for the " + channel + " channel");
        }
        if (!(symbol instanceof String))
        {
            throw ApiException.badRequest("INVALID_FIELD", "market must be a market's symbol as a JSON string " +
                "(\"BTC-USD\"), got " + symbol);
        }
        final MarketSpec market = loop.api().market((String)symbol);
        final int id = market.id();
        if (!on)
        {
            if (subscribed[publicChannel][id])
            {
                subscribed[publicChannel][id] = false;
                subscriptions--;
                loop.unsubscribeMarket(id);
            }
            send("{\"op\":\"unsubscribed\",\"channel\":\"" + channel + "\",\"market\":\"" + market.symbol() + "\"}");
            return;
        }
        if (subscribed[publicChannel][id])
        {
            throw ApiException.badRequest("ALREADY_SUBSCRIBED", "already subscribed to " + channel + " " +
                market.symbol());
        }
        if (subscriptions >= loop.gateway().context().maxSubscriptions())
        {
            throw ApiException.badRequest("TOO_MANY_SUBSCRIPTIONS", "a connection may hold at most " +
                loop.gateway().context().maxSubscriptions() + " subscriptions");
        }
        subscriptions++;
        subscribed[publicChannel][id] = true;
        seq[publicChannel][id] = 0;
        // Interest first, then the snapshot: every later change then reaches this loop; changes the snapshot already
        // holds are dropped by their channel sequence.
        loop.subscribeMarket(id);
        switch (publicChannel)
        {
            case BOOK:
                bookSnapshot(market);
                break;
            case TRADES:
                baseline[TRADES][id] = views.marketData().channelSeq(id);
                send("{\"op\":\"subscribed\",\"channel\":\"trades\",\"market\":\"" + market.symbol() + "\"}");
                break;
            default:
                oracleSnapshot(market);
                break;
        }
    }

    private void bookSnapshot(final MarketSpec market)
    {
        final BookSnapshot snapshot = loop.bookSnapshot();
        views.marketData().snapshot(market.id(), snapshot);
        baseline[BOOK][market.id()] = snapshot.channelSeq();
        final StringBuilder out = new StringBuilder(256 + 48 * (snapshot.bidCount() + snapshot.askCount()));
        out.append("{\"channel\":\"book\",\"market\":\"").append(market.symbol())
            .append("\",\"type\":\"snapshot\",\"seq\":").append(++seq[BOOK][market.id()])
            .append(",\"marketSeq\":").append(snapshot.channelSeq()).append(",\"bids\":[");
        for (int i = 0; i < snapshot.bidCount(); i++)
        {
            RestApi.level(out, market, i, snapshot.bidPrice(i), snapshot.bidSize(i));
        }
        out.append("],\"asks\":[");
        for (int i = 0; i < snapshot.askCount(); i++)
        {
            RestApi.level(out, market, i, snapshot.askPrice(i), snapshot.askSize(i));
        }
        send(out.append("]}"));
    }

    private void oracleSnapshot(final MarketSpec market)
    {
        final MarketStatsView.Stats stats = loop.stats();
        views.marketStats().read(market.id(), stats);
        // The copy's own sequence, taken with it under the view's lock: an event the copy holds is never sent again.
        baseline[ORACLE][market.id()] = stats.sequence();
        final StringBuilder out = new StringBuilder(256);
        out.append("{\"channel\":\"oracle\",\"market\":\"").append(market.symbol())
            .append("\",\"type\":\"snapshot\",\"seq\":").append(++seq[ORACLE][market.id()]);
        if (stats.oraclePriceTicks() == 0)
        {
            out.append(",\"oraclePrice\":null");
        }
        else
        {
            RestApi.price(out, "oraclePrice", market, stats.oraclePriceTicks());
        }
        out.append(",\"fundingRate\":\"");
        Decimals.appendScaled(out, stats.fundingRatePpb(), -9);
        out.append("\",\"fundingIndex\":").append(stats.fundingIndex()).append('}');
        send(out);
    }

    private void subscribePrivate(final int channel, final boolean on)
    {
        if (account == 0)
        {
            throw new ApiException(401, "NOT_AUTHENTICATED", "the " + EventRouting.CHANNELS[channel] + " channel is " +
                "an account's: send {\"op\":\"auth\",...} first");
        }
        if (on && privateSubscribed[channel])
        {
            throw ApiException.badRequest("ALREADY_SUBSCRIBED", "already subscribed to " +
                EventRouting.CHANNELS[channel]);
        }
        privateSubscribed[channel] = on;
        if (on && !accountInterest)
        {
            accountInterest = true;
            loop.subscribeAccount(account);
        }
        if (!on)
        {
            send("{\"op\":\"unsubscribed\",\"channel\":\"" + EventRouting.CHANNELS[channel] + "\"}");
            return;
        }
        // A new subscription numbers its messages from 1, as a public one does.
        privateSeq[channel] = 0;
        final AccountSnapshot snapshot = loop.accountSnapshot();
        views.accounts().read(account, snapshot);
        // Events already in the outbox when the copy was taken are in the copy: they are dropped by their sequence.
        privateBaseline[channel] = snapshot.sequence();
        final StringBuilder out = new StringBuilder(1024);
        out.append("{\"channel\":\"").append(EventRouting.CHANNELS[channel])
            .append("\",\"type\":\"snapshot\",\"seq\":").append(++privateSeq[channel]);
        if (channel == EventRouting.ORDERS)
        {
            out.append(",\"orders\":[");
            for (int i = 0; i < snapshot.orderCount(); i++)
            {
                if (i > 0)
                {
                    out.append(',');
                }
                loop.api().accountJson().order(out, snapshot, i);
            }
            out.append("]}");
        }
        else if (channel == EventRouting.ACCOUNT)
        {
            out.append(",\"settings\":");
            loop.api().accountJson().settings(out, snapshot);
            // Read after the account, so the tiers hold every definition up to the baseline (and perhaps one
            // after it, which then comes again as an event: a redefinition with the same rates).
            out.append(",\"feeTiers\":");
            loop.api().appendFeeTiers(out);
            out.append('}');
        }
        else
        {
            out.append(",\"account\":").append(loop.api().accountJson().render(snapshot)).append('}');
        }
        send(out);
    }

    private void auth(final Map<String, Object> message)
    {
        if (account != 0)
        {
            throw ApiException.badRequest("ALREADY_AUTHENTICATED", "this connection is authenticated as account " +
                account + " already");
        }
        final Object accountValue = message.get("account");
        final Object timestamp = message.get("timestamp");
        final Object signature = message.get("signature");
        if (accountValue == null || timestamp == null || signature == null)
        {
            throw new ApiException(401, "MISSING_SIGNATURE", "auth takes account (number), timestamp (milliseconds, " +
                "number) and signature (base64 string); missing: " + missing(message, AUTH_SIGNING_FIELDS));
        }
        if (!(accountValue instanceof Long))
        {
            throw new ApiException(401, "UNKNOWN_ACCOUNT", "account must be the account id as a JSON number, got " +
                RestApi.quoted(accountValue));
        }
        if (!(signature instanceof String))
        {
            throw new ApiException(401, "BAD_SIGNATURE", "signature must be the base64 text of the signature, a " +
                "JSON string, got " + signature);
        }
        if (!(timestamp instanceof Long) || (Long)timestamp < 0)
        {
            throw RestApi.invalidTimestamp("timestamp", RestApi.quoted(timestamp));
        }
        final long id = (Long)accountValue;
        final PublicKey key = id > 0 && id <= Integer.MAX_VALUE ? loop.gateway().keys().accountKey((int)id) : null;
        if (key == null)
        {
            throw new ApiException(401, "UNKNOWN_ACCOUNT", "account " + id + " has no key on this service");
        }
        final long timestampMs = (Long)timestamp;
        final long nowMs = loop.gateway().context().clock().time();
        final long windowMs = loop.gateway().context().timestampWindowMs();
        if (!RequestSigning.isFresh(timestampMs, nowMs, windowMs))
        {
            throw new ApiException(401, "STALE_TIMESTAMP", "timestamp " + timestampMs + " is more than " + windowMs +
                " ms from the server's clock (" + nowMs + ")");
        }
        final byte[] canonical = RequestSigning.canonical(timestampMs, "GET", RestApi.WEBSOCKET_PATH, new byte[0]);
        if (!RequestSigning.verify(key, canonical, (String)signature))
        {
            final String refusal = "signature is not a valid Ed25519 signature of \"" + timestampMs +
                "\\nGET\\n/v1/ws\\n\" by account " + id + "'s key";
            if (connection.signatureFailed())
            {
                error("BAD_SIGNATURE", refusal + HttpConnection.LAST_BAD_SIGNATURE);
                close(1008, "too many bad signatures: " + HttpConnection.MAX_BAD_SIGNATURES);
                return;
            }
            throw new ApiException(401, "BAD_SIGNATURE", refusal);
        }
        account = (int)id;
        send("{\"op\":\"auth\",\"status\":\"ok\",\"account\":" + account + "}");
    }

    private static String missing(final Map<String, Object> message, final List<String> fields)
    {
        final StringBuilder absent = new StringBuilder();
        for (final String field : fields)
        {
            if (message.get(field) == null)
            {
                absent.append(absent.length() == 0 ? "" : ", ").append(field);
            }
        }
        return absent.toString();
    }

    /**
     * Closes the connection if it authenticated with a key that the operator has since replaced or revoked: its
     * private channels must not go on streaming to whoever holds the old private key.
     */
    void onKeysChanged(final KeyStore.KeyChange change)
    {
        if (account != 0 && change.revokes(account))
        {
            close(1008, "the operator replaced or revoked the key this connection authenticated with");
        }
    }

    private void error(final String code, final String message)
    {
        send(Json.error(code, message).replaceFirst("\\{", "{\"type\":\"error\","));
    }

    /**
     * A level's new total, from the release thread.
     */
    void onLevel(final MarketSpec market, final int side, final long priceTicks, final long sizeLots,
        final long channelSeq)
    {
        final int id = market.id();
        if (!subscribed[BOOK][id] || channelSeq <= baseline[BOOK][id])
        {
            return;
        }
        final StringBuilder out = loop.scratch();
        out.append("{\"channel\":\"book\",\"market\":\"").append(market.symbol())
            .append("\",\"type\":\"delta\",\"seq\":").append(++seq[BOOK][id]).append(",\"marketSeq\":")
            .append(channelSeq).append(side == 0 ? ",\"bids\":[" : ",\"bids\":[],\"asks\":[");
        RestApi.level(out, market, 0, priceTicks, sizeLots);
        out.append(side == 0 ? "],\"asks\":[]}" : "]}");
        send(out);
    }

    void onTrade(final MarketSpec market, final long channelSeq, final CharSequence tradeFields)
    {
        final int id = market.id();
        if (!subscribed[TRADES][id] || channelSeq <= baseline[TRADES][id])
        {
            return;
        }
        final StringBuilder out = loop.scratch();
        out.append("{\"channel\":\"trades\",\"market\":\"").append(market.symbol()).append("\",\"seq\":")
            .append(++seq[TRADES][id]).append(",\"marketSeq\":").append(channelSeq).append(tradeFields).append('}');
        send(out);
    }

    void onMarketEvent(final MarketSpec market, final long sequence, final CharSequence event)
    {
        final int id = market.id();
        if (!subscribed[ORACLE][id] || sequence <= baseline[ORACLE][id])
        {
            return;
        }
        final StringBuilder out = loop.scratch();
        out.append("{\"channel\":\"oracle\",\"market\":\"").append(market.symbol()).append("\",\"seq\":")
            .append(++seq[ORACLE][id]).append(",\"event\":").append(event).append('}');
        send(out);
    }

    void onAccountEvent(final int channel, final long sequence, final CharSequence event)
    {
        if (sequence <= privateBaseline[channel])
        {
            return;
        }
        final StringBuilder out = loop.scratch();
        out.append("{\"channel\":\"").append(EventRouting.CHANNELS[channel]).append("\",\"seq\":")
            .append(++privateSeq[channel]).append(",\"event\":").append(event).append('}');
        send(out);
    }

    void onTimer(final long nowNs)
    {
        final long heartbeatMs = loop.gateway().context().heartbeatMs();
        final long heartbeatNs = heartbeatMs * 1_000_000L;
        if (nowNs - lastReceivedNs > 3 * heartbeatNs)
        {
            close(1001, "no frame from the client for " + 3 * heartbeatMs + " ms (it must answer pings)");
            return;
        }
        if (nowNs - lastPingNs >= heartbeatNs && connection.isOpen())
        {
            lastPingNs = nowNs;
            if (connection.context().channel().isWritable())
            {
                connection.context().write(new PingWebSocketFrame());
                loop.markDirty(this);
            }
        }
    }

    void onWritabilityChanged()
    {
        // Unwritability is acted on at the next send: that is when the bound would be passed.
    }

    void send(final CharSequence json)
    {
        if (closing || !connection.isOpen())
        {
            return;
        }
        if (writableElseClose())
        {
            connection.context().write(new TextWebSocketFrame(json.toString()));
            loop.markDirty(this);
        }
    }

    /**
     * @return true if the connection may take another frame; false if its client left more than the bound unread,
     *         when it is closed as a slow consumer
     */
    private boolean writableElseClose()
    {
        final ChannelHandlerContext ctx = connection.context();
        if (ctx.channel().isWritable())
        {
            return true;
        }
        // Unwritable may only mean written and not yet flushed: the loop flushes once per read or drain pass, and a
        // pass of many messages (a storm of requests, a mass cancel's deltas) passes the bound with a client that
        // reads everything. What the socket takes now is not unread; what it does not take is.
        ctx.flush();
        if (ctx.channel().isWritable())
        {
            return true;
        }
        loop.slowConsumerDisconnected();
        close(1008, "slow consumer: more than " + loop.gateway().context().outboundLimitBytes() +
            " bytes unread; reconnect and subscribe again");
        return false;
    }

    void flush()
    {
        if (connection.isOpen())
        {
            connection.context().flush();
        }
    }

    /**
     * Ends the session with a close frame with the code and reason, the last thing sent: the connection ends in stages
     * ({@link HttpConnection#endWebSocket}), or at once if its outbound buffer is full (the frame cannot pass the
     * unread bytes).
     */
    void close(final int code, final String reason)
    {
        if (closing)
        {
            return;
        }
        closing = true;
        if (connection.isOpen())
        {
            connection.endWebSocket(code, reason);
        }
    }

    void unsubscribeAll()
    {
        for (int c = 0; c < PUBLIC_CHANNELS.length; c++)
        {
            for (int m = 0; m < subscribed[c].length; m++)
            {
                if (subscribed[c][m])
                {
                    subscribed[c][m] = false;
                    loop.unsubscribeMarket(m);
                }
            }
        }
        subscriptions = 0;
        if (accountInterest)
        {
            accountInterest = false;
            loop.unsubscribeAccount(account);
        }
    }
}
