package io.rollbook.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;

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
     * @param file a key file in the demo format, or null for the one embedded in the application
     */
    public static DemoKeys load(final Path file)
    {
        try (InputStream in = file == null ? DemoKeys.class.getResourceAsStream(RESOURCE) : Files.newInputStream(file))
        {
            if (in == null)
            {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            final JsonNode root = new ObjectMapper().readTree(in);
            final JsonNode operator = root.path("operator");
            final List<Integer> accounts = new ArrayList<>();
            final List<PrivateKey> keys = new ArrayList<>();
            for (final JsonNode account : root.path("accounts"))
            {
                accounts.add(account.path("account").asInt());
                keys.add(Ed25519Keys.privateKey(account.path("privateKey").asText()));
            }
            return new DemoKeys(operator.path("name").asText(), Ed25519Keys.privateKey(operator.path("privateKey").asText()),
                List.copyOf(accounts), List.copyOf(keys));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the key file " + (file == null ? RESOURCE : file) + ": " +
                ex.getMessage(), ex);
        }
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
