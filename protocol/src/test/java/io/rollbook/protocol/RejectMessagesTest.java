package io.rollbook.protocol;

import io.rollbook.protocol.engine.FundingTickDecoder;
import io.rollbook.protocol.engine.PlaceOrderDecoder;
import io.rollbook.protocol.engine.RejectReason;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reason shared by several commands is explained for the command that met it: a funding tick without an oracle
 * price has nothing to do with an order's margin.
 */
class RejectMessagesTest
{
    @Test
    void noOraclePriceForAnOrderSpeaksOfMargin()
    {
        final String sentence = RejectMessages.describe(RejectReason.NO_ORACLE_PRICE, 0, null,
            PlaceOrderDecoder.TEMPLATE_ID);
        assertEquals("the market has no oracle price yet, and margin is computed at it", sentence);
    }

    @Test
    void noOraclePriceForFundingSpeaksOfFunding()
    {
        final String sentence = RejectMessages.describe(RejectReason.NO_ORACLE_PRICE, 0, null,
            FundingTickDecoder.TEMPLATE_ID);
        assertTrue(sentence.contains("funding"), sentence);
        assertFalse(sentence.contains("margin"), sentence);
        assertTrue(sentence.contains("set an oracle price"), sentence);
    }
}
