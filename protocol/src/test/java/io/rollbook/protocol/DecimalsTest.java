package io.rollbook.protocol;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Scaled figures as the JSON events write them: sizes and prices of markets whose lot or tick is a power of ten
 * above one, such as a lot of 1000 units, have a positive exponent; and a figure read beyond what 64 bits of its
 * units hold, refused with that bound.
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

    /**
     * A figure beyond what 64 bits of the field's units hold is refused with that bound, in the field's units.
     */
    @Test
    void aFigureBeyondSixtyFourBitsOfUnitsNamesTheBound()
    {
        final BigDecimal tick = new BigDecimal("0.1");
        final InvalidValueException above = assertThrows(InvalidValueException.class,
            () -> Decimals.toUnits("price", new BigDecimal("99999999999999999999"), tick));
        assertEquals("price 99999999999999999999 is out of range: at most 922337203685477580.7", above.getMessage());
        final InvalidValueException below = assertThrows(InvalidValueException.class,
            () -> Decimals.toUnits("amount", new BigDecimal("-10000000000000"), new BigDecimal("0.000001")));
        assertEquals("amount -10000000000000 is out of range: at least -9223372036854.775807", below.getMessage());
        assertEquals(Long.MAX_VALUE, Decimals.toUnits("price", new BigDecimal("922337203685477580.7"), tick));
    }

    private static String scaled(final long units, final int exponent)
    {
        final StringBuilder out = new StringBuilder();
        Decimals.appendScaled(out, units, exponent);
        return out.toString();
    }
}
