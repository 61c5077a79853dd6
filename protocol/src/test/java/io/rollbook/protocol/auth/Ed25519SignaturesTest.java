package io.rollbook.protocol.auth;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class Ed25519SignaturesTest
{
    /** The order of the group: a signature's S must be below it (RFC 8032, 5.1.7). */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(
        new BigInteger("27742317777372353535851937790883648493"));

    @Test
    void signsAndVerifiesExactlyAsTheJdkDoes() throws GeneralSecurityException
    {
        final Random random = new Random(20261202);
        for (int i = 0; i < 200; i++)
        {
            final byte[] seed = new byte[Ed25519Keys.KEY_LENGTH];
            random.nextBytes(seed);
            final PrivateKey privateKey = Ed25519Keys.privateKey(seed);
            final PublicKey publicKey = publicKeyOf(privateKey);
            final byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(message);

            final byte[] ours = Ed25519Signatures.sign(privateKey, message);
            final byte[] jdks = jdkSign(privateKey, message);
            assertArrayEquals(jdks, ours, "Ed25519 signing is deterministic: the same signature, case " + i);
            assertTrue(Ed25519Signatures.verify(publicKey, message, jdks), "case " + i);
            assertTrue(jdkVerify(publicKey, message, ours), "case " + i);

            final byte[] badSignature = ours.clone();
            badSignature[random.nextInt(badSignature.length)] ^= (byte)(1 << random.nextInt(8));
            assertFalse(Ed25519Signatures.verify(publicKey, message, badSignature), "a flipped signature bit, case " + i);
            assertFalse(jdkVerify(publicKey, message, badSignature), "case " + i);
            if (message.length > 0)
            {
                final byte[] badMessage = message.clone();
                badMessage[random.nextInt(badMessage.length)] ^= (byte)(1 << random.nextInt(8));
                assertFalse(Ed25519Signatures.verify(publicKey, badMessage, ours), "a flipped message bit, case " + i);
            }
        }
    }

    @Test
    void refusesASignatureWhoseScalarIsNotReduced() throws GeneralSecurityException
    {
        final KeyPair key = Ed25519Keys.generate();
        final byte[] message = {1, 2, 3};
        final byte[] signature = Ed25519Signatures.sign(key.getPrivate(), message);
        // S + L satisfies the verification equation as S does: only the check that S < L refuses it.
        final byte[] malleated = signature.clone();
        final byte[] s = littleEndian(new BigInteger(1, reversed(signature, 32, 32)).add(L));
        System.arraycopy(s, 0, malleated, 32, 32);
        assertFalse(Ed25519Signatures.verify(key.getPublic(), message, malleated));
        assertFalse(jdkVerify(key.getPublic(), message, malleated));
    }

    @Test
    void refusesWhatIsNoSignatureOrNoEd25519Key() throws GeneralSecurityException
    {
        final KeyPair key = Ed25519Keys.generate();
        final byte[] message = {42};
        final byte[] signature = Ed25519Signatures.sign(key.getPrivate(), message);
        assertFalse(Ed25519Signatures.verify(key.getPublic(), message, new byte[63]));
        assertFalse(Ed25519Signatures.verify(key.getPublic(), message, new byte[65]));
        assertFalse(Ed25519Signatures.verify(key.getPublic(), message, new byte[64]));
        final KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        assertFalse(Ed25519Signatures.verify(rsa.getPublic(), message, signature));
        assertThrows(IllegalArgumentException.class, () -> Ed25519Signatures.sign(rsa.getPrivate(), message));
        final KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> Ed25519Signatures.sign(ed448.getPrivate(), message));
        assertFalse(Ed25519Signatures.verify(ed448.getPublic(), message, signature), "an EdDSA key of another curve");
    }

    private static PublicKey publicKeyOf(final PrivateKey privateKey) throws GeneralSecurityException
    {
        // The JDK derives a seed's public key only in its key pair generator: it is fed the seed as its randomness.
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(255, new FixedRandom(Ed25519Keys.raw(privateKey)));
        return generator.generateKeyPair().getPublic();
    }

    private static byte[] jdkSign(final PrivateKey key, final byte[] message) throws GeneralSecurityException
    {
        final Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(message);
        return signer.sign();
    }

    private static boolean jdkVerify(final PublicKey key, final byte[] message, final byte[] signature)
        throws GeneralSecurityException
    {
        final Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        try
        {
            return verifier.verify(signature);
        }
        catch (final SignatureException ex)
        {
            // The JDK throws for a signature it cannot decode (a point off the curve, S too large): a refusal too.
            return false;
        }
    }

    private static byte[] reversed(final byte[] bytes, final int from, final int length)
    {
        final byte[] out = new byte[length];
        for (int i = 0; i < length; i++)
        {
            out[i] = bytes[from + length - 1 - i];
        }
        return out;
    }

    private static byte[] littleEndian(final BigInteger value)
    {
        final byte[] big = value.toByteArray();
        final byte[] out = new byte[32];
        for (int i = 0; i < Math.min(32, big.length); i++)
        {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }

    /**
     * Hands out the given bytes as its randomness: a JDK key pair generator seeded with them makes the key pair of
     * that seed.
     */
    private static final class FixedRandom extends SecureRandom
    {
        private final byte[] bytes;

        FixedRandom(final byte[] bytes)
        {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(final byte[] out)
        {
            System.arraycopy(bytes, 0, out, 0, Math.min(bytes.length, out.length));
        }
    }
}
