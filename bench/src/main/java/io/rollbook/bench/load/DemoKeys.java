package io.rollbook.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollbook.protocol.auth.Ed25519Keys;

/**
 * The demo key file, {@code config/demo-keys.json}: DEMO ONLY, its private keys are public. It holds an operator key
 * and a few account keys whose public halves the embedded default configuration lists, so that the load generator,
 * the examples and a fresh {@code ./rollbook run} work together out of the box.
 */
public final class DemoKeys
{
    public static final String RESOURCE = "/demo-keys.json";

    private final String operatorName;
    private final PrivateKey operatorKey;
    private final List<Integer> accounts;
    private final List<PrivateKey> accountKeys;

    private DemoKeys(
        final String operatorName, final PrivateKey operatorKey, final List<Integer> accounts, final List<PrivateKey> keys)
    {
        this.operatorName = operatorName;
        this.operatorKey = operatorKey;
        this.accounts = accounts;
        this.accountKeys = keys;
    }

    /**
     * @param file a key file, or null for the one embedded in the application
     * @return where the keys come from, for a refusal of one of them to name
     */
    public static String source(final Path file)
    {
        return file == null ? "the demo keys, " + RESOURCE : file.toString();
    }

    /**
     * @param file a key file in the demo format, or null for the one embedded in the application
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException naming the file if it is not a key file in the demo format
     */
    public static DemoKeys load(final Path file)
    {
        final String name = file == null ? RESOURCE : file.toString();
        final JsonNode root;
        try (InputStream in = file == null ? DemoKeys.class.getResourceAsStream(RESOURCE) : Files.newInputStream(file))
        {
            if (in == null)
            {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            root = new ObjectMapper().readTree(in);
        }
        catch (final JsonProcessingException ex)
        {
            // Jackson's own message names a stream, not the file, and ends with its source excerpt.
            final String where = ex.getLocation() == null ? "" : " at line " + ex.getLocation().getLineNr() +
                ", column " + ex.getLocation().getColumnNr();
            throw new IllegalArgumentException("the key file " + name + " is not valid JSON" + where + ": " +
                withoutSource(ex.getOriginalMessage()), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the key file " + name + ": " + ex.getMessage(), ex);
        }
        if (root == null || !root.isObject())
        {
            throw malformed(name, "it must be one JSON object");
        }
        final JsonNode operator = root.path("operator");
        final PrivateKey operatorKey = key(name, "operator.privateKey", operator.path("privateKey"));
        if (!operator.path("name").isTextual() || operator.path("name").asText().isEmpty())
        {
            throw malformed(name, "operator.name must be the operator's name");
        }
        if (!root.path("accounts").isArray() || root.path("accounts").isEmpty())
        {
            throw malformed(name, "accounts must be an array of at least one {\"account\":N,\"privateKey\":HEX}");
        }
        final List<Integer> accounts = new ArrayList<>();
        final List<PrivateKey> keys = new ArrayList<>();
        for (final JsonNode account : root.path("accounts"))
        {
            final JsonNode id = account.path("account");
            if (!id.canConvertToInt() || !id.isIntegralNumber() || id.asInt() < 1)
            {
                throw malformed(name, "accounts[" + accounts.size() + "].account must be a positive account id");
            }
            keys.add(key(name, "the private key of account " + id.asInt(), account.path("privateKey")));
            accounts.add(id.asInt());
        }
        return new DemoKeys(operator.path("name").asText(), operatorKey, List.copyOf(accounts), List.copyOf(keys));
    }

    /**
     * @return the parser's message without its excerpt of the input ("[Source: ...]"), which names a stream
     */
    private static String withoutSource(final String message)
    {
        final int startMarker = message.indexOf(" (start marker at ");
        final int source = startMarker >= 0 ? startMarker : message.indexOf("[Source");
        return source >= 0 ? message.substring(0, source).trim() : message;
    }

    private static PrivateKey key(final String name, final String what, final JsonNode hex)
    {
        if (!hex.isTextual())
        {
            throw malformed(name, what + " is missing: 64 hex digits");
        }
        try
        {
            return Ed25519Keys.privateKey(hex.asText());
        }
        catch (final IllegalArgumentException ex)
        {
            throw malformed(name, what + ": " + ex.getMessage());
        }
    }

    private static IllegalArgumentException malformed(final String name, final String what)
    {
        return new IllegalArgumentException("the key file " + name + " is not in the demo format (" +
            "config/demo-keys.json): " + what);
    }

    public String operatorName()
    {
        return operatorName;
    }

    public PrivateKey operatorKey()
    {
        return operatorKey;
    }

    public int accountCount()
    {
        return accounts.size();
    }

    public int account(final int index)
    {
        return accounts.get(index);
    }

    public PrivateKey accountKey(final int index)
    {
        return accountKeys.get(index);
    }
}
