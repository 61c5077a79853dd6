package io.rollbook.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.rollbook.gateway.binary.BinaryGateway;
import org.junit.jupiter.api.Test;

/**
 * The gateway sees the sequencer only through its publish and release API (and its metrics registry) and the journal
 * through its reader; it
 * never touches the matcher (DESIGN.md, module table). Every compiled class of the gateway's main code is read,
 * and none may name a class of {@code io.rollbook.matcher} or the sequencer's internals.
 */
class ModuleBoundaryTest
{
    private static final List<String> ALLOWED_SEQUENCER = List.of(
        "io/rollbook/sequencer/CommandPublisher", "io/rollbook/sequencer/ReleaseListener",
        "io/rollbook/sequencer/BatchReleaseListener",
        "io/rollbook/sequencer/Sequencer", "io/rollbook/sequencer/Sequencer$Context",
        "io/rollbook/sequencer/Recovery", "io/rollbook/sequencer/Recovery$Result",
        "io/rollbook/sequencer/metrics/MetricsRegistry", "io/rollbook/sequencer/metrics/MetricsRegistry$Family");

    @Test
    void gatewayClassesNeverReferToTheMatcher() throws Exception
    {
        final Path classes = Path.of(BinaryGateway.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(classes))
        {
            files = walk.filter(file -> file.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertTrue(files.size() > 20, "found the gateway's classes in " + classes);
        final StringBuilder violations = new StringBuilder();
        final Pattern sequencerClass = Pattern.compile("io/rollbook/sequencer/[A-Za-z0-9_$/]+");
        for (final Path file : files)
        {
            for (final String constant : utf8Constants(file))
            {
                if (constant.contains("io/rollbook/matcher/"))
                {
                    violations.append(classes.relativize(file)).append(" refers to the matcher: ").append(constant)
                        .append('\n');
                }
                final Matcher names = sequencerClass.matcher(constant);
                while (names.find())
                {
                    if (!ALLOWED_SEQUENCER.contains(names.group()))
                    {
                        violations.append(classes.relativize(file)).append(" refers to ").append(names.group())
                            .append('\n');
                    }
                }
            }
        }
        assertEquals("", violations.toString());
    }

    /**
     * @return the UTF-8 entries of a class file's constant pool: every class name, descriptor and signature in it
     */
    private static List<String> utf8Constants(final Path file) throws IOException
    {
        final List<String> constants = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file)))
        {
            in.readInt();
            in.readUnsignedShort();
            in.readUnsignedShort();
            final int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++)
            {
                final int tag = in.readUnsignedByte();
                switch (tag)
                {
                    case 1:
                        constants.add(in.readUTF());
                        break;
                    case 3:
                    case 4:
                        in.readInt();
                        break;
                    case 5:
                    case 6:
                        in.readLong();
                        i++;
                        break;
                    case 7:
                    case 8:
                    case 16:
                    case 19:
                    case 20:
                        in.readUnsignedShort();
                        break;
                    case 15:
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                        break;
                    default:
                        in.readUnsignedShort();
                        in.readUnsignedShort();
                        break;
                }
            }
        }
        return constants;
    }
}
