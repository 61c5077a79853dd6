package io.rollbook.gateway.http;

import java.util.ArrayList;
import java.util.List;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.rollbook.gateway.view.BookSnapshot;
import io.rollbook.protocol.Decimals;
import io.rollbook.protocol.MarketDirectory;
import io.rollbook.protocol.MarketSpec;

/**
 * The REST side of the trader API on one event loop: routes a request by path and method, and answers it at once
 * (public data, the account's views, mounted routes, errors) or publishes its command and answers when the
 * command is released (docs/REST.md).
 *
 * <p>Owned by its event loop.
 */
final class RestApi
{
    static final String WEBSOCKET_PATH = "/v1/ws";
    private static final String API_PREFIX = "/v1/";
    private static final int MAX_DEPTH = 10_000;

    private final HttpLoop loop;
    private final HttpGateway.Context context;
    private final MarketDirectory markets;
    private final BookSnapshot snapshot = new BookSnapshot();
    private final StringBuilder out = new StringBuilder(4096);

    RestApi(final HttpLoop loop)
    {
        this.loop = loop;
        this.context = loop.gateway().context();
        this.markets = new MarketDirectory(context.markets());
    }

    MarketDirectory markets()
    {
        return markets;
    }

    void handle(final HttpConnection connection, final HttpConnection.Slot slot, final FullHttpRequest request)
    {
        final QueryStringDecoder query = new QueryStringDecoder(request.uri());
        final String path = query.path();
        final String method = request.method().name();
        if (path.startsWith(API_PREFIX) || path.equals("/v1"))
        {
            api(connection, slot, request, query, method);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD"))
        {
            throw new ApiException(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + path +
                "; it answers GET and HEAD", 0, "GET, HEAD");
        }
        final HttpRoutes routes = context.routes();
        final HttpRoutes.TextRoute route = routes.textRoute(path);
        if (route != null)
        {
            connection.respondText(slot, route.contentType, route.body.get());
            return;
        }
        final StaticFiles files = routes.staticFiles();
        final byte[] file = files == null ? null : files.read(path);
        if (file == null)
        {
            throw ApiException.notFound("NOT_FOUND", "nothing is served at " + path + "; the API is under /v1/ " +
                "(docs/REST.md)");
        }
        connection.respondBytes(slot, StaticFiles.contentType(path), file);
    }

    private void api(
        final HttpConnection connection,
        final HttpConnection.Slot slot,
        final FullHttpRequest request,
        final QueryStringDecoder query,
        final String method)
    {
        final String[] parts = segments(query.path());
        if (parts.length >= 1 && parts[0].equals("markets"))
        {
            if (parts.length == 1)
            {
                allow(method, "GET");
                connection.respondJson(slot, 200, marketsJson());
                return;
            }
            if (parts.length == 3 && parts[2].equals("book"))
            {
                allow(method, "GET");
                connection.respondJson(slot, 200, bookJson(market(parts[1]), depth(query)));
                return;
            }
        }
        throw ApiException.notFound("NOT_FOUND", "no API endpoint at " + query.path() + " (docs/REST.md lists them)");
    }

    private static String[] segments(final String path)
    {
        final List<String> parts = new ArrayList<>();
        for (final String part : path.substring(Math.min(path.length(), API_PREFIX.length())).split("/", -1))
        {
            parts.add(part);
        }
        if (!parts.isEmpty() && parts.get(parts.size() - 1).isEmpty())
        {
            parts.remove(parts.size() - 1);
        }
        return parts.toArray(new String[0]);
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
        final String list = String.join(", ", allowed);
        throw new ApiException(405, "METHOD_NOT_ALLOWED", method + " is not allowed here; allowed: " + list, 0, list);
    }

    MarketSpec market(final String symbol)
    {
        final MarketSpec market = markets.bySymbol(symbol);
        if (market == null || !loop.gateway().views().markets().isDefined(market.id()))
        {
            throw ApiException.notFound("UNKNOWN_MARKET", "\"" + symbol + "\" is not a market; GET /v1/markets lists them");
        }
        return market;
    }

    private int depth(final QueryStringDecoder query)
    {
        final List<String> values = query.parameters().get("depth");
        if (values == null || values.isEmpty())
        {
            return context.defaultBookDepth();
        }
        try
        {
            final int depth = Integer.parseInt(values.get(0));
            if (depth >= 1 && depth <= MAX_DEPTH)
            {
                return depth;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // answered below, as for an out-of-range depth
        }
        throw ApiException.badRequest("INVALID_PARAMETER", "depth must be a whole number from 1 to " + MAX_DEPTH +
            ", got \"" + values.get(0) + "\"");
    }

    private String marketsJson()
    {
        out.setLength(0);
        out.append("{\"markets\":[");
        boolean first = true;
        for (final MarketSpec market : markets.markets())
        {
            if (!loop.gateway().views().markets().isDefined(market.id()))
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
            decimal(out, "tickSize", market.tickSize().toPlainString());
            decimal(out, "lotSize", market.lotSize().toPlainString());
            size(out, "minSize", market, market.minSizeLots());
            size(out, "maxSize", market, market.maxOrderSizeLots());
            size(out, "maxPosition", market, market.maxPositionLots());
            fraction(out, "initialMargin", market.initialMarginPpm());
            fraction(out, "maintenanceMargin", market.maintenanceMarginPpm());
            fraction(out, "marketOrderBand", market.marketOrderBandPpm());
            out.append('}');
        }
        return out.append("]}").toString();
    }

    private String bookJson(final MarketSpec market, final int depth)
    {
        loop.gateway().views().marketData().snapshot(market.id(), snapshot);
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

    static void level(final StringBuilder out, final MarketSpec market, final int index, final long priceTicks,
        final long sizeLots)
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
