package io.rollbook.gateway.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed test certificates, made at test time with the JDK's {@code keytool} (as an operator would, see
 * docs/OPERATIONS.md) and exported to the PEM files the server reads: no key material lives in the repository.
 * Each is an EC P-256 key for {@code localhost} and {@code 127.0.0.1}, valid for a few days.
 */
public final class TestCertificates
{
    private static final String PASSWORD = "test-only";

    /**
     * A certificate and its key, as PEM files.
     *
     * @param chain       the certificate chain file (one self-signed certificate)
     * @param key         the PKCS#8 private key file
     * @param certificate the certificate, for a client to trust
     */
    public record Pair(Path chain, Path key, X509Certificate certificate)
    {
        /**
         * @return a client TLS context that trusts this certificate only
         */
        public SSLContext clientContext() throws GeneralSecurityException, IOException
        {
            final KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("server", certificate);
            final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
    }

    private TestCertificates()
    {
    }

    /**
     * Makes a new key and self-signed certificate in {@code directory}, as {@code name-chain.pem} and
     * {@code name-key.pem}.
     */
    public static Pair generate(final Path directory, final String name) throws IOException, GeneralSecurityException,
        InterruptedException
    {
        final Path store = directory.resolve(name + ".p12");
        final Process keytool = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", name,
            "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost",
            "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "7", "-storetype", "PKCS12", "-keystore",
            store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
            .redirectErrorStream(true)
            .start();
        final String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0)
        {
            throw new IllegalStateException("keytool failed: " + output);
        }
        final KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store))
        {
            keys.load(in, PASSWORD.toCharArray());
        }
        final PrivateKey key = (PrivateKey)keys.getKey(name, PASSWORD.toCharArray());
        final Certificate certificate = keys.getCertificate(name);
        final Path chainFile = directory.resolve(name + "-chain.pem");
        final Path keyFile = directory.resolve(name + "-key.pem");
        Files.writeString(chainFile, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        return new Pair(chainFile, keyFile, (X509Certificate)certificate);
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" +
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }
}
