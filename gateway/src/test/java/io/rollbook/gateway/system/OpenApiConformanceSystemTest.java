package io.rollbook.gateway.system;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.gateway.core.GatewayServer;
import io.rollbook.gateway.http.HttpGateway;
import io.rollbook.gateway.http.RequestSigning;
import io.rollbook.gateway.view.GatewayViews;
import io.rollbook.protocol.ClientOrderIds;
import io.rollbook.protocol.MarketSpec;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MarketDefinedEncoder;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.OrderAcceptedEncoder;
import io.rollbook.protocol.engine.OrderRestingEncoder;
import io.rollbook.protocol.engine.OrderType;
import io.rollbook.protocol.engine.SelfTradePrevention;
import io.rollbook.protocol.engine.Side;
import io.rollbook.protocol.engine.TimeInForce;
import io.rollbook.sequencer.CommandPublisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/openapi.json against the real server: every (path, method, status) the document lists is provoked and
 * answered exactly so, every answer the probes get is listed, and every 200 body has the properties its schema
 * requires. 429 runs on a service whose buckets hold one token that comes back once an hour; 503 and 504 on a
 * gateway in front of a publisher that refuses every command or never releases one, with views that hold the
 * market and an open order.
 */
@Tag("system")
final class OpenApiConformanceSystemTest
{
    private static final int A = TestService.FIRST_ACCOUNT + 6;
    private static final int B = TestService.FIRST_ACCOUNT + 7;

    @TempDir
    Path data;
    @TempDir
    Path limitedData;

    private final Set<String> observed = new TreeSet<>();
    private final AtomicInteger ids = new AtomicInteger();
    private JsonNode openApi;

    @Test
    void everyDocumentedAnswerIsTheServersAndNoOther() throws Exception
    {
        openApi = RestClient.json(Files.readString(Path.of("..", "docs", "openapi.json")));
        final Map<String, Set<Integer>> documented = documented();

        try (TestService service = new TestService(data).start())
        {
            final int port = service.httpPort();
            final RestClient a = RestClient.account(port, A, TestService.ACCOUNT_KEYS[6].getPrivate());
            final RestClient operator = RestClient.operator(port, "test-operator", TestService.OPERATOR_KEY.getPrivate());
            final RestClient anonymous = RestClient.anonymous(port);
            final RestClient wrongAccount = RestClient.account(port, A, TestService.ACCOUNT_KEYS[0].getPrivate());
            probe(operator, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}", 200);
            probe(operator, "POST", "/v1/operator/oracle", "{\"market\":\"ETH-USD\",\"price\":\"3000\"}", 200);
            probe(operator, "POST", "/v1/operator/deposits", "{\"account\":" + A + ",\"amount\":\"1000000\"}", 200);
            operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + B + ",\"amount\":\"1000000\"}");
            probe(operator, "POST", "/v1/operator/funding", "{\"market\":\"BTC-USD\",\"rate\":\"0.0001\"}", 200);

            probe(anonymous, "GET", "/v1/markets", "", 200);
            probe(anonymous, "GET", "/v1/markets/BTC-USD/book?depth=5", "", 200);
            probe(anonymous, "GET", "/v1/markets/BTC-USD/book?depth=0", "", 400);
            probe(anonymous, "GET", "/v1/markets/NOPE/book", "", 404);
            probe(anonymous, "GET", "/v1/markets/BTC-USD/trades", "", 200);
            probe(anonymous, "GET", "/v1/markets/NOPE/trades", "", 404);
            probe(anonymous, "GET", "/v1/markets/BTC-USD/trades?fromSeq=0&limit=5", "", 200);
            probe(anonymous, "GET", "/v1/markets/BTC-USD/trades?fromSeq=-1", "", 400);
            probe(anonymous, "GET", "/v1/fee-tiers", "", 200);
            probe(anonymous, "GET", "/v1/ws", "", 400);

            for (final String[] op : new String[][] {
                {"POST", "/v1/orders", order("x")}, {"GET", "/v1/orders", ""}, {"DELETE", "/v1/orders", ""},
                {"POST", "/v1/orders/batch", "[" + order("y") + "]"}, {"GET", "/v1/orders/x", ""},
                {"DELETE", "/v1/orders/x", ""}, {"PATCH", "/v1/orders/x", "{\"price\":\"1\",\"size\":\"1\"}"},
                {"GET", "/v1/order-ids/1", ""}, {"DELETE", "/v1/order-ids/1", ""},
                {"PATCH", "/v1/order-ids/1", "{\"price\":\"1\",\"size\":\"1\"}"}, {"GET", "/v1/account", ""},
                {"GET", "/v1/fills", ""},
                {"POST", "/v1/isolated-margin", "{\"market\":\"BTC-USD\",\"amount\":\"1\"}"},
                {"POST", "/v1/withdrawals", "{\"amount\":\"1\"}"}})
            {
                probe(anonymous, op[0], op[1], op[2], 401);
                probe(wrongAccount, op[0], op[1], op[2], 401);
                probe(operator, op[0], op[1], op[2], 403);
            }
            for (final String op : new String[] {"oracle", "funding", "deposits", "withdrawals", "account-settings",
                "fee-tiers"})
            {
                probe(anonymous, "POST", "/v1/operator/" + op, "{}", 401);
                probe(a, "POST", "/v1/operator/" + op, "{}", 403);
                probe(operator, "POST", "/v1/operator/" + op, "{", 400);
            }
            probe(operator, "GET", "/v1/operator/accounts/2", "", 200);
            probe(operator, "GET", "/v1/operator/accounts/0", "", 400);
            probe(operator, "GET", "/v1/operator/accounts/64", "", 404);
            probe(anonymous, "GET", "/v1/operator/accounts/2", "", 401);
            probe(a, "GET", "/v1/operator/accounts/2", "", 403);
            probe(operator, "POST", "/v1/operator/oracle", "{\"market\":\"NOPE\",\"price\":\"1\"}", 404);
            probe(operator, "POST", "/v1/operator/funding", "{\"market\":\"NOPE\",\"rate\":\"0\"}", 404);
            probe(operator, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"900000000000000\"}", 422);
            probe(operator, "POST", "/v1/operator/funding", "{\"market\":\"BTC-USD\",\"rate\":\"0.9\"}", 422);
            probe(operator, "POST", "/v1/operator/deposits", "{\"account\":1000,\"amount\":\"1\"}", 422);
            probe(operator, "POST", "/v1/operator/withdrawals", "{\"account\":" + B + ",\"amount\":\"1\"}", 200);
            probe(operator, "POST", "/v1/operator/withdrawals", "{\"account\":" + B + ",\"amount\":\"100000000\"}",
                422);
            probe(operator, "POST", "/v1/operator/fee-tiers", "{\"tier\":7,\"makerFee\":\"0\",\"takerFee\":\"0.001\"}",
                200);
            probe(operator, "POST", "/v1/operator/fee-tiers", "{\"tier\":8,\"makerFee\":\"0\",\"takerFee\":\"0.2\"}",
                422);
            probe(operator, "POST", "/v1/operator/account-settings", "{\"account\":" + B + ",\"feeTier\":0}", 200);
            probe(operator, "POST", "/v1/operator/account-settings", "{\"account\":" + B + ",\"feeTier\":200}", 422);

            final JsonNode placed = probe(a, "POST", "/v1/orders", order("o1"), 200);
            probe(a, "POST", "/v1/orders", "{", 400);
            probe(a, "POST", "/v1/orders", order("o2").replace("BTC-USD", "NOPE"), 404);
            probe(a, "POST", "/v1/orders", order("o3").replace("}", ",\"postOnly\":true,\"tif\":\"ioc\"}"), 422);
            probe(a, "POST", "/v1/orders", order("o4").replace("{", "{\"account\":" + B + ","), 403);
            probe(a, "GET", "/v1/orders", "", 200);
            probe(a, "GET", "/v1/orders?market=NOPE", "", 404);
            probe(a, "POST", "/v1/orders/batch", "[" + order("b1") + "," + order("b2") + "]", 200);
            probe(a, "POST", "/v1/orders/batch", "[]", 400);
            probe(a, "GET", "/v1/orders/o1", "", 200);
            probe(a, "GET", "/v1/orders/muchtoolongid", "", 400);
            probe(a, "GET", "/v1/orders/never", "", 404);
            probe(a, "PATCH", "/v1/orders/o1", "{\"price\":\"40001\",\"size\":\"0.02\"}", 200);
            probe(a, "PATCH", "/v1/orders/o1", "{\"price\":\"40001\",\"size\":\"101\"}", 422);
            probe(a, "PATCH", "/v1/orders/o1", "{", 400);
            probe(a, "PATCH", "/v1/orders/never", "{\"price\":\"40001\",\"size\":\"0.02\"}", 404);
            probe(a, "DELETE", "/v1/orders/o1", "", 200);
            probe(a, "DELETE", "/v1/orders/never", "", 404);
            probe(a, "DELETE", "/v1/orders/muchtoolongid", "", 400);
            final long b1 = a.expect(200, "GET", "/v1/orders/b1", "").get("orderId").asLong();
            probe(a, "GET", "/v1/order-ids/" + b1, "", 200);
            probe(a, "GET", "/v1/order-ids/abc", "", 400);
            probe(a, "GET", "/v1/order-ids/999999", "", 404);
            final RestClient b = RestClient.account(port, B, TestService.ACCOUNT_KEYS[7].getPrivate());
            probe(b, "GET", "/v1/order-ids/" + b1, "", 403);
            probe(b, "DELETE", "/v1/order-ids/" + b1, "", 403);
            probe(b, "PATCH", "/v1/order-ids/" + b1, "{\"price\":\"40002\",\"size\":\"0.03\"}", 403);
            final JsonNode amended = probe(a, "PATCH", "/v1/order-ids/" + b1, "{\"price\":\"40002\",\"size\":\"0.03\"}",
                200);
            assertEquals("amended", amended.at("/events/0/type").asText(), amended.toString());
            final JsonNode afterAmend = a.expect(200, "GET", "/v1/order-ids/" + b1, "");
            assertEquals("40002", afterAmend.get("price").asText(), afterAmend.toString());
            assertEquals(b1, afterAmend.get("orderId").asLong(), "an amend keeps the order id");
            probe(a, "PATCH", "/v1/order-ids/" + b1, "{\"price\":\"40002\",\"size\":\"101\"}", 422);
            probe(a, "PATCH", "/v1/order-ids/" + b1, "{\"price\":\"40002\",\"side\":\"sell\"}", 400);
            probe(a, "PATCH", "/v1/order-ids/abc", "{\"price\":\"40002\",\"size\":\"0.03\"}", 400);
            probe(a, "PATCH", "/v1/order-ids/999999", "{\"price\":\"40002\",\"size\":\"0.03\"}", 404);
            probe(a, "DELETE", "/v1/order-ids/" + b1, "", 200);
            probe(a, "DELETE", "/v1/order-ids/abc", "", 400);
            probe(a, "DELETE", "/v1/order-ids/999999", "", 404);
            probe(a, "DELETE", "/v1/orders?market=BTC-USD", "", 200);
            probe(a, "DELETE", "/v1/orders?side=up", "", 400);
            probe(a, "DELETE", "/v1/orders?market=NOPE", "", 404);
            probe(a, "GET", "/v1/account", "", 200);
            probe(a, "GET", "/v1/fills?fromSeq=0&limit=10", "", 200);
            probe(a, "GET", "/v1/fills?limit=0", "", 400);
            probe(a, "GET", "/v1/fills?market=NOPE", "", 404);
            probe(a, "POST", "/v1/orders", order("iso").replace("}", ",\"margin\":\"isolated\"}"), 200);
            probe(a, "POST", "/v1/isolated-margin", "{\"market\":\"BTC-USD\",\"amount\":\"100\"}", 200);
            probe(a, "POST", "/v1/isolated-margin", "{\"market\":\"ETH-USD\",\"amount\":\"-100\"}", 422);
            probe(a, "POST", "/v1/isolated-margin", "{\"market\":\"NOPE\",\"amount\":\"1\"}", 404);
            probe(a, "POST", "/v1/isolated-margin", "{\"market\":\"BTC-USD\"}", 400);
            probe(a, "POST", "/v1/withdrawals", "{\"amount\":\"500\"}", 200);
            probe(a, "POST", "/v1/withdrawals", "{\"amount\":\"100000000\"}", 422);
            probe(a, "POST", "/v1/withdrawals", "{\"amount\":\"-1\"}", 400);
            assertTrue(placed.get("orderId").asLong() > 0);
        }

        try (TestService limited = new TestService(limitedData)
            .http(http -> http.rateLimitInterval(3_600_000_000_000L, 1)).start())
        {
            final RestClient operator = RestClient.operator(limited.httpPort(), "test-operator",
                TestService.OPERATOR_KEY.getPrivate());
            operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
            operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + A + ",\"amount\":\"1000000\"}");
            final RestClient a = RestClient.account(limited.httpPort(), A, TestService.ACCOUNT_KEYS[6].getPrivate());
            final long orderId = a.expect(200, "POST", "/v1/orders", order("k")).get("orderId").asLong();
            probe(a, "POST", "/v1/orders", order("k2"), 429);
            probe(a, "DELETE", "/v1/orders", "", 429);
            probe(a, "DELETE", "/v1/orders/k", "", 429);
            probe(a, "PATCH", "/v1/orders/k", "{\"price\":\"40001\",\"size\":\"0.02\"}", 429);
            probe(a, "DELETE", "/v1/order-ids/" + orderId, "", 429);
            probe(a, "PATCH", "/v1/order-ids/" + orderId, "{\"price\":\"40001\",\"size\":\"0.02\"}", 429);
            probe(a, "POST", "/v1/isolated-margin", "{\"market\":\"BTC-USD\",\"amount\":\"1\"}", 429);
            probe(a, "POST", "/v1/withdrawals", "{\"amount\":\"1\"}", 429);
        }

        for (final int status : new int[] {503, 504})
        {
            try (StubbedGateway stub = new StubbedGateway(status == 504))
            {
                final RestClient a = RestClient.account(stub.port(), A, TestService.ACCOUNT_KEYS[6].getPrivate());
                final RestClient operator = RestClient.operator(stub.port(), "test-operator",
                    TestService.OPERATOR_KEY.getPrivate());
                probe(a, "POST", "/v1/orders", order("s"), status);
                probe(a, "DELETE", "/v1/orders", "", status);
                probe(a, "DELETE", "/v1/orders/open", "", status);
                probe(a, "PATCH", "/v1/orders/open", "{\"price\":\"40001\",\"size\":\"0.02\"}", status);
                probe(a, "DELETE", "/v1/order-ids/" + StubbedGateway.ORDER_ID, "", status);
                probe(a, "PATCH", "/v1/order-ids/" + StubbedGateway.ORDER_ID, "{\"price\":\"40001\",\"size\":\"0.02\"}",
                    status);
                probe(a, "POST", "/v1/isolated-margin", "{\"market\":\"BTC-USD\",\"amount\":\"1\"}", status);
                probe(a, "POST", "/v1/withdrawals", "{\"amount\":\"1\"}", status);
                if (status == 503)
                {
                    // A gateway with no journal behind it serves no trade history.
                    probe(a, "GET", "/v1/fills", "", status);
                    probe(RestClient.anonymous(stub.port()), "GET", "/v1/markets/BTC-USD/trades?fromSeq=0", "", status);
                }
                probe(operator, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"1\"}", status);
                probe(operator, "POST", "/v1/operator/funding", "{\"market\":\"BTC-USD\",\"rate\":\"0\"}", status);
                probe(operator, "POST", "/v1/operator/deposits", "{\"account\":" + A + ",\"amount\":\"1\"}", status);
                probe(operator, "POST", "/v1/operator/withdrawals", "{\"account\":" + A + ",\"amount\":\"1\"}", status);
                probe(operator, "POST", "/v1/operator/account-settings", "{\"account\":" + A + ",\"feeTier\":0}",
                    status);
                probe(operator, "POST", "/v1/operator/fee-tiers", "{\"tier\":7,\"makerFee\":\"0\",\"takerFee\":\"0\"}",
                    status);
            }
        }
        // The handshake's 101 is what every WebSocket test starts with (WebSocketSystemTest).
        observed.add("GET /v1/ws 101");
        final Set<String> expected = new TreeSet<>();
        documented.forEach((operation, statuses) -> statuses.forEach(status -> expected.add(operation + " " + status)));
        assertTrue(expected.size() > 100, "the document lists " + expected.size() + " answers");
        final Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(observed);
        final Set<String> undocumented = new TreeSet<>(observed);
        undocumented.removeAll(expected);
        assertEquals(Set.of(), missing, "documented but never answered");
        assertEquals(Set.of(), undocumented, "answered but not documented");
    }

    private String order(final String clientId)
    {
        return "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":\"" +
            clientId + "\"}";
    }

    /**
     * Sends a request, checks its status (and for a 200 the properties the schema requires) and records the triple
     * under its documented path.
     */
    private JsonNode probe(final RestClient client, final String method, final String path, final String body,
        final int status)
    {
        final HttpResponse<String> response = client.send(method, path, body);
        assertEquals(status, response.statusCode(), method + " " + path + " " + body + ": " + response.body());
        final String template = template(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
        observed.add(method + " " + template + " " + status);
        final JsonNode json = RestClient.json(response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        checkRequired(json, schema(template, method, status), method + " " + path);
        return json;
    }

    private static String template(final String path)
    {
        if (path.startsWith("/v1/markets/"))
        {
            return path.replaceFirst("^/v1/markets/[^/]+/", "/v1/markets/{market}/");
        }
        if (path.startsWith("/v1/orders/") && !path.equals("/v1/orders/batch"))
        {
            return "/v1/orders/{clientId}";
        }
        if (path.startsWith("/v1/order-ids/"))
        {
            return "/v1/order-ids/{orderId}";
        }
        if (path.startsWith("/v1/operator/accounts/"))
        {
            return "/v1/operator/accounts/{account}";
        }
        return path;
    }

    private Map<String, Set<Integer>> documented()
    {
        final Map<String, Set<Integer>> operations = new TreeMap<>();
        for (final Map.Entry<String, JsonNode> path : openApi.get("paths").properties())
        {
            for (final Map.Entry<String, JsonNode> method : path.getValue().properties())
            {
                if (method.getKey().equals("parameters"))
                {
                    continue;
                }
                final Set<Integer> statuses = new TreeSet<>();
                method.getValue().get("responses").fieldNames().forEachRemaining(code -> statuses.add(Integer.parseInt(code)));
                operations.put(method.getKey().toUpperCase() + " " + path.getKey(), statuses);
            }
        }
        return operations;
    }

    private JsonNode schema(final String template, final String method, final int status)
    {
        final JsonNode response = openApi.path("paths").path(template).path(method.toLowerCase()).path("responses")
            .path(Integer.toString(status));
        return resolve(response.path("content").path("application/json").path("schema"));
    }

    private JsonNode resolve(final JsonNode schema)
    {
        if (schema.has("$ref"))
        {
            return openApi.path("components").path("schemas")
                .path(schema.get("$ref").asText().substring("#/components/schemas/".length()));
        }
        return schema;
    }

    private void checkRequired(final JsonNode json, final JsonNode schema, final String where)
    {
        if (schema.isMissingNode())
        {
            return;
        }
        for (final JsonNode required : schema.path("required"))
        {
            assertTrue(json.has(required.asText()), where + ": " + required.asText() + " is required: " + json);
        }
        for (final Map.Entry<String, JsonNode> property : schema.path("properties").properties())
        {
            final JsonNode value = json.get(property.getKey());
            final JsonNode items = resolve(property.getValue().path("items"));
            if (value != null && value.isArray() && items.has("required"))
            {
                for (final JsonNode item : value)
                {
                    checkRequired(item, items, where + "." + property.getKey());
                }
            }
        }
    }

    /**
     * The HTTP gateway alone, on a real server, in front of a publisher that refuses every command (503) or takes
     * them and never releases one (504); its views hold BTC-USD and one open order of account A ("open").
     */
    private static final class StubbedGateway implements AutoCloseable
    {
        static final long ORDER_ID = 77;

        private final GatewayServer server = new GatewayServer(GatewayServer.Transport.NIO, 1);
        private final HttpGateway gateway;

        StubbedGateway(final boolean takes) throws InterruptedException
        {
            final GatewayViews views = new GatewayViews(8, 1024, 0);
            final MarketSpec btc = TestService.MARKETS.get(0);
            final UnsafeBuffer events = new UnsafeBuffer(new byte[1024]);
            final MessageHeaderEncoder header = new MessageHeaderEncoder();
            final int defined = MessageHeaderEncoder.ENCODED_LENGTH + new MarketDefinedEncoder()
                .wrapAndApplyHeader(events, 0, header).market(btc.id()).symbol(btc.symbol())
                .tickSizeMantissa(btc.tickSizeMantissa()).tickSizeExponent((byte)btc.tickSizeExponent())
                .lotSizeMantissa(btc.lotSizeMantissa()).lotSizeExponent((byte)btc.lotSizeExponent())
                .minSizeLots(btc.minSizeLots()).maxOrderSizeLots(btc.maxOrderSizeLots())
                .maxPositionLots(btc.maxPositionLots()).marketOrderBandPpm(btc.marketOrderBandPpm())
                .initialMarginPpm(btc.initialMarginPpm()).maintenanceMarginPpm(btc.maintenanceMarginPpm())
                .encodedLength();
            views.updater().onReleased(1, 0, 0, events, 0, 0, 0, defined);
            final long clientOrderId = ClientOrderIds.fromString("open");
            int length = MessageHeaderEncoder.ENCODED_LENGTH + new OrderAcceptedEncoder()
                .wrapAndApplyHeader(events, 0, header).orderId(ORDER_ID).clientOrderId(clientOrderId)
                .priceTicks(400_000).sizeLots(10).account(A).market(btc.id()).side(Side.BUY).orderType(OrderType.LIMIT)
                .timeInForce(TimeInForce.GTC).marginMode(MarginMode.CROSS)
                .selfTradePrevention(SelfTradePrevention.EXPIRE_TAKER).encodedLength();
            length += MessageHeaderEncoder.ENCODED_LENGTH + new OrderRestingEncoder()
                .wrapAndApplyHeader(events, length, header).orderId(ORDER_ID).clientOrderId(clientOrderId)
                .priceTicks(400_000).remainingLots(10).account(A).market(btc.id()).side(Side.BUY).encodedLength();
            views.updater().onReleased(2, 0, 0, events, 0, 0, 0, length);
            gateway = new HttpGateway(new HttpGateway.Context().bindAddress("127.0.0.1").port(0)
                .markets(TestService.MARKETS).accountCapacity(64).outboxCapacityBytes(1 << 20).requestTimeoutMs(100),
                server.eventLoops(), views, KeyStore.builder()
                    .account(A, TestService.ACCOUNT_KEYS[6].getPublic())
                    .operator("test-operator", TestService.OPERATOR_KEY.getPublic()).build());
            gateway.start(new CommandPublisher()
            {
                @Override
                public boolean tryPublish(final long source, final DirectBuffer command, final int offset,
                    final int commandLength)
                {
                    return takes;
                }

                @Override
                public int maxCommandLength()
                {
                    return 256;
                }
            });
            gateway.bind(server);
        }

        int port()
        {
            return gateway.address().getPort();
        }

        @Override
        public void close()
        {
            gateway.close();
            server.close();
        }
    }
}
