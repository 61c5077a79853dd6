package io.rollbook.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIGURATION.md documents exactly the keys the configuration accepts (read from {@link RollbookConfig}'s
 * JSON bindings), among them every key of the embedded default configuration, and shows the embedded value of
 * every key outside a list as the default file has it.
 */
class ConfigurationDocTest
{
    private static final Path DOCUMENT = Path.of("..", "docs", "CONFIGURATION.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z0-9.\\[\\]]+)` \\| ([^|]*) \\|");

    @Test
    void everyKeyIsDocumentedAndEveryDocumentedKeyExists() throws Exception
    {
        final Map<String, String> documented = documentedKeys();
        final TreeSet<String> accepted = new TreeSet<>();
        bindings(documentClass(), "", accepted);
        final TreeSet<String> embedded = new TreeSet<>();
        final Map<String, String> embeddedValues = new LinkedHashMap<>();
        leaves(embeddedDefault(), "", embedded, embeddedValues);

        assertTrue(accepted.size() > 60, "read the configuration's bindings: " + accepted);
        assertTrue(accepted.containsAll(embedded), "the embedded configuration uses only accepted keys");
        final TreeSet<String> undocumented = new TreeSet<>(accepted);
        undocumented.removeAll(documented.keySet());
        assertEquals(new TreeSet<String>(), undocumented, "configuration keys missing from " + DOCUMENT);
        final TreeSet<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(accepted);
        assertEquals(new TreeSet<String>(), unknown, "keys in " + DOCUMENT + " that the configuration does not accept");

        for (final Map.Entry<String, String> value : embeddedValues.entrySet())
        {
            assertEquals(value.getValue(), documented.get(value.getKey()),
                DOCUMENT + ": the embedded value of " + value.getKey());
        }
    }

    private static Map<String, String> documentedKeys() throws IOException
    {
        final Map<String, String> keys = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(DOCUMENT))
        {
            final Matcher row = ROW.matcher(line);
            if (row.find())
            {
                final String previous = keys.put(row.group(1), row.group(2).trim().replace("`", ""));
                assertEquals(null, previous, DOCUMENT + " lists " + row.group(1) + " twice");
            }
        }
        return keys;
    }

    private static Class<?> documentClass()
    {
        for (final Class<?> nested : RollbookConfig.class.getDeclaredClasses())
        {
            if (nested.getSimpleName().equals("Document"))
            {
                return nested;
            }
        }
        throw new AssertionError("RollbookConfig.Document not found");
    }

    /**
     * Collects the key paths of a bound class: {@code section.key}, {@code list[].key}.
     */
    private static void bindings(final Class<?> type, final String prefix, final TreeSet<String> keys)
    {
        for (final Field field : type.getDeclaredFields())
        {
            final JsonProperty property = field.getAnnotation(JsonProperty.class);
            if (property == null)
            {
                continue;
            }
            final String path = prefix + property.value();
            Type element = field.getGenericType();
            String elementPath = path;
            if (List.class.isAssignableFrom(field.getType()))
            {
                element = ((ParameterizedType)element).getActualTypeArguments()[0];
                elementPath = path + "[]";
            }
            if (element instanceof Class<?> && ((Class<?>)element).getEnclosingClass() == RollbookConfig.class)
            {
                bindings((Class<?>)element, elementPath + ".", keys);
            }
            else
            {
                keys.add(elementPath);
            }
        }
    }

    private static JsonNode embeddedDefault() throws IOException
    {
        try (InputStream in = RollbookConfig.class.getResourceAsStream(RollbookConfig.DEFAULT_RESOURCE))
        {
            return new ObjectMapper().readTree(in);
        }
    }

    /**
     * Collects the key paths of a JSON tree, and the values of those outside lists.
     */
    private static void leaves(
        final JsonNode node, final String path, final TreeSet<String> keys, final Map<String, String> values)
    {
        if (node.isObject())
        {
            final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext())
            {
                final Map.Entry<String, JsonNode> field = fields.next();
                leaves(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), keys, values);
            }
        }
        else if (node.isArray())
        {
            for (final JsonNode element : node)
            {
                leaves(element, path + "[]", keys, values);
            }
        }
        else
        {
            keys.add(path);
            if (!path.contains("[]"))
            {
                values.put(path, node.asText());
            }
        }
    }
}
