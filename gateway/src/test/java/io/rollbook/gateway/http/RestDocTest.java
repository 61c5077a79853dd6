package io.rollbook.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollbook.protocol.engine.RejectReason;
import org.junit.jupiter.api.Test;

/**
 * docs/REST.md and docs/openapi.json against the trader API's code: REST.md explains every error code the API's
 * sources can answer and no code they cannot; openapi.json is JSON whose every {@code $ref} resolves, whose every
 * security requirement names a defined scheme, and which names no error code REST.md does not explain.
 */
class RestDocTest
{
    private static final Path REST_DOCUMENT = Path.of("..", "docs", "REST.md");
    private static final Path OPEN_API = Path.of("..", "docs", "openapi.json");
    private static final List<Path> ANSWERING_SOURCES = List.of(
        Path.of("src", "main", "java", "io", "rollbook", "gateway", "http"),
        Path.of("src", "main", "java", "io", "rollbook", "gateway", "core"));
    private static final Pattern CODE_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{4,})\"");
    private static final Set<String> METHODS = Set.of("POST", "PATCH", "DELETE", "HEAD");
    private static final Pattern ERROR_ROW = Pattern.compile("^\\| [0-9]{3} \\| `([A-Z_]+)` \\|");
    private static final Pattern CODE_IN_TEXT = Pattern.compile("\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\b");

    @Test
    void restMdExplainsExactlyTheCodesTheApiAnswers() throws IOException
    {
        final TreeSet<String> answered = answeredCodes();
        final String document = Files.readString(REST_DOCUMENT);
        final TreeSet<String> tabled = errorTable(document);

        final TreeSet<String> unexplained = new TreeSet<>(answered);
        unexplained.removeIf(code -> document.contains("`" + code + "`"));
        assertEquals(new TreeSet<String>(), unexplained,
            "codes the API answers that " + REST_DOCUMENT + " does not name");

        final TreeSet<String> neverAnswered = new TreeSet<>(tabled);
        neverAnswered.removeAll(answered);
        assertEquals(new TreeSet<String>(), neverAnswered,
            "codes in " + REST_DOCUMENT + "'s Errors table that no source answers");
    }

    @Test
    void openApiIsConsistentAndNamesOnlyExplainedCodes() throws IOException
    {
        final JsonNode openApi = new ObjectMapper().readTree(Files.readString(OPEN_API));
        final TreeSet<String> unresolved = new TreeSet<>();
        final TreeSet<String> security = new TreeSet<>();
        final TreeSet<String> named = new TreeSet<>();
        final int refs = walk(openApi, openApi, unresolved, security, named);
        assertTrue(refs > 10, "read the document's references: " + refs);
        assertEquals(new TreeSet<String>(), unresolved, OPEN_API + ": references that resolve to nothing");

        final TreeSet<String> schemes = new TreeSet<>();
        openApi.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        assertEquals(schemes, security, OPEN_API + ": the security schemes operations use are the ones defined");

        final String document = Files.readString(REST_DOCUMENT);
        final TreeSet<String> unexplained = new TreeSet<>(named);
        unexplained.removeIf(code -> document.contains("`" + code + "`") || isRejectReason(code));
        assertEquals(new TreeSet<String>(), unexplained, OPEN_API + " names codes " + REST_DOCUMENT + " does not");
    }

    private static boolean isRejectReason(final String code)
    {
        for (final RejectReason reason : RejectReason.values())
        {
            if (reason != RejectReason.NULL_VAL && reason.name().equals(code))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the number of references met
     */
    private static int walk(
        final JsonNode root,
        final JsonNode node,
        final Set<String> unresolved,
        final Set<String> security,
        final Set<String> named)
    {
        int refs = 0;
        if (node.isObject())
        {
            final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext())
            {
                final Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("$ref"))
                {
                    refs++;
                    final String ref = field.getValue().asText();
                    if (!ref.startsWith("#/") || root.at(ref.substring(1)).isMissingNode())
                    {
                        unresolved.add(ref);
                    }
                }
                else if (field.getKey().equals("security"))
                {
                    field.getValue().forEach(requirement -> requirement.fieldNames().forEachRemaining(security::add));
                }
                else if (field.getKey().equals("description") && field.getValue().isTextual())
                {
                    final Matcher code = CODE_IN_TEXT.matcher(field.getValue().asText());
                    while (code.find())
                    {
                        named.add(code.group());
                    }
                }
                refs += walk(root, field.getValue(), unresolved, security, named);
            }
        }
        else if (node.isArray())
        {
            for (final JsonNode element : node)
            {
                refs += walk(root, element, unresolved, security, named);
            }
        }
        return refs;
    }

    private static TreeSet<String> answeredCodes() throws IOException
    {
        final TreeSet<String> codes = new TreeSet<>();
        for (final Path sources : ANSWERING_SOURCES)
        {
            try (Stream<Path> files = Files.list(sources))
            {
                for (final Path file : (Iterable<Path>)files.filter(f -> f.toString().endsWith(".java"))::iterator)
                {
                    final Matcher code = CODE_LITERAL.matcher(Files.readString(file));
                    while (code.find())
                    {
                        codes.add(code.group(1));
                    }
                }
            }
        }
        codes.removeAll(METHODS);
        assertTrue(codes.size() > 30, "read the API's codes: " + codes);
        return codes;
    }

    private static TreeSet<String> errorTable(final String document)
    {
        final TreeSet<String> codes = new TreeSet<>();
        for (final String line : document.split("\n"))
        {
            final Matcher row = ERROR_ROW.matcher(line);
            if (row.find())
            {
                codes.add(row.group(1));
            }
        }
        assertTrue(codes.size() > 30, REST_DOCUMENT + ": the Errors table");
        return codes;
    }
}
