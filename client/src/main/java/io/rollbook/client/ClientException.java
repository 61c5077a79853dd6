package io.rollbook.client;

/**
 * The server refused what the client asked (a negotiation or establishment reject, a termination during logon), or
 * the connection failed; the message says which and why. A connect or logon that throws it has closed its
 * connection.
 */
public final class ClientException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public ClientException(final String message)
    {
        super(message);
    }

    public ClientException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
