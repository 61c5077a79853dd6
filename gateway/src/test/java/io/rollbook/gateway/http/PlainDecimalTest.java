package io.rollbook.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Ids and numbers in the trader API's headers, paths and query strings have one spelling per value: a signed,
 * logged or cached request names its value one way.
 */
class PlainDecimalTest
{
    @Test
    void plainDigitsAreTheirValue()
    {
        assertEquals(0, RestApi.plainDecimal("0"));
        assertEquals(101, RestApi.plainDecimal("101"));
        assertEquals(Long.MAX_VALUE, RestApi.plainDecimal("9223372036854775807"));
    }

    @Test
    void everyOtherSpellingIsRefused()
    {
        for (final String text : new String[] {"", "+101", "0101", "00", "-1", "10a", " 101", "101 ",
            "\u0661\u0660\u0661", "\uff11\uff10\uff11", "9223372036854775808", "99999999999999999999"})
        {
            assertThrows(NumberFormatException.class, () -> RestApi.plainDecimal(text), text);
        }
    }
}
