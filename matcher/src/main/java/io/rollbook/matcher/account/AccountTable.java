package io.rollbook.matcher.account;

import io.rollbook.protocol.engine.MarginMode;

/**
 * Accounts by id, in a plain array: ids are dense, from 1 up to the configured capacity (exclusive), and an
 * account is created the first time a command names it. Also the pool of position slots.
 */
public final class AccountTable
{
    private final Account[] accounts;
    private Position freePositions;
    private int limit = 1;

    public AccountTable(final int capacity)
    {
        if (capacity < 3)
        {
            throw new IllegalArgumentException("account capacity must be at least 3, got " + capacity);
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

    /**
     * Every id at or above this one holds no account: a scan of the table (a snapshot, an audit's full check) stops
     * here instead of at the capacity, which is far larger than the accounts in use (a million by default).
     *
     * @return one more than the highest id any account was created at, 1 if none was
     */
    public int limit()
    {
        return limit;
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
            limit = Math.max(limit, accountId + 1);
        }

        return account;
    }

    /**
     * Forgets an account that a command created and then rejected: nothing may refer to it any more.
     */
    public void discard(final Account account)
    {
        accounts[account.id()] = null;
    }

    /**
     * @return the account's slot in the market, opened in {@code marginMode} if it did not exist
     */
    public Position openPosition(
        final Account account, final int market, final MarginMode marginMode, final long fundingIndex)
    {
        final Position existing = account.position(market);
        if (existing != null)
        {
            return existing;
        }
        Position position = freePositions;
        if (position == null)
        {
            position = new Position();
        }
        else
        {
            freePositions = position.next;
        }
        position.init(account, market, marginMode, fundingIndex);
        account.addPosition(position);
        return position;
    }

    /**
     * Closes a slot that {@link Position#isEmpty()}; the caller has taken it out of every index.
     */
    public void closePosition(final Position position)
    {
        position.account().removePosition(position);
        position.close();
        position.next = freePositions;
        freePositions = position;
    }
}
