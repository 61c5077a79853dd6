package io.rollbook.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

import io.rollbook.protocol.auth.Ed25519Signatures;

/**
 * How a trader API request is signed (docs/REST.md, "Signing"): Ed25519 over the UTF-8 bytes of
 *
 * <pre>
 *  timestamp + "\n" + METHOD + "\n" + pathWithQuery + "\n" + body
 * </pre>
 *
 * where {@code timestamp} is the decimal milliseconds since the epoch of the {@code Rollbook-Timestamp} header,
 * {@code METHOD} the request method in capitals, {@code pathWithQuery} the request target exactly as sent (path and
 * query, percent-encoding untouched) and {@code body} the request body's bytes (nothing when there is none). The
 * signature travels in {@code Rollbook-Signature} as standard, padded base64 of its 64 bytes. A WebSocket signs
 * {@code GET} and {@code /v1/ws} with an empty body.
 *
 * <p>Thread-safe and stateless ({@link Ed25519Signatures}).
 */
public final class RequestSigning
{
    public static final String ACCOUNT_HEADER = "Rollbook-Account";
    public static final String OPERATOR_HEADER = "Rollbook-Operator";
    public static final String TIMESTAMP_HEADER = "Rollbook-Timestamp";
    public static final String SIGNATURE_HEADER = "Rollbook-Signature";
    public static final int SIGNATURE_LENGTH = Ed25519Signatures.SIGNATURE_LENGTH;

    private RequestSigning()
    {
    }

    /**
     * @return true if the timestamp is at most {@code windowMs} away from {@code nowMs}, either way; computed without
     *     a difference that could overflow (a timestamp near {@code Long.MIN_VALUE} must not wrap into the window)
     */
    public static boolean isFresh(final long timestampMs, final long nowMs, final long windowMs)
    {
        return timestampMs >= nowMs - windowMs && timestampMs <= nowMs + windowMs;
    }

    /**
     * @return the bytes that are signed
     */
    public static byte[] canonical(final long timestampMs, final String method, final String pathWithQuery,
        final byte[] body)
    {
        final byte[] head = (timestampMs + "\n" + method + "\n" + pathWithQuery + "\n").getBytes(StandardCharsets.UTF_8);
        final byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /**
     * @return the {@code Rollbook-Signature} header's value for a request
     */
    public static String sign(
        final PrivateKey key, final long timestampMs, final String method, final String pathWithQuery, final String body)
    {
        return Base64.getEncoder().encodeToString(Ed25519Signatures.sign(key,
            canonical(timestampMs, method, pathWithQuery, body.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * @param signatureBase64 the header's value
     * @return true only if it is a well-formed signature of the canonical bytes by the key, written exactly as the
     *     standard encoder writes its bytes
     */
    public static boolean verify(final PublicKey key, final byte[] canonical, final String signatureBase64)
    {
        final byte[] signature;
        try
        {
            signature = Base64.getDecoder().decode(signatureBase64);
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
        // The decoder also takes the bytes without padding, or with other values in the last character's unused
        // bits: a captured request sent again under such a spelling would pass the replay check, which compares
        // the header's text. One spelling per signature keeps "executed once" true.
        return Base64.getEncoder().encodeToString(signature).equals(signatureBase64) &&
            Ed25519Signatures.verify(key, canonical, signature);
    }
}
