package io.rollbook.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Static files from one classpath folder. A request path maps to a resource only if every segment is made of
 * {@code [A-Za-z0-9._-]}, starts with neither a dot nor a dash and is not empty, so no path can climb out of the
 * folder ({@code ..}), name a hidden file or smuggle an encoded separator; and only if its extension is one of the
 * served types, so no path names a folder.
 *
 * <p>Immutable; thread-safe.
 */
final class StaticFiles
{
    private static final int MAX_PATH_LENGTH = 256;
    private static final String OCTET_STREAM = "application/octet-stream";

    private final String folder;
    private final ClassLoader loader;

    StaticFiles(final String folder, final ClassLoader loader)
    {
        final String trimmed = folder.replaceAll("^/+|/+$", "");
        if (trimmed.isEmpty() || !isSafe(trimmed))
        {
            throw new IllegalArgumentException("not a classpath folder name: " + folder);
        }
        this.folder = trimmed;
        this.loader = loader;
    }

    /**
     * @param path the request path (no query), already percent-decoded
     * @return the file's bytes, or null when there is no such file or the path is refused
     */
    byte[] read(final String path)
    {
        if (path.length() > MAX_PATH_LENGTH || !path.startsWith("/"))
        {
            return null;
        }
        final String relative = path.endsWith("/") ? path.substring(1) + "index.html" : path.substring(1);
        // Only files of the listed types: a folder's name (no extension) would read as its listing or as nothing.
        if (!isSafe(relative) || contentType(path).equals(OCTET_STREAM))
        {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(folder + "/" + relative))
        {
            return in == null ? null : in.readAllBytes();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * @return the content type for a request path, by its extension
     */
    static String contentType(final String path)
    {
        final String name = path.endsWith("/") ? "index.html" : path.substring(path.lastIndexOf('/') + 1);
        final int dot = name.lastIndexOf('.');
        final String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        switch (extension)
        {
            case "html":
            case "htm":
                return "text/html; charset=utf-8";
            case "js":
            case "mjs":
                return "text/javascript; charset=utf-8";
            case "css":
                return "text/css; charset=utf-8";
            case "json":
                return "application/json";
            case "svg":
                return "image/svg+xml";
            case "png":
                return "image/png";
            case "ico":
                return "image/x-icon";
            case "txt":
                return "text/plain; charset=utf-8";
            default:
                return OCTET_STREAM;
        }
    }

    static boolean isSafe(final String relative)
    {
        if (relative.isEmpty())
        {
            return false;
        }
        int segmentStart = 0;
        for (int i = 0; i <= relative.length(); i++)
        {
            final char c = i == relative.length() ? '/' : relative.charAt(i);
            if (c == '/')
            {
                if (i == segmentStart)
                {
                    return false;
                }
                final char first = relative.charAt(segmentStart);
                if (first == '.' || first == '-')
                {
                    return false;
                }
                segmentStart = i + 1;
            }
            else if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') &&
                c != '.' && c != '_' && c != '-')
            {
                return false;
            }
        }
        return true;
    }
}
