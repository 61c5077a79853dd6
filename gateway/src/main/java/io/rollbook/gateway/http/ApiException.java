package io.rollbook.gateway.http;

/**
 * A request the API refuses: the HTTP status, a stable code a program can test and a sentence a person
 * understands. Thrown while a request is checked, before anything is published, so a refused request changes
 * nothing.
 */
final class ApiException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final long retryAfterSeconds;
    private final String allow;

    ApiException(final int status, final String code, final String message)
    {
        this(status, code, message, 0, null);
    }

    ApiException(
        final int status, final String code, final String message, final long retryAfterSeconds, final String allow)
    {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.allow = allow;
    }

    int status()
    {
        return status;
    }

    String code()
    {
        return code;
    }

    /**
     * @return the Retry-After seconds of a 429, 0 for none
     */
    long retryAfterSeconds()
    {
        return retryAfterSeconds;
    }

    /**
     * @return the Allow header of a 405, null for none
     */
    String allow()
    {
        return allow;
    }

    static ApiException badRequest(final String code, final String message)
    {
        return new ApiException(400, code, message);
    }

    static ApiException notFound(final String code, final String message)
    {
        return new ApiException(404, code, message);
    }
}
