package io.rollbook.protocol.auth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The bytes a client signs to open an order-entry session, and the signature check. In this order: the ASCII bytes
 * {@code ROLLBOOK-NEGOTIATE-V1}, the 32-byte nonce of the connection's {@code Challenge}, then
 * {@code sessionIdHigh}, {@code sessionIdLow} (8 bytes each), {@code account} (4 bytes) and {@code timestampNs}
 * (8 bytes), all little-endian (docs/ORDER-ENTRY.md). The nonce is fresh per connection and the timestamp must
 * be near the server's clock, so a captured negotiation cannot be replayed.
 *
 * <p>Thread-safe and stateless ({@link Ed25519Signatures}).
 */
public final class NegotiationSignature
{
    public static final int NONCE_LENGTH = 32;
    public static final int SIGNATURE_LENGTH = Ed25519Signatures.SIGNATURE_LENGTH;

    private static final byte[] PREFIX = "ROLLBOOK-NEGOTIATE-V1".getBytes(StandardCharsets.US_ASCII);
    public static final int PAYLOAD_LENGTH = PREFIX.length + NONCE_LENGTH + 8 + 8 + 4 + 8;

    private NegotiationSignature()
    {
    }

    /**
     * @return the canonical bytes that are signed
     */
    public static byte[] payload(
        final byte[] nonce, final long sessionIdHigh, final long sessionIdLow, final int account, final long timestampNs)
    {
        if (nonce.length != NONCE_LENGTH)
        {
            throw new IllegalArgumentException("nonce must be " + NONCE_LENGTH + " bytes, got " + nonce.length);
        }
        final ByteBuffer out = ByteBuffer.allocate(PAYLOAD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        out.put(PREFIX).put(nonce).putLong(sessionIdHigh).putLong(sessionIdLow).putInt(account).putLong(timestampNs);
        return out.array();
    }

    /**
     * @return the 64-byte Ed25519 signature of the canonical bytes
     */
    public static byte[] sign(
        final PrivateKey key,
        final byte[] nonce,
        final long sessionIdHigh,
        final long sessionIdLow,
        final int account,
        final long timestampNs)
    {
        return Ed25519Signatures.sign(key, payload(nonce, sessionIdHigh, sessionIdLow, account, timestampNs));
    }

    /**
     * @return true only if {@code signature} is the key's valid Ed25519 signature of the canonical bytes; false for
     *         any malformed signature
     */
    public static boolean verify(
        final PublicKey key,
        final byte[] nonce,
        final long sessionIdHigh,
        final long sessionIdLow,
        final int account,
        final long timestampNs,
        final byte[] signature)
    {
        return Ed25519Signatures.verify(key, payload(nonce, sessionIdHigh, sessionIdLow, account, timestampNs),
            signature);
    }
}
