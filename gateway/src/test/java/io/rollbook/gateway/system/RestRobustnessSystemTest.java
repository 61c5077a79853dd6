package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.gateway.http.RequestSigning;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trader API's HTTP edges against the real server, with raw sockets where a well-behaved client cannot go: a
 * broken percent-encoding, a request that fails to decode, a body past {@code http.maxBodyBytes}, a client that
 * shuts its sending side down after its last request or closes in the middle of a body, a misspelt or repeated
 * query parameter, timestamps at the ends of a {@code long} and in a text other than the one signed. Each gets a
 * JSON answer with a stable code (or its answers, for the half-closed client), changes nothing it should not, and
 * counts no unexpected error. The server's clock is fixed, so that every timestamp here is exact.
 */
@Tag("system")
final class RestRobustnessSystemTest
{
    private static final long NOW = 1_764_547_200_000L;
    private static final int MAX_BODY_BYTES = 2048;
    private static final int TRADER = TestService.FIRST_ACCOUNT + 2;
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

    @TempDir
    static Path data;
    private static TestService service;
    private static RestClient trader;
    private static int bodies;

    @BeforeAll
    static void start() throws InterruptedException
    {
        service = new TestService(data).http(http -> http.clock(() -> NOW).maxBodyBytes(MAX_BODY_BYTES)).start();
        trader = RestClient.account(service.httpPort(), TRADER, TestService.ACCOUNT_KEYS[2].getPrivate());
        final RestClient operator = RestClient.operator(service.httpPort(), "test-operator",
            TestService.OPERATOR_KEY.getPrivate());
        expect(operator.send("POST", "/v1/operator/oracle", "{\"market\":\"BTC-USD\",\"price\":\"50000\"}", NOW), 200);
        expect(operator.send("POST", "/v1/operator/deposits", "{\"account\":" + TRADER + ",\"amount\":\"1000000\"}",
            NOW), 200);
    }

    @AfterAll
    static void stop()
    {
        service.close();
    }

    private static JsonNode expect(final HttpResponse<String> response, final int status)
    {
        assertEquals(status, response.statusCode(), response.body());
        return RestClient.json(response.body());
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String code)
    {
        assertEquals(code, expect(response, status).get("code").asText(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
    }

    /**
     * An order with a clientId of its own (every state-changing request here is signed at the same instant, so its
     * body must differ for its signature to differ).
     */
    private static String order()
    {
        return "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"price\":\"40000\",\"size\":\"0.01\",\"clientId\":\"r" +
            ++bodies + "\"}";
    }

    private static String signedRequest(final String method, final String pathWithQuery, final String body)
    {
        return RawHttp.signed(TRADER, TestService.ACCOUNT_KEYS[2].getPrivate(), NOW, method, pathWithQuery, body);
    }

    /**
     * Sends raw bytes, optionally shuts the sending side down, and reads until the server closes the connection.
     *
     * @return everything the server sent
     * @throws AssertionError if the server leaves the connection open for 10 s
     */
    private static String exchangeUntilClosed(final String request, final boolean shutdownOutput) throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", service.httpPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            if (shutdownOutput)
            {
                socket.shutdownOutput();
            }
            return RawHttp.readUntilClosed(socket);
        }
    }

    private static List<String> statuses(final String answers)
    {
        final List<String> statuses = new ArrayList<>();
        final Matcher matcher = STATUS.matcher(answers);
        while (matcher.find())
        {
            statuses.add(matcher.group(1));
        }
        return statuses;
    }

    private static int openOrders()
    {
        return expect(trader.send("GET", "/v1/orders", "", NOW), 200).get("orders").size();
    }

    @Test
    void anUnknownExpectationIsAnsweredInItsPlaceAndItsBodyIsNeverARequest() throws IOException
    {
        final int before = openOrders();
        // The body of the second request is a whole request of its own: read as one, it would be answered too.
        final String smuggled = "POST /v1/withdrawals HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
        final String expecting = "POST /v1/orders HTTP/1.1\r\nHost: x\r\nExpect: x-unknown\r\nContent-Length: " +
            smuggled.length() + "\r\n\r\n" + smuggled;
        final String answers = exchangeUntilClosed(signedRequest("POST", "/v1/orders", order()) + expecting +
            "GET /v1/markets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false);

        assertEquals(List.of("200", "417", "200"), statuses(answers), answers);
        assertTrue(answers.contains("{\"code\":\"EXPECTATION_FAILED\",\"message\":\"the server meets no expectation"),
            answers);
        assertTrue(answers.indexOf("\"status\":\"open\"") < answers.indexOf("EXPECTATION_FAILED"), "in order: " +
            answers);
        assertTrue(answers.endsWith("]}"), "the markets come last: " + answers);
        assertEquals(before + 1, openOrders());
        assertEquals(0, service.service().httpGateway().unexpectedErrors());
    }

    @Test
    void aWebSocketHandshakeBehindUnansweredRequestsIsRefusedInItsPlace() throws IOException
    {
        final int before = openOrders();
        final String handshake = "GET /v1/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        final String answers = exchangeUntilClosed(signedRequest("POST", "/v1/orders", order()) + handshake +
            "GET /v1/markets HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false);

        // The order's answer is owed until its command is released: a 101 now would come first and lose it.
        assertEquals(List.of("200", "400", "200"), statuses(answers), answers);
        assertTrue(answers.indexOf("\"status\":\"open\"") < answers.indexOf("WEBSOCKET_UPGRADE_REQUIRED"), answers);
        assertTrue(answers.contains("owes no answers"), answers);
        assertEquals(before + 1, openOrders());
        assertEquals(0, service.service().httpGateway().unexpectedErrors());
    }

    @Test
    void aBrokenPercentEncodingIs400NotAServerError() throws IOException
    {
        for (final String target : new String[] {"/v1/orders/%zz", "/v1/orders?market=%zz",
            "/v1/markets/BTC-USD/book?depth=%", "/%zz"})
        {
            final String answer = exchangeUntilClosed("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close" +
                "\r\n\r\n", false);
            assertEquals(List.of("400"), statuses(answer), target + ": " + answer);
            assertTrue(answer.contains("{\"code\":\"MALFORMED_HTTP\",\"message\":\"the request target is not valid"),
                answer);
        }
        assertEquals(0, service.service().httpGateway().unexpectedErrors());
    }

    @Test
    void anHttp11RequestWithoutExactlyOneValidHostIs400AndTheConnectionGoesOn() throws IOException
    {
        final String close = "GET /v1/markets HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        for (final String refused : new String[] {
            "GET /v1/markets HTTP/1.1\r\n\r\n",
            "GET /v1/markets HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET /v1/markets HTTP/1.1\r\nHost: a b\r\n\r\n",
            "GET /v1/markets HTTP/1.1\r\nHost: a:8x\r\n\r\n",
            "GET /v1/ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"})
        {
            final String answers = exchangeUntilClosed(refused + close, false);
            assertEquals(List.of("400", "200"), statuses(answers), refused + ": " + answers);
            assertTrue(answers.contains("{\"code\":\"INVALID_HOST\",\"message\":\""), answers);
        }
        for (final String served : new String[] {
            "GET /v1/markets HTTP/1.0\r\n\r\n",
            "GET /v1/markets HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n",
            "GET /v1/markets HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n",
            "GET /v1/markets HTTP/1.1\r\nHost: rollbook.example:443\r\nConnection: close\r\n\r\n"})
        {
            final String answer = exchangeUntilClosed(served, false);
            assertEquals(List.of("200"), statuses(answer), served + ": " + answer);
        }
        assertEquals(0, service.service().httpGateway().unexpectedErrors());
    }

    @Test
    void aRequestThatFailsToDecodeIsAnsweredAndEndsTheConnection() throws IOException
    {
        final String answer = exchangeUntilClosed("GET /v1/markets HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n" +
            "GET /v1/markets HTTP/1.1\r\nHost: x\r\n\r\n", false);
        assertEquals(List.of("400"), statuses(answer), answer);
        assertTrue(answer.contains("\"code\":\"MALFORMED_HTTP\""), answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), answer);
    }

    @Test
    void aBodyPastTheLimitIs413InJsonAndPlacesNothing()
    {
        final int before = openOrders();
        final String body = order().replace("}", ",\"padding\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}");
        final HttpResponse<String> tooLarge = trader.send("POST", "/v1/orders", body, NOW);
        assertError(tooLarge, 413, "BODY_TOO_LARGE");
        assertTrue(RestClient.json(tooLarge.body()).get("message").asText().contains(Integer.toString(MAX_BODY_BYTES)),
            tooLarge.body());
        assertEquals(before, openOrders());
    }

    @Test
    void aBodyPastTheLimitAnnouncedWithExpectContinueIs413InJson() throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", service.httpPort()))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /v1/orders HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n" +
                "Content-Length: " + (MAX_BODY_BYTES + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            final InputStream in = socket.getInputStream();
            final StringBuilder received = new StringBuilder();
            while (!received.toString().endsWith("}"))
            {
                final int read = in.read();
                assertTrue(read >= 0, "the connection ended: " + received);
                received.append((char)read);
            }
            assertEquals(List.of("413"), statuses(received.toString()), received.toString());
            assertTrue(received.toString().contains("{\"code\":\"BODY_TOO_LARGE\""), received.toString());
        }
    }

    @Test
    void aClientThatShutsItsSideDownGetsEveryAnswerOwed() throws IOException
    {
        final String body = order();
        final String answers = exchangeUntilClosed(signedRequest("POST", "/v1/orders", body) +
            "GET /v1/markets/BTC-USD/book HTTP/1.1\r\nHost: x\r\n\r\n", true);
        assertEquals(List.of("200", "200"), statuses(answers), answers);
        assertTrue(answers.contains("\"status\":\"open\""), answers);
    }

    @Test
    void aClientThatClosesInTheMiddleOfABodyIsNoServerError() throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", service.httpPort()))
        {
            socket.getOutputStream().write(("POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"mar")
                .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
        // Another request on the same event loop, answered after the closed one was seen.
        expect(trader.send("GET", "/v1/markets", "", NOW), 200);
        assertEquals(0, service.service().httpGateway().unexpectedErrors());
    }

    @Test
    void aMisspeltOrRepeatedQueryParameterIsRefusedAndCancelsNothing()
    {
        expect(trader.send("POST", "/v1/orders", order(), NOW), 200);
        final int open = openOrders();
        assertError(trader.send("DELETE", "/v1/orders?markte=BTC-USD", "", NOW), 400, "INVALID_PARAMETER");
        assertError(trader.send("DELETE", "/v1/orders?market=BTC-USD&market=ETH-USD", "", NOW), 400,
            "INVALID_PARAMETER");
        assertError(trader.send("GET", "/v1/markets/BTC-USD/book?depth=1&depth=2", "", NOW), 400,
            "INVALID_PARAMETER");
        assertError(trader.send("GET", "/v1/account?verbose=1", "", NOW), 400, "INVALID_PARAMETER");
        assertEquals(open, openOrders(), "nothing was canceled");
        expect(trader.send("GET", "/v1/orders?market=BTC-USD", "", NOW), 200);
    }

    @Test
    void aTimestampIsCheckedWithoutOverflowAndInTheTextSigned()
    {
        final int before = openOrders();
        assertError(trader.send("POST", "/v1/orders", order(), Long.MAX_VALUE), 401, "STALE_TIMESTAMP");
        final String body = order();
        // Not a timestamp at all, whatever the window: named as such, as the API's other numbers are, never "stale".
        for (final String text : new String[] {"+" + NOW, "-" + NOW, "-1", Long.toString(NOW + Long.MIN_VALUE),
            "0" + NOW, NOW + ".0", "99999999999999999999", "1e12"})
        {
            final HttpResponse<String> invalid = trader.raw(
                HttpRequest.newBuilder(URI.create(trader.base() + "/v1/orders"))
                    .header(RequestSigning.ACCOUNT_HEADER, Integer.toString(TRADER))
                    .header(RequestSigning.TIMESTAMP_HEADER, text)
                    .header(RequestSigning.SIGNATURE_HEADER, RequestSigning.sign(
                        TestService.ACCOUNT_KEYS[2].getPrivate(), NOW, "POST", "/v1/orders", body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            assertError(invalid, 401, "INVALID_TIMESTAMP");
            assertTrue(invalid.body().contains("Rollbook-Timestamp must be milliseconds since the epoch"),
                text + ": " + invalid.body());
        }
        assertEquals(before, openOrders());
    }

    @Test
    void aValueOfTheWrongJsonTypeIsNamedAsSent()
    {
        final HttpResponse<String> accountText = trader.send("POST", "/v1/orders",
            order().replace("{", "{\"account\":\"" + TRADER + "\","), NOW);
        assertError(accountText, 400, "INVALID_FIELD");
        assertTrue(accountText.body().contains("the string \\\"" + TRADER + "\\\""), accountText.body());
        final HttpResponse<String> flagText = trader.send("POST", "/v1/orders",
            order().replace("}", ",\"postOnly\":\"true\"}"), NOW);
        assertError(flagText, 400, "INVALID_FIELD");
        assertTrue(flagText.body().contains("got \\\"true\\\""), flagText.body());
    }

    @Test
    void anIncompleteWebSocketHandshakeIsAnsweredInJson() throws IOException
    {
        final String upgrade = "Host: x\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n";
        for (final String request : new String[] {
            "GET /v1/ws HTTP/1.1\r\n" + upgrade + "Sec-WebSocket-Version: 13\r\n\r\n",
            "GET /v1/ws HTTP/1.1\r\n" + upgrade + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
                "Sec-WebSocket-Version: 8\r\n\r\n"})
        {
            final String answer = exchangeUntilClosed(request, false);
            assertEquals(List.of("400"), statuses(answer), answer);
            assertTrue(answer.contains("{\"code\":\"WEBSOCKET_UPGRADE_REQUIRED\""), answer);
        }
        final String post = exchangeUntilClosed("POST /v1/ws HTTP/1.1\r\n" + upgrade +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n",
            false);
        assertEquals(List.of("405"), statuses(post), post);
        assertTrue(post.contains("{\"code\":\"METHOD_NOT_ALLOWED\""), post);
    }
}
