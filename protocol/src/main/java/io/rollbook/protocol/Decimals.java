package io.rollbook.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Exact conversion between the decimal strings people write and the fixed-point {@code long}s the engine
 * computes with. Used only at the edge (the JSON reader, the gateways, configuration), never on the matching
 * path. A value that is malformed, out of range or not an exact multiple of its unit is refused with a message
 * that names the field, the value and the unit.
 */
public final class Decimals
{
    /** One USDC in the engine's money unit (micro-USDC). */
    public static final BigDecimal MICROS_PER_UNIT = BigDecimal.valueOf(1_000_000L);
    /** The engine's money unit, one micro-USDC, in USDC. */
    public static final BigDecimal MICRO = BigDecimal.ONE.movePointLeft(6);
    /** One in parts per million. */
    public static final BigDecimal PPM_PER_UNIT = BigDecimal.valueOf(1_000_000L);

    private static final int MAX_TEXT_LENGTH = 40;
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private Decimals()
    {
    }

    /**
     * Parses a plain decimal: an optional minus sign, digits without superfluous leading zeros, and an
     * optional fraction. No exponent, no plus sign, no spaces.
     *
     * @param field the name of the field, for the message
     * @param text  the text
     * @return the value
     * @throws InvalidValueException if the text is not such a decimal
     */
    public static BigDecimal parse(final String field, final String text)
    {
        if (text == null)
        {
            throw new InvalidValueException(field, "is missing");
        }
        final int length = text.length();
        if (length == 0 || length > MAX_TEXT_LENGTH)
        {
            throw new InvalidValueException(field, "must be a decimal of 1 to " + MAX_TEXT_LENGTH + " characters");
        }

        int i = 0;
        if (text.charAt(0) == '-')
        {
            i++;
        }
        final int integerStart = i;
        while (i < length && isDigit(text.charAt(i)))
        {
            i++;
        }
        final int integerDigits = i - integerStart;
        boolean valid = integerDigits > 0 && !(integerDigits > 1 && text.charAt(integerStart) == '0');
        if (valid && i < length)
        {
            valid = text.charAt(i) == '.' && i + 1 < length;
            i++;
            while (valid && i < length)
            {
                valid = isDigit(text.charAt(i));
                i++;
            }
        }
        if (!valid)
        {
            throw new InvalidValueException(field, "is not a plain decimal number: \"" + text + "\"");
        }

        return new BigDecimal(text);
    }

    /**
     * @param field the name of the field, for the message
     * @param value the decimal value
     * @param unit  the size of one unit (a tick size, a lot size, 1e-6 for money)
     * @return value / unit, exactly
     * @throws InvalidValueException if it is not a whole number of units or does not fit in a {@code long}
     */
    public static long toUnits(final String field, final BigDecimal value, final BigDecimal unit)
    {
        final BigDecimal[] quotientAndRemainder = value.divideAndRemainder(unit);
        if (quotientAndRemainder[1].signum() != 0)
        {
            throw new InvalidValueException(field, value.toPlainString() + " is not a multiple of " +
                unit.stripTrailingZeros().toPlainString());
        }
        final BigDecimal units = quotientAndRemainder[0];
        if (units.compareTo(LONG_MAX) > 0 || units.compareTo(LONG_MIN) < 0)
        {
            // The bound in the field's own units, so that a client sees how far off it is, not only that it is.
            final BigDecimal bound = LONG_MAX.multiply(unit).stripTrailingZeros();
            throw new InvalidValueException(field, value.toPlainString() + " is out of range: " +
                (value.signum() > 0 ? "at most " + bound.toPlainString() : "at least -" + bound.toPlainString()));
        }

        return units.longValueExact();
    }

    /**
     * Parses a strictly positive decimal and converts it to whole units.
     */
    public static long positiveUnits(final String field, final String text, final BigDecimal unit)
    {
        final BigDecimal value = parse(field, text);
        if (value.signum() <= 0)
        {
            throw new InvalidValueException(field, "must be greater than zero, got " + text);
        }

        return toUnits(field, value, unit);
    }

    /**
     * Parses a decimal of either sign and converts it to whole units.
     */
    public static long signedUnits(final String field, final String text, final BigDecimal unit)
    {
        return toUnits(field, parse(field, text), unit);
    }

    /**
     * @return units x unit as a plain decimal string without trailing zeros
     */
    public static String toPlainString(final long units, final BigDecimal unit)
    {
        if (units == 0)
        {
            return "0";
        }

        return BigDecimal.valueOf(units).multiply(unit).stripTrailingZeros().toPlainString();
    }

    /**
     * Appends units x 10^exponent as a plain decimal without trailing zeros after the point, without allocating.
     * This is the path for events written as JSON at high rates (simulate, the trader API).
     */
    public static void appendScaled(final StringBuilder out, final long units, final int exponent)
    {
        if (exponent >= 0)
        {
            out.append(units);
            // Zero has no trailing zeros to append: lots of 1000 units make a flat position "0", not "0000".
            for (int i = 0; units != 0 && i < exponent; i++)
            {
                out.append('0');
            }
            return;
        }
        if (units == Long.MIN_VALUE)
        {
            out.append(BigDecimal.valueOf(units, -exponent).stripTrailingZeros().toPlainString());
            return;
        }

        final long magnitude = Math.abs(units);
        if (units < 0)
        {
            out.append('-');
        }

        final int scale = -exponent;
        long divisor = 1;
        int usableScale = 0;
        while (usableScale < scale && usableScale < 18)
        {
            divisor *= 10;
            usableScale++;
        }
        if (usableScale < scale)
        {
            out.append(BigDecimal.valueOf(magnitude, scale).stripTrailingZeros().toPlainString());
            return;
        }

        final long whole = magnitude / divisor;
        long fraction = magnitude % divisor;
        out.append(whole);
        if (fraction != 0)
        {
            int digits = scale;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            int fractionDigits = 1;
            for (long rest = fraction; rest >= 10; rest /= 10)
            {
                fractionDigits++;
            }
            out.append('.');
            for (int i = fractionDigits; i < digits; i++)
            {
                out.append('0');
            }
            out.append(fraction);
        }
    }

    /**
     * Appends {@code units x mantissa x 10^exponent}, the value of a count of ticks or lots whose size is the
     * decimal {@code mantissa x 10^exponent}.
     */
    public static void appendUnits(final StringBuilder out, final long units, final long mantissa, final int exponent)
    {
        final long scaled = units * mantissa;
        if (Math.multiplyHigh(units, mantissa) != (scaled >> 63))
        {
            out.append(BigDecimal.valueOf(units).multiply(fromMantissa(mantissa, exponent))
                .stripTrailingZeros().toPlainString());
            return;
        }
        appendScaled(out, scaled, exponent);
    }

    /**
     * @return {@code mantissa x 10^exponent} as a decimal
     */
    public static BigDecimal fromMantissa(final long mantissa, final int exponent)
    {
        return BigDecimal.valueOf(mantissa, -exponent);
    }

    /**
     * The value in micro-USDC of one tick times one lot: {@code tick x lot x 1e6}, which must be a whole
     * number for fixed-point money to be exact.
     *
     * @return that value, or -1 when it is not a positive whole number that fits in a {@code long}
     */
    public static long tickLotValueMicros(
        final long tickMantissa, final int tickExponent, final long lotMantissa, final int lotExponent)
    {
        if (tickMantissa <= 0 || lotMantissa <= 0)
        {
            return -1;
        }

        final BigInteger product = BigInteger.valueOf(tickMantissa).multiply(BigInteger.valueOf(lotMantissa));
        final BigDecimal value = new BigDecimal(product, -(tickExponent + lotExponent)).multiply(MICROS_PER_UNIT);
        if (value.signum() <= 0 || value.stripTrailingZeros().scale() > 0 || value.compareTo(LONG_MAX) > 0)
        {
            return -1;
        }

        return value.longValueExact();
    }

    private static boolean isDigit(final char c)
    {
        return c >= '0' && c <= '9';
    }
}
