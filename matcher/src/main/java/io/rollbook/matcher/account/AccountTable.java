package io.rollbook.matcher.account;

/**
 * Accounts by id, in a plain array: ids are dense, from 1 up to the configured capacity (exclusive), and an
 * account is created the first time a command names it.
 */
public final class AccountTable
{
    private final Account[] accounts;

    public AccountTable(final int capacity)
    {
        if (capacity < 2)
        {
            throw new IllegalArgumentException("account capacity must be at least 2, got " + capacity);
        }
        accounts = new Account[capacity];
    }

    /**
     * @return one more than the highest valid account id
     */
    public int capacity()
    {
        return accounts.length;
    }

    public boolean inRange(final int accountId)
    {
        return accountId > 0 && accountId < accounts.length;
    }

    /**
     * @return the account, or null if no command has named it yet
     */
    public Account get(final int accountId)
    {
        return accounts[accountId];
    }

    /**
     * @param accountId an id for which {@link #inRange} holds
     */
    public Account getOrCreate(final int accountId)
    {
        Account account = accounts[accountId];
        if (account == null)
        {
            account = new Account(accountId);
            accounts[accountId] = account;
        }

        return account;
    }
}
