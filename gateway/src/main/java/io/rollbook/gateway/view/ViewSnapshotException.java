package io.rollbook.gateway.view;

/**
 * A view snapshot that cannot be used: its reason, for the log line of the start that reads the journal from
 * genesis instead.
 */
class ViewSnapshotException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    ViewSnapshotException(final String message)
    {
        super(message);
    }
}
