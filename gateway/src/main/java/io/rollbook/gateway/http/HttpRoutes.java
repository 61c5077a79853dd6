package io.rollbook.gateway.http;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the application mounts on the HTTP port beside the trader API: GET routes with a body rendered on each
 * request (the service's {@code /metrics} in the Prometheus text format) and one classpath folder served as static
 * files at {@code /} (the trading page). The API's own paths under {@code /v1/} always win over both.
 *
 * <p>Mount before the gateway binds; thread-safe (read by every event loop). A body supplier runs on an event loop
 * and must be quick and must not block.
 */
public final class HttpRoutes
{
    private final Map<String, TextRoute> textRoutes = new ConcurrentHashMap<>();
    private volatile StaticFiles staticFiles;

    /**
     * Mounts a GET route at exactly {@code path}.
     *
     * @param path        an absolute path without a query, e.g. {@code /metrics}; not under {@code /v1/}
     * @param contentType the response's content type, e.g. {@code text/plain; version=0.0.4; charset=utf-8}
     * @param body        renders the body on each request
     * @return this
     * @throws IllegalArgumentException if the path is not absolute, is under {@code /v1/} or is mounted already
     */
    public HttpRoutes text(final String path, final String contentType, final Supplier<? extends CharSequence> body)
    {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        if (path == null || !path.startsWith("/") || path.contains("?") || path.startsWith("/v1/") ||
            path.equals("/v1"))
        {
            throw new IllegalArgumentException("a mounted route is an absolute path outside /v1/, got " + path);
        }
        if (textRoutes.putIfAbsent(path, new TextRoute(contentType, body)) != null)
        {
            throw new IllegalArgumentException("a route is mounted at " + path + " already");
        }
        return this;
    }

    /**
     * Serves the files of a classpath folder at {@code /}: {@code /} and any path ending in {@code /} serve that
     * folder's {@code index.html}. Only GET and HEAD; paths with {@code ..}, {@code .} segments, backslashes or
     * other characters outside {@code [A-Za-z0-9._-/]} are refused with 404.
     *
     * @param classpathFolder e.g. {@code web} for {@code src/main/resources/web/}
     * @param loader          the class loader that holds it
     * @return this
     */
    public HttpRoutes staticFolder(final String classpathFolder, final ClassLoader loader)
    {
        staticFiles = new StaticFiles(classpathFolder, loader);
        return this;
    }

    TextRoute textRoute(final String path)
    {
        return textRoutes.get(path);
    }

    StaticFiles staticFiles()
    {
        return staticFiles;
    }

    /**
     * A mounted route: its content type and body.
     */
    static final class TextRoute
    {
        final String contentType;
        final Supplier<? extends CharSequence> body;

        TextRoute(final String contentType, final Supplier<? extends CharSequence> body)
        {
            this.contentType = contentType;
            this.body = body;
        }
    }
}
