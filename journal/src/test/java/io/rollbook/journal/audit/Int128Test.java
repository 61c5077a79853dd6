package io.rollbook.journal.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 128-bit accumulator against BigInteger, with values at the edges of a long.
 */
class Int128Test
{
    private static final long[] EDGES = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
        Long.MIN_VALUE + 1, 1_000_000_000L, -1_000_000_000L, 1L << 32, -(1L << 32)};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void arithmeticIsExact(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final Int128 value = new Int128();
        BigInteger expected = BigInteger.ZERO;
        final BigInteger limit = BigInteger.ONE.shiftLeft(120);
        for (int i = 0; i < 100_000; i++)
        {
            final long a = random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)] : random.nextLong();
            final long b = random.nextInt(4) == 0 ? EDGES[random.nextInt(EDGES.length)] : random.nextLong();
            switch (random.nextInt(6))
            {
                case 0:
                    value.add(a);
                    expected = expected.add(BigInteger.valueOf(a));
                    break;
                case 1:
                    value.subtract(a);
                    expected = expected.subtract(BigInteger.valueOf(a));
                    break;
                case 2:
                    value.addProduct(a, b);
                    expected = expected.add(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)));
                    break;
                case 3:
                    value.subtractProduct(a, b);
                    expected = expected.subtract(BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)));
                    break;
                case 4:
                    final long factor = random.nextInt(2_000_000_001) - 1_000_000_000L;
                    if (expected.abs().multiply(BigInteger.valueOf(Math.abs(factor))).compareTo(limit) < 0)
                    {
                        value.multiply(factor);
                        expected = expected.multiply(BigInteger.valueOf(factor));
                    }
                    break;
                default:
                    final Int128 other = new Int128().set(a).addProduct(b, a);
                    final BigInteger otherValue =
                        BigInteger.valueOf(a).add(BigInteger.valueOf(b).multiply(BigInteger.valueOf(a)));
                    if (random.nextBoolean())
                    {
                        value.add(other);
                        expected = expected.add(otherValue);
                    }
                    else
                    {
                        value.subtract(other);
                        expected = expected.subtract(otherValue);
                    }
            }
            if (expected.abs().compareTo(limit) > 0)
            {
                value.set(0);
                expected = BigInteger.ZERO;
            }
            assertEquals(expected, value.toBigInteger(), "seed " + seed + ", step " + i);
            assertEquals(expected.signum() == 0, value.isZero(), "seed " + seed + ", step " + i);
        }
    }
}
