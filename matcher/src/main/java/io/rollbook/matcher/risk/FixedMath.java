package io.rollbook.matcher.risk;

/**
 * Exact fixed-point arithmetic on {@code long}s with 128-bit intermediates, so that {@code a * b / c} never wraps
 * and rounds exactly as asked. Allocation-free: this runs on every fill.
 */
public final class FixedMath
{
    private static final long MASK_32 = 0xFFFF_FFFFL;

    private FixedMath()
    {
    }

    /**
     * @return {@code floor(a * b / c)}
     * @throws ArithmeticException if {@code c <= 0} or the result does not fit in a {@code long}
     */
    public static long mulDivFloor(final long a, final long b, final long c)
    {
        return mulDiv(a, b, c, false);
    }

    /**
     * @return {@code ceil(a * b / c)}
     * @throws ArithmeticException if {@code c <= 0} or the result does not fit in a {@code long}
     */
    public static long mulDivCeil(final long a, final long b, final long c)
    {
        return mulDiv(a, b, c, true);
    }

    /**
     * @return {@code floor(a * b / c * m / n)}, rounded once on the exact value, for {@code c > 0} and
     * {@code 0 <= m <= n}: the remainder of the first division is carried into the second, which two
     * {@link #mulDivFloor}s in a row would drop
     * @throws ArithmeticException if {@code a * b / c} does not fit in a {@code long}
     */
    public static long mulDivScaleFloor(final long a, final long b, final long c, final long m, final long n)
    {
        final long quotient = mulDivFloor(a, b, c);
        // Both remainders lie in [0, divisor), so the wrapping 64-bit differences are exact.
        final long remainder = a * b - quotient * c;
        final long scaled = mulDivFloor(quotient, m, n);
        final long scaledRemainder = quotient * m - scaled * n;
        // What is left, (scaledRemainder + remainder * m / c) / n, lies in [0, 2).
        return compareProducts(remainder, m, n - scaledRemainder, c) >= 0 ? Math.addExact(scaled, 1) : scaled;
    }

    /**
     * @return {@code ceil(a / b)} for {@code b > 0}
     */
    public static long ceilDiv(final long a, final long b)
    {
        return -Math.floorDiv(-a, b);
    }

    /**
     * @return the sign of {@code a * b - c * d}, computed exactly
     */
    public static int compareProducts(final long a, final long b, final long c, final long d)
    {
        final long highLeft = Math.multiplyHigh(a, b);
        final long highRight = Math.multiplyHigh(c, d);
        if (highLeft != highRight)
        {
            return highLeft < highRight ? -1 : 1;
        }

        return Long.compareUnsigned(a * b, c * d);
    }

    private static long mulDiv(final long a, final long b, final long c, final boolean ceiling)
    {
        if (c <= 0)
        {
            throw new ArithmeticException("divisor must be positive: " + c);
        }

        final long low = a * b;
        final long high = Math.multiplyHigh(a, b);
        if (high == (low >> 63))
        {
            final long quotient = Math.floorDiv(low, c);
            return ceiling && quotient * c != low ? quotient + 1 : quotient;
        }

        final boolean negative = high < 0;
        long magnitudeHigh = high;
        long magnitudeLow = low;
        if (negative)
        {
            magnitudeLow = -low;
            magnitudeHigh = ~high + (low == 0 ? 1 : 0);
        }
        if (Long.compareUnsigned(magnitudeHigh, c) >= 0)
        {
            throw new ArithmeticException("result does not fit in a long");
        }

        final long quotient = divideUnsigned(magnitudeHigh, magnitudeLow, c);
        final boolean exact = magnitudeLow - quotient * c == 0;
        if (quotient < 0)
        {
            // A magnitude of 2^63 fits only as the most negative long.
            if (negative && quotient == Long.MIN_VALUE && (ceiling || exact))
            {
                return Long.MIN_VALUE;
            }
            throw new ArithmeticException("result does not fit in a long");
        }
        if (!negative)
        {
            if (ceiling && !exact)
            {
                return Math.addExact(quotient, 1);
            }
            return quotient;
        }

        return ceiling || exact ? -quotient : Math.subtractExact(-quotient, 1);
    }

    /**
     * Divides the unsigned 128-bit value {@code high:low} by {@code divisor} (positive, and greater than
     * {@code high} so that the quotient fits in 64 bits), by long division in 32-bit digits.
     */
    private static long divideUnsigned(final long high, final long low, final long divisor)
    {
        final int shift = Long.numberOfLeadingZeros(divisor);
        final long normalizedDivisor = divisor << shift;
        final long divisorHigh = normalizedDivisor >>> 32;
        final long divisorLow = normalizedDivisor & MASK_32;

        final long numerator32 = shift == 0 ? high : (high << shift) | (low >>> (64 - shift));
        final long numerator10 = low << shift;
        final long numerator1 = numerator10 >>> 32;
        final long numerator0 = numerator10 & MASK_32;

        long quotient1 = Long.divideUnsigned(numerator32, divisorHigh);
        long remainderHat = numerator32 - quotient1 * divisorHigh;
        while (Long.compareUnsigned(quotient1, MASK_32) > 0 ||
            Long.compareUnsigned(quotient1 * divisorLow, (remainderHat << 32) | numerator1) > 0)
        {
            quotient1--;
            remainderHat += divisorHigh;
            if (Long.compareUnsigned(remainderHat, MASK_32) > 0)
            {
                break;
            }
        }

        final long numerator21 = (numerator32 << 32) + numerator1 - quotient1 * normalizedDivisor;
        long quotient0 = Long.divideUnsigned(numerator21, divisorHigh);
        remainderHat = numerator21 - quotient0 * divisorHigh;
        while (Long.compareUnsigned(quotient0, MASK_32) > 0 ||
            Long.compareUnsigned(quotient0 * divisorLow, (remainderHat << 32) | numerator0) > 0)
        {
            quotient0--;
            remainderHat += divisorHigh;
            if (Long.compareUnsigned(remainderHat, MASK_32) > 0)
            {
                break;
            }
        }

        return (quotient1 << 32) | quotient0;
    }
}
