package io.rollbook.matcher.purity;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.rollbook.matcher.Matcher;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The matcher is a pure state machine: replaying the same commands must give byte-identical events on any
 * machine. This test reads every compiled class of the matcher module and fails if any of them refers to a
 * clock, randomness, threads or concurrency, I/O, the environment, identity hash codes, or hash collections whose
 * iteration order could leak into output.
 */
class MatcherPurityTest
{
    /** Whole packages or classes a matcher class may not name (prefix match on internal names). */
    private static final List<String> FORBIDDEN_TYPES = List.of(
        "java/lang/Thread",
        "java/lang/ThreadLocal",
        "java/lang/Runtime",
        "java/lang/ProcessBuilder",
        "java/lang/reflect/",
        "java/util/concurrent/",
        "java/util/Timer",
        "java/util/Random",
        "java/util/SplittableRandom",
        "java/security/SecureRandom",
        "java/time/",
        "java/io/File",
        "java/io/InputStream",
        "java/io/OutputStream",
        "java/io/Reader",
        "java/io/Writer",
        "java/io/PrintStream",
        "java/nio/file/",
        "java/nio/channels/",
        "java/net/",
        "java/util/HashMap",
        "java/util/HashSet",
        "java/util/Hashtable",
        "java/util/IdentityHashMap",
        "java/util/WeakHashMap",
        "org/agrona/concurrent/",
        "org/agrona/collections/ObjectHashSet",
        "org/agrona/collections/Object2ObjectHashMap");

    /** Members a matcher class may not use. */
    private static final List<String> FORBIDDEN_MEMBERS = List.of(
        "java/lang/System.currentTimeMillis",
        "java/lang/System.nanoTime",
        "java/lang/System.getenv",
        "java/lang/System.getProperty",
        "java/lang/System.getProperties",
        "java/lang/System.identityHashCode",
        "java/lang/System.out",
        "java/lang/System.err",
        "java/lang/System.in",
        "java/lang/Math.random",
        "java/lang/StrictMath.random",
        "java/lang/Object.hashCode");

    /** Iterating an open-addressing map walks its hash order: fine to probe, never to iterate. */
    private static final List<String> FORBIDDEN_ITERATION = List.of(
        ".values", ".keySet", ".entrySet", ".forEach", ".forEachLong", ".forEachInt", ".iterator");

    @Test
    void matcherClassesReferNothingImpure() throws IOException, URISyntaxException
    {
        final Path classes = classesRoot();
        final List<Path> classFiles;
        try (Stream<Path> walk = Files.walk(classes))
        {
            classFiles = walk.filter(path -> path.toString().endsWith(".class")).toList();
        }
        assertTrue(classFiles.size() > 10, "expected the matcher's classes under " + classes);

        final List<String> violations = new ArrayList<>();
        for (final Path classFile : classFiles)
        {
            try (InputStream in = Files.newInputStream(classFile))
            {
                violations.addAll(violations(classes.relativize(classFile).toString(), ClassReferences.read(in)));
            }
        }

        assertEquals(List.of(), violations, "the matcher must stay a pure state machine");
    }

    @Test
    void detectsEachKindOfViolation() throws IOException
    {
        final List<String> found = violationsOf(ImpureFixture.class);

        assertTrue(found.stream().anyMatch(v -> v.contains("java/lang/System.nanoTime")), found.toString());
        assertTrue(found.stream().anyMatch(v -> v.contains("java/util/Random")), found.toString());
        assertTrue(found.stream().anyMatch(v -> v.contains("java/util/HashMap")), found.toString());
        assertTrue(found.stream().anyMatch(v -> v.contains("java/lang/Thread")), found.toString());
        assertTrue(found.stream().anyMatch(v -> v.contains("Long2ObjectHashMap.values")), found.toString());
        assertTrue(found.stream().anyMatch(v -> v.contains("java/lang/System.identityHashCode")), found.toString());
    }

    @Test
    void passesAPureClass() throws IOException
    {
        assertFalse(violationsOf(Matcher.class).iterator().hasNext());
    }

    private static List<String> violationsOf(final Class<?> type) throws IOException
    {
        final String resource = "/" + type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getResourceAsStream(resource))
        {
            return violations(type.getName(), ClassReferences.read(in));
        }
    }

    private static List<String> violations(final String where, final ClassReferences references)
    {
        final List<String> violations = new ArrayList<>();
        for (final String type : references.classes)
        {
            if (isForbiddenType(type))
            {
                violations.add(where + " names " + type);
            }
        }
        for (final String text : references.utf8)
        {
            for (final String forbidden : FORBIDDEN_TYPES)
            {
                if (text.contains("L" + forbidden))
                {
                    violations.add(where + " uses the type " + forbidden + " in " + text);
                }
            }
        }
        for (final String member : references.members)
        {
            if (FORBIDDEN_MEMBERS.contains(member))
            {
                violations.add(where + " uses " + member);
            }
            if (member.startsWith("org/agrona/collections/") &&
                FORBIDDEN_ITERATION.stream().anyMatch(member::endsWith))
            {
                violations.add(where + " iterates a hash collection: " + member);
            }
        }

        return violations;
    }

    private static boolean isForbiddenType(final String type)
    {
        final String element = type.startsWith("[") ? type.replaceFirst("^\\[+L", "").replace(";", "") : type;
        return FORBIDDEN_TYPES.stream().anyMatch(element::startsWith);
    }

    private static Path classesRoot() throws URISyntaxException
    {
        final Path matcherClass = Path.of(Matcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return matcherClass.resolve("io/rollbook/matcher");
    }
}
