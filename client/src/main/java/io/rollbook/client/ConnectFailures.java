package io.rollbook.client;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Says in words why a connection could not be made. The JDK's exceptions for it often carry no message at all (an
 * unknown host's {@link UnresolvedAddressException}, the HTTP client's {@code ConnectException}) or carry it only
 * in a cause, so printing the exception itself gives "null" or a class name.
 *
 * <p>Stateless; any thread.
 */
public final class ConnectFailures
{
    private ConnectFailures()
    {
    }

    /**
     * @return "unknown host" when the name did not resolve, else the first message in the chain of causes, else
     *         "connection refused" for a {@link ConnectException} (what the JDK documents it for, and what the HTTP
     *         client throws without a word when nothing listens), else the exception's simple class name
     */
    public static String reason(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException)
            {
                return "unknown host";
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause.getMessage() != null && !cause.getMessage().isBlank())
            {
                return cause.getMessage();
            }
        }
        return failure instanceof ConnectException ? "connection refused" : failure.getClass().getSimpleName();
    }
}
