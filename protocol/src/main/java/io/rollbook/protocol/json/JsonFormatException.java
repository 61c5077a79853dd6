package io.rollbook.protocol.json;

/**
 * A line that is not a well-formed command object; the message says where and what was expected.
 */
public final class JsonFormatException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public JsonFormatException(final String message)
    {
        super(message);
    }
}
