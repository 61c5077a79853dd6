package io.rollbook.gateway.system;

import static io.rollbook.gateway.system.TestService.BTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.rollbook.client.ClientListener;
import io.rollbook.client.RollbookClient;
import io.rollbook.protocol.orderentry.ExecutionNewDecoder;
import io.rollbook.protocol.orderentry.ExecutionRestedDecoder;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TerminationCode;
import io.rollbook.protocol.orderentry.TimeInForce;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a market maker's listener may do with the client that calls it: close it (a clean Terminate exchange, not a
 * protocol error from frames delivered twice), but not poll it again from inside the callback.
 */
@Tag("system")
class ClientCallbackSystemTest
{
    @TempDir
    Path dataDirectory;

    @Test
    void closingFromACallbackEndsTheSessionCleanly() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            final RecordingListener listener = new RecordingListener(RollbookClient::close);
            final RollbookClient client = sessionWithOneOrder(service, listener);
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (client.isOpen() && System.nanoTime() < deadline)
            {
                client.poll(10);
            }
            assertFalse(client.isOpen());
            assertEquals(List.of("new 1", "rested 1", "terminated FINISHED",
                "disconnected terminated by the server: FINISHED goodbye"), listener.seen,
                "each report once, then the server's answer to the Terminate");
        }
    }

    @Test
    void pollingFromACallbackIsRefusedAndDeliversNothingTwice() throws Exception
    {
        try (TestService service = new TestService(dataDirectory).start())
        {
            final RecordingListener listener = new RecordingListener(RollbookClient::poll);
            final RollbookClient client = sessionWithOneOrder(service, listener);
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> client.await(() -> false, 5_000, "the listener to poll"));
            assertEquals("poll, await and logon cannot be called from a listener callback; close and the sends can",
                refused.getMessage());
            client.await(() -> listener.seen.contains("rested 1"), 5_000, "the rest of what was read");
            assertEquals(List.of("new 1", "rested 1"), listener.seen,
                "the frame whose callback threw is not delivered again");
            client.close();
        }
    }

    /**
     * A funded account's session that has sent one resting buy, client order id 1.
     */
    private static RollbookClient sessionWithOneOrder(final TestService service, final RecordingListener listener)
    {
        service.fundAndPrice(1_000_000_000_000L, 500_000, 30_000, 10);
        final RollbookClient client = service.session(10, listener);
        listener.client = client;
        client.newLimitOrder(1, BTC, Side.BUY, 490_000, 5, TimeInForce.GTC);
        client.flush();
        return client;
    }

    /**
     * Records what the client delivers, and does {@code onNew} to the client from inside its first callback.
     */
    private static final class RecordingListener implements ClientListener
    {
        final List<String> seen = new ArrayList<>();
        private final Consumer<RollbookClient> onNew;
        RollbookClient client;

        RecordingListener(final Consumer<RollbookClient> onNew)
        {
            this.onNew = onNew;
        }

        @Override
        public void onExecutionNew(final ExecutionNewDecoder report)
        {
            seen.add("new " + report.clientOrderId());
            onNew.accept(client);
        }

        @Override
        public void onExecutionRested(final ExecutionRestedDecoder report)
        {
            seen.add("rested " + report.clientOrderId());
        }

        @Override
        public void onTerminated(final TerminationCode code, final String text)
        {
            seen.add("terminated " + code);
        }

        @Override
        public void onDisconnected(final String reason)
        {
            seen.add("disconnected " + reason);
        }
    }
}
