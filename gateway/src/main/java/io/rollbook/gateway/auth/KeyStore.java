package io.rollbook.gateway.auth;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.rollbook.protocol.auth.Ed25519Keys;

/**
 * The public keys the gateway authenticates with: one Ed25519 key per account, and the operators' keys. The
 * service never holds a private key: a client proves it holds the private half by signing a challenge
 * ({@link ChallengeVerifier}).
 *
 * <p>Thread-safe. Shared by every protocol of the gateway, which looks keys up at each authentication. An operator
 * adds, replaces and revokes keys while the service runs by {@link #replaceWith} (the whole set at once, from the
 * configuration file on SIGHUP); the {@link KeyChange} it returns names what the gateways must end.
 */
public final class KeyStore
{
    /** The account number an operator negotiates with: no account has it (accounts start at 1). */
    public static final int OPERATOR_ACCOUNT = 0;

    private volatile Contents contents;

    private KeyStore(final Map<Integer, PublicKey> accounts, final List<Operator> operators)
    {
        this.contents = new Contents(accounts, operators);
    }

    /**
     * @return the account's key, or null if the account has none (it cannot log on)
     */
    public PublicKey accountKey(final int account)
    {
        return contents.accounts.get(account);
    }

    /**
     * @return the operators' keys
     */
    public List<Operator> operators()
    {
        return contents.operators;
    }

    public int accountCount()
    {
        return contents.accounts.size();
    }

    /**
     * Takes the keys of {@code newer} as this store's own, at once for every reader. A session or signature
     * verified before the call was verified with the old keys: the caller ends what the change names.
     *
     * @return the accounts whose key was added, replaced or removed, and whether an operator's key was removed or
     *         replaced
     */
    public synchronized KeyChange replaceWith(final KeyStore newer)
    {
        final Contents before = contents;
        final Contents after = newer.contents;
        final TreeSet<Integer> accounts = new TreeSet<>();
        int added = 0;
        int replaced = 0;
        int removed = 0;
        for (final Map.Entry<Integer, PublicKey> entry : after.accounts.entrySet())
        {
            final PublicKey old = before.accounts.get(entry.getKey());
            if (old == null)
            {
                added++;
                accounts.add(entry.getKey());
            }
            else if (!sameKey(old, entry.getValue()))
            {
                replaced++;
                accounts.add(entry.getKey());
            }
        }
        for (final Integer account : before.accounts.keySet())
        {
            if (!after.accounts.containsKey(account))
            {
                removed++;
                accounts.add(account);
            }
        }
        boolean operatorRevoked = false;
        for (final Operator operator : before.operators)
        {
            operatorRevoked |= after.operators.stream().noneMatch(kept -> sameKey(kept.key, operator.key));
        }
        contents = after;
        return new KeyChange(accounts.stream().mapToInt(Integer::intValue).toArray(), added, replaced, removed,
            operatorRevoked, after.operators.size());
    }

    private static boolean sameKey(final PublicKey a, final PublicKey b)
    {
        return Arrays.equals(a.getEncoded(), b.getEncoded());
    }

    /**
     * What {@link #replaceWith} changed.
     *
     * @param accounts         the accounts whose key was added, replaced or removed, ascending: their sessions and
     *                         subscriptions authenticated with a key that no longer holds
     * @param operatorRevoked  true if a key an operator session may have used is gone
     * @param operators        how many operator keys there are now
     */
    public record KeyChange(int[] accounts, int added, int replaced, int removed, boolean operatorRevoked, int operators)
    {
        /**
         * @return true if sessions of the account authenticated with a key it no longer has
         */
        public boolean revokes(final int account)
        {
            return Arrays.binarySearch(accounts, account) >= 0;
        }

        @Override
        public String toString()
        {
            return added + " account key(s) added, " + replaced + " replaced, " + removed + " removed; " +
                operators + " operator key(s)" + (operatorRevoked ? ", an operator key removed or replaced" : "");
        }
    }

    private record Contents(Map<Integer, PublicKey> accounts, List<Operator> operators)
    {
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
