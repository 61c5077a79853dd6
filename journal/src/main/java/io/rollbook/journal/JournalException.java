package io.rollbook.journal;

/**
 * The journal cannot be used as it is: unreadable, inconsistent, or written by an incompatible build. The message
 * says where and why.
 */
public class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public JournalException(final String message)
    {
        super(message);
    }

    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
