package io.rollbook.journal.audit;

import java.math.BigInteger;

/**
 * A signed 128-bit integer accumulator, exact where sums of 64-bit products would overflow a {@code long}; what
 * the audit keeps its running totals in, without allocating per operation as {@link BigInteger} would.
 *
 * <p>Mutable, not thread-safe.
 */
final class Int128
{
    private long high;
    private long low;

    Int128 set(final long value)
    {
        high = value >> 63;
        low = value;
        return this;
    }

    Int128 set(final Int128 other)
    {
        high = other.high;
        low = other.low;
        return this;
    }

    Int128 add(final long value)
    {
        return add(value >> 63, value);
    }

    Int128 subtract(final long value)
    {
        return value == Long.MIN_VALUE ? add(0, Long.MIN_VALUE) : add(-value);
    }

    Int128 add(final Int128 other)
    {
        return add(other.high, other.low);
    }

    Int128 subtract(final Int128 other)
    {
        final long negLow = -other.low;
        final long negHigh = ~other.high + (other.low == 0 ? 1 : 0);
        return add(negHigh, negLow);
    }

    /**
     * Adds the exact product {@code a * b}.
     */
    Int128 addProduct(final long a, final long b)
    {
        return add(Math.multiplyHigh(a, b), a * b);
    }

    /**
     * Subtracts the exact product {@code a * b}.
     */
    Int128 subtractProduct(final long a, final long b)
    {
        final long productHigh = Math.multiplyHigh(a, b);
        final long productLow = a * b;
        return add(~productHigh + (productLow == 0 ? 1 : 0), -productLow);
    }

    /**
     * Multiplies by {@code factor}; the result must fit in 128 bits.
     */
    Int128 multiply(final long factor)
    {
        // low as unsigned times factor gives 128 bits: the unsigned high half, corrected for a negative factor
        final long lowHigh = Math.multiplyHigh(low, factor) + ((low >> 63) & factor);
        final long newLow = low * factor;
        high = high * factor + lowHigh;
        low = newLow;
        return this;
    }

    private Int128 add(final long otherHigh, final long otherLow)
    {
        final long sum = low + otherLow;
        final long carry = Long.compareUnsigned(sum, low) < 0 ? 1 : 0;
        low = sum;
        high = high + otherHigh + carry;
        return this;
    }

    boolean isZero()
    {
        return high == 0 && low == 0;
    }

    boolean sameAs(final Int128 other)
    {
        return high == other.high && low == other.low;
    }

    BigInteger toBigInteger()
    {
        return BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
    }

    @Override
    public String toString()
    {
        return toBigInteger().toString();
    }
}
