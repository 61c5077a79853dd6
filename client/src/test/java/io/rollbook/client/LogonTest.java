package io.rollbook.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollbook.protocol.auth.Ed25519Keys;
import org.junit.jupiter.api.Test;

/**
 * The values a logon and a resume position put on the wire must fit the protocol's fields, or be refused: the
 * encoders keep only the low bits, so 2^32 ms of dead-man timeout would reach the server as 0, no timer at all.
 */
class LogonTest
{
    private final Logon logon = new Logon(10, Ed25519Keys.generate().getPrivate());

    @Test
    void valuesTheProtocolCannotCarryAreRefusedNamingTheField()
    {
        final IllegalArgumentException deadMan = assertThrows(IllegalArgumentException.class,
            () -> logon.deadManTimeoutMs(1L << 32));
        assertTrue(deadMan.getMessage().startsWith("deadManTimeoutMs must be within 0..4294967295"), deadMan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> logon.deadManTimeoutMs(-1));
        final IllegalArgumentException keepAlive = assertThrows(IllegalArgumentException.class,
            () -> logon.keepAliveMs((1L << 32) + 1_000));
        assertTrue(keepAlive.getMessage().startsWith("keepAliveMs must be within 1..4294967295"), keepAlive.getMessage());
        assertThrows(IllegalArgumentException.class, () -> logon.keepAliveMs(0));
        assertThrows(IllegalArgumentException.class, () -> logon.nextSeqNo(0));
        assertThrows(IllegalArgumentException.class, () -> logon.nextSeqNo(1L << 32));
        assertEquals(1_000, logon.keepAliveMs(), "a refused value changes nothing");
        assertEquals(0, logon.deadManTimeoutMs());
        assertEquals(1, logon.nextSeqNo());
    }

    @Test
    void theEdgesOfEachRangeAreAccepted()
    {
        logon.deadManTimeoutMs(0).deadManTimeoutMs(0xFFFF_FFFFL).keepAliveMs(1).keepAliveMs(0xFFFF_FFFFL)
            .nextSeqNo(0xFFFF_FFFFL);
        assertEquals(0xFFFF_FFFFL, logon.deadManTimeoutMs());
        assertEquals(0xFFFF_FFFFL, logon.keepAliveMs());
        assertEquals(0xFFFF_FFFFL, logon.nextSeqNo());
    }

    @Test
    void aTimeoutThatIsNotPositiveAndMissingPartsAreRefusedNamingThem()
    {
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> logon.timeoutMs(0));
        assertEquals("timeoutMs must be positive, got 0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> logon.timeoutMs(-5));
        assertEquals(10_000, logon.timeoutMs(), "a refused value changes nothing");
        final NullPointerException key = assertThrows(NullPointerException.class, () -> new Logon(10, null));
        assertEquals("key", key.getMessage());
        final NullPointerException session = assertThrows(NullPointerException.class, () -> logon.sessionId(null));
        assertEquals("sessionId", session.getMessage());
        final IllegalArgumentException connect = assertThrows(IllegalArgumentException.class,
            () -> RollbookClient.connect("127.0.0.1", 1, new ClientListener()
            {
            }, 0));
        assertEquals("timeoutMs must be positive, got 0", connect.getMessage());
    }

    @Test
    void aResumePositionOutsideTheProtocolsRangeIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new JournalPosition(5, -1));
        assertThrows(IllegalArgumentException.class, () -> new JournalPosition(5, 0x1_0000));
        assertThrows(IllegalArgumentException.class, () -> new JournalPosition(-1, 0));
        assertEquals(0xFFFF, new JournalPosition(5, 0xFFFF).eventIndex());
        assertEquals(JournalPosition.START, new JournalPosition(0, 0xFFFF));
    }
}
