package io.rollbook.gateway.http;

import java.util.List;

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
}
