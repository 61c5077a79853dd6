package io.rollbook.gateway.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;

import io.rollbook.client.ClientException;
import io.rollbook.client.Logon;
import io.rollbook.client.RollbookClient;
import io.rollbook.gateway.auth.KeyStore;
import io.rollbook.protocol.auth.Ed25519Keys;
import io.rollbook.protocol.orderentry.Side;
import io.rollbook.protocol.orderentry.TerminationCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator replaces a leaked key, revokes one and adds an account while the service runs: whoever holds a key
 * that no longer holds keeps no binary session, no WebSocket and no REST access; everyone else goes on undisturbed.
 */
@Tag("system")
final class KeyRotationSystemTest
{
    private static final int REPLACED = TestService.FIRST_ACCOUNT;
    private static final int KEPT = TestService.FIRST_ACCOUNT + 1;
    private static final int REVOKED = TestService.FIRST_ACCOUNT + 2;
    private static final int ADDED = TestService.FIRST_ACCOUNT + TestService.ACCOUNTS;
    private static final long WAIT_MS = 10_000;

    @TempDir
    Path data;

    @Test
    void sessionsOfAReplacedOrRevokedKeyEndAndTheRestGoOn() throws Exception
    {
        final KeyPair replacement = Ed25519Keys.generate();
        final KeyPair added = Ed25519Keys.generate();
        try (TestService service = new TestService(data).start())
        {
            final Recorder replacedEvents = new Recorder();
            final Recorder keptEvents = new Recorder();
            final Recorder revokedEvents = new Recorder();
            try (WsClient replacedWs = new WsClient(service.httpPort());
                WsClient keptWs = new WsClient(service.httpPort());
                RollbookClient replacedSession = session(service, REPLACED, replacedEvents);
                RollbookClient keptSession = session(service, KEPT, keptEvents);
                RollbookClient revokedSession = session(service, REVOKED, revokedEvents))
            {
                replacedWs.auth(REPLACED, key(REPLACED));
                keptWs.auth(KEPT, key(KEPT));

                final KeyStore.Builder newer = KeyStore.builder()
                    .account(REPLACED, replacement.getPublic())
                    .account(ADDED, added.getPublic())
                    .operator("test-operator", TestService.OPERATOR_KEY.getPublic());
                for (int account = KEPT; account < TestService.FIRST_ACCOUNT + TestService.ACCOUNTS; account++)
                {
                    if (account != REVOKED)
                    {
                        newer.account(account, TestService.ACCOUNT_KEYS[account - TestService.FIRST_ACCOUNT].getPublic());
                    }
                }
                final KeyStore.KeyChange change = service.service().replaceKeys(newer.build());

                assertArrayEquals(new int[] {REPLACED, REVOKED, ADDED}, change.accounts());
                assertEquals(1, change.added());
                assertEquals(1, change.replaced());
                assertEquals(1, change.removed());
                assertFalse(change.operatorRevoked());

                replacedSession.await(() -> replacedEvents.terminated != null, WAIT_MS, "the replaced key's end");
                assertEquals(TerminationCode.FINISHED, replacedEvents.terminated);
                assertTrue(replacedEvents.terminationText.contains("replaced or revoked"),
                    replacedEvents.terminationText);
                revokedSession.await(() -> revokedEvents.terminated != null, WAIT_MS, "the revoked key's end");
                awaitClosed(replacedWs);
                assertEquals(1008, replacedWs.closeCode(), replacedWs.closeReason());

                keptSession.massCancel(TestService.BTC, Side.NULL_VAL);
                keptSession.flush();
                keptSession.await(() -> keptEvents.count("massCanceled") == 1, WAIT_MS,
                    "the kept session's mass cancel report");
                assertNull(keptEvents.terminated, "a session whose key stayed goes on");
                assertEquals(-1, keptWs.closeCode(), "a WebSocket whose key stayed goes on");
                keptWs.send("{\"op\":\"subscribe\",\"channel\":\"balances\"}");
                keptWs.await(m -> "balances".equals(m.path("channel").asText()), "the kept WebSocket's subscription");
            }

            try (RollbookClient old = service.connect(new Recorder()))
            {
                final ClientException refused = assertThrows(ClientException.class,
                    () -> old.logon(service.logon(REPLACED)));
                assertTrue(refused.getMessage().contains("BAD_SIGNATURE"), refused.getMessage());
            }
            try (RollbookClient revoked = service.connect(new Recorder()))
            {
                final ClientException refused = assertThrows(ClientException.class,
                    () -> revoked.logon(service.logon(REVOKED)));
                assertTrue(refused.getMessage().contains("UNKNOWN_ACCOUNT"), refused.getMessage());
            }
            try (RollbookClient renewed = service.connect(new Recorder());
                RollbookClient newcomer = service.connect(new Recorder()))
            {
                renewed.logon(new Logon(REPLACED, replacement.getPrivate()).keepAliveMs(1_000));
                newcomer.logon(new Logon(ADDED, added.getPrivate()).keepAliveMs(1_000));
            }

            final HttpResponse<String> oldKey =
                RestClient.account(service.httpPort(), REPLACED, key(REPLACED)).send("GET", "/v1/account", "");
            assertEquals(401, oldKey.statusCode(), oldKey.body());
            assertTrue(oldKey.body().contains("BAD_SIGNATURE"), oldKey.body());
            final HttpResponse<String> newKey =
                RestClient.account(service.httpPort(), REPLACED, replacement.getPrivate()).send("GET", "/v1/account", "");
            assertEquals(200, newKey.statusCode(), newKey.body());
        }
    }

    @Test
    void operatorSessionsEndWhenAnOperatorKeyIsRemoved() throws Exception
    {
        final KeyPair successor = Ed25519Keys.generate();
        try (TestService service = new TestService(data).start())
        {
            final Recorder operatorEvents = new Recorder();
            final Recorder traderEvents = new Recorder();
            try (RollbookClient operator = service.connect(operatorEvents);
                RollbookClient trader = session(service, KEPT, traderEvents))
            {
                operator.logon(new Logon(KeyStore.OPERATOR_ACCOUNT, TestService.OPERATOR_KEY.getPrivate())
                    .keepAliveMs(30_000));

                final KeyStore.KeyChange change = service.service().replaceKeys(
                    TestService.accountKeys().operator("successor", successor.getPublic()).build());

                assertTrue(change.operatorRevoked());
                assertEquals(0, change.accounts().length);
                operator.await(() -> operatorEvents.terminated != null, WAIT_MS, "the operator session's end");
                assertEquals(TerminationCode.FINISHED, operatorEvents.terminated);
                trader.massCancel(TestService.BTC, Side.NULL_VAL);
                trader.flush();
                trader.await(() -> traderEvents.count("massCanceled") == 1, WAIT_MS, "the trader's mass cancel report");
                assertNull(traderEvents.terminated);
            }
            try (RollbookClient renewed = service.connect(new Recorder()))
            {
                renewed.logon(new Logon(KeyStore.OPERATOR_ACCOUNT, successor.getPrivate()).keepAliveMs(1_000));
            }
        }
    }

    /**
     * A session that outlives the test's pauses between polls: its keep-alive is far longer than any of them.
     */
    private static RollbookClient session(final TestService service, final int account, final Recorder events)
    {
        final RollbookClient client = service.connect(events);
        client.logon(new Logon(account, key(account)).keepAliveMs(30_000));
        return client;
    }

    private static PrivateKey key(final int account)
    {
        return TestService.ACCOUNT_KEYS[account - TestService.FIRST_ACCOUNT].getPrivate();
    }

    private static void awaitClosed(final WsClient ws) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + WAIT_MS * 1_000_000L;
        while (ws.closeCode() == -1)
        {
            assertTrue(System.nanoTime() < deadlineNs, "the server did not close the WebSocket");
            Thread.sleep(1);
        }
    }
}
