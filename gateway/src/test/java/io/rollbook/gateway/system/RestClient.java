package io.rollbook.gateway.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollbook.gateway.http.RequestSigning;

/**
 * A trader API client for system tests on the JDK's HttpClient: signs requests as docs/REST.md says, for an
 * account, an operator or nobody, and reads answers as JSON.
 */
final class RestClient
{
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String base;
    private final String headerName;
    private final String headerValue;
    private final PrivateKey key;
    /**
     * Signatures are deterministic: the same request signed twice in one millisecond is the same signed request,
     * which the service refuses as a replay. A client signs each request at a later millisecond than the last.
     */
    private final AtomicLong lastTimestampMs = new AtomicLong();

    private RestClient(
        final int port, final SSLContext tls, final String headerName, final String headerValue, final PrivateKey key)
    {
        final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        this.client = (tls == null ? builder : builder.sslContext(tls)).build();
        this.base = (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
        this.headerName = headerName;
        this.headerValue = headerValue;
        this.key = key;
    }

    static RestClient account(final int port, final int account, final PrivateKey key)
    {
        return account(port, null, account, key);
    }

    /**
     * @param tls the client's TLS context (trusting the server's certificate) for HTTPS, or null for plain HTTP
     */
    static RestClient account(final int port, final SSLContext tls, final int account, final PrivateKey key)
    {
        return new RestClient(port, tls, RequestSigning.ACCOUNT_HEADER, Integer.toString(account), key);
    }

    static RestClient operator(final int port, final String name, final PrivateKey key)
    {
        return new RestClient(port, null, RequestSigning.OPERATOR_HEADER, name, key);
    }

    static RestClient anonymous(final int port)
    {
        return anonymous(port, null);
    }

    static RestClient anonymous(final int port, final SSLContext tls)
    {
        return new RestClient(port, tls, null, null, null);
    }

    /**
     * A signed request at the current time, or a millisecond after this client's last one if that is later.
     */
    HttpResponse<String> send(final String method, final String pathWithQuery, final String body)
    {
        final long timestampMs = lastTimestampMs.updateAndGet(last -> Math.max(System.currentTimeMillis(), last + 1));
        return send(method, pathWithQuery, body, timestampMs);
    }

    HttpResponse<String> send(final String method, final String pathWithQuery, final String body, final long timestampMs)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathWithQuery))
            .timeout(Duration.ofSeconds(10))
            .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body));
        if (key != null)
        {
            request.header(headerName, headerValue)
                .header(RequestSigning.TIMESTAMP_HEADER, Long.toString(timestampMs))
                .header(RequestSigning.SIGNATURE_HEADER,
                    RequestSigning.sign(key, timestampMs, method, pathWithQuery, body));
        }
        return raw(request);
    }

    HttpResponse<String> raw(final HttpRequest.Builder request)
    {
        try
        {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    String base()
    {
        return base;
    }

    /**
     * A signed request whose answer must have the status; returns its body as JSON.
     */
    JsonNode expect(final int status, final String method, final String pathWithQuery, final String body)
    {
        final HttpResponse<String> response = send(method, pathWithQuery, body);
        if (response.statusCode() != status)
        {
            throw new AssertionError(method + " " + pathWithQuery + " answered " + response.statusCode() +
                " instead of " + status + ": " + response.body());
        }
        return json(response.body());
    }

    static JsonNode json(final String text)
    {
        try
        {
            return JSON.readTree(text);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("not JSON: " + text, ex);
        }
    }
}
