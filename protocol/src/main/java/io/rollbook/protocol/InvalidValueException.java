package io.rollbook.protocol;

/**
 * A value at the edge that cannot become a command: malformed, out of range, or not a multiple of its unit.
 * The message names the field and says what is wrong, fit to show to the person who sent it.
 */
public final class InvalidValueException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidValueException(final String field, final String problem)
    {
        super(field + " " + problem);
        this.field = field;
    }

    public String field()
    {
        return field;
    }
}
