package io.rollbook.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/**
 * RFC 9112, 3.2, as the gateway applies it: exactly one Host header on an HTTP/1.1 request, at most one on any, and
 * its value a host with an optional port (or empty).
 */
class HostHeaderTest
{
    private static HttpRequest request(final HttpVersion version, final String... hosts)
    {
        final HttpRequest request = new DefaultHttpRequest(version, HttpMethod.GET, "/v1/markets");
        for (final String host : hosts)
        {
            request.headers().add("Host", host);
        }
        return request;
    }

    @Test
    void exactlyOneHostOnHttp11AtMostOneOnHttp10()
    {
        assertNull(HostHeader.problem(request(HttpVersion.HTTP_1_1, "127.0.0.1:8080")));
        assertNull(HostHeader.problem(request(HttpVersion.HTTP_1_0)));
        assertTrue(HostHeader.problem(request(HttpVersion.HTTP_1_1)).startsWith("an HTTP/1.1 request needs a Host " +
            "header"));
        assertEquals("the request has 2 Host headers; send exactly one (RFC 9112, 3.2); nothing was done",
            HostHeader.problem(request(HttpVersion.HTTP_1_0, "a", "b")));
    }

    @Test
    void theValueIsAHostWithAnOptionalPort()
    {
        for (final String valid : new String[] {"", "localhost", "rollbook.example:443", "127.0.0.1", "[::1]",
            "[::1]:8080", "xn--bcher-kva.example", "a:"})
        {
            assertTrue(HostHeader.isUriHostAndPort(valid), valid);
        }
        for (final String invalid : new String[] {"a b", "a:8x", "[::1", "[]", "[::1]x", "a/b", "a@b", "a:1:2",
            "\"a\"", "a\\b"})
        {
            assertFalse(HostHeader.isUriHostAndPort(invalid), invalid);
        }
    }
}
