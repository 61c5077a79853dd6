package io.rollbook.gateway.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP port's routing against the real server: the API's JSON errors, and the routes an application mounts (a
 * text route and a classpath folder of static files, without path traversal).
 */
@Tag("system")
final class HttpRoutingSystemTest
{
    @TempDir
    static Path data;
    private static TestService service;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).http(http -> http.routes()
            .text("/metrics", "text/plain; version=0.0.4; charset=utf-8", () -> "rollbook_up 1\n")
            .staticFolder("web-test", HttpRoutingSystemTest.class.getClassLoader())).start();
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    private static HttpResponse<String> send(final String method, final String path) throws Exception
    {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void mountedTextRouteAnswersWithItsContentType() throws Exception
    {
        final HttpResponse<String> response = send("GET", "/metrics");
        assertEquals(200, response.statusCode());
        assertEquals("rollbook_up 1\n", response.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("content-type").get());
    }

    @Test
    void staticFolderServesIndexAndFilesByType() throws Exception
    {
        final HttpResponse<String> index = send("GET", "/");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("Rollbook test page"), index.body());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("content-type").get());
        final HttpResponse<String> css = send("GET", "/css/site.css");
        assertEquals(200, css.statusCode());
        assertEquals("text/css; charset=utf-8", css.headers().firstValue("content-type").get());
    }

    @Test
    void anotherMethodIs405WhereSomethingIsServedAnd404Elsewhere() throws Exception
    {
        for (final String path : new String[] {"/metrics", "/", "/css/site.css"})
        {
            final HttpResponse<String> response = send("POST", path);
            assertEquals(405, response.statusCode(), path + ": " + response.body());
            assertEquals("GET, HEAD", response.headers().firstValue("allow").orElse(""), path);
        }
        for (final String path : new String[] {"/nothing", "/V1/orders", "/missing.html"})
        {
            final HttpResponse<String> response = send("POST", path);
            assertEquals(404, response.statusCode(), path + ": " + response.body());
            assertTrue(response.body().startsWith("{\"code\":\"NOT_FOUND\""), response.body());
        }
    }

    @Test
    void pathTraversalIsRefused() throws Exception
    {
        for (final String path : new String[] {"/../outside.txt", "/%2e%2e/outside.txt", "/css/../../outside.txt",
            "/.hidden", "/css%2f..%2f..%2foutside.txt", "/css//site.css", "/missing.html"})
        {
            final HttpResponse<String> response = send("GET", path);
            assertEquals(404, response.statusCode(), path);
            assertTrue(!response.body().contains("secret"), path);
        }
    }

    @Test
    void apiErrorsAreJsonWithStableCodes() throws Exception
    {
        final HttpResponse<String> unknown = send("GET", "/v1/nothing-here");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().startsWith("{\"code\":\"NOT_FOUND\",\"message\":"), unknown.body());
        assertEquals("application/json", unknown.headers().firstValue("content-type").get());

        final HttpResponse<String> wrongMethod = send("DELETE", "/v1/markets");
        assertEquals(405, wrongMethod.statusCode());
        // Allow tells the truth: HEAD is served wherever GET is (RFC 9110, 9.3.2 and 10.2.1).
        assertEquals("GET, HEAD", wrongMethod.headers().firstValue("allow").get());
        assertTrue(wrongMethod.body().contains("\"METHOD_NOT_ALLOWED\""), wrongMethod.body());
        final HttpResponse<String> get = send("GET", "/v1/markets");
        final HttpResponse<String> head = send("HEAD", "/v1/markets");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(get.headers().firstValue("content-length"), head.headers().firstValue("content-length"));

        final HttpResponse<String> unknownMarket = send("GET", "/v1/markets/DOGE-USD/book");
        assertEquals(404, unknownMarket.statusCode());
        assertTrue(unknownMarket.body().contains("\"UNKNOWN_MARKET\""), unknownMarket.body());

        final HttpResponse<String> badDepth = send("GET", "/v1/markets/BTC-USD/book?depth=x");
        assertEquals(400, badDepth.statusCode());
        assertTrue(badDepth.body().contains("\"INVALID_PARAMETER\""), badDepth.body());

        final HttpResponse<String> postStatic = send("POST", "/index.html");
        assertEquals(405, postStatic.statusCode());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderPastTheReadBound() throws Exception
    {
        final int requests = 3 * io.rollbook.gateway.http.HttpGatewayAccess.maxPipelined();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", service.httpPort()))
        {
            final StringBuilder all = new StringBuilder();
            final long now = System.currentTimeMillis();
            final String body = "{\"amount\":\"1\"}";
            for (int i = 0; i < requests; i++)
            {
                final String signature = io.rollbook.gateway.http.RequestSigning.sign(
                    TestService.ACCOUNT_KEYS[0].getPrivate(), now - i, "POST", "/v1/withdrawals", body);
                // Withdrawals wait for their release (an unfunded account: 422), so answers queue up behind them.
                all.append(i % 2 == 0 ? "POST /v1/withdrawals HTTP/1.1\r\nHost: x\r\nRollbook-Account: " +
                    TestService.FIRST_ACCOUNT + "\r\nRollbook-Timestamp: " + (now - i) + "\r\nRollbook-Signature: " +
                    signature + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body :
                    "GET /v1/nothing-" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            socket.getOutputStream().write(all.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoTimeout(10_000);
            final java.io.InputStream in = socket.getInputStream();
            final StringBuilder answers = new StringBuilder();
            final byte[] chunk = new byte[65536];
            int statuses = 0;
            while (statuses < requests)
            {
                final int read = in.read(chunk);
                assertTrue(read > 0, "the connection ended after " + statuses + " answers");
                answers.append(new String(chunk, 0, read, java.nio.charset.StandardCharsets.ISO_8859_1));
                statuses = answers.toString().split("HTTP/1.1 ", -1).length - 1;
            }
            final String[] parts = answers.toString().split("HTTP/1.1 ");
            for (int i = 1; i < parts.length; i++)
            {
                assertTrue(parts[i].startsWith((i - 1) % 2 == 0 ? "422" : "404"), "answer " + i + " in order: " +
                    parts[i]);
                if ((i - 1) % 2 == 1)
                {
                    assertTrue(parts[i].contains("nothing-" + (i - 1)), "answer " + i + " is its request's");
                }
            }
        }
    }

    @Test
    void marketsAndBookAreServed() throws Exception
    {
        final HttpResponse<String> markets = send("GET", "/v1/markets");
        assertEquals(200, markets.statusCode());
        assertTrue(markets.body().contains("{\"market\":\"BTC-USD\",\"id\":1,\"tickSize\":\"0.1\",\"lotSize\":\"0.001\""),
            markets.body());
        final HttpResponse<String> book = send("GET", "/v1/markets/ETH-USD/book?depth=5");
        assertEquals(200, book.statusCode());
        assertTrue(book.body().startsWith("{\"market\":\"ETH-USD\",\"seq\":0,"), book.body());
        assertTrue(book.body().endsWith("\"bids\":[],\"asks\":[]}"), book.body());
    }
}
