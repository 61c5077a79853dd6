package io.rollbook.gateway.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static files: only plain names inside the folder, content types by extension.
 */
final class StaticFilesTest
{
    private final StaticFiles files = new StaticFiles("web-test", StaticFilesTest.class.getClassLoader());

    @Test
    void servesTheFolderOnly()
    {
        assertNotNull(files.read("/"));
        assertNotNull(files.read("/index.html"));
        assertNotNull(files.read("/css/site.css"));
        assertNull(files.read("/../outside.txt"));
        assertNull(files.read("/css/../../outside.txt"));
        assertNull(files.read("//outside.txt"));
        assertNull(files.read("/.hidden"));
        assertNull(files.read("/css\\site.css"));
        assertNull(files.read("/nothing.html"));
        assertNull(files.read("relative.html"));
        assertNull(files.read("/css"), "a folder is not a file");
    }

    @Test
    void safeNames()
    {
        assertTrue(StaticFiles.isSafe("a/b-c_d.e.js"));
        assertFalse(StaticFiles.isSafe(".."));
        assertFalse(StaticFiles.isSafe("a/../b"));
        assertFalse(StaticFiles.isSafe("a//b"));
        assertFalse(StaticFiles.isSafe("a/%2e"));
        assertFalse(StaticFiles.isSafe("-rf"));
        assertFalse(StaticFiles.isSafe(""));
        assertFalse(StaticFiles.isSafe("a\u0000b"));
    }

    @Test
    void contentTypes()
    {
        assertEquals("text/html; charset=utf-8", StaticFiles.contentType("/"));
        assertEquals("text/html; charset=utf-8", StaticFiles.contentType("/a/index.html"));
        assertEquals("text/javascript; charset=utf-8", StaticFiles.contentType("/app.js"));
        assertEquals("text/css; charset=utf-8", StaticFiles.contentType("/s.css"));
        assertEquals("application/json", StaticFiles.contentType("/d.json"));
        assertEquals("image/svg+xml", StaticFiles.contentType("/i.svg"));
        assertEquals("application/octet-stream", StaticFiles.contentType("/x.bin"));
    }
}
