package io.rollbook.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The example market maker printed in docs/ORDER-ENTRY.md is the source that ClientGuideSystemTest runs: a change to
 * either without the other fails here, so the guide never shows code that does not compile or no longer works.
 */
class ClientGuideDocTest
{
    private static final Path GUIDE = Path.of("..", "docs", "ORDER-ENTRY.md");
    private static final Path EXAMPLE = Path.of("src", "test", "java", "io", "rollbook", "gateway", "system",
        "SpreadQuoter.java");
    private static final String SECTION = "\n## Using the Java client\n";
    private static final String OPENING = "```java\n";
    private static final String CLOSING = "```\n";

    @Test
    void theGuideShowsTheExampleSourceAsItIs() throws IOException
    {
        final String guide = Files.readString(GUIDE);
        final int section = guide.indexOf(SECTION);
        assertTrue(section >= 0, GUIDE + " has no section \"Using the Java client\"");
        final int start = guide.indexOf(OPENING, section);
        assertTrue(start >= 0, "the section has no java block");
        final int end = guide.indexOf(CLOSING, start + OPENING.length());
        assertTrue(end >= 0, "the section's java block is not closed");

        final String source = Files.readString(EXAMPLE);
        final String withoutPackage = source.substring(source.indexOf("\n\n") + 2);
        assertEquals(withoutPackage, guide.substring(start + OPENING.length(), end),
            "docs/ORDER-ENTRY.md must show " + EXAMPLE + " from its imports on");
    }
}
