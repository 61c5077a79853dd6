package io.rollbook.gateway.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.rollbook.client.ClientException;
import io.rollbook.client.RollbookClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session id is held by its connection only while the connection lives, whatever its value.
 */
@Tag("system")
class SessionIdSystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void theAllZeroSessionIdIsFreedWhenItsConnectionCloses() throws Exception
    {
        final UUID zero = new UUID(0, 0);
        try (TestService service = new TestService(dataDirectory).start())
        {
            try (RollbookClient first = service.connect(new Recorder()))
            {
                first.logon(service.logon(10).sessionId(zero));
                assertTrue(first.isEstablished());
            }
            // The close reaches the server a moment later: until then SESSION_IN_USE is right, after it wrong.
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            String refusal = null;
            while (System.nanoTime() < deadlineNs)
            {
                try (RollbookClient again = service.connect(new Recorder()))
                {
                    again.logon(service.logon(10).sessionId(zero));
                    refusal = null;
                    break;
                }
                catch (final ClientException ex)
                {
                    refusal = ex.getMessage();
                }
            }
            assertEquals(null, refusal, "the session id of a closed connection is free again");
        }
    }
}
