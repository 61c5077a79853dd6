package io.rollbook.gateway.auth;

import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rollbook.protocol.auth.NegotiationSignature;

/**
 * Checks a signed answer to a connection's challenge: the key exists, the client's timestamp lies within the
 * window around the server's clock (so an old signature is useless), and the Ed25519 signature covers the
 * canonical bytes with this connection's nonce (so a signature made for another connection is useless too).
 *
 * <p>Thread-safe and stateless apart from its settings. A verification costs tens of microseconds of CPU; it runs
 * once per connection.
 */
public final class ChallengeVerifier
{
    /**
     * The outcome of a check.
     */
    public enum Outcome
    {
        ACCEPTED,
        UNKNOWN_ACCOUNT,
        STALE_TIMESTAMP,
        BAD_SIGNATURE
    }

    private final KeyStore keys;
    private final long windowNs;

    /**
     * @param keys     the public keys
     * @param windowMs how far the client's timestamp may be from the server's clock, either way
     */
    public ChallengeVerifier(final KeyStore keys, final long windowMs)
    {
        this.keys = keys;
        this.windowNs = TimeUnit.MILLISECONDS.toNanos(windowMs);
    }

    /**
     * @param nowEpochNs  the server's clock, epoch nanoseconds (far enough from the ends of the long range that the
     *                    window around it does not overflow)
     * @param operatorOut when not null and the signature is an operator's, receives the operator at index 0
     */
    public Outcome verify(
        final byte[] nonce,
        final long sessionIdHigh,
        final long sessionIdLow,
        final int account,
        final long timestampNs,
        final byte[] signature,
        final long nowEpochNs,
        final KeyStore.Operator[] operatorOut)
    {
        if (account < KeyStore.OPERATOR_ACCOUNT)
        {
            return Outcome.UNKNOWN_ACCOUNT;
        }
        final List<KeyStore.Operator> operators = keys.operators();
        final PublicKey key = account == KeyStore.OPERATOR_ACCOUNT ? null : keys.accountKey(account);
        if (account == KeyStore.OPERATOR_ACCOUNT ? operators.isEmpty() : key == null)
        {
            return Outcome.UNKNOWN_ACCOUNT;
        }
        if (timestampNs < nowEpochNs - windowNs || timestampNs > nowEpochNs + windowNs)
        {
            return Outcome.STALE_TIMESTAMP;
        }
        if (account == KeyStore.OPERATOR_ACCOUNT)
        {
            for (final KeyStore.Operator operator : operators)
            {
                if (check(operator.key(), nonce, sessionIdHigh, sessionIdLow, account, timestampNs, signature))
                {
                    if (operatorOut != null)
                    {
                        operatorOut[0] = operator;
                    }
                    return Outcome.ACCEPTED;
                }
            }
            return Outcome.BAD_SIGNATURE;
        }

        return check(key, nonce, sessionIdHigh, sessionIdLow, account, timestampNs, signature) ?
            Outcome.ACCEPTED : Outcome.BAD_SIGNATURE;
    }

    private static boolean check(
        final PublicKey key,
        final byte[] nonce,
        final long sessionIdHigh,
        final long sessionIdLow,
        final int account,
        final long timestampNs,
        final byte[] signature)
    {
        return NegotiationSignature.verify(key, nonce, sessionIdHigh, sessionIdLow, account, timestampNs, signature);
    }
}
