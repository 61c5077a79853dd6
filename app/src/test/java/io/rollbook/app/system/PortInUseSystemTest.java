package io.rollbook.app.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollbook.app.config.RollbookConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port another process holds stops {@code rollbook run} before it writes anything: the message names the setting
 * (the option, or the configuration key) and the port, the exit code is 2, and the data directory is as it was (none
 * created where there was none; an empty one left empty, no genesis in it).
 */
@Tag("system")
class PortInUseSystemTest
{
    @TempDir
    Path work;

    @Test
    void theBinaryPortHeldByAnotherProcessIsNamedAndNoDataDirectoryIsCreated() throws Exception
    {
        final Path data = work.resolve("data");
        try (ServerSocket taken = new ServerSocket(0);
            RunProcess run = RunProcess.startExactly(work.resolve("binary.err"), List.of("--data", data.toString(),
                "--port", Integer.toString(taken.getLocalPort()), "--http-port", "0")))
        {
            assertEquals(2, run.awaitExit(), "output " + run.lines() + "; errors " + run.errors());
            assertTrue(run.errors().contains("rollbook run: --port " + taken.getLocalPort() + " (the binary " +
                "gateway's port, on gateway.bindAddress 0.0.0.0): cannot listen on 0.0.0.0:" +
                taken.getLocalPort() + ": the port is in use (another process listens on it); nothing was written " +
                "to " + data), run.errors());
            assertTrue(run.lines().isEmpty(), "it printed nothing on standard output: " + run.lines());
        }
        assertFalse(Files.exists(data), "no data directory was created");
    }

    @Test
    void theHttpPortOfTheConfigurationHeldByAnotherProcessIsNamedByItsKeyAndTheDataDirectoryStaysEmpty()
        throws Exception
    {
        final Path data = Files.createDirectory(work.resolve("data"));
        try (ServerSocket taken = new ServerSocket(0))
        {
            final Path config = work.resolve("rollbook.json");
            final ObjectMapper json = new ObjectMapper();
            final ObjectNode document;
            try (InputStream defaults = RollbookConfig.class.getResourceAsStream(RollbookConfig.DEFAULT_RESOURCE))
            {
                document = (ObjectNode)json.readTree(defaults);
            }
            ((ObjectNode)document.get("gateway")).put("port", 0);
            document.putObject("http").put("port", taken.getLocalPort());
            ((ObjectNode)document.get("journal")).put("dataDir", data.toString());
            json.writeValue(config.toFile(), document);
            try (RunProcess run = RunProcess.startExactly(work.resolve("http.err"),
                List.of("--config", config.toString())))
            {
                assertEquals(2, run.awaitExit(), "output " + run.lines() + "; errors " + run.errors());
                assertTrue(run.errors().contains("rollbook run: http.port " + taken.getLocalPort() + " (the HTTP " +
                    "port, on http.bindAddress 0.0.0.0): cannot listen on 0.0.0.0:" + taken.getLocalPort() +
                    ": the port is in use"), run.errors());
            }
        }
        try (Stream<Path> files = Files.list(data))
        {
            assertEquals(List.of(), files.toList(), "the data directory holds nothing new");
        }
    }
}
