package io.rollbook.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;

import io.rollbook.protocol.auth.Ed25519Keys;
import org.junit.jupiter.api.Test;

import static io.rollbook.gateway.http.RequestSigning.canonical;
import static io.rollbook.gateway.http.RequestSigning.verify;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The canonical string and the signature of docs/REST.md's worked example, byte for byte (Ed25519 is
 * deterministic, so the example's signature is a test vector), and verification refusing every alteration.
 */
final class RequestSigningTest
{
    /** Demo account 101 of config/demo-keys.json: DEMO ONLY. */
    private static final String DEMO_101_PRIVATE = "27f8d0a4a564a306e93e8caf455a74fa9948c2c2a8cc2df49f14cf183a663397";
    private static final String DEMO_101_PUBLIC = "c2fb24c9b951c82ff16b257d27055e6535a00f2ebbe010a08217735c0abbb7b3";
    private static final String BODY =
        "{\"market\":\"BTC-USD\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"50000\",\"size\":\"0.01\",\"clientId\":\"c1\"}";
    private static final long TIMESTAMP = 1764547200000L;

    @Test
    void canonicalStringIsTimestampMethodPathAndBodyOnLines()
    {
        assertArrayEquals(("1764547200000\nPOST\n/v1/orders\n" + BODY).getBytes(StandardCharsets.UTF_8),
            RequestSigning.canonical(TIMESTAMP, "POST", "/v1/orders", BODY.getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("1\nGET\n/v1/orders?market=BTC-USD&side=buy\n".getBytes(StandardCharsets.UTF_8),
            RequestSigning.canonical(1, "GET", "/v1/orders?market=BTC-USD&side=buy", new byte[0]));
        assertArrayEquals("5\nPOST\n/v1/withdrawals\n{\"amount\":\"1 \u20ac\"}".getBytes(StandardCharsets.UTF_8),
            RequestSigning.canonical(5, "POST", "/v1/withdrawals",
                "{\"amount\":\"1 \u20ac\"}".getBytes(StandardCharsets.UTF_8)), "the body's bytes as sent, UTF-8");
    }

    @Test
    void workedExampleOfTheDocumentation()
    {
        assertEquals("keKLlnczYCzjwIH+jUlBDieb5BffBF94Sev4gTyWdVNZMIANVvNfmuZ2aYvb9cVwFcRVVaSVzOWJ8esZNXPLCw==",
            RequestSigning.sign(Ed25519Keys.privateKey(DEMO_101_PRIVATE), TIMESTAMP, "POST", "/v1/orders", BODY));
        assertEquals("32JkL2nzEATEsvSrMD/Bfg/xjWdXVei6bG/Im5EMqws4cdUmZpnhjSHAp0EyczvZAum7/+5flvxKnpd7gfEmBw==",
            RequestSigning.sign(Ed25519Keys.privateKey(DEMO_101_PRIVATE), TIMESTAMP, "GET", "/v1/ws", ""));
        assertTrue(RequestSigning.verify(Ed25519Keys.publicKey(DEMO_101_PUBLIC),
            RequestSigning.canonical(TIMESTAMP, "POST", "/v1/orders", BODY.getBytes(StandardCharsets.UTF_8)),
            "keKLlnczYCzjwIH+jUlBDieb5BffBF94Sev4gTyWdVNZMIANVvNfmuZ2aYvb9cVwFcRVVaSVzOWJ8esZNXPLCw=="));
    }

    @Test
    void anyAlterationFailsVerification()
    {
        final KeyPair key = Ed25519Keys.generate();
        final KeyPair other = Ed25519Keys.generate();
        final String signature = RequestSigning.sign(key.getPrivate(), TIMESTAMP, "POST", "/v1/orders", BODY);
        final byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertTrue(verify(key.getPublic(), canonical(TIMESTAMP, "POST", "/v1/orders", body),
            signature));
        assertFalse(verify(other.getPublic(), canonical(TIMESTAMP, "POST", "/v1/orders", body),
            signature), "another key");
        assertFalse(verify(key.getPublic(), canonical(TIMESTAMP + 1, "POST", "/v1/orders", body),
            signature), "another timestamp");
        assertFalse(verify(key.getPublic(), canonical(TIMESTAMP, "PUT", "/v1/orders", body),
            signature), "another method");
        assertFalse(verify(key.getPublic(), canonical(TIMESTAMP, "POST", "/v1/orders?x=1", body),
            signature), "another path");
        assertFalse(verify(key.getPublic(), canonical(TIMESTAMP, "POST", "/v1/orders",
            BODY.replace("0.01", "0.02").getBytes(StandardCharsets.UTF_8)), signature), "another body");
        assertFalse(verify(key.getPublic(), canonical(TIMESTAMP, "POST", "/v1/orders", body),
            "not base64!"), "not base64");
        assertFalse(verify(key.getPublic(), canonical(TIMESTAMP, "POST", "/v1/orders", body),
            "AAAA"), "too short");
    }

    @Test
    void aSignatureVerifiesInItsOneStandardSpellingOnly()
    {
        final KeyPair key = Ed25519Keys.generate();
        final byte[] canonical = canonical(TIMESTAMP, "POST", "/v1/withdrawals",
            "{\"amount\":\"1\"}".getBytes(StandardCharsets.UTF_8));
        final String signature = RequestSigning.sign(key.getPrivate(), TIMESTAMP, "POST", "/v1/withdrawals",
            "{\"amount\":\"1\"}");
        assertTrue(verify(key.getPublic(), canonical, signature));
        assertEquals(88, signature.length());
        assertTrue(signature.endsWith("=="), signature);

        final String unpadded = signature.substring(0, 86);
        // 64 bytes end in a character of which only the two high bits are data: the four low ones are free.
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        final int last = alphabet.indexOf(signature.charAt(85));
        final String otherBits = signature.substring(0, 85) + alphabet.charAt(last ^ 1) + "==";
        for (final String spelling : new String[] {unpadded, otherBits})
        {
            assertArrayEquals(Base64.getDecoder().decode(signature),
                Base64.getDecoder().decode(spelling), "the same bytes: " + spelling);
            assertFalse(verify(key.getPublic(), canonical, spelling), spelling);
        }
        assertFalse(verify(key.getPublic(), canonical, signature.substring(0, 87)), "one padding character");
    }

    @Test
    void freshnessHoldsAtTheWindowsEdgesAndDoesNotWrap()
    {
        final long now = TIMESTAMP;
        assertTrue(RequestSigning.isFresh(now - 5_000, now, 5_000));
        assertTrue(RequestSigning.isFresh(now + 5_000, now, 5_000));
        assertFalse(RequestSigning.isFresh(now - 5_001, now, 5_000));
        assertFalse(RequestSigning.isFresh(now + 5_001, now, 5_000));
        assertFalse(RequestSigning.isFresh(now + Long.MIN_VALUE, now, 5_000), "now - t is Long.MIN_VALUE");
        assertFalse(RequestSigning.isFresh(Long.MIN_VALUE, now, 5_000));
        assertFalse(RequestSigning.isFresh(Long.MAX_VALUE, now, 5_000));
    }
}
