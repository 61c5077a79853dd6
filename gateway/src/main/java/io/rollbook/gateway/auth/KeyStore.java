package io.rollbook.gateway.auth;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.rollbook.protocol.auth.Ed25519Keys;

/**
 * The public keys the gateway authenticates with: one Ed25519 key per account, and the operators' keys. The
 * service never holds a private key: a client proves it holds the private half by signing a challenge
 * ({@link ChallengeVerifier}).
 *
 * <p>Immutable once built; thread-safe. Shared by every protocol of the gateway.
 */
public final class KeyStore
{
    /** The account number an operator negotiates with: no account has it (accounts start at 1). */
    public static final int OPERATOR_ACCOUNT = 0;

    private final Map<Integer, PublicKey> accounts;
    private final List<Operator> operators;

    private KeyStore(final Map<Integer, PublicKey> accounts, final List<Operator> operators)
    {
        this.accounts = accounts;
        this.operators = operators;
    }

    /**
     * @return the account's key, or null if the account has none (it cannot log on)
     */
    public PublicKey accountKey(final int account)
    {
        return accounts.get(account);
    }

    /**
     * @return the operators' keys
     */
    public List<Operator> operators()
    {
        return operators;
    }

    public int accountCount()
    {
        return accounts.size();
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * An operator's key, with a name for the logs.
     */
    public static final class Operator
    {
        private final String name;
        private final PublicKey key;

        Operator(final String name, final PublicKey key)
        {
            this.name = name;
            this.key = key;
        }

        public String name()
        {
            return name;
        }

        public PublicKey key()
        {
            return key;
        }
    }

    /**
     * Collects keys; every problem is an {@link IllegalArgumentException} that names the account or operator.
     */
    public static final class Builder
    {
        private final Map<Integer, PublicKey> accounts = new TreeMap<>();
        private final List<Operator> operators = new ArrayList<>();

        /**
         * @param publicKeyHex the raw 32-byte Ed25519 public key as 64 hex digits
         */
        public Builder account(final int account, final String publicKeyHex)
        {
            final PublicKey key;
            try
            {
                key = Ed25519Keys.publicKey(publicKeyHex);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("account " + account + ": " + ex.getMessage());
            }
            return account(account, key);
        }

        public Builder account(final int account, final PublicKey key)
        {
            if (account <= OPERATOR_ACCOUNT)
            {
                throw new IllegalArgumentException("account " + account + ": account ids start at 1");
            }
            if (accounts.putIfAbsent(account, key) != null)
            {
                throw new IllegalArgumentException("account " + account + " has two keys");
            }
            return this;
        }

        public Builder operator(final String name, final String publicKeyHex)
        {
            final PublicKey key;
            try
            {
                key = Ed25519Keys.publicKey(publicKeyHex);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("operator " + name + ": " + ex.getMessage());
            }
            return operator(name, key);
        }

        public Builder operator(final String name, final PublicKey key)
        {
            if (name == null || name.isBlank())
            {
                throw new IllegalArgumentException("an operator key needs a name");
            }
            for (final Operator operator : operators)
            {
                if (operator.name.equals(name))
                {
                    throw new IllegalArgumentException("operator " + name + " is listed twice");
                }
            }
            operators.add(new Operator(name, key));
            return this;
        }

        public KeyStore build()
        {
            return new KeyStore(Collections.unmodifiableMap(new TreeMap<>(accounts)),
                Collections.unmodifiableList(new ArrayList<>(operators)));
        }
    }
}
