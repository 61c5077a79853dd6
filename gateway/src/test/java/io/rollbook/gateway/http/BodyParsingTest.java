package io.rollbook.gateway.http;

import java.util.List;

import io.rollbook.gateway.view.OrderState;
import io.rollbook.protocol.ClientOrderIds;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed bodies are refused with 400 and a message that says where and what: single objects (the command
 * format's own reader) and batches (split into objects first).
 */
final class BodyParsingTest
{
    private static void assertMalformed(final String body, final String code, final String mentions)
    {
        final ApiException refused = assertThrows(ApiException.class, () ->
        {
            if (body.trim().startsWith("["))
            {
                BatchBody.split(body, 3).forEach(RestApi::parse);
            }
            else
            {
                RestApi.parse(body);
            }
        }, body);
        assertEquals(400, refused.status(), body);
        assertEquals(code, refused.code(), body);
        assertTrue(refused.getMessage().contains(mentions), refused.getMessage());
    }

    @Test
    void malformedObjectsAreRefusedWithThePlace()
    {
        assertMalformed("{\"market\":", "MALFORMED_JSON", "column 11");
        assertMalformed("{\"a\":1,}", "MALFORMED_JSON", "column 8");
        assertMalformed("{\"a\":1} x", "MALFORMED_JSON", "end of the line");
        assertMalformed("{\"a\":1,\"a\":2}", "MALFORMED_JSON", "duplicate key");
        assertMalformed("{\"a\":{\"b\":1}}", "MALFORMED_JSON", "nested");
        assertMalformed("{\"a\":\"\\q\"}", "MALFORMED_JSON", "escape");
        assertMalformed("nope", "MALFORMED_JSON", "'{'");
    }

    @Test
    void batchesSplitIntoObjectsWithStringsRespected()
    {
        assertEquals(List.of("{\"a\":\"}]\"}", "{\"b\":\"\\\"{\"}"),
            BatchBody.split(" [ {\"a\":\"}]\"} ,\n{\"b\":\"\\\"{\"} ] ", 3));
        assertMalformed("[{\"a\":1}", "MALFORMED_JSON", "',' or ']'");
        assertMalformed("[{\"a\":1}] x", "MALFORMED_JSON", "end of the body");
        assertMalformed("[1]", "MALFORMED_JSON", "order object");
        assertMalformed("[{\"a\":1},{\"a\":2},{\"a\":3},{\"a\":4}]", "INVALID_BATCH", "at most 3");
        assertMalformed("[]", "INVALID_BATCH", "empty");
        assertMalformed("[{\"a\":1},{\"a\":]", "MALFORMED_JSON", "column");
    }

    /**
     * Each refusal reads as one sentence: what was expected at the column, and what is there instead.
     */
    @Test
    void aBatchRefusalSaysWhatWasExpectedAndWhatWasFound()
    {
        assertBatchRefused("{\"a\":1}", "broken batch at column 1: expected a JSON array of order objects, " +
            "starting with '[', found '{'");
        assertBatchRefused("", "broken batch at column 1: expected a JSON array of order objects, starting with " +
            "'[', found the end of the body");
        assertBatchRefused("[1]", "broken batch at column 2: expected an order object starting with '{', found '1'");
        assertBatchRefused("[{\"a\":1} {", "broken batch at column 10: expected ',' or ']' after an order object, " +
            "found '{'");
        assertBatchRefused("[{\"a\":1}] x", "broken batch at column 11: expected the end of the body after ']', " +
            "found 'x'");
        assertBatchRefused("[{\"a\":1},{\"a\":", "broken batch at column 10: the order object opened there is " +
            "never closed");
    }

    @Test
    void aControlCharacterInAStringIsRefusedAsSuch()
    {
        final ApiException refused = assertThrows(ApiException.class, () -> RestApi.parse("{\"a\":\"x\u0001\"}"));
        assertEquals("broken JSON at column 8: expected control characters escaped inside a string (\\n, \\t, " +
            "\\u0001), found '\\u0001'", refused.getMessage());
    }

    /**
     * A clientId taken by a pending order has no order id to name yet; one taken by an open or ended order is
     * named with its order id and what became of it.
     */
    @Test
    void aTakenClientIdSaysWhatTakesIt()
    {
        assertEquals("clientId b1 is taken by an order sent before and not executed yet (its own answer follows); " +
            "choose a new clientId", RestApi.clientIdTaken(ClientOrderIds.fromString("b1"), OrderState.PENDING,
            Long.MIN_VALUE));
        assertEquals("clientId b1 is taken by open order 7; choose a new clientId",
            RestApi.clientIdTaken(ClientOrderIds.fromString("b1"), OrderState.LIVE, 7));
        assertEquals("clientId b1 is taken by order 7, which ended filled (an ended order's clientId stays taken " +
            "while the gateway remembers the order); choose a new clientId",
            RestApi.clientIdTaken(ClientOrderIds.fromString("b1"), OrderState.FILLED, 7));
    }

    private static void assertBatchRefused(final String body, final String message)
    {
        final ApiException refused = assertThrows(ApiException.class, () -> BatchBody.split(body, 3), body);
        assertEquals(400, refused.status(), body);
        assertEquals("MALFORMED_JSON", refused.code(), body);
        assertEquals(message, refused.getMessage(), body);
    }
}
