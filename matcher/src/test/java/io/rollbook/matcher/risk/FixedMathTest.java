package io.rollbook.matcher.risk;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FixedMathTest
{
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void mulDivMatchesBigIntegerOnRandomOperands(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            final long a = operand(random);
            final long b = operand(random);
            final long c = Math.max(1, Math.abs(operand(random)));
            check(a, b, c);
        }
    }

    @Test
    void mulDivAtTheEdges()
    {
        final long[] values = {0, 1, -1, 2, -2, 999_999_999, 1_000_000_000, Long.MAX_VALUE, Long.MIN_VALUE + 1,
            Long.MAX_VALUE / 2, Long.MIN_VALUE / 2, 1L << 32, (1L << 32) - 1, -(1L << 32), 3_037_000_499L};
        for (final long a : values)
        {
            for (final long b : values)
            {
                for (final long c : values)
                {
                    if (c > 0)
                    {
                        check(a, b, c);
                    }
                }
            }
        }
    }

    @Test
    void rejectsNonPositiveDivisor()
    {
        assertThrows(ArithmeticException.class, () -> FixedMath.mulDivFloor(1, 1, 0));
        assertThrows(ArithmeticException.class, () -> FixedMath.mulDivCeil(1, 1, -5));
    }

    @Test
    void compareProductsIsExact()
    {
        final SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 200_000; i++)
        {
            final long a = operand(random);
            final long b = operand(random);
            final long c = operand(random);
            final long d = operand(random);
            final int expected = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
                .compareTo(BigInteger.valueOf(c).multiply(BigInteger.valueOf(d)));
            assertEquals(expected, FixedMath.compareProducts(a, b, c, d), a + "*" + b + " vs " + c + "*" + d);
        }
        assertEquals(0, FixedMath.compareProducts(Long.MAX_VALUE, 3, 3, Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void mulDivScaleFloorRoundsOnceOnTheExactValue(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++)
        {
            final long a = operand(random);
            final long b = operand(random);
            final long c = Math.max(1, Math.abs(operand(random)));
            final long n = random.nextBoolean() ? 1_000_000 : Math.max(1, Math.abs(operand(random)));
            final long m = random.nextLong(n + 1);
            final BigInteger[] first = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
                .divideAndRemainder(BigInteger.valueOf(c));
            final BigInteger numerator = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
                .multiply(BigInteger.valueOf(m));
            final BigInteger denominator = BigInteger.valueOf(c).multiply(BigInteger.valueOf(n));
            final BigInteger expected = new java.math.BigDecimal(numerator)
                .divide(new java.math.BigDecimal(denominator), 0, RoundingMode.FLOOR).toBigIntegerExact();
            final BigInteger quotient = first[1].signum() < 0 ? first[0].subtract(BigInteger.ONE) : first[0];
            final String operands = a + "*" + b + "/" + c + "*" + m + "/" + n;
            if (quotient.compareTo(LONG_MIN) < 0 || quotient.compareTo(LONG_MAX) > 0)
            {
                assertThrows(ArithmeticException.class, () -> FixedMath.mulDivScaleFloor(a, b, c, m, n), operands);
            }
            else
            {
                assertEquals(expected.longValueExact(), FixedMath.mulDivScaleFloor(a, b, c, m, n), operands);
            }
        }
        // Two floors in a row would give 0 here: 3 * 1 / 2 = 1.5 -> 1, then 1 * 2 / 3 -> 0; exactly it is 1.
        assertEquals(1, FixedMath.mulDivScaleFloor(3, 1, 2, 2, 3));
        assertEquals(-1, FixedMath.mulDivScaleFloor(-3, 1, 2, 2, 3));
    }

    @Test
    void ceilDivRoundsUp()
    {
        assertEquals(3, FixedMath.ceilDiv(5, 2));
        assertEquals(-2, FixedMath.ceilDiv(-5, 2));
        assertEquals(2, FixedMath.ceilDiv(4, 2));
        assertEquals(0, FixedMath.ceilDiv(0, 7));
    }

    private static void check(final long a, final long b, final long c)
    {
        final BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
        final BigInteger divisor = BigInteger.valueOf(c);
        final BigInteger floor = new java.math.BigDecimal(product).divide(new java.math.BigDecimal(divisor), 0,
            RoundingMode.FLOOR).toBigIntegerExact();
        final BigInteger ceiling = new java.math.BigDecimal(product).divide(new java.math.BigDecimal(divisor), 0,
            RoundingMode.CEILING).toBigIntegerExact();
        expect(floor, () -> FixedMath.mulDivFloor(a, b, c), a, b, c);
        expect(ceiling, () -> FixedMath.mulDivCeil(a, b, c), a, b, c);
    }

    private static void expect(
        final BigInteger expected, final java.util.function.LongSupplier actual, final long a, final long b, final long c)
    {
        if (expected.compareTo(LONG_MIN) < 0 || expected.compareTo(LONG_MAX) > 0)
        {
            assertThrows(ArithmeticException.class, actual::getAsLong, a + "*" + b + "/" + c);
        }
        else
        {
            assertEquals(expected.longValueExact(), actual.getAsLong(), a + "*" + b + "/" + c);
        }
    }

    private static long operand(final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextLong();
            case 1:
                return random.nextLong() >> random.nextInt(64);
            case 2:
                return random.nextInt(-1_000_000, 1_000_000);
            default:
                return random.nextLong(-4_000_000_000_000_000L, 4_000_000_000_000_000L);
        }
    }
}
