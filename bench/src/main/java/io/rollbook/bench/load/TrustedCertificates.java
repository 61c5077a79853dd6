package io.rollbook.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS for the load generators: the JVM's trusted authorities, or the certificates of one PEM file
 * (a self-signed certificate of a test service) and nothing else.
 */
final class TrustedCertificates
{
    private TrustedCertificates()
    {
    }

    /**
     * @param pem PEM certificates to trust, or null for the JVM's trusted authorities
     * @return a client context
     * @throws IllegalArgumentException naming the file, if it cannot be read or holds no certificate
     */
    static SSLContext context(final Path pem)
    {
        try
        {
            if (pem == null)
            {
                return SSLContext.getDefault();
            }
            final KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            try (InputStream in = Files.newInputStream(pem))
            {
                int i = 0;
                for (final Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in))
                {
                    trusted.setCertificateEntry("trusted-" + i++, certificate);
                }
                if (i == 0)
                {
                    throw new IllegalArgumentException("--tls-trust " + pem + ": holds no PEM certificate");
                }
            }
            final TrustManagerFactory factory =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            final String what = pem == null ? "the JVM's trusted authorities" : "--tls-trust " + pem;
            throw new IllegalArgumentException(what + ": " + ex.getMessage(), ex);
        }
    }
}
