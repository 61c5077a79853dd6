package io.rollbook.gateway.system;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.gateway.http.RequestSigning;
import io.rollbook.protocol.auth.Ed25519Signatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error class of the REST API against the real service, each with its stable code, and the rule that a
 * refused request changes nothing: malformed input (400), authentication (401), another account's resources (403
 * or 404, the order left untouched), wrong methods (405), matcher rejections (422). The rate limit (429) runs on a
 * service whose bucket holds one token and refills once an hour, so the second order is refused whatever the speed
 * of the machine.
 */
@Tag("system")
final class RestErrorsSystemTest
{
    private static final int ALICE = TestService.FIRST_ACCOUNT + 4;
    private static final int BOB = TestService.FIRST_ACCOUNT + 5;
    private static final String ORDER =
        "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":\"%s\"}";

    @TempDir
    static Path data;
    @TempDir
    static Path limitedData;
    @TempDir
    static Path oneTokenData;
    private static TestService service;
    private static RestClient alice;
    private static RestClient bob;
    /** The last timestamp a test of this class signed a request at itself, outside the clients. */
    private static long lastOwnTimestampMs;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).start();
        alice = RestClient.account(service.httpPort(), ALICE, TestService.ACCOUNT_KEYS[4].getPrivate());
        bob = RestClient.account(service.httpPort(), BOB, TestService.ACCOUNT_KEYS[5].getPrivate());
        final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
            TestService.OPERATOR_KEY.getPrivate());
        operator.expect(200, "POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + ALICE + ",\"amount\":\"1000000\"}");
        operator.expect(200, "POST", "/v1/operator/deposits", "{\"account\":" + BOB + ",\"amount\":\"1000000\"}");
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String code)
    {
        assertEquals(status, response.statusCode(), response.body());
        final JsonNode body = RestClient.json(response.body());
        assertEquals(code, body.get("code").asText(), response.body());
        assertTrue(body.get("message").asText().length() > 10, response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void malformedInputIs400()
    {
        assertError(alice.send("POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"side\":"), 400, "MALFORMED_JSON");
        assertError(alice.send("POST", "/v1/orders", "[1,2]"), 400, "MALFORMED_JSON");
        assertError(alice.send("POST", "/v1/orders", ""), 400, "MALFORMED_JSON");
        assertError(alice.send("POST", "/v1/orders", "{\"market\":\"BTC-USD\",\"nested\":{\"a\":1}}"), 400,
            "MALFORMED_JSON");
        assertError(alice.send("POST", "/v1/orders", String.format(ORDER, "x1").replace("40000", "40000.05")), 400,
            "INVALID_FIELD");
        assertError(alice.send("POST", "/v1/orders", String.format(ORDER, "x1").replace("\"buy\"", "\"up\"")), 400,
            "INVALID_FIELD");
        assertError(alice.send("POST", "/v1/orders", String.format(ORDER, "x1").replace("\"0.01\"", "0.01")), 400,
            "INVALID_FIELD");
        assertError(alice.send("POST", "/v1/orders", String.format(ORDER, "x1").replace("}", ",\"colour\":\"red\"}")),
            400, "INVALID_FIELD");
        assertError(alice.send("POST", "/v1/orders/batch", "[]"), 400, "INVALID_BATCH");
        final StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i <= 100; i++)
        {
            tooMany.append(i == 0 ? "" : ",").append(String.format(ORDER, "t" + i));
        }
        assertError(alice.send("POST", "/v1/orders/batch", tooMany.append(']').toString()), 400, "INVALID_BATCH");
        assertError(alice.send("GET", "/v1/markets/BTC-USD/book?depth=0", ""), 400, "INVALID_PARAMETER");
        assertEquals(0, alice.expect(200, "GET", "/v1/orders", "").get("orders").size(), "nothing was placed");
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedWhereItBreaks()
    {
        final byte[] market = String.format(ORDER, "u8").getBytes(StandardCharsets.UTF_8);
        market[String.format(ORDER, "u8").indexOf("BTC") + 1] = (byte)0xff;
        final byte[] clientId = String.format(ORDER, "\u00e9").getBytes(StandardCharsets.ISO_8859_1);
        final byte[] batch = new byte[market.length + 2];
        System.arraycopy(market, 0, batch, 1, market.length);
        batch[0] = '[';
        batch[batch.length - 1] = ']';
        for (final Map.Entry<String, byte[]> request : List.of(Map.entry("/v1/orders", market),
            Map.entry("/v1/orders", clientId), Map.entry("/v1/orders/batch", batch)))
        {
            final String path = request.getKey();
            final byte[] body = request.getValue();
            final long now = System.currentTimeMillis();
            final HttpResponse<String> response = alice.raw(HttpRequest.newBuilder(URI.create(alice.base() + path))
                .header(RequestSigning.ACCOUNT_HEADER, Integer.toString(ALICE))
                .header(RequestSigning.TIMESTAMP_HEADER, Long.toString(now))
                .header(RequestSigning.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(Ed25519Signatures.sign(
                    TestService.ACCOUNT_KEYS[4].getPrivate(), RequestSigning.canonical(now, "POST", path, body))))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertError(response, 400, "MALFORMED_JSON");
            assertTrue(response.body().contains("not UTF-8: byte 0x"), response.body());
        }
        assertEquals(0, alice.expect(200, "GET", "/v1/orders", "").get("orders").size(), "nothing was placed");
    }

    @Test
    void authenticationFailuresAre401()
    {
        final RestClient anonymous = RestClient.anonymous(service.httpPort());
        assertError(anonymous.send("GET", "/v1/account", ""), 401, "MISSING_SIGNATURE");

        final RestClient impostor = RestClient.account(service.httpPort(), ALICE, TestService.ACCOUNT_KEYS[5].getPrivate());
        assertError(impostor.send("POST", "/v1/orders", String.format(ORDER, "imp")), 401, "BAD_SIGNATURE");

        final long stale = System.currentTimeMillis() - 60_000;
        assertError(alice.send("POST", "/v1/orders", String.format(ORDER, "old"), stale), 401, "STALE_TIMESTAMP");
        final long future = System.currentTimeMillis() + 60_000;
        assertError(alice.send("GET", "/v1/account", "", future), 401, "STALE_TIMESTAMP");

        final RestClient stranger = RestClient.account(service.httpPort(), 63, TestService.ACCOUNT_KEYS[0].getPrivate());
        assertError(stranger.send("GET", "/v1/account", ""), 401, "UNKNOWN_ACCOUNT");

        final long now = System.currentTimeMillis();
        final String signedBody = String.format(ORDER, "sig");
        final HttpResponse<String> tampered = alice.raw(HttpRequest.newBuilder(
                URI.create(alice.base() + "/v1/orders"))
            .header(RequestSigning.ACCOUNT_HEADER, Integer.toString(ALICE))
            .header(RequestSigning.TIMESTAMP_HEADER, Long.toString(now))
            .header(RequestSigning.SIGNATURE_HEADER, RequestSigning.sign(TestService.ACCOUNT_KEYS[4].getPrivate(), now,
                "POST", "/v1/orders", signedBody))
            .POST(HttpRequest.BodyPublishers.ofString(signedBody.replace("0.01", "0.02"))));
        assertError(tampered, 401, "BAD_SIGNATURE");
        final HttpResponse<String> notBase64 = alice.raw(HttpRequest.newBuilder(URI.create(alice.base() + "/v1/account"))
            .header(RequestSigning.ACCOUNT_HEADER, Integer.toString(ALICE))
            .header(RequestSigning.TIMESTAMP_HEADER, Long.toString(now))
            .header(RequestSigning.SIGNATURE_HEADER, "not base64!"));
        assertError(notBase64, 401, "BAD_SIGNATURE");
        assertEquals(0, alice.expect(200, "GET", "/v1/orders", "").get("orders").size(), "nothing was placed");
    }

    /**
     * A timestamp later than any a test of this class signed at before: two tests that each withdraw 1 within one
     * millisecond would sign one and the same request, and the second would be refused as its replay.
     */
    private static long freshTimestampMs()
    {
        lastOwnTimestampMs = Math.max(System.currentTimeMillis(), lastOwnTimestampMs + 1);
        return lastOwnTimestampMs;
    }

    @Test
    void aReplayedSignedCommandIsRefused()
    {
        final long now = freshTimestampMs();
        final String before = alice.expect(200, "GET", "/v1/account", "").get("collateral").asText();
        assertEquals(200, alice.send("POST", "/v1/withdrawals", "{\"amount\":\"1\"}", now).statusCode());
        assertError(alice.send("POST", "/v1/withdrawals", "{\"amount\":\"1\"}", now), 401, "REPLAYED");
        final String after = alice.expect(200, "GET", "/v1/account", "").get("collateral").asText();
        assertEquals(new java.math.BigDecimal(before).subtract(java.math.BigDecimal.ONE),
            new java.math.BigDecimal(after), "withdrawn once");
        assertEquals(200, alice.send("GET", "/v1/account", "", now).statusCode(), "reads may repeat");
        assertEquals(200, alice.send("GET", "/v1/account", "", now).statusCode());
    }

    @Test
    void aReplayUnderAnotherSpellingOfTheSignatureIsRefused()
    {
        final long now = freshTimestampMs();
        final String body = "{\"amount\":\"1\"}";
        final String signature = RequestSigning.sign(TestService.ACCOUNT_KEYS[4].getPrivate(), now, "POST",
            "/v1/withdrawals", body);
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        final String otherBits = signature.substring(0, 85) +
            alphabet.charAt(alphabet.indexOf(signature.charAt(85)) ^ 1) + "==";
        final BigDecimal before = new BigDecimal(alice.expect(200, "GET", "/v1/account", "").get("collateral").asText());

        assertEquals(200, withdrawal(now, body, signature).statusCode());
        // The same 64 bytes, spelt without padding or with other values in the last character's unused bits.
        assertError(withdrawal(now, body, signature.substring(0, 86)), 401, "BAD_SIGNATURE");
        assertError(withdrawal(now, body, otherBits), 401, "BAD_SIGNATURE");
        assertError(withdrawal(now, body, signature), 401, "REPLAYED");

        final BigDecimal after = new BigDecimal(alice.expect(200, "GET", "/v1/account", "").get("collateral").asText());
        assertEquals(before.subtract(BigDecimal.ONE), after, "withdrawn once");
    }

    private static HttpResponse<String> withdrawal(final long timestampMs, final String body, final String signature)
    {
        return alice.raw(HttpRequest.newBuilder(URI.create(alice.base() + "/v1/withdrawals"))
            .header(RequestSigning.ACCOUNT_HEADER, Integer.toString(ALICE))
            .header(RequestSigning.TIMESTAMP_HEADER, Long.toString(timestampMs))
            .header(RequestSigning.SIGNATURE_HEADER, signature)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void anotherAccountsOrderCannotBeSeenOrTouched()
    {
        final JsonNode placed = alice.expect(200, "POST", "/v1/orders", String.format(ORDER, "mine"));
        final long orderId = placed.get("orderId").asLong();

        assertError(bob.send("GET", "/v1/order-ids/" + orderId, ""), 403, "FORBIDDEN");
        assertError(bob.send("DELETE", "/v1/order-ids/" + orderId, ""), 403, "FORBIDDEN");
        assertError(bob.send("GET", "/v1/orders/mine", ""), 404, "UNKNOWN_ORDER");
        assertError(bob.send("DELETE", "/v1/orders/mine", ""), 404, "UNKNOWN_ORDER");
        assertError(bob.send("PATCH", "/v1/orders/mine", "{\"price\":\"1\",\"size\":\"1\"}"), 404, "UNKNOWN_ORDER");
        assertError(bob.send("POST", "/v1/orders", String.format(ORDER, "as").replace("{", "{\"account\":" + ALICE + ",")),
            403, "ACCOUNT_MISMATCH");
        assertEquals(0, bob.expect(200, "GET", "/v1/orders", "").get("orders").size());

        final JsonNode still = alice.expect(200, "GET", "/v1/order-ids/" + orderId, "");
        assertEquals("open", still.get("status").asText(), still.toString());
        assertEquals("0.01", still.get("remaining").asText());
        assertError(alice.send("POST", "/v1/operator/deposits", "{\"account\":" + ALICE + ",\"amount\":\"1\"}"), 403,
            "NOT_OPERATOR");
        alice.expect(200, "DELETE", "/v1/order-ids/" + orderId, "");
        assertError(alice.send("GET", "/v1/order-ids/" + orderId, ""), 404, "UNKNOWN_ORDER");
    }

    @Test
    void aPathWithATrailingSlashIsNotTheOneWithout()
    {
        final long orderId = alice.expect(200, "POST", "/v1/orders", String.format(ORDER, "slash")).get("orderId")
            .asLong();

        assertError(alice.send("DELETE", "/v1/orders/", ""), 400, "INVALID_FIELD");
        assertError(alice.send("DELETE", "/v1/orders/?market=BTC-USD", ""), 400, "INVALID_FIELD");
        assertError(alice.send("GET", "/v1/orders/", ""), 400, "INVALID_FIELD");
        assertError(alice.send("DELETE", "/v1/order-ids/", ""), 400, "INVALID_FIELD");
        assertError(alice.send("DELETE", "/v1/orders/slash/", ""), 404, "NOT_FOUND");
        assertError(alice.send("GET", "/v1/markets/", ""), 404, "NOT_FOUND");
        assertEquals("open", alice.expect(200, "GET", "/v1/order-ids/" + orderId, "").get("status").asText(),
            "a mass cancel it was not");

        alice.expect(200, "DELETE", "/v1/orders/slash", "");
    }

    /**
     * A refused order of a batch is answered with the clientId it was sent with, as text or number, so that a client
     * can match the refusal to its order by id; an accepted one's answer names it already, once.
     */
    @Test
    void aBatchNamesTheClientIdOfEveryRefusedOrder()
    {
        final String batch = "[" + String.format(ORDER, "bk1") + "," +
            String.format(ORDER, "bk2").replace("\"40000\"", "\"40000.05\"") + "," +
            String.format(ORDER, "bk1") + "," +
            String.format(ORDER, "x").replace("\"x\"", "77").replace("BTC-USD", "NOPE-USD") + "," +
            String.format(ORDER, "x").replace(",\"clientId\":\"x\"", ",\"clientId\":true") + "]";
        final JsonNode results = alice.expect(200, "POST", "/v1/orders/batch", batch).get("results");
        assertEquals(5, results.size(), results.toString());

        assertEquals(200, results.get(0).get("httpStatus").asInt(), results.toString());
        assertEquals("bk1", results.get(0).get("clientId").asText(), results.toString());
        assertEquals(List.of("INVALID_FIELD", "DUPLICATE_CLIENT_ORDER_ID", "UNKNOWN_MARKET"),
            List.of(results.get(1).get("code").asText(), results.get(2).get("code").asText(),
                results.get(3).get("code").asText()), results.toString());
        assertEquals("bk2", results.get(1).get("clientId").asText(), results.toString());
        assertEquals("bk1", results.get(2).get("clientId").asText(), results.toString());
        assertTrue(results.get(3).get("clientId").isIntegralNumber(), results.toString());
        assertEquals(77, results.get(3).get("clientId").asLong(), results.toString());
        assertEquals(400, results.get(4).get("httpStatus").asInt(), results.toString());
        assertTrue(!results.get(4).has("clientId"), "a clientId that is no id is not repeated: " + results);

        alice.expect(200, "DELETE", "/v1/orders/bk1", "");
        assertEquals(0, alice.expect(200, "GET", "/v1/orders", "").get("orders").size(), "only bk1 was placed");
    }

    /**
     * An amend whose body names another market than its query, or than the order's, is refused by the gateway with
     * both markets named, and nothing is sequenced: the next command follows the order's placing directly.
     */
    @Test
    void anAmendNamingAnotherMarketIsRefusedWithoutBeingSequenced()
    {
        final JsonNode placed = alice.expect(200, "POST", "/v1/orders", String.format(ORDER, "am1"));
        final long orderId = placed.get("orderId").asLong();
        final String amendToEth = "{\"market\":\"ETH-USD\",\"price\":\"40001\",\"size\":\"0.01\"}";

        final JsonNode againstQuery = alice.expect(400, "PATCH", "/v1/orders/am1?market=BTC-USD", amendToEth);
        assertEquals("INVALID_FIELD", againstQuery.get("code").asText(), againstQuery.toString());
        assertTrue(againstQuery.get("message").asText().startsWith("the body names market ETH-USD and the query " +
            "market BTC-USD"), againstQuery.toString());
        final JsonNode byClientId = alice.expect(404, "PATCH", "/v1/orders/am1", amendToEth);
        assertEquals("the account's order with clientId am1 is in BTC-USD, not ETH-USD; nothing was done",
            byClientId.get("message").asText(), byClientId.toString());
        final JsonNode byOrderId = alice.expect(404, "PATCH", "/v1/order-ids/" + orderId, amendToEth);
        assertEquals("the account's order with order id " + orderId + " is in BTC-USD, not ETH-USD; nothing was done",
            byOrderId.get("message").asText(), byOrderId.toString());

        final JsonNode amended = alice.expect(200, "PATCH", "/v1/orders/am1",
            "{\"market\":\"BTC-USD\",\"price\":\"40001\",\"size\":\"0.01\"}");
        assertEquals(placed.get("seq").asLong() + 1, amended.get("seq").asLong(), "nothing sequenced in between");
        alice.expect(200, "DELETE", "/v1/orders/am1", "");
    }

    /**
     * A mass cancel's filter in a body instead of the query, as some other venues take it, must not become the mass
     * cancel of every market: a GET, HEAD or DELETE with a body is refused, and nothing is canceled.
     */
    @Test
    void aBodyWhereTheEndpointTakesNoneIsRefusedAndCancelsNothing()
    {
        final long orderId = alice.expect(200, "POST", "/v1/orders", String.format(ORDER, "nobody")).get("orderId")
            .asLong();

        final HttpResponse<String> massCancel = alice.send("DELETE", "/v1/orders", "{\"market\":\"ETH-USD\"}");
        assertError(massCancel, 400, "INVALID_FIELD");
        assertEquals("DELETE /v1/orders takes no body (it got 20 bytes); it takes market and side as query " +
            "parameters (/v1/orders?market=...); nothing was done",
            RestClient.json(massCancel.body()).get("message").asText());
        assertError(alice.send("DELETE", "/v1/orders?market=ETH-USD", "{\"side\":\"sell\"}"), 400, "INVALID_FIELD");
        final HttpResponse<String> list = alice.send("GET", "/v1/orders", "{\"market\":\"ETH-USD\"}");
        assertError(list, 400, "INVALID_FIELD");
        assertEquals("GET /v1/orders takes no body (it got 20 bytes); it takes market as a query parameter " +
            "(/v1/orders?market=...); nothing was done", RestClient.json(list.body()).get("message").asText());
        assertError(alice.send("DELETE", "/v1/orders/nobody", "{\"market\":\"BTC-USD\"}"), 400, "INVALID_FIELD");
        assertError(alice.send("DELETE", "/v1/order-ids/" + orderId, "{}"), 400, "INVALID_FIELD");
        assertError(alice.send("GET", "/v1/markets/BTC-USD/book", "{\"depth\":1}"), 400, "INVALID_FIELD");
        assertEquals("open", alice.expect(200, "GET", "/v1/order-ids/" + orderId, "").get("status").asText(),
            "no request with a body canceled the order");

        alice.expect(200, "DELETE", "/v1/orders/nobody", "");
    }

    @Test
    void unknownThingsAre404AndWrongMethods405()
    {
        assertError(alice.send("GET", "/v1/markets/NOPE-USD/trades", ""), 404, "UNKNOWN_MARKET");
        assertError(alice.send("POST", "/v1/orders", String.format(ORDER, "u").replace("BTC-USD", "NOPE-USD")), 404,
            "UNKNOWN_MARKET");
        assertError(alice.send("GET", "/v1/orders/never", ""), 404, "UNKNOWN_ORDER");
        assertError(alice.send("GET", "/v1/order-ids/987654321", ""), 404, "UNKNOWN_ORDER");
        assertError(alice.send("GET", "/v1/nothing", ""), 404, "NOT_FOUND");
        final HttpResponse<String> wrong = alice.send("DELETE", "/v1/account", "");
        assertError(wrong, 405, "METHOD_NOT_ALLOWED");
        assertEquals("GET, HEAD", wrong.headers().firstValue("allow").orElse(""));
        assertEquals(200, alice.send("HEAD", "/v1/account", "").statusCode(), "HEAD is served where GET is");
        final HttpResponse<String> put = alice.send("PUT", "/v1/orders", "{}");
        assertError(put, 405, "METHOD_NOT_ALLOWED");
        assertEquals("GET, HEAD, POST, DELETE", put.headers().firstValue("allow").orElse(""));
        assertEquals("POST", alice.send("GET", "/v1/withdrawals", "").headers().firstValue("allow").orElse(""),
            "no HEAD where no GET is");
    }

    /**
     * An account id beyond the matcher's capacity can never hold anything: refused with the capacity, where the last
     * id within it, which no event has named, is an account with nothing.
     */
    @Test
    void anOperatorsAccountBeyondTheCapacityIs404WithTheCapacity()
    {
        final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
            TestService.OPERATOR_KEY.getPrivate());
        final HttpResponse<String> beyond = operator.send("GET", "/v1/operator/accounts/64", "");
        assertError(beyond, 404, "ACCOUNT_OUT_OF_RANGE");
        assertEquals("account 64 is beyond the account capacity of 64: account ids run from 1 to 63",
            RestClient.json(beyond.body()).get("message").asText());
        assertError(operator.send("GET", "/v1/operator/accounts/" + Integer.MAX_VALUE, ""), 404,
            "ACCOUNT_OUT_OF_RANGE");
        final JsonNode last = operator.expect(200, "GET", "/v1/operator/accounts/63", "");
        assertEquals(63, last.get("account").asInt(), last.toString());
        assertEquals("0", last.get("collateral").asText(), last.toString());
    }

    @Test
    void matcherRejectionsAre422WithTheReason()
    {
        final HttpResponse<String> postOnlyIoc = alice.send("POST", "/v1/orders",
            String.format(ORDER, "p1").replace("}", ",\"postOnly\":true,\"tif\":\"ioc\"}"));
        assertError(postOnlyIoc, 422, "POST_ONLY_NOT_GTC");
        assertEquals("rejected", RestClient.json(postOnlyIoc.body()).get("events").get(0).get("type").asText());

        alice.expect(200, "POST", "/v1/orders", String.format(ORDER, "dup"));
        assertError(alice.send("POST", "/v1/orders", String.format(ORDER, "dup")), 422, "DUPLICATE_CLIENT_ORDER_ID");
        alice.expect(200, "DELETE", "/v1/orders/dup", "");
    }

    @Test
    void aMassCancelsBadFilterIsRefusedAsAParameterAndTakesNoRateToken() throws InterruptedException
    {
        final long hourNs = 3_600_000_000_000L;
        try (TestService limited =
            new TestService(oneTokenData).http(http -> http.rateLimitInterval(hourNs, 1)).start())
        {
            final RestClient client = RestClient.account(limited.httpPort(), ALICE,
                TestService.ACCOUNT_KEYS[4].getPrivate());
            assertError(client.send("DELETE", "/v1/orders?side=up", ""), 400, "INVALID_PARAMETER");
            assertError(client.send("DELETE", "/v1/orders?market=NOPE-USD&side=buy", ""), 404, "UNKNOWN_MARKET");
            assertEquals(0, client.expect(200, "DELETE", "/v1/orders?market=BTC-USD&side=sell", "").get("canceled")
                .asInt(), "the refusals took no token: the one command the bucket holds passes");
            assertError(client.send("DELETE", "/v1/orders", ""), 429, "RATE_LIMITED");
        }
    }

    @Test
    void rateLimitIs429WithRetryAfter() throws InterruptedException
    {
        final long hourNs = 3_600_000_000_000L;
        try (TestService limited = new TestService(limitedData).http(http -> http.rateLimitInterval(hourNs, 1)).start())
        {
            final RestClient client = RestClient.account(limited.httpPort(), ALICE,
                TestService.ACCOUNT_KEYS[4].getPrivate());
            final HttpResponse<String> first = client.send("POST", "/v1/orders", String.format(ORDER, "a"));
            assertEquals(422, first.statusCode(), "the order passes the limit (and has no collateral): " + first.body());
            final long now = System.currentTimeMillis();
            final HttpResponse<String> second = client.send("POST", "/v1/orders", String.format(ORDER, "b"), now);
            assertError(second, 429, "RATE_LIMITED");
            assertError(client.send("POST", "/v1/orders", String.format(ORDER, "b"), now), 429, "RATE_LIMITED");
            final long retryAfter = Long.parseLong(second.headers().firstValue("retry-after").orElse("0"));
            assertTrue(retryAfter >= 3_500 && retryAfter <= 3_600, "Retry-After " + retryAfter);
            final JsonNode results = client.expect(200, "POST", "/v1/orders/batch",
                "[" + String.format(ORDER, "c") + "]").get("results");
            assertEquals(429, results.get(0).get("httpStatus").asInt(), results.toString());
            assertEquals("RATE_LIMITED", results.get(0).get("code").asText());
            assertEquals(200, client.send("GET", "/v1/account", "").statusCode(), "reading is not limited");
        }
    }
}
