package io.rollbook.protocol.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollbook.protocol.orderentry.BusinessRejectEncoder;
import io.rollbook.protocol.orderentry.EstablishmentRejectEncoder;
import io.rollbook.protocol.orderentry.NewOrderEncoder;
import io.rollbook.protocol.orderentry.OperatorDepositEncoder;
import io.rollbook.protocol.orderentry.RetransmissionEncoder;
import org.junit.jupiter.api.Test;

/**
 * A block that grew at a version is as long as it was at each version before: a frame of an older peer is checked
 * against the length that peer sends.
 */
class OrderEntryTemplatesTest
{
    @Test
    void aBlockIsAsLongAsItWasAtEachVersion()
    {
        final int reject = EstablishmentRejectEncoder.TEMPLATE_ID;
        assertEquals(17, OrderEntryTemplates.blockLength(reject, 1));
        assertEquals(17, OrderEntryTemplates.blockLength(reject, 2));
        assertEquals(EstablishmentRejectEncoder.BLOCK_LENGTH, OrderEntryTemplates.blockLength(reject, 3));
        assertEquals(25, EstablishmentRejectEncoder.BLOCK_LENGTH);

        assertEquals(RetransmissionEncoder.resumeAfterSequenceEncodingOffset(),
            OrderEntryTemplates.blockLength(RetransmissionEncoder.TEMPLATE_ID, 1));
        assertEquals(RetransmissionEncoder.BLOCK_LENGTH,
            OrderEntryTemplates.blockLength(RetransmissionEncoder.TEMPLATE_ID, 2));
        assertEquals(BusinessRejectEncoder.orderIdEncodingOffset(),
            OrderEntryTemplates.blockLength(BusinessRejectEncoder.TEMPLATE_ID, 1));
        assertEquals(BusinessRejectEncoder.BLOCK_LENGTH,
            OrderEntryTemplates.blockLength(BusinessRejectEncoder.TEMPLATE_ID, 3));
        for (int version = 1; version <= 3; version++)
        {
            assertEquals(NewOrderEncoder.BLOCK_LENGTH,
                OrderEntryTemplates.blockLength(NewOrderEncoder.TEMPLATE_ID, version));
        }
    }

    @Test
    void versionsOneToFourAreSpoken()
    {
        assertEquals(4, OrderEntryTemplates.SCHEMA_VERSION);
        assertTrue(OrderEntryTemplates.isKnown(NewOrderEncoder.TEMPLATE_ID, 1, OrderEntryTemplates.FROM_CLIENT));
        assertTrue(OrderEntryTemplates.isKnown(NewOrderEncoder.TEMPLATE_ID, 4, OrderEntryTemplates.FROM_CLIENT));
        assertFalse(OrderEntryTemplates.isKnown(NewOrderEncoder.TEMPLATE_ID, 5, OrderEntryTemplates.FROM_CLIENT));
        assertFalse(OrderEntryTemplates.isKnown(OperatorDepositEncoder.TEMPLATE_ID, 1,
            OrderEntryTemplates.FROM_CLIENT));
    }
}
