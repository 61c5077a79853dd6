package io.rollbook.app.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Signed REST requests as docs/REST.md specifies them (Ed25519 over timestamp, method, path with query and body),
 * for a test to seed the market the way a market maker or the operator would. Not thread-safe.
 */
final class SignedRest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    /** Signatures are deterministic: two equal requests in one millisecond would be one request, refused as a replay. */
    private long lastTimestampMs;

    SignedRest(final String baseUrl)
    {
        this.baseUrl = baseUrl;
    }

    /**
     * @param header {@code Rollbook-Account} or {@code Rollbook-Operator}
     * @param id     the account number or the operator's name
     * @return the answer's JSON; fails the test on any status but 200
     */
    JsonNode send(final String header, final String id, final PrivateKey key, final String method, final String path,
        final Object body) throws IOException, InterruptedException, GeneralSecurityException
    {
        final HttpResponse<String> response = request(header, id, key, method, path, body);
        if (response.statusCode() != 200)
        {
            throw new AssertionError(method + " " + path + " " + JSON.writeValueAsString(body) + " answered " +
                response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * @return the answer, whatever its status
     * @throws IOException when no answer came (refused, reset, closed before the answer)
     */
    HttpResponse<String> request(final String header, final String id, final PrivateKey key, final String method,
        final String path, final Object body) throws IOException, InterruptedException, GeneralSecurityException
    {
        final String text = body == null ? "" : JSON.writeValueAsString(body);
        lastTimestampMs = Math.max(System.currentTimeMillis(), lastTimestampMs + 1);
        final String timestamp = Long.toString(lastTimestampMs);
        final Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(key);
        signature.update((timestamp + "\n" + method + "\n" + path + "\n" + text).getBytes(StandardCharsets.UTF_8));
        final HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header(header, id)
            .header("Rollbook-Timestamp", timestamp)
            .header("Rollbook-Signature", Base64.getEncoder().encodeToString(signature.sign()))
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
            .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** An unsigned GET, for public data and the page's own files; returns status and body. */
    HttpResponse<String> get(final String path) throws IOException, InterruptedException
    {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
