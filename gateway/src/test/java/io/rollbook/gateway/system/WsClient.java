package io.rollbook.gateway.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollbook.gateway.http.RequestSigning;

/**
 * A trader API WebSocket client for system tests on the JDK's WebSocket: collects every text message as JSON and
 * waits for expected ones with a deadline.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable
{
    private final List<JsonNode> messages = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final WebSocket socket;
    private volatile int closeCode = -1;
    private volatile String closeReason;

    WsClient(final int port) throws Exception
    {
        this(port, null);
    }

    /**
     * @param tls the client's TLS context (trusting the server's certificate) for wss://, or null for ws://
     */
    WsClient(final int port, final SSLContext tls) throws Exception
    {
        this(tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(tls).build(), port, tls);
    }

    /**
     * A client on a shared {@link HttpClient}: many WebSockets on one client's threads rather than each on its own.
     */
    WsClient(final HttpClient client, final int port) throws Exception
    {
        this(client, port, null);
    }

    private WsClient(final HttpClient client, final int port, final SSLContext tls) throws Exception
    {
        socket = client.newWebSocketBuilder()
            .buildAsync(URI.create((tls == null ? "ws" : "wss") + "://127.0.0.1:" + port + "/v1/ws"), this)
            .get(10, TimeUnit.SECONDS);
    }

    void send(final String json)
    {
        socket.sendText(json, true).join();
    }

    /**
     * Sends one text message as several frames, one per part.
     */
    void sendFragments(final String... parts)
    {
        for (int i = 0; i < parts.length; i++)
        {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    void sendBinary(final byte[] bytes)
    {
        socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
    }

    void auth(final int account, final PrivateKey key)
    {
        final long now = System.currentTimeMillis();
        send("{\"op\":\"auth\",\"account\":" + account + ",\"timestamp\":" + now + ",\"signature\":\"" +
            RequestSigning.sign(key, now, "GET", "/v1/ws", "") + "\"}");
        await(m -> "auth".equals(m.path("op").asText()), "auth ok");
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
    {
        synchronized (messages)
        {
            partial.append(data);
            if (last)
            {
                messages.add(RestClient.json(partial.toString()));
                partial.setLength(0);
                messages.notifyAll();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason)
    {
        closeReason = reason;
        closeCode = statusCode;
        synchronized (messages)
        {
            messages.notifyAll();
        }
        return null;
    }

    /**
     * @return a copy of every message so far
     */
    List<JsonNode> messages()
    {
        synchronized (messages)
        {
            return new ArrayList<>(messages);
        }
    }

    /**
     * Waits up to 10 s for a message that matches.
     */
    JsonNode await(final Predicate<JsonNode> match, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (messages)
        {
            while (true)
            {
                for (final JsonNode message : messages)
                {
                    if (match.test(message))
                    {
                        return message;
                    }
                }
                final long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0)
                {
                    throw new AssertionError("no " + what + " within 10 s; got " + messages);
                }
                try
                {
                    messages.wait(Math.min(leftMs, 100));
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(ex);
                }
            }
        }
    }

    int closeCode()
    {
        return closeCode;
    }

    String closeReason()
    {
        return closeReason;
    }

    @Override
    public void close()
    {
        socket.abort();
    }
}
