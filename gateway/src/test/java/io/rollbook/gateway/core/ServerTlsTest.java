package io.rollbook.gateway.core;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's TLS files are checked at start, each error naming the file and what is wrong with it: a file that
 * cannot be read, one that holds no certificate or no PKCS#8 key, a key of another format, a key of another
 * certificate. A good pair gives a server context that offers TLS 1.2 and 1.3 only.
 */
final class ServerTlsTest
{
    @TempDir
    static Path directory;
    private static TestCertificates.Pair server;
    private static TestCertificates.Pair other;

    @BeforeAll
    static void generate() throws Exception
    {
        server = TestCertificates.generate(directory, "server");
        other = TestCertificates.generate(directory, "other");
    }

    private static String refusal(final Path chain, final Path key)
    {
        return assertThrows(IllegalArgumentException.class, () -> ServerTls.load(chain, key)).getMessage();
    }

    @Test
    void aMatchingPairGivesAServerContextOfferingTls12And13Only() throws Exception
    {
        final SslContext context = ServerTls.load(server.chain(), server.key());
        assertTrue(context.isServer());
        final String[] protocols = context.newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols();
        Arrays.sort(protocols);
        assertEquals("[TLSv1.2, TLSv1.3]", Arrays.toString(protocols));
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles()
    {
        final String message = refusal(server.chain(), other.key());
        assertTrue(message.startsWith("TLS private key " + other.key() + " does not match the certificate of " +
            server.chain()), message);
    }

    @Test
    void aFileThatCannotBeReadIsRefusedNamingIt()
    {
        final Path missing = directory.resolve("missing.pem");
        assertEquals("TLS certificate chain " + missing + ": cannot read it: no such file",
            refusal(missing, server.key()));
        assertTrue(refusal(server.chain(), missing).startsWith("TLS private key " + missing + ": cannot read it"));
        assertEquals("TLS private key " + directory + ": cannot read it: Is a directory",
            refusal(server.chain(), directory));
    }

    @Test
    void aFileFarLargerThanAnyKeyOrChainIsRefusedBySizeNotReadWhole() throws Exception
    {
        final Path huge = directory.resolve("huge.pem");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw"))
        {
            file.setLength(3L << 30);
        }
        assertEquals("TLS certificate chain " + huge + ": it is 3221225472 bytes, more than a PEM file of keys and " +
            "certificates is (at most 1048576)", refusal(huge, server.key()));
    }

    @Test
    void aChainWithoutACertificateIsRefusedNamingIt() throws Exception
    {
        final Path empty = Files.writeString(directory.resolve("empty.pem"), "");
        assertTrue(refusal(empty, server.key()).startsWith("TLS certificate chain " + empty + ": holds no certificate"));
        // The key's file in place of the chain's: a common slip.
        final String swapped = refusal(server.key(), server.chain());
        assertTrue(swapped.startsWith("TLS certificate chain " + server.key() + ": "), swapped);
    }

    @Test
    void aKeyThatIsNotUnencryptedPkcs8IsRefusedSayingWhatItIs() throws Exception
    {
        final String body = Files.readString(server.key()).replace("-----BEGIN PRIVATE KEY-----\n", "")
            .replace("-----END PRIVATE KEY-----\n", "");
        final Path pkcs1 = Files.writeString(directory.resolve("pkcs1.pem"), "-----BEGIN EC PRIVATE KEY-----\n" + body +
            "-----END EC PRIVATE KEY-----\n");
        final String sec1 = refusal(server.chain(), pkcs1);
        assertTrue(sec1.startsWith("TLS private key " + pkcs1 + ": not an unencrypted PKCS#8 PEM key"), sec1);
        assertTrue(sec1.contains("openssl pkcs8 -topk8 -nocrypt"), sec1);

        final Path encrypted = Files.writeString(directory.resolve("encrypted.pem"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "-----END ENCRYPTED PRIVATE KEY-----\n");
        assertTrue(refusal(server.chain(), encrypted).contains("an encrypted key"));

        final Path garbage = Files.write(directory.resolve("garbage.pem"), ("-----BEGIN PRIVATE KEY-----\nAAAA\n" +
            "-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII));
        final String notAKey = refusal(server.chain(), garbage);
        assertEquals("TLS private key " + garbage + ": not a PKCS#8 RSA, EC or EdDSA key", notAKey);
    }
}
