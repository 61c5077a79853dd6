package io.rollbook.protocol;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Scaled figures as the JSON events write them: sizes and prices of markets whose lot or tick is a power of ten
 * above one, such as a lot of 1000 units, have a positive exponent.
 */
class DecimalsTest
{
    @Test
    void zeroIsZeroWhateverTheExponent()
    {
        assertEquals("0", scaled(0, 3));
        assertEquals("0", scaled(0, 0));
        assertEquals("0", scaled(0, -6));
    }

    @Test
    void otherFiguresKeepTheirZeros()
    {
        assertEquals("5000", scaled(5, 3));
        assertEquals("-2000", scaled(-2, 3));
        assertEquals("0.5", scaled(500_000, -6));
        assertEquals("12", scaled(12, 0));
    }

    private static String scaled(final long units, final int exponent)
    {
        final StringBuilder out = new StringBuilder();
        Decimals.appendScaled(out, units, exponent);
        return out.toString();
    }
}
