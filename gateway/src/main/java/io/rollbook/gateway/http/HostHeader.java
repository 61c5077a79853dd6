package io.rollbook.gateway.http;

import java.util.List;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The Host header rule of RFC 9112, 3.2: a server answers 400 to an HTTP/1.1 request without a Host header, and to
 * any request with more than one or with a value that is not {@code uri-host [ ":" port ]}. An empty value is
 * valid (a target without an authority). A request that breaks the rule is answered {@code 400 INVALID_HOST} and
 * reaches no endpoint; it decodes whole, so its connection stays open.
 *
 * <p>Stateless; any thread.
 */
final class HostHeader
{
    static final String CODE = "INVALID_HOST";

    private HostHeader()
    {
    }

    /**
     * @return null if the request's Host header follows the rule, otherwise why not, for the answer's message
     */
    static String problem(final HttpRequest request)
    {
        final List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.isEmpty())
        {
            return request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? null :
                "an HTTP/1.1 request needs a Host header (RFC 9112, 3.2), e.g. Host: 127.0.0.1:8080; nothing was done";
        }
        if (hosts.size() > 1)
        {
            return "the request has " + hosts.size() + " Host headers; send exactly one (RFC 9112, 3.2); nothing " +
                "was done";
        }
        if (!isUriHostAndPort(hosts.get(0)))
        {
            return "the Host header is not a host with an optional port (RFC 9112, 3.2): \"" + hosts.get(0) +
                "\"; nothing was done";
        }
        return null;
    }

    /**
     * @return true for {@code uri-host [ ":" port ]} of RFC 3986: an IP literal in brackets, or a name or IPv4
     *         address of unreserved characters, sub-delimiters and percent-encodings, then optionally a colon and
     *         digits; also the empty value
     */
    static boolean isUriHostAndPort(final String value)
    {
        int i = 0;
        final int length = value.length();
        if (length > 0 && value.charAt(0) == '[')
        {
            final int close = value.indexOf(']');
            if (close < 2)
            {
                return false;
            }
            for (i = 1; i < close; i++)
            {
                final char c = value.charAt(i);
                if (!(isHexDigit(c) || c == ':' || c == '.' || c == 'v' || c == 'V'))
                {
                    return false;
                }
            }
            i = close + 1;
        }
        else
        {
            while (i < length && value.charAt(i) != ':')
            {
                if (!isRegNameCharacter(value.charAt(i)))
                {
                    return false;
                }
                i++;
            }
        }
        if (i == length)
        {
            return true;
        }
        if (value.charAt(i) != ':')
        {
            return false;
        }
        for (i++; i < length; i++)
        {
            if (value.charAt(i) < '0' || value.charAt(i) > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isRegNameCharacter(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            "-._~!$&'()*+,;=%".indexOf(c) >= 0;
    }

    private static boolean isHexDigit(final char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
