package io.rollbook.bench.load;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A key file that is not in the demo format is refused naming the file and what is wrong, in place of a parser's
 * message about a stream or a key of no account.
 */
class DemoKeysTest
{
    private static final String KEY = "27f8d0a4a564a306e93e8caf455a74fa9948c2c2a8cc2df49f14cf183a663397";

    @TempDir
    Path dir;

    @Test
    void theEmbeddedKeysLoad()
    {
        final DemoKeys keys = DemoKeys.load(null);
        assertEquals("demo-operator", keys.operatorName());
        assertEquals(101, keys.account(0));
    }

    @Test
    void aFileThatIsNoJsonIsNamedWithTheLineAndColumn() throws Exception
    {
        final Path file = write("{");
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> DemoKeys.load(file));
        assertEquals("the key file " + file + " is not valid JSON at line 1, column 2: Unexpected end-of-input: " +
            "expected close marker for Object", refused.getMessage());
    }

    @Test
    void aFileOfAnotherShapeSaysWhatIsMissing() throws Exception
    {
        assertRefused("[]", "it must be one JSON object");
        assertRefused("{\"accounts\":[]}", "operator.privateKey is missing: 64 hex digits");
        assertRefused("{\"operator\":{\"name\":\"op\",\"privateKey\":\"" + KEY + "\"}}",
            "accounts must be an array of at least one");
        assertRefused("{\"operator\":{\"name\":\"op\",\"privateKey\":\"" + KEY + "\"},\"accounts\":[{\"account\":101," +
            "\"privateKey\":\"zz\"}]}", "the private key of account 101: private key must be 64 hex digits");
        assertRefused("{\"operator\":{\"name\":\"op\",\"privateKey\":\"" + KEY + "\"},\"accounts\":[{\"privateKey\":\"" +
            KEY + "\"}]}", "accounts[0].account must be a positive account id");
    }

    @Test
    void aFileThatCannotBeReadStaysAnInputOutputError()
    {
        final Path missing = dir.resolve("missing.json");
        final UncheckedIOException refused = assertThrows(UncheckedIOException.class, () -> DemoKeys.load(missing));
        assertTrue(refused.getMessage().contains(missing.toString()), refused.getMessage());
    }

    private void assertRefused(final String text, final String what) throws Exception
    {
        final Path file = write(text);
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> DemoKeys.load(file), text);
        assertTrue(refused.getMessage().startsWith("the key file " + file + " is not in the demo format " +
            "(config/demo-keys.json): " + what), refused.getMessage());
    }

    private Path write(final String text) throws Exception
    {
        final Path file = Files.createTempFile(dir, "keys", ".json");
        Files.writeString(file, text);
        return file;
    }
}
