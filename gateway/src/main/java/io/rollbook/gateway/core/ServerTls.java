package io.rollbook.gateway.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS from two PEM files: a certificate chain (the server's certificate first) and its private key
 * (PKCS#8, unencrypted). Everything is checked before the service listens, each error naming the file and what is
 * wrong with it: a file that cannot be read, that holds no certificate or no PKCS#8 key, a key of another format, a key
 * that does not belong to the certificate (a key is checked by signing with it and verifying with the certificate's
 * public key, since the JDK would otherwise accept the pair and fail only at each handshake).
 *
 * <p>The context speaks TLS 1.2 and 1.3 only, with the JDK's provider (no native library) and Netty's default cipher
 * suites (forward-secret AEAD ones first), and asks no certificate of clients: traders sign their requests instead.
 * Built once at start; the context is immutable and shared by every connection.
 */
public final class ServerTls
{
    /** The protocols offered; older ones have known weaknesses and no client of this API needs them. */
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448"};
    /**
     * Far above any key or certificate chain (a few kilobytes): a file of gigabytes given by mistake is named instead
     * of being read whole into memory, which ends the start in an OutOfMemoryError.
     */
    static final long MAX_PEM_BYTES = 1 << 20;

    private ServerTls()
    {
    }

    /**
     * @param certificateChain PEM file of the chain, the server's certificate first
     * @param privateKey       PEM file of the certificate's private key, PKCS#8 ({@code BEGIN PRIVATE KEY})
     * @return the server context
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SslContext load(final Path certificateChain, final Path privateKey)
    {
        final X509Certificate[] chain = readChain(certificateChain);
        final PrivateKey key = readKey(privateKey);
        checkPair(chain[0], certificateChain, key, privateKey);
        final Date now = new Date();
        if (now.after(chain[0].getNotAfter()) || now.before(chain[0].getNotBefore()))
        {
            // Clients refuse it, but an operator may be replacing it: the service still starts, and says so.
            LOG.warn("TLS certificate {} is valid from {} to {} only: clients will refuse it", certificateChain,
                chain[0].getNotBefore(), chain[0].getNotAfter());
        }
        try
        {
            return SslContextBuilder.forServer(key, chain)
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .clientAuth(ClientAuth.NONE)
                .build();
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new IllegalArgumentException("TLS certificate chain " + certificateChain + " and private key " +
                privateKey + ": the JDK cannot serve TLS with them: " + ex.getMessage(), ex);
        }
    }

    private static X509Certificate[] readChain(final Path file)
    {
        final byte[] pem = read("certificate chain", file);
        final List<X509Certificate> chain = new ArrayList<>();
        try
        {
            final CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (final java.security.cert.Certificate certificate :
                factory.generateCertificates(new ByteArrayInputStream(pem)))
            {
                chain.add((X509Certificate)certificate);
            }
        }
        catch (final CertificateException | RuntimeException ex)
        {
            throw new IllegalArgumentException("TLS certificate chain " + file + ": not PEM X.509 certificates " +
                "(-----BEGIN CERTIFICATE-----): " + ex.getMessage(), ex);
        }
        if (chain.isEmpty())
        {
            throw new IllegalArgumentException("TLS certificate chain " + file + ": holds no certificate " +
                "(-----BEGIN CERTIFICATE-----)");
        }
        return chain.toArray(new X509Certificate[0]);
    }

    private static PrivateKey readKey(final Path file)
    {
        final String pem = new String(read("private key", file), StandardCharsets.US_ASCII);
        final int begin = pem.indexOf(KEY_BEGIN);
        final int end = pem.indexOf(KEY_END);
        if (begin < 0 || end < begin)
        {
            final String found = pem.contains("-----BEGIN RSA PRIVATE KEY-----") ||
                pem.contains("-----BEGIN EC PRIVATE KEY-----") ? "a PKCS#1 or SEC 1 key; convert it with " +
                "`openssl pkcs8 -topk8 -nocrypt -in " + file + "`" : pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY") ?
                "an encrypted key; decrypt it with `openssl pkcs8 -nocrypt -in " + file + "`" : "no key";
            throw new IllegalArgumentException("TLS private key " + file + ": not an unencrypted PKCS#8 PEM key (" +
                KEY_BEGIN + "): " + found);
        }
        final byte[] der;
        try
        {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + KEY_BEGIN.length(), end));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("TLS private key " + file + ": the PEM body is not Base64: " +
                ex.getMessage(), ex);
        }
        for (final String algorithm : KEY_ALGORITHMS)
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            catch (final GeneralSecurityException | RuntimeException ex)
            {
                // Not a key of this algorithm: the next is tried.
                continue;
            }
        }
        throw new IllegalArgumentException("TLS private key " + file + ": not a PKCS#8 RSA, EC or EdDSA key");
    }

    /**
     * A key that does not belong to the certificate would pass the JDK's checks and fail every handshake.
     */
    private static void checkPair(
        final X509Certificate certificate, final Path chainFile, final PrivateKey key, final Path keyFile)
    {
        final String algorithm = signatureAlgorithm(key);
        final boolean matches;
        try
        {
            final byte[] probe = "rollbook TLS key check".getBytes(StandardCharsets.US_ASCII);
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        }
        catch (final GeneralSecurityException | RuntimeException ex)
        {
            throw new IllegalArgumentException("TLS private key " + keyFile + " does not match the certificate of " +
                chainFile + " (" + key.getAlgorithm() + " key, " + certificate.getPublicKey().getAlgorithm() +
                " certificate): " + ex.getMessage(), ex);
        }
        if (!matches)
        {
            throw new IllegalArgumentException("TLS private key " + keyFile + " does not match the certificate of " +
                chainFile + " (" + certificate.getSubjectX500Principal() + "): the first certificate of the chain " +
                "must be the server's own");
        }
    }

    private static String signatureAlgorithm(final PrivateKey key)
    {
        switch (key.getAlgorithm())
        {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
                return "SHA256withECDSA";
            default:
                // An EdDSA key names its own signature.
                return key.getAlgorithm();
        }
    }

    private static byte[] read(final String what, final Path file)
    {
        final long size;
        try
        {
            size = Files.size(file);
            if (size <= MAX_PEM_BYTES)
            {
                return Files.readAllBytes(file);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // The JDK's file exceptions often say nothing but the path, which the message names already.
            final String why = ex instanceof NoSuchFileException ? "no such file" :
                ex instanceof AccessDeniedException ? "permission denied" :
                ex.getMessage() != null && !ex.getMessage().equals(file.toString()) ? ex.getMessage() : ex.toString();
            throw new IllegalArgumentException("TLS " + what + " " + file + ": cannot read it: " + why, ex);
        }
        throw new IllegalArgumentException("TLS " + what + " " + file + ": it is " + size + " bytes, more than a PEM " +
            "file of keys and certificates is (at most " + MAX_PEM_BYTES + ")");
    }
}
