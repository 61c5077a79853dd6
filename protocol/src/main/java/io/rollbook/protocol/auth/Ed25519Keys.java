package io.rollbook.protocol.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Ed25519 keys as Rollbook writes them down: the raw 32-byte public key and the raw 32-byte private seed (RFC 8032),
 * as lowercase hex. Converts them to and from the JDK's own Ed25519 keys (JDK 15 and later), which wrap them in
 * X.509 and PKCS #8 encodings with a fixed prefix.
 *
 * <p>Thread-safe; nothing here is on a hot path (keys are parsed once, at configuration).
 */
public final class Ed25519Keys
{
    public static final int KEY_LENGTH = 32;

    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private Ed25519Keys()
    {
    }

    /**
     * @param hex the raw public key, 64 hex digits
     * @throws IllegalArgumentException naming the problem
     */
    public static PublicKey publicKey(final String hex)
    {
        return publicKey(raw("public key", hex));
    }

    public static PublicKey publicKey(final byte[] raw)
    {
        checkLength("public key", raw);
        try
        {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("not an Ed25519 public key: " + ex.getMessage(), ex);
        }
    }

    /**
     * @param hex the raw private seed, 64 hex digits
     * @throws IllegalArgumentException naming the problem
     */
    public static PrivateKey privateKey(final String hex)
    {
        return privateKey(raw("private key", hex));
    }

    public static PrivateKey privateKey(final byte[] seed)
    {
        checkLength("private key", seed);
        try
        {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("not an Ed25519 private key: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the raw 32 bytes of a JDK Ed25519 public key
     */
    public static byte[] raw(final PublicKey key)
    {
        final byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - KEY_LENGTH, encoded.length);
    }

    /**
     * @return the raw 32-byte seed of a JDK Ed25519 private key
     */
    public static byte[] raw(final PrivateKey key)
    {
        final byte[] encoded = key.getEncoded();
        return Arrays.copyOfRange(encoded, encoded.length - KEY_LENGTH, encoded.length);
    }

    /**
     * @return a fresh key pair from the JDK's strong random source
     */
    public static KeyPair generate()
    {
        try
        {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("this JDK has no Ed25519", ex);
        }
    }

    public static String hex(final byte[] raw)
    {
        return HexFormat.of().formatHex(raw);
    }

    private static byte[] raw(final String what, final String hex)
    {
        if (hex == null)
        {
            throw new IllegalArgumentException(what + " is missing");
        }
        final byte[] raw;
        try
        {
            raw = HexFormat.of().parseHex(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(what + " must be " + KEY_LENGTH * 2 + " hex digits: " + ex.getMessage());
        }
        checkLength(what, raw);
        return raw;
    }

    private static void checkLength(final String what, final byte[] raw)
    {
        if (raw.length != KEY_LENGTH)
        {
            throw new IllegalArgumentException(what + " must be " + KEY_LENGTH + " bytes (" + KEY_LENGTH * 2 +
                " hex digits), got " + raw.length);
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
