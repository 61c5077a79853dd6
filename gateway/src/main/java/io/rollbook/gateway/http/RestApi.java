package io.rollbook.gateway.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.core.SourceTag;
import io.rollbook.gateway.core.TokenBucket;
import io.rollbook.gateway.view.AccountSnapshot;
import io.rollbook.gateway.view.BookSnapshot;
import io.rollbook.gateway.view.FeeTiersView;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.gateway.view.MarketStatsView;
import io.rollbook.gateway.view.OrderState;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.InvalidValueException;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.json.FlatJson;
import io.rollbook.protocol.json.JsonCommands;
import io.rollbook.protocol.json.JsonEvents;
import io.rollbook.protocol.json.JsonFormatException;
import io.rollbook.sequencer.CommandPublisher;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The REST side of the trader API on one event loop: routes a request by path and method, checks its signature and
 * the account's rate limit, and answers it at once (public data, the account's views, mounted routes, errors) or
 * converts its JSON body with the command format's own converter ({@link JsonCommands}), publishes the command and
 * answers when the command is released ({@link CommandAnswer}). Endpoints and codes: docs/REST.md.
 *
 * <p>Owned by its event loop.
 */
final class RestApi
{
    static final String WEBSOCKET_PATH = "/v1/ws";
    /**
     * The operator's commands by path under {@code /v1/operator/}: what a price adapter, a bridge (deposits and
     * withdrawals seen on chain) and an account manager (fee tiers, an account's tier and default self-trade
     * prevention) send, each in the JSON command format.
     */
    private static final Map<String, String> OPERATOR_COMMANDS = Map.of(
        "oracle", "oracle",
        "funding", "funding",
        "deposits", "deposit",
        "withdrawals", "withdraw",
        "account-settings", "configureAccount",
        "fee-tiers", "defineFeeTier");
    private static final String API_PREFIX = "/v1/";
    private static final int MAX_DEPTH = 10_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final HttpLoop loop;
    private final HttpGateway.Context context;
    private final GatewayViews views;
    private final KeyStore keys;
    private final MarketDirectory markets;
    private final JsonCommands commands;
    private final JsonEvents events;
    private final UnsafeBuffer command = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PlaceOrderDecoder placeOrder = new PlaceOrderDecoder();
    private final OrderState orderState = new OrderState();
    private final BookSnapshot snapshot = new BookSnapshot();
    private final AccountSnapshot accountSnapshot = new AccountSnapshot();
    private final FeeTiersView.Snapshot feeTiers = new FeeTiersView.Snapshot();
    private final MarketStatsView.Stats stats = new MarketStatsView.Stats();
    private final MarketStatsView.Trades trades = new MarketStatsView.Trades();
    private final AccountJson accountJson;
    private final CommandAnswer.Scan scan = new CommandAnswer.Scan();
    private final EventRouting routing = new EventRouting();
    private final StringBuilder out = new StringBuilder(4096);
    /** The signature of the request being handled, when it changes state: a busy sequencer frees it again. */
    private String pendingSignature;
    private boolean wakePending;

    RestApi(final HttpLoop loop)
    {
        this.loop = loop;
        this.context = loop.gateway().context();
        this.views = loop.gateway().views();
        this.keys = loop.gateway().keys();
        this.markets = new MarketDirectory(context.markets());
        this.commands = new JsonCommands(markets);
        this.events = new JsonEvents(new MarketDirectory(context.markets()));
        this.accountJson = new AccountJson(markets);
    }

    MarketDirectory markets()
    {
        return markets;
    }

    JsonEvents events()
    {
        return events;
    }

    AccountJson accountJson()
    {
        return accountJson;
    }

    CommandAnswer.Scan scan()
    {
        return scan;
    }

    EventRouting routing()
    {
        return routing;
    }

    void handle(final HttpConnection connection, final HttpConnection.Slot slot, final FullHttpRequest request)
    {
        final QueryStringDecoder query = new QueryStringDecoder(request.uri());
        final String path;
        try
        {
            // Both decode lazily: a broken percent-encoding is found here, not in the middle of an endpoint.
            path = query.path();
            query.parameters();
        }
        catch (final IllegalArgumentException ex)
        {
            throw ApiException.badRequest("MALFORMED_HTTP", "the request target is not valid: " + ex.getMessage() +
                " (a '%' must start a percent-encoded byte such as %2F)");
        }
        if (BodyLimit.unsupportedExpectation(request))
        {
            throw new ApiException(417, "EXPECTATION_FAILED", "the server meets no expectation but 100-continue, got " +
                "Expect: " + request.headers().get(HttpHeaderNames.EXPECT) + "; nothing was done");
        }
        final String method = request.method().name();
        if (path.startsWith(API_PREFIX) || path.equals("/v1"))
        {
            api(new Call(connection, slot, request, query, method));
            return;
        }
        final HttpRoutes routes = context.routes();
        final HttpRoutes.TextRoute route = routes.textRoute(path);
        final StaticFiles files = routes.staticFiles();
        final byte[] file = route != null || files == null ? null : files.read(path);
        // 405 says the path is there with other methods: only for a path that is.
        if (route == null && file == null)
        {
            throw ApiException.notFound("NOT_FOUND", "nothing is served at " + path + "; the API is under /v1/ " +
                "(docs/REST.md)");
        }
        if (!method.equals("GET") && !method.equals("HEAD"))
        {
            throw new ApiException(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path +
                "; it answers GET and HEAD", 0, allowHeader("GET"));
        }
        if (route != null)
        {
            connection.respondText(slot, route.contentType, route.body.get());
            return;
        }
        connection.respondBytes(slot, StaticFiles.contentType(path), file);
    }

    /**
     * One API request being handled.
     */
    static final class Call
    {
        final HttpConnection connection;
        final HttpConnection.Slot slot;
        final FullHttpRequest request;
        final QueryStringDecoder query;
        final String method;
        final byte[] body;

        Call(
            final HttpConnection connection,
            final HttpConnection.Slot slot,
            final FullHttpRequest request,
            final QueryStringDecoder query,
            final String method)
        {
            this.connection = connection;
            this.slot = slot;
            this.request = request;
            this.query = query;
            this.method = method;
            this.body = ByteBufUtil.getBytes(request.content());
        }

        String parameter(final String name)
        {
            final List<String> values = query.parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private void api(final Call call)
    {
        final String[] parts = segments(call.query);
        final String method = call.method;
        final String first = parts.length == 0 ? "" : parts[0];
        switch (first)
        {
            case "markets":
                if (parts.length == 1)
                {
                    allow(method, "GET");
                    parameters(call);
                    call.connection.respondJson(call.slot, 200, marketsJson());
                    return;
                }
                if (parts.length == 3 && parts[2].equals("book"))
                {
                    allow(method, "GET");
                    parameters(call, "depth");
                    call.connection.respondJson(call.slot, 200, bookJson(market(parts[1]), depth(call)));
                    return;
                }
                if (parts.length == 3 && parts[2].equals("trades"))
                {
                    allow(method, "GET");
                    parameters(call, "fromSeq", "limit");
                    marketTrades(call, market(parts[1]));
                    return;
                }
                break;
            case "fee-tiers":
                if (parts.length == 1)
                {
                    allow(method, "GET");
                    parameters(call);
                    call.connection.respondJson(call.slot, 200, feeTiersJson());
                    return;
                }
                break;
            case "orders":
                if (parts.length == 1)
                {
                    allow(method, "GET", "POST", "DELETE");
                    if (method.equals("POST"))
                    {
                        parameters(call);
                        place(call);
                    }
                    else if (method.equals("DELETE"))
                    {
                        parameters(call, "market", "side");
                        massCancel(call);
                    }
                    else
                    {
                        parameters(call, "market");
                        openOrders(call);
                    }
                    return;
                }
                if (parts.length == 2 && parts[1].equals("batch") && method.equals("POST"))
                {
                    parameters(call);
                    batch(call);
                    return;
                }
                if (parts.length == 2)
                {
                    // "batch" is a clientId like any other but for POST: an order placed with it is read, amended
                    // and canceled here.
                    if (parts[1].equals("batch"))
                    {
                        allow(method, "GET", "DELETE", "PATCH", "POST");
                    }
                    allow(method, "GET", "DELETE", "PATCH");
                    parameters(call, "market");
                    byClientId(call, parts[1]);
                    return;
                }
                break;
            case "order-ids":
                if (parts.length == 2)
                {
                    allow(method, "GET", "DELETE", "PATCH");
                    parameters(call);
                    byOrderId(call, parts[1]);
                    return;
                }
                break;
            case "account":
                if (parts.length == 1)
                {
                    allow(method, "GET");
                    parameters(call);
                    final int account = authenticate(call);
                    views.accounts().read(account, accountSnapshot);
                    call.connection.respondJson(call.slot, 200, accountJson.render(accountSnapshot));
                    return;
                }
                break;
            case "fills":
                if (parts.length == 1)
                {
                    allow(method, "GET");
                    parameters(call, "fromSeq", "market", "limit");
                    fillHistory(call);
                    return;
                }
                break;
            case "isolated-margin":
                if (parts.length == 1)
                {
                    allow(method, "POST");
                    parameters(call);
                    accountCommand(call, "isolatedMargin");
                    return;
                }
                break;
            case "withdrawals":
                if (parts.length == 1)
                {
                    allow(method, "POST");
                    parameters(call);
                    accountCommand(call, "withdraw");
                    return;
                }
                break;
            case "operator":
                if (parts.length == 2 && OPERATOR_COMMANDS.containsKey(parts[1]))
                {
                    allow(method, "POST");
                    parameters(call);
                    operatorCommand(call, OPERATOR_COMMANDS.get(parts[1]));
                    return;
                }
                if (parts.length == 3 && parts[1].equals("accounts"))
                {
                    // Any account's view, the insurance fund's and the fee account's included: what an operator
                    // watches during liquidations.
                    allow(method, "GET");
                    parameters(call);
                    authenticateOperator(call);
                    views.accounts().read(accountWithinCapacity(accountInPath(parts[2])), accountSnapshot);
                    call.connection.respondJson(call.slot, 200, accountJson.render(accountSnapshot));
                    return;
                }
                break;
            case "ws":
                if (parts.length == 1)
                {
                    allow(method, "GET");
                    if (UpgradeGate.isHandshake(call.request))
                    {
                        throw ApiException.badRequest("WEBSOCKET_UPGRADE_REQUIRED", "a WebSocket handshake is " +
                            "taken only on a connection that owes no answers: send it once the answers to the " +
                            "requests before it are read, or on a connection of its own");
                    }
                    throw ApiException.badRequest("WEBSOCKET_UPGRADE_REQUIRED",
                        "GET /v1/ws opens a WebSocket: send the handshake (Upgrade: websocket, Connection: Upgrade, " +
                        "Sec-WebSocket-Key and Sec-WebSocket-Version: 13)");
                }
                break;
            default:
                break;
        }
        throw ApiException.notFound("NOT_FOUND", "no API endpoint at " + call.query.path() +
            " (docs/REST.md lists them)");
    }

    /**
     * The path's segments after {@code /v1/}, a trailing empty one included: {@code DELETE /v1/orders/} is a cancel
     * of the order with the empty clientId (refused), never the mass cancel {@code DELETE /v1/orders}, which a client
     * building the path from a clientId it lost would otherwise send. The path is split before it is
     * percent-decoded, so that a clientId holding a {@code '/'} is one segment when the client encodes it
     * ({@code /v1/orders/a%2Fb}).
     */
    private static String[] segments(final QueryStringDecoder query)
    {
        final String raw = query.rawPath();
        if (!raw.startsWith(API_PREFIX))
        {
            // "/v1", or a prefix that only its decoding makes "/v1/": no endpoint.
            return new String[] {""};
        }
        final String[] parts = raw.substring(API_PREFIX.length()).split("/", -1);
        for (int i = 0; i < parts.length; i++)
        {
            if (parts[i].indexOf('%') >= 0)
            {
                // As a path decodes: '+' stays itself.
                parts[i] = new QueryStringDecoder("/" + parts[i]).path().substring(1);
            }
        }
        return parts;
    }

    private static void allow(final String method, final String... allowed)
    {
        for (final String one : allowed)
        {
            if (one.equals(method) || (method.equals("HEAD") && one.equals("GET")))
            {
                return;
            }
        }
        final String list = allowHeader(allowed);
        throw new ApiException(405, "METHOD_NOT_ALLOWED", method + " is not allowed here; allowed: " + list, 0, list);
    }

    /**
     * The Allow header of a 405 lists what the path serves (RFC 9110, 10.2.1): HEAD wherever GET is, since a HEAD
     * request is answered as its GET would be, without the body.
     */
    static String allowHeader(final String... allowed)
    {
        final StringBuilder list = new StringBuilder();
        for (final String one : allowed)
        {
            list.append(list.length() == 0 ? "" : ", ").append(one);
            if (one.equals("GET"))
            {
                list.append(", HEAD");
            }
        }
        return list.toString();
    }

    /**
     * Refuses a query parameter the endpoint does not take, and a repeated one: a misspelt filter must not widen what
     * a request does ({@code DELETE /v1/orders?markte=BTC-USD} would cancel the orders of every market). For the
     * same reason a GET, HEAD or DELETE, whose inputs are the path and the query, is refused with a body: a client
     * that puts a mass cancel's filter there ({@code {"market":"BTC-USD"}}) would otherwise cancel every market's
     * orders, and one that filters its open orders there would be shown every market's as if they were the one's.
     */
    private static void parameters(final Call call, final String... known)
    {
        if (call.body.length > 0 && !call.method.equals("POST") && !call.method.equals("PATCH"))
        {
            throw ApiException.badRequest("INVALID_FIELD", call.method + " " + call.query.path() + " takes no body " +
                "(it got " + call.body.length + " bytes)" + (known.length == 0 ? "" : "; it takes " +
                String.join(" and ", known) + (known.length == 1 ? " as a query parameter (" : " as query parameters (") +
                call.query.path() + "?" + known[0] + "=...)") + "; nothing was done");
        }
        for (final Map.Entry<String, List<String>> parameter : call.query.parameters().entrySet())
        {
            final String name = parameter.getKey();
            if (!List.of(known).contains(name))
            {
                throw ApiException.badRequest("INVALID_PARAMETER", "unknown query parameter \"" + name + "\"; " +
                    call.method + " " + call.query.path() + (known.length == 0 ? " takes none" :
                    " takes " + String.join(", ", known)));
            }
            if (parameter.getValue().size() > 1)
            {
                throw ApiException.badRequest("INVALID_PARAMETER", "query parameter \"" + name + "\" is given " +
                    parameter.getValue().size() + " times; give it once");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- authentication

    /**
     * Checks an account's signature.
     *
     * @return the account
     */
    int authenticate(final Call call)
    {
        final HttpHeaders headers = call.request.headers();
        if (headers.contains(RequestSigning.OPERATOR_HEADER) && !headers.contains(RequestSigning.ACCOUNT_HEADER))
        {
            throw new ApiException(403, "NOT_AN_ACCOUNT", "this endpoint acts for an account: sign it with the " +
                "account's key and send Rollbook-Account, not Rollbook-Operator");
        }
        final String accountText = required(headers, RequestSigning.ACCOUNT_HEADER);
        final long timestampMs = timestamp(headers);
        final String signature = required(headers, RequestSigning.SIGNATURE_HEADER);
        final int account = accountId(accountText);
        final PublicKey key = keys.accountKey(account);
        if (key == null)
        {
            throw new ApiException(401, "UNKNOWN_ACCOUNT", "account " + account + " has no key on this service");
        }
        verify(call, key, timestampMs, signature);
        return account;
    }

    /**
     * Checks an operator's signature.
     */
    private void authenticateOperator(final Call call)
    {
        final HttpHeaders headers = call.request.headers();
        if (!headers.contains(RequestSigning.OPERATOR_HEADER))
        {
            if (headers.contains(RequestSigning.ACCOUNT_HEADER))
            {
                throw new ApiException(403, "NOT_OPERATOR", "operator endpoints take an operator's signature " +
                    "(Rollbook-Operator), not an account's");
            }
            required(headers, RequestSigning.OPERATOR_HEADER);
        }
        final String name = headers.get(RequestSigning.OPERATOR_HEADER);
        final long timestampMs = timestamp(headers);
        final String signature = required(headers, RequestSigning.SIGNATURE_HEADER);
        KeyStore.Operator operator = null;
        for (final KeyStore.Operator one : keys.operators())
        {
            if (one.name().equals(name))
            {
                operator = one;
            }
        }
        if (operator == null)
        {
            throw new ApiException(401, "UNKNOWN_OPERATOR", "no operator is named \"" + name + "\" on this service");
        }
        verify(call, operator.key(), timestampMs, signature);
    }

    private void verify(final Call call, final PublicKey key, final long timestampMs, final String signature)
    {
        final long nowMs = context.clock().time();
        if (!RequestSigning.isFresh(timestampMs, nowMs, context.timestampWindowMs()))
        {
            throw new ApiException(401, "STALE_TIMESTAMP", "Rollbook-Timestamp " + timestampMs + " is more than " +
                context.timestampWindowMs() + " ms from the server's clock (" + nowMs + "); requests must be signed " +
                "within " + context.timestampWindowMs() + " ms");
        }
        final byte[] canonical = RequestSigning.canonical(timestampMs, call.method, call.request.uri(), call.body);
        if (!RequestSigning.verify(key, canonical, signature))
        {
            String last = "";
            if (call.connection.signatureFailed())
            {
                call.connection.endWith(call.slot);
                last = HttpConnection.LAST_BAD_SIGNATURE;
            }
            throw new ApiException(401, "BAD_SIGNATURE", "Rollbook-Signature is not a valid Ed25519 signature of " +
                "timestamp, method, path and body by this key (docs/REST.md, Signing)" + last);
        }
        pendingSignature = null;
        if (!call.method.equals("GET") && !call.method.equals("HEAD"))
        {
            final ReplayGuard replays = loop.gateway().replays();
            final int use = replays.firstUse(signature, timestampMs);
            if (use == ReplayGuard.REPLAYED)
            {
                throw new ApiException(401, "REPLAYED", "this signed request was received before and is not " +
                    "executed again; sign each request anew (with a new timestamp)");
            }
            if (use == ReplayGuard.FULL)
            {
                final long retrySeconds = Math.max(1, (context.timestampWindowMs() + 999) / 1000);
                throw new ApiException(503, "REPLAY_TABLE_FULL", "the service remembers " + replays.capacity() +
                    " signed requests of the last " + context.timestampWindowMs() + " ms (http.maxRememberedSignatures)" +
                    " to refuse replays, and holds that many; nothing was done, send it again", retrySeconds, null);
            }
            pendingSignature = signature;
        }
    }

    private static String required(final HttpHeaders headers, final String name)
    {
        final String value = headers.get(name);
        if (value == null || value.isEmpty())
        {
            throw new ApiException(401, "MISSING_SIGNATURE", "this endpoint needs a signed request: the header " +
                name + " is missing (docs/REST.md, Signing)");
        }
        return value;
    }

    /**
     * The timestamp is judged as the API's other numbers are ({@link #plainDecimal}): a sign, leading zeros, other
     * scripts' digits or a value past Long.MAX_VALUE are not a timestamp at all, which is another answer than one
     * outside the window. The signature covers the number's text, so it must have one spelling.
     */
    private static long timestamp(final HttpHeaders headers)
    {
        final String text = required(headers, RequestSigning.TIMESTAMP_HEADER);
        try
        {
            return plainDecimal(text);
        }
        catch (final NumberFormatException ex)
        {
            throw invalidTimestamp(RequestSigning.TIMESTAMP_HEADER, "\"" + text + "\"");
        }
    }

    /**
     * A JSON value as the client wrote it, for a refusal to quote: a string told from the number it may spell.
     */
    static String quoted(final Object value)
    {
        return value instanceof String ? "the string \"" + value + "\"" : String.valueOf(value);
    }

    /**
     * @param field the header or WebSocket field that holds it
     * @param got   what it held, as the client sent it
     */
    static ApiException invalidTimestamp(final String field, final String got)
    {
        return new ApiException(401, "INVALID_TIMESTAMP", field + " must be milliseconds since the epoch, a whole " +
            "number from 0 to " + Long.MAX_VALUE + " in plain decimal digits (no sign, no leading zeros), got " + got);
    }

    /**
     * A non-negative whole number written as its plain decimal digits, as the ids and numbers of this API are: one
     * spelling per value ({@code +101}, {@code 0101} or other scripts' digits are refused), so that what a client
     * signed, logged or cached names the value one way.
     *
     * @throws NumberFormatException if the text is anything else, or above Long.MAX_VALUE
     */
    static long plainDecimal(final String text)
    {
        final int length = text.length();
        if (length == 0 || length > 19 || (text.charAt(0) == '0' && length > 1))
        {
            throw new NumberFormatException(text);
        }
        for (int i = 0; i < length; i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                throw new NumberFormatException(text);
            }
        }
        return Long.parseLong(text);
    }

    private static int accountId(final String text)
    {
        try
        {
            final long account = plainDecimal(text);
            if (account > 0 && account <= Integer.MAX_VALUE)
            {
                return (int)account;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // answered below
        }
        throw new ApiException(401, "UNKNOWN_ACCOUNT", "Rollbook-Account must be a positive account id, got \"" +
            text + "\"");
    }

    /**
     * Takes {@code count} tokens from the account's bucket.
     *
     * @return how many were granted (all or fewer)
     */
    private int acquire(final int account, final int count)
    {
        final TokenBucket bucket = loop.bucket(account);
        final long nowNs = System.nanoTime();
        for (int i = 0; i < count; i++)
        {
            if (!bucket.tryAcquire(nowNs))
            {
                return i;
            }
        }
        return count;
    }

    private ApiException rateLimited(final int account)
    {
        if (pendingSignature != null)
        {
            // Nothing was done, and the answer says when to retry: the same signed request may come again.
            loop.gateway().replays().forget(pendingSignature);
            pendingSignature = null;
        }
        final long waitNs = loop.bucket(account).waitNs(System.nanoTime());
        final long seconds = Math.max(1, (waitNs + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        return new ApiException(429, "RATE_LIMITED", "account " + account + " sends more than its limit; retry in " +
            seconds + " s", seconds, null);
    }

    // ------------------------------------------------------------------------------------------------------ bodies

    private static Map<String, Object> bodyObject(final Call call)
    {
        final String text = utf8(call);
        if (text.isBlank())
        {
            throw ApiException.badRequest("MALFORMED_JSON", "the body is empty; " + call.method +
                " " + call.query.path() + " takes a JSON object");
        }
        return parse(text);
    }

    /**
     * The body as text. Bytes that are not UTF-8 are refused where they are: decoded to U+FFFD they would reach the
     * fields as characters the client never sent, and be refused there with a message about those.
     */
    private static String utf8(final Call call)
    {
        final ByteBuffer in = ByteBuffer.wrap(call.body);
        final CharBuffer text = CharBuffer.allocate(call.body.length);
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        if (decoder.decode(in, text, true).isError())
        {
            throw ApiException.badRequest("MALFORMED_JSON", "the body is not UTF-8: byte 0x" +
                Integer.toHexString(call.body[in.position()] & 0xff) + " at offset " + in.position() +
                " does not belong where it is");
        }
        decoder.flush(text);
        return text.flip().toString();
    }

    static Map<String, Object> parse(final String text)
    {
        try
        {
            return FlatJson.parseObject(text);
        }
        catch (final JsonFormatException ex)
        {
            throw ApiException.badRequest("MALFORMED_JSON", ex.getMessage());
        }
    }

    /**
     * Sets the command and the account of a body, refusing a body that names another command or account.
     */
    private static void own(final Map<String, Object> json, final String cmd, final int account, final String where)
    {
        final Object given = json.get("cmd");
        if (given != null && !cmd.equals(given))
        {
            throw ApiException.badRequest("INVALID_FIELD", "cmd must be \"" + cmd + "\" (or left out) on " + where +
                ", got " + given);
        }
        final Object owner = json.get("account");
        if (owner != null && !(owner instanceof Long))
        {
            throw ApiException.badRequest("INVALID_FIELD", "account must be a whole number (the signing account, " +
                account + ", or left out), got " + quoted(owner));
        }
        if (owner != null && (Long)owner != account)
        {
            throw new ApiException(403, "ACCOUNT_MISMATCH", "the body names account " + owner + " but the request " +
                "is signed for account " + account + "; an account acts only for itself");
        }
        json.put("cmd", cmd);
        json.put("account", (long)account);
    }

    /**
     * Encodes a command into the loop's command buffer.
     *
     * @return its length
     */
    private int encode(final Map<String, Object> json)
    {
        final Object symbol = json.get("market");
        if (symbol instanceof String && markets.bySymbol((String)symbol) == null)
        {
            throw ApiException.notFound("UNKNOWN_MARKET", "\"" + symbol + "\" is not a market; GET /v1/markets " +
                "lists them");
        }
        try
        {
            return commands.encode(json, command, 0);
        }
        catch (final InvalidValueException ex)
        {
            throw ApiException.badRequest("INVALID_FIELD", ex.getMessage());
        }
    }

    /**
     * Publishes the encoded command; its answer comes on release. The matcher thread is woken once the request is
     * handled ({@link #wakeSequencer()}), so that the orders of a batch request are sequenced together.
     *
     * @throws ApiException 503 if the ring is full or the sequencer has stopped
     */
    private void publish(final int length, final CommandAnswer answer)
    {
        final CommandPublisher publisher = loop.gateway().publisher();
        final long request = loop.nextRequest();
        final long source = SourceTag.of(SourceTag.KIND_HTTP, loop.index(), 0, request);
        if (publisher == null || !publisher.tryPublishDeferringWake(source, command, 0, length))
        {
            if (pendingSignature != null)
            {
                // Nothing was done: the same signed request may be sent again.
                loop.gateway().replays().forget(pendingSignature);
            }
            if (publisher == null || !publisher.isAccepting())
            {
                throw new ApiException(503, "UNAVAILABLE", "the sequencer is not running; nothing was done", 1, null);
            }
            if (publisher.isLowOnDisk())
            {
                throw new ApiException(503, "DISK_SPACE_LOW", "the journal's disk has less free space than the " +
                    "service keeps in reserve (journal.minFreeBytes): new orders and amendments are refused, cancels " +
                    "are taken; nothing was done, send it again later", 60, null);
            }
            throw new ApiException(503, "BUSY", "the sequencer is busy; nothing was done, send it again", 1, null);
        }
        wakePending = true;
        loop.await(request, answer);
    }

    /**
     * After a request is handled (answered or not): wakes the matcher thread for the commands it published.
     */
    void wakeSequencer()
    {
        if (wakePending)
        {
            wakePending = false;
            loop.gateway().publisher().wakeConsumer();
        }
    }

    private long deadlineNs()
    {
        return System.nanoTime() + context.requestTimeoutMs() * 1_000_000L;
    }

    // ------------------------------------------------------------------------------------------------------ orders

    private void place(final Call call)
    {
        final int account = authenticate(call);
        final Map<String, Object> json = bodyObject(call);
        if (acquire(account, 1) < 1)
        {
            throw rateLimited(account);
        }
        submitPlace(account, json, new CommandAnswer(this, call.connection, call.slot, CommandAnswer.PLACE,
            account, deadlineNs(), null, 0));
    }

    /**
     * Checks, claims the client order id and publishes one order.
     */
    private void submitPlace(final int account, final Map<String, Object> json, final CommandAnswer answer)
    {
        own(json, "place", account, "POST /v1/orders");
        final int length = encode(json);
        header.wrap(command, 0);
        placeOrder.wrap(command, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final long clientOrderId = placeOrder.clientOrderId();
        final int market = placeOrder.market();
        if (views.orders().claim(account, clientOrderId, market, orderState) != OrderState.NONE)
        {
            throw new ApiException(422, "DUPLICATE_CLIENT_ORDER_ID",
                clientIdTaken(clientOrderId, orderState.status(), orderState.orderId()));
        }
        answer.clientOrderId = clientOrderId;
        try
        {
            publish(length, answer);
        }
        catch (final ApiException ex)
        {
            views.orders().unclaim(account, clientOrderId);
            throw ex;
        }
    }

    /**
     * Why a clientId cannot be placed again: a pending order has no order id yet, and an ended one holds its
     * clientId only while the gateway remembers it.
     */
    static String clientIdTaken(final long clientOrderId, final int status, final long orderId)
    {
        final String taken = "clientId " + ClientOrderIds.toString(clientOrderId) + " is taken by ";
        final String what;
        switch (status)
        {
            case OrderState.PENDING:
                what = "an order sent before and not executed yet (its own answer follows)";
                break;
            case OrderState.LIVE:
                what = "open order " + orderId;
                break;
            default:
                what = "order " + orderId + ", which ended " + OrderState.describe(status) + " (an ended order's " +
                    "clientId stays taken while the gateway remembers the order)";
                break;
        }
        return taken + what + "; choose a new clientId";
    }

    private void batch(final Call call)
    {
        final int account = authenticate(call);
        final String text = utf8(call);
        final List<String> items = BatchBody.split(text, context.maxBatchOrders());
        final BatchAnswer batch = new BatchAnswer(call.connection, call.slot, items.size());
        // Some orders of a batch may be executed when others find the ring full: the request stays used.
        pendingSignature = null;
        final int granted = acquire(account, items.size());
        final long deadlineNs = deadlineNs();
        for (int i = 0; i < items.size(); i++)
        {
            try
            {
                final Map<String, Object> json = parse(items.get(i));
                batch.clientId(i, json.get("clientId"));
                if (i >= granted)
                {
                    throw rateLimited(account);
                }
                submitPlace(account, json, new CommandAnswer(this, call.connection, call.slot, CommandAnswer.PLACE,
                    account, deadlineNs, batch, i));
            }
            catch (final ApiException ex)
            {
                batch.complete(i, ex.status(), Json.error(ex.code(), ex.getMessage()));
            }
        }
    }

    private void massCancel(final Call call)
    {
        final int account = authenticate(call);
        final String market = call.parameter("market");
        final String symbol = market == null ? null : market(market).symbol();
        final String side = side(call.parameter("side"));
        if (acquire(account, 1) < 1)
        {
            throw rateLimited(account);
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("cmd", "cancelAll");
        json.put("account", (long)account);
        if (symbol != null)
        {
            json.put("market", symbol);
        }
        if (side != null)
        {
            json.put("side", side);
        }
        publish(encode(json), new CommandAnswer(this, call.connection, call.slot, CommandAnswer.MASS_CANCEL,
            account, deadlineNs(), null, 0));
    }

    /**
     * A query parameter out of its range is the request's, not a body field's: refused as such before the account's
     * rate token is taken, as REST.md says for every refused request.
     */
    private static String side(final String value)
    {
        if (value == null || value.equals("buy") || value.equals("sell"))
        {
            return value;
        }
        throw ApiException.badRequest("INVALID_PARAMETER", "side must be buy or sell, got \"" + value + "\"");
    }

    private void openOrders(final Call call)
    {
        final int account = authenticate(call);
        final String symbol = call.parameter("market");
        final int market = symbol == null ? -1 : market(symbol).id();
        views.accounts().read(account, accountSnapshot);
        out.setLength(0);
        out.append("{\"orders\":[");
        boolean first = true;
        for (int i = 0; i < accountSnapshot.orderCount(); i++)
        {
            if (market >= 0 && accountSnapshot.orderMarket(i) != market)
            {
                continue;
            }
            if (!first)
            {
                out.append(',');
            }
            first = false;
            accountJson.order(out, accountSnapshot, i);
        }
        call.connection.respondJson(call.slot, 200, out.append("]}"));
    }

    private void fillHistory(final Call call)
    {
        final int account = authenticate(call);
        final String symbol = call.parameter("market");
        history(call, account, symbol == null ? -1 : market(symbol).id());
    }

    /**
     * The market's last trades from its view, newest first, or with {@code fromSeq} its whole history from the
     * journal, oldest first.
     */
    private void marketTrades(final Call call, final MarketSpec market)
    {
        if (call.parameter("fromSeq") != null)
        {
            history(call, TradeHistory.EVERY_ACCOUNT, market.id());
            return;
        }
        final int limit = (int)queryNumber(call, "limit", 1, MarketStatsView.RECENT_TRADES,
            MarketStatsView.RECENT_TRADES);
        call.connection.respondJson(call.slot, 200, tradesJson(market, limit));
    }

    /**
     * Hands the request to the journal reader, which answers it on this loop: its parameters checked here first, so
     * that a bad one is refused at once and nothing is read.
     */
    private void history(final Call call, final int account, final int market)
    {
        final long fromSequence = queryNumber(call, "fromSeq", 0, Long.MAX_VALUE, 0);
        final int limit = (int)queryNumber(call, "limit", 1, TradeHistory.MAX_LIMIT, TradeHistory.MAX_LIMIT);
        final TradeHistory history = loop.gateway().tradeHistory();
        if (history == null)
        {
            throw new ApiException(503, "UNAVAILABLE", "this gateway serves no trade history (it has no journal)");
        }
        final long released = views.updater().lastSequence();
        if (!history.submit(new TradeHistory.Job(loop, call.connection, call.slot, account, fromSequence, market,
            limit, released)))
        {
            throw new ApiException(503, "BUSY", "too many trade history requests are waiting; nothing was read, " +
                "ask again");
        }
    }

    /**
     * A whole number query parameter in {@code [min, max]}, or {@code absent} when it is not given.
     */
    private static long queryNumber(final Call call, final String name, final long min, final long max, final long absent)
    {
        final String value = call.parameter(name);
        if (value == null)
        {
            return absent;
        }
        try
        {
            final long number = plainDecimal(value);
            if (number >= min && number <= max)
            {
                return number;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // answered below, as for a number out of range
        }
        throw ApiException.badRequest("INVALID_PARAMETER", name + " must be a whole number from " + min + " to " + max +
            ", got \"" + value + "\"");
    }

    /**
     * The path names a clientId as text: an order placed with a JSON number for its clientId has another id, and a
     * trader who placed {@code "clientId":7} and asks for {@code /v1/orders/7} must learn where that order is.
     */
    private static String numericClientIdHint(final String clientIdText)
    {
        for (int i = 0; i < clientIdText.length(); i++)
        {
            if (clientIdText.charAt(i) < '0' || clientIdText.charAt(i) > '9')
            {
                return "";
            }
        }
        return "; this path names the text clientId \"" + clientIdText + "\": an order placed with the number " +
            clientIdText + " is named by its order id, /v1/order-ids/{orderId} (GET /v1/orders lists them)";
    }

    private void byClientId(final Call call, final String clientIdText)
    {
        final int account = authenticate(call);
        final long clientOrderId;
        try
        {
            clientOrderId = JsonCommands.clientOrderId(clientIdText, true);
        }
        catch (final InvalidValueException ex)
        {
            throw ApiException.badRequest("INVALID_FIELD", ex.getMessage());
        }
        final String symbol = call.parameter("market");
        final MarketSpec market = symbol == null ? null : market(symbol);
        final int status = views.orders().lookup(account, clientOrderId, orderState);
        if (status == OrderState.NONE || (market != null && status != OrderState.PENDING &&
            orderState.market() != market.id()))
        {
            throw ApiException.notFound("UNKNOWN_ORDER", "account " + account + " has no order with clientId " +
                clientIdText + (market == null ? "" : " in " + market.symbol()) + " (ended orders are remembered " +
                "for a while only)" + numericClientIdHint(clientIdText));
        }
        final boolean cancel = call.method.equals("DELETE");
        if ((cancel || call.method.equals("PATCH")) && (status == OrderState.FILLED || status == OrderState.CANCELED))
        {
            // An ended order never lives again: the matcher could only reject the cancel or amend, at the cost of a
            // sequence number and a journal entry. An order the view still shows pending or live may end while the
            // command is on its way; only the matcher can say, so that one is sent.
            throw ApiException.notFound("UNKNOWN_ORDER", "order " + orderState.orderId() + " with clientId " +
                clientIdText + " has already ended (" + OrderState.describe(status) + "): there is nothing to " +
                (cancel ? "cancel" : "amend"));
        }
        switch (call.method)
        {
            case "DELETE":
            {
                if (acquire(account, 1) < 1)
                {
                    throw rateLimited(account);
                }
                final Map<String, Object> json = new LinkedHashMap<>();
                json.put("cmd", "cancel");
                json.put("account", (long)account);
                json.put("clientId", clientIdText);
                if (market != null)
                {
                    json.put("market", market.symbol());
                }
                publish(encode(json), new CommandAnswer(this, call.connection, call.slot,
                    CommandAnswer.CANCEL, account, deadlineNs(), null, 0));
                return;
            }
            case "PATCH":
            {
                final Map<String, Object> json = amendBody(call, account);
                json.put("clientId", clientIdText);
                refuseAnotherMarket(json, market, status == OrderState.PENDING ? null :
                    markets.byId(orderState.market()), "clientId " + clientIdText);
                if (!json.containsKey("market"))
                {
                    final MarketSpec known = market != null ? market : markets.byId(orderState.market());
                    if (known != null)
                    {
                        json.put("market", known.symbol());
                    }
                }
                publish(encode(json), new CommandAnswer(this, call.connection, call.slot,
                    CommandAnswer.AMEND, account, deadlineNs(), null, 0));
                return;
            }
            default:
                call.connection.respondJson(call.slot, 200, orderJson(account, clientOrderId, status));
        }
    }

    private void byOrderId(final Call call, final String orderIdText)
    {
        final int account = authenticate(call);
        final long orderId;
        try
        {
            orderId = plainDecimal(orderIdText);
        }
        catch (final NumberFormatException ex)
        {
            throw ApiException.badRequest("INVALID_FIELD", "orderId must be a whole number in plain decimal digits, " +
                "got \"" + orderIdText + "\"");
        }
        final int owner = views.accounts().ownerOfOpenOrder(orderId);
        if (owner == 0)
        {
            throw ApiException.notFound("UNKNOWN_ORDER", "no open order has id " + orderId);
        }
        if (owner != account)
        {
            throw new ApiException(403, "FORBIDDEN", "order " + orderId + " belongs to another account; an account " +
                "sees and touches only its own orders");
        }
        if (call.method.equals("DELETE"))
        {
            if (acquire(account, 1) < 1)
            {
                throw rateLimited(account);
            }
            final Map<String, Object> json = new LinkedHashMap<>();
            json.put("cmd", "cancel");
            json.put("account", (long)account);
            json.put("orderId", orderId);
            publish(encode(json), new CommandAnswer(this, call.connection, call.slot,
                CommandAnswer.CANCEL, account, deadlineNs(), null, 0));
            return;
        }
        views.accounts().read(account, accountSnapshot);
        final int index = accountSnapshot.findOrder(orderId);
        if (index < 0)
        {
            throw ApiException.notFound("UNKNOWN_ORDER", "no open order has id " + orderId);
        }
        if (call.method.equals("PATCH"))
        {
            // An order placed over the binary protocol may have a numeric clientId, which a /v1/orders path cannot
            // name (it reads a clientId as text): by order id it can be amended all the same.
            final Map<String, Object> json = amendBody(call, account);
            json.put("orderId", orderId);
            refuseAnotherMarket(json, null, markets.byId(accountSnapshot.orderMarket(index)), "order id " + orderId);
            if (!json.containsKey("market"))
            {
                final MarketSpec known = markets.byId(accountSnapshot.orderMarket(index));
                if (known != null)
                {
                    json.put("market", known.symbol());
                }
            }
            publish(encode(json), new CommandAnswer(this, call.connection, call.slot,
                CommandAnswer.AMEND, account, deadlineNs(), null, 0));
            return;
        }
        out.setLength(0);
        accountJson.order(out, accountSnapshot, index);
        call.connection.respondJson(call.slot, 200, out);
    }

    /**
     * Refuses an amend whose body names another market than its query or than the order the views show: the matcher
     * could only reject it ({@code MARKET_MISMATCH}), at the cost of a sequence number and a journal entry, and a
     * GET or DELETE that names another market is refused here too.
     *
     * @param query the query's market, or null
     * @param known the market of the order as the views show it, or null if they cannot say yet (a pending order)
     */
    private void refuseAnotherMarket(final Map<String, Object> json, final MarketSpec query, final MarketSpec known,
        final String order)
    {
        final Object given = json.get("market");
        if (!(given instanceof String))
        {
            return;
        }
        final MarketSpec named = market((String)given);
        if (query != null && named.id() != query.id())
        {
            throw ApiException.badRequest("INVALID_FIELD", "the body names market " + named.symbol() + " and the " +
                "query market " + query.symbol() + "; name the order's market once, or the same in both; nothing " +
                "was done");
        }
        if (known != null && named.id() != known.id())
        {
            throw ApiException.notFound("UNKNOWN_ORDER", "the account's order with " + order + " is in " +
                known.symbol() + ", not " + named.symbol() + "; nothing was done");
        }
    }

    /**
     * The body of an amend (price and size, optionally market), after the account's rate limit: the fields of an
     * {@code amend} command for the account, the order still to be named.
     */
    private Map<String, Object> amendBody(final Call call, final int account)
    {
        final Map<String, Object> json = bodyObject(call);
        if (acquire(account, 1) < 1)
        {
            throw rateLimited(account);
        }
        for (final String key : json.keySet())
        {
            if (!key.equals("price") && !key.equals("size") && !key.equals("market"))
            {
                throw ApiException.badRequest("INVALID_FIELD", key + " cannot be amended; the body holds " +
                    "price and size (and optionally market)");
            }
        }
        final Map<String, Object> command = new LinkedHashMap<>();
        command.put("cmd", "amend");
        command.put("account", (long)account);
        command.putAll(json);
        return command;
    }

    private String orderJson(final int account, final long clientOrderId, final int status)
    {
        out.setLength(0);
        if (status == OrderState.LIVE)
        {
            views.accounts().read(account, accountSnapshot);
            final int index = accountSnapshot.findOrder(orderState.orderId());
            if (index >= 0)
            {
                accountJson.order(out, accountSnapshot, index);
                return out.toString();
            }
        }
        out.append("{\"clientId\":");
        ClientOrderIds.appendJson(out, clientOrderId);
        if (status != OrderState.PENDING)
        {
            out.append(",\"orderId\":").append(orderState.orderId());
            final MarketSpec market = markets.byId(orderState.market());
            if (market != null)
            {
                out.append(",\"market\":");
                Json.string(out, market.symbol());
            }
        }
        out.append(",\"status\":\"").append(status == OrderState.LIVE ? "open" : OrderState.describe(status))
            .append('"');
        final MarketSpec market = markets.byId(orderState.market());
        if ((status == OrderState.FILLED || status == OrderState.CANCELED) && market != null)
        {
            // "canceled" alone would hide that an IOC or market order traded before its remainder was canceled.
            size(out, "filled", market, orderState.filledLots());
        }
        return out.append('}').toString();
    }

    // -------------------------------------------------------------------------------------- other account commands

    private void accountCommand(final Call call, final String cmd)
    {
        final int account = authenticate(call);
        final Map<String, Object> json = bodyObject(call);
        if (acquire(account, 1) < 1)
        {
            throw rateLimited(account);
        }
        own(json, cmd, account, call.method + " " + call.query.path());
        publish(encode(json), new CommandAnswer(this, call.connection, call.slot, CommandAnswer.OTHER,
            account, deadlineNs(), null, 0));
    }

    private void operatorCommand(final Call call, final String cmd)
    {
        authenticateOperator(call);
        final Map<String, Object> json = bodyObject(call);
        final Object given = json.get("cmd");
        if (given != null && !cmd.equals(given))
        {
            throw ApiException.badRequest("INVALID_FIELD", "cmd must be \"" + cmd + "\" (or left out) on " +
                call.query.path() + ", got " + given);
        }
        json.put("cmd", cmd);
        publish(encode(json), new CommandAnswer(this, call.connection, call.slot, CommandAnswer.OTHER,
            CommandAnswer.OPERATOR, deadlineNs(), null, 0));
    }

    /**
     * An account id within the capacity that no event has named yet is an account with nothing (zeros, as REST.md
     * says); one beyond it can never hold anything, and zeros would hide a mistyped id.
     */
    private int accountWithinCapacity(final int account)
    {
        if (account >= context.accountCapacity())
        {
            throw ApiException.notFound("ACCOUNT_OUT_OF_RANGE", "account " + account + " is beyond the account " +
                "capacity of " + context.accountCapacity() + ": account ids run from 1 to " +
                (context.accountCapacity() - 1));
        }
        return account;
    }

    /**
     * @return the account id of a path segment: a positive decimal int without sign or leading zeros
     */
    private static int accountInPath(final String segment)
    {
        long account = 0;
        try
        {
            account = plainDecimal(segment);
        }
        catch (final NumberFormatException ignored)
        {
            // answered below
        }
        if (account <= 0 || account > Integer.MAX_VALUE)
        {
            throw ApiException.badRequest("INVALID_FIELD", "account in the path must be a positive account id " +
                "(decimal digits, at most " + Integer.MAX_VALUE + "), got \"" + segment + "\"");
        }
        return (int)account;
    }

    // ------------------------------------------------------------------------------------------------- public data

    MarketSpec market(final String symbol)
    {
        final MarketSpec market = markets.bySymbol(symbol);
        if (market == null || !views.markets().isDefined(market.id()))
        {
            throw ApiException.notFound("UNKNOWN_MARKET", "\"" + symbol + "\" is not a market; GET /v1/markets lists them");
        }
        return market;
    }

    private int depth(final Call call)
    {
        return (int)queryNumber(call, "depth", 1, MAX_DEPTH, context.defaultBookDepth());
    }

    private String marketsJson()
    {
        out.setLength(0);
        out.append("{\"markets\":[");
        boolean first = true;
        for (final MarketSpec market : markets.markets())
        {
            if (!views.markets().isDefined(market.id()))
            {
                continue;
            }
            if (!first)
            {
                out.append(',');
            }
            first = false;
            out.append("{\"market\":");
            Json.string(out, market.symbol());
            out.append(",\"id\":").append(market.id());
            decimal(out, "tickSize", market.tickSize().stripTrailingZeros().toPlainString());
            decimal(out, "lotSize", market.lotSize().stripTrailingZeros().toPlainString());
            size(out, "minSize", market, market.minSizeLots());
            size(out, "maxSize", market, market.maxOrderSizeLots());
            size(out, "maxPosition", market, market.maxPositionLots());
            fraction(out, "initialMargin", market.initialMarginPpm());
            fraction(out, "maintenanceMargin", market.maintenanceMarginPpm());
            fraction(out, "marketOrderBand", market.marketOrderBandPpm());
            views.marketStats().read(market.id(), stats);
            if (stats.oraclePriceTicks() == 0)
            {
                out.append(",\"oraclePrice\":null");
            }
            else
            {
                price(out, "oraclePrice", market, stats.oraclePriceTicks());
            }
            out.append(",\"fundingRate\":\"");
            Decimals.appendScaled(out, stats.fundingRatePpb(), -9);
            out.append("\",\"fundingIndex\":").append(stats.fundingIndex());
            out.append('}');
        }
        return out.append("]}").toString();
    }

    private String feeTiersJson()
    {
        out.setLength(0);
        out.append("{\"feeTiers\":");
        appendFeeTiers(out);
        return out.append('}').toString();
    }

    /**
     * The defined tiers in tier order as a JSON array, each rate written as the {@code feeTierDefined} event writes
     * it. Event loop only.
     */
    void appendFeeTiers(final StringBuilder into)
    {
        views.feeTiers().read(feeTiers);
        into.append('[');
        for (int i = 0; i < feeTiers.count(); i++)
        {
            into.append(i == 0 ? "" : ",").append("{\"tier\":").append(feeTiers.tier(i));
            fraction(into, "makerFee", feeTiers.makerFeePpm(i));
            fraction(into, "takerFee", feeTiers.takerFeePpm(i));
            into.append('}');
        }
        into.append(']');
    }

    private String bookJson(final MarketSpec market, final int depth)
    {
        views.marketData().snapshot(market.id(), snapshot);
        out.setLength(0);
        out.append("{\"market\":");
        Json.string(out, market.symbol());
        out.append(",\"seq\":").append(snapshot.channelSeq()).append(",\"sequence\":").append(snapshot.sequence());
        out.append(",\"bids\":[");
        for (int i = 0; i < Math.min(depth, snapshot.bidCount()); i++)
        {
            level(out, market, i, snapshot.bidPrice(i), snapshot.bidSize(i));
        }
        out.append("],\"asks\":[");
        for (int i = 0; i < Math.min(depth, snapshot.askCount()); i++)
        {
            level(out, market, i, snapshot.askPrice(i), snapshot.askSize(i));
        }
        return out.append("]}").toString();
    }

    private String tradesJson(final MarketSpec market, final int limit)
    {
        views.marketStats().trades(market.id(), trades);
        out.setLength(0);
        out.append("{\"market\":");
        Json.string(out, market.symbol());
        out.append(",\"trades\":[");
        for (int i = 0; i < Math.min(trades.count(), limit); i++)
        {
            if (i > 0)
            {
                out.append(',');
            }
            out.append("{\"seq\":").append(trades.channelSeq(i)).append(",\"tradeId\":").append(trades.tradeId(i));
            price(out, "price", market, trades.priceTicks(i));
            size(out, "size", market, trades.sizeLots(i));
            out.append(",\"side\":\"").append(trades.aggressorSide(i) == 0 ? "buy" : "sell").append('"');
            out.append(",\"sequence\":").append(trades.sequence(i)).append(",\"timeNs\":").append(trades.timestampNs(i));
            out.append('}');
        }
        return out.append("]}").toString();
    }

    static void level(
        final StringBuilder out, final MarketSpec market, final int index, final long priceTicks, final long sizeLots)
    {
        if (index > 0)
        {
            out.append(',');
        }
        out.append("[\"");
        Decimals.appendUnits(out, priceTicks, market.tickSizeMantissa(), market.tickSizeExponent());
        out.append("\",\"");
        Decimals.appendUnits(out, sizeLots, market.lotSizeMantissa(), market.lotSizeExponent());
        out.append("\"]");
    }

    static void decimal(final StringBuilder out, final String key, final String value)
    {
        out.append(",\"").append(key).append("\":\"").append(value).append('"');
    }

    static void size(final StringBuilder out, final String key, final MarketSpec market, final long lots)
    {
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendUnits(out, lots, market.lotSizeMantissa(), market.lotSizeExponent());
        out.append('"');
    }

    static void price(final StringBuilder out, final String key, final MarketSpec market, final long ticks)
    {
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendUnits(out, ticks, market.tickSizeMantissa(), market.tickSizeExponent());
        out.append('"');
    }

    static void money(final StringBuilder out, final String key, final long micros)
    {
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendScaled(out, micros, -6);
        out.append('"');
    }

    static void fraction(final StringBuilder out, final String key, final long ppm)
    {
        out.append(",\"").append(key).append("\":\"");
        Decimals.appendScaled(out, ppm, -6);
        out.append('"');
    }
}
