package io.rollbook.gateway.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.rollbook.client.ClientException;
import io.rollbook.client.RollbookClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keep-alive interval or dead-man timeout outside the server's range is refused with the range this server
 * allows, its operator's settings rather than the defaults, and a logon within them then succeeds.
 */
@Tag("system")
class EstablishmentRefusalSystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void aRefusedIntervalNamesTheRangeTheOperatorConfigured() throws Exception
    {
        try (TestService service = new TestService(dataDirectory, context -> context
            .keepAliveBoundsMs(200, 30_000)
            .deadManBoundsMs(500, 600_000)).start())
        {
            assertEquals("establishment rejected: INVALID_KEEP_ALIVE_INTERVAL: keepAliveMs 100 is outside the range " +
                "the server allows, 200..30000 ms (gateway.keepAliveMinMs..keepAliveMaxMs)",
                refusal(service, service.logon(10).keepAliveMs(100)));
            assertEquals("establishment rejected: INVALID_KEEP_ALIVE_INTERVAL: keepAliveMs 40000 is outside the " +
                "range the server allows, 200..30000 ms (gateway.keepAliveMinMs..keepAliveMaxMs)",
                refusal(service, service.logon(10).keepAliveMs(40_000)));
            assertEquals("establishment rejected: INVALID_DEAD_MAN_TIMEOUT: deadManTimeoutMs 100 is neither 0 (off) " +
                "nor within the range the server allows, 500..600000 ms (gateway.deadManMinMs..deadManMaxMs)",
                refusal(service, service.logon(10).deadManTimeoutMs(100)));
            try (RollbookClient client = service.connect(new Recorder()))
            {
                client.logon(service.logon(10).keepAliveMs(200).deadManTimeoutMs(500));
                assertTrue(client.isEstablished());
            }
        }
    }

    private static String refusal(final TestService service, final io.rollbook.client.Logon logon)
    {
        try (RollbookClient client = service.connect(new Recorder()))
        {
            final String message = assertThrows(ClientException.class, () -> client.logon(logon)).getMessage();
            assertFalse(client.isOpen(), "a refused logon closes its connection");
            return message;
        }
    }
}
