package io.rollbook.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configuration file an operator got wrong is refused with one sentence that names the file, the key and what is
 * wrong with its value, in the configuration's words (never Java's types or classes): an empty file, a document that
 * is not one object, a second object after the first, a key given twice, a value of the wrong type or out of range.
 */
class ConfigFileErrorsTest
{
    @TempDir
    Path directory;

    private static String defaults() throws IOException
    {
        try (var in = RollbookConfig.class.getResourceAsStream(RollbookConfig.DEFAULT_RESOURCE))
        {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String refusal(final String text) throws IOException
    {
        final Path file = directory.resolve("config.json");
        Files.writeString(file, text);
        final String message = assertThrows(ConfigException.class, () -> RollbookConfig.load(file)).getMessage();
        return message.substring((file + ": ").length());
    }

    private static String replacing(final String text, final String from, final String to)
    {
        if (!text.contains(from))
        {
            throw new IllegalArgumentException("not in the default configuration: " + from);
        }
        return text.replace(from, to);
    }

    private static void assertStarts(final String actual, final String expectedStart)
    {
        assertTrue(actual.startsWith(expectedStart), "expected a message starting \"" + expectedStart + "\", got \"" +
            actual + "\"");
    }

    /**
     * A file larger than one array holds (3 GiB, sparse; an image or a disk file given by mistake) is refused by its
     * size: read whole, it ended the start in an OutOfMemoryError with a stack trace.
     */
    @Test
    void aFileLargerThanAnyConfigurationIsRefusedBySize() throws IOException
    {
        final Path file = directory.resolve("huge.json");
        try (RandomAccessFile huge = new RandomAccessFile(file.toFile(), "rw"))
        {
            huge.setLength(3L << 30);
        }
        final String message = assertThrows(ConfigException.class, () -> RollbookConfig.load(file)).getMessage();
        assertEquals(file + ": the file is 3221225472 bytes, more than a configuration can be (at most 2147483639)",
            message);
    }

    @Test
    void aDocumentThatIsNotOneObjectIsNamedAsSuch() throws IOException
    {
        assertEquals("the file is empty; a configuration is one JSON object (docs/CONFIGURATION.md)", refusal(""));
        assertEquals("the file is empty; a configuration is one JSON object (docs/CONFIGURATION.md)",
            refusal(" \n\t\n"));
        assertEquals("a configuration is one JSON object, got null (docs/CONFIGURATION.md)", refusal("null"));
        assertEquals("a configuration must be one JSON object, got an array (line 1, column 1)", refusal("[]"));
    }

    @Test
    void aSecondObjectOrAKeyGivenTwiceIsRefusedNotIgnored() throws IOException
    {
        final String config = defaults();
        assertStarts(refusal(config + "\n{\"gateway\":{\"port\":1}}\n"),
            "more follows the configuration's object; a configuration file holds one JSON object (line ");
        assertStarts(refusal(replacing(config, "\"port\": 9001,", "\"port\": 9001, \"port\": 9002,")),
            "the key \"gateway.port\" is given twice; give each key once (line ");
        assertStarts(refusal(replacing(config, "\"accounts\": []", "\"journal\": 5, \"accounts\": []")),
            "the key \"journal\" is given twice");
    }

    @Test
    void aValueOfTheWrongTypeIsNamedInTheConfigurationsWords() throws IOException
    {
        final String config = defaults();
        final String anInt = "a whole number from -2147483648 to 2147483647, got ";
        assertStarts(refusal(replacing(config, "\"port\": 9001", "\"port\": \"abc\"")),
            "gateway.port must be " + anInt + "the string \"abc\"");
        assertStarts(refusal(replacing(config, "\"port\": 9001", "\"port\": 99999999999999")),
            "gateway.port must be " + anInt + "99999999999999");
        assertStarts(refusal(replacing(config, "\"minFreeBytes\": 1073741824", "\"minFreeBytes\": true")),
            "journal.minFreeBytes must be a whole number from -9223372036854775808 to 9223372036854775807, got true");
        assertStarts(refusal(replacing(config, "\"enabled\": true", "\"enabled\": \"yes\"")),
            "commitments.enabled must be true or false, got the string \"yes\"");
        assertStarts(refusal(replacing(config, "\"sync\": \"none\"", "\"sync\": {}")),
            "journal.sync must be a string, got an object");
        assertStarts(refusal(replacing(config, "\"accounts\": []", "\"accounts\": 5")),
            "accounts must be an array, got 5");
        assertStarts(refusal("{\"matcher\": [1]}"), "matcher must be one JSON object, got an array");
    }
}
