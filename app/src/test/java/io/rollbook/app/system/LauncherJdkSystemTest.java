package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./rollbook} launcher runs the JDK that {@code JAVA_HOME} names, adds the flag JDK 23 and later need
 * (and JDK 17 refuses), and refuses a JDK older than 17 with a message. Runs a copy of the launcher beside a jar
 * that is up to date (no sources, so nothing is built) with a stand-in {@code java} that prints its arguments.
 */
@Tag("system")
class LauncherJdkSystemTest
{
    @TempDir
    Path checkout;

    @TempDir
    Path jdk;

    private Path launcher;
    private Path jar;

    @BeforeEach
    void layOut() throws IOException
    {
        launcher = checkout.resolve("rollbook");
        Files.copy(Path.of("..", "rollbook"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        jar = checkout.resolve("app").resolve("target").resolve("rollbook.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[0]);
        final Path java = jdk.resolve("bin").resolve("java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void jdk25GetsTheUnsafeMemoryAccessFlagAndTheOptions() throws Exception
    {
        release("25.0.1");
        final Result result = launch();
        assertEquals(0, result.exit, result.err);
        assertEquals(List.of("--sun-misc-unsafe-memory-access=allow", "-Duser.language=tr", "-Duser.country=TR",
            "-jar", jar.toString(), "audit", "--data", "d"), result.out.lines().toList());
    }

    @Test
    void jdk17GetsNoFlagItWouldRefuse() throws Exception
    {
        release("17.0.15");
        final Result result = launch();
        assertEquals(0, result.exit, result.err);
        assertFalse(result.out.contains("--sun-misc-unsafe-memory-access"), result.out);
        assertTrue(result.out.startsWith("-Duser.language=tr\n"), result.out);
    }

    @Test
    void anOlderJdkIsRefusedWithAMessage() throws Exception
    {
        release("11.0.2");
        final Result result = launch();
        assertEquals(2, result.exit, result.out);
        assertEquals("", result.out);
        assertTrue(result.err.contains("is JDK 11; Rollbook needs JDK 17 or later"), result.err);
    }

    @Test
    void aSymlinkToTheLauncherRunFromAnotherDirectoryFindsTheCheckoutsJar() throws Exception
    {
        release("17.0.15");
        final Path elsewhere = jdk.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        final Path link = Files.createSymbolicLink(elsewhere.resolve("rollbook"), launcher);
        final Result result = launch(link, elsewhere);
        assertEquals(0, result.exit, result.err);
        assertTrue(result.out.contains("-jar\n" + jar + "\naudit\n"), result.out);
        assertEquals("", result.err, "nothing to build: the checkout's jar is up to date");
    }

    private void release(final String version) throws IOException
    {
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    }

    private record Result(int exit, String out, String err)
    {
    }

    private Result launch() throws Exception
    {
        return launch(launcher, checkout);
    }

    private Result launch(final Path script, final Path workingDirectory) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "audit", "--data", "d")
            .directory(workingDirectory.toFile());
        builder.environment().put("JAVA_HOME", jdk.toString());
        builder.environment().put("ROLLBOOK_JAVA_OPTS", "-Duser.language=tr -Duser.country=TR");
        final Path out = checkout.resolve("out.txt");
        final Path err = checkout.resolve("err.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        final Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher ends");
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    }
}
