package io.rollbook.journal.commitment;

import java.util.Arrays;

import io.rollbook.protocol.engine.BalanceChangedDecoder;
import io.rollbook.protocol.engine.MessageHeaderDecoder;
import io.rollbook.protocol.engine.PositionChangedDecoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The state commitment built from the matcher's events alone: every account's leaf, kept current by the
 * {@code position} and {@code balance} events of the journal (each states the account's new cross collateral, a
 * {@code position} event also the position's new size, cost basis, funding index, isolated margin and mode), and
 * the Merkle tree over them. Nothing here reads the matcher's memory: a journal is all it needs.
 *
 * <p>{@link #apply} takes the events of one command after another; {@link #commit} then rehashes the leaves
 * those events changed and their paths, and gives the root. docs/COMMITMENTS.md is the specification.
 *
 * <p>Not thread-safe: one thread builds a commitment. Allocates nothing per event; only a new account's leaf,
 * and arrays that grow with the accounts seen.
 */
public final class StateCommitment
{
    /**
     * Told about each account whose leaf is about to change for the first time since the last commit, while it
     * still holds the committed contents (the audit keeps running totals this way).
     */
    @FunctionalInterface
    public interface ChangeListener
    {
        void beforeChange(AccountLeaf leaf);
    }

    private final int accountCapacity;
    private final CommitmentHash hash = new CommitmentHash();
    private final MerkleTree tree;
    private final byte[] emptyLeafHash;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final PositionChangedDecoder position = new PositionChangedDecoder();
    private final BalanceChangedDecoder balance = new BalanceChangedDecoder();
    private final ExpandableArrayBuffer leafBytes = new ExpandableArrayBuffer(1024);
    private AccountLeaf[] leaves = new AccountLeaf[64];
    private int[] dirty = new int[64];
    private int dirtyCount;
    private int highestAccount;
    private ChangeListener listener;

    /**
     * @param accountCapacity the matcher's account capacity, from the journal's genesis: account ids run below it
     */
    public StateCommitment(final int accountCapacity)
    {
        this.accountCapacity = accountCapacity;
        tree = new MerkleTree(MerkleTree.heightFor(accountCapacity), hash);
        emptyLeafHash = tree.emptyHash(0);
    }

    public int accountCapacity()
    {
        return accountCapacity;
    }

    public int height()
    {
        return tree.height();
    }

    public void changeListener(final ChangeListener listener)
    {
        this.listener = listener;
    }

    /**
     * Applies the events of one command.
     *
     * @param buffer holds the events, engine SBE messages one after another
     * @param offset where the first one's header starts
     * @param length their total length
     * @throws IllegalArgumentException if an event is cut short, or a leaf event is malformed (names an account
     *                                  outside the capacity, an unknown margin mode, a block too short)
     */
    public void apply(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int at = offset;
        while (at < end)
        {
            if (end - at < MessageHeaderDecoder.ENCODED_LENGTH)
            {
                throw new IllegalArgumentException("event at byte " + (at - offset) + " is cut short: " + (end - at) +
                    " bytes left, a header needs " + MessageHeaderDecoder.ENCODED_LENGTH);
            }
            header.wrap(buffer, at);
            final int blockLength = header.blockLength();
            final int body = at + MessageHeaderDecoder.ENCODED_LENGTH;
            if (blockLength > end - body)
            {
                throw new IllegalArgumentException("event at byte " + (at - offset) + " states a block of " +
                    blockLength + " bytes, only " + (end - body) + " follow");
            }
            final int templateId = header.templateId();
            final boolean engine = header.schemaId() == MessageHeaderDecoder.SCHEMA_ID;
            if (engine && templateId == PositionChangedDecoder.TEMPLATE_ID)
            {
                applyPosition(buffer, body, blockLength, header.version());
            }
            else if (engine && templateId == BalanceChangedDecoder.TEMPLATE_ID)
            {
                requireBlock("balance", blockLength, BalanceChangedDecoder.BLOCK_LENGTH);
                balance.wrap(buffer, body, blockLength, header.version());
                leafToChange(balance.account()).collateralMicros(balance.collateralMicros());
            }
            at = body + blockLength;
        }
    }

    private void applyPosition(final DirectBuffer buffer, final int body, final int blockLength, final int version)
    {
        requireBlock("position", blockLength, PositionChangedDecoder.BLOCK_LENGTH);
        position.wrap(buffer, body, blockLength, version);
        final short mode = position.marginModeRaw();
        if (mode != AccountLeaf.MARGIN_CROSS && mode != AccountLeaf.MARGIN_ISOLATED)
        {
            throw new IllegalArgumentException("position event of account " + position.account() +
                " has margin mode " + mode);
        }
        final AccountLeaf leaf = leafToChange(position.account());
        leaf.collateralMicros(position.collateralMicros());
        leaf.position(position.market(), mode, position.sizeLots(), position.entryValueMicros(),
            position.fundingIndex(), position.isolatedMarginMicros());
    }

    private static void requireBlock(final String event, final int blockLength, final int required)
    {
        if (blockLength < required)
        {
            throw new IllegalArgumentException(event + " event block is " + blockLength + " bytes, at least " +
                required + " expected");
        }
    }

    private AccountLeaf leafToChange(final int account)
    {
        if (account <= 0 || account >= accountCapacity)
        {
            throw new IllegalArgumentException("event names account " + account + ", outside 1.." +
                (accountCapacity - 1));
        }
        final AccountLeaf leaf = leafOrCreate(account);
        if (!leaf.dirty)
        {
            if (listener != null)
            {
                listener.beforeChange(leaf);
            }
            leaf.dirty = true;
            if (dirtyCount == dirty.length)
            {
                dirty = Arrays.copyOf(dirty, dirty.length * 2);
            }
            dirty[dirtyCount++] = account;
        }
        return leaf;
    }

    private AccountLeaf leafOrCreate(final int account)
    {
        if (account >= leaves.length)
        {
            final long grown = Math.min(Math.max((long)account + 1, 2L * leaves.length), accountCapacity);
            leaves = Arrays.copyOf(leaves, (int)grown);
        }
        AccountLeaf leaf = leaves[account];
        if (leaf == null)
        {
            leaf = new AccountLeaf(account);
            leaves[account] = leaf;
            highestAccount = Math.max(highestAccount, account);
        }
        return leaf;
    }

    /**
     * @return the account's leaf as the events left it, or null if no event named the account yet (its leaf is
     *         then the empty leaf)
     */
    public AccountLeaf leaf(final int account)
    {
        return account > 0 && account < leaves.length ? leaves[account] : null;
    }

    /**
     * @return one more than the highest account id any event named
     */
    public int accountLimit()
    {
        return highestAccount + 1;
    }

    /**
     * @return how many accounts changed since the last commit
     */
    public int changedCount()
    {
        return dirtyCount;
    }

    /**
     * @return the {@code i}-th account changed since the last commit (in the order they first changed)
     */
    public int changedAccount(final int i)
    {
        return dirty[i];
    }

    /**
     * Rehashes the changed leaves and their paths, and copies the root into {@code root}.
     */
    public void commit(final byte[] root)
    {
        final int count = dirtyCount;
        if (count > 0)
        {
            final int[] changed = dirty;
            sort(changed, count);
            tree.cover(changed[count - 1]);
            final byte[] leafHashes = tree.leafArray();
            for (int i = 0; i < count; i++)
            {
                final AccountLeaf leaf = leaves[changed[i]];
                leaf.dirty = false;
                hashLeaf(leaf, leafHashes, changed[i] * CommitmentHash.LENGTH);
            }
            tree.update(changed, count);
            dirtyCount = 0;
        }
        tree.root(root, 0);
    }

    /**
     * Sorts {@code values[0, count)} ascending in place: insertion sort for the few accounts a small batch changes,
     * heapsort beyond (the JDK's sort may allocate a buffer for partly sorted input).
     */
    static void sort(final int[] values, final int count)
    {
        if (count <= 32)
        {
            for (int i = 1; i < count; i++)
            {
                final int value = values[i];
                int j = i - 1;
                while (j >= 0 && values[j] > value)
                {
                    values[j + 1] = values[j];
                    j--;
                }
                values[j + 1] = value;
            }
            return;
        }
        for (int root = count / 2 - 1; root >= 0; root--)
        {
            siftDown(values, root, count);
        }
        for (int end = count - 1; end > 0; end--)
        {
            final int top = values[0];
            values[0] = values[end];
            values[end] = top;
            siftDown(values, 0, end);
        }
    }

    private static void siftDown(final int[] values, final int start, final int count)
    {
        int root = start;
        final int value = values[root];
        while (true)
        {
            int child = 2 * root + 1;
            if (child >= count)
            {
                break;
            }
            if (child + 1 < count && values[child + 1] > values[child])
            {
                child++;
            }
            if (values[child] <= value)
            {
                break;
            }
            values[root] = values[child];
            root = child;
        }
        values[root] = value;
    }

    /**
     * Hashes every leaf and every node again, and copies the root into {@code root}: for a commitment whose leaves
     * were brought up to date without {@link #commit} (a builder catching up to where it stopped).
     */
    public void rebuild(final byte[] root)
    {
        for (int i = 0; i < dirtyCount; i++)
        {
            leaves[dirty[i]].dirty = false;
        }
        dirtyCount = 0;
        final int limit = accountLimit();
        tree.cover(limit - 1);
        final byte[] leafHashes = tree.leafArray();
        for (int account = 0; account < tree.coveredLeaves(); account++)
        {
            final AccountLeaf leaf = account < leaves.length ? leaves[account] : null;
            if (leaf == null)
            {
                System.arraycopy(emptyLeafHash, 0, leafHashes, account * CommitmentHash.LENGTH, CommitmentHash.LENGTH);
            }
            else
            {
                hashLeaf(leaf, leafHashes, account * CommitmentHash.LENGTH);
            }
        }
        tree.rehashAll();
        tree.root(root, 0);
    }

    private void hashLeaf(final AccountLeaf leaf, final byte[] out, final int outOffset)
    {
        if (leaf.isEmpty())
        {
            System.arraycopy(emptyLeafHash, 0, out, outOffset, CommitmentHash.LENGTH);
            return;
        }
        leafBytes.checkLimit(1 + leaf.encodedLength());
        leafBytes.putByte(0, CommitmentHash.LEAF_DOMAIN);
        final int length = leaf.encode(leafBytes, 1);
        hash.hash(leafBytes.byteArray(), 0, 1 + length, out, outOffset);
    }

    /**
     * An inclusion proof of the account's leaf against the current root; every change must be committed.
     *
     * @param batch    the batch the root was committed after
     * @param sequence that batch's last sequence number
     */
    public InclusionProof proof(final int account, final long batch, final long sequence)
    {
        if (dirtyCount > 0)
        {
            throw new IllegalStateException("commit the changes before taking a proof");
        }
        if (account <= 0 || account >= accountCapacity)
        {
            throw new IllegalArgumentException("account " + account + " is outside 1.." + (accountCapacity - 1) +
                " (the journal's account capacity is " + accountCapacity + ")");
        }
        final AccountLeaf leaf = leaf(account);
        final AccountLeaf contents = new AccountLeaf(account);
        if (leaf != null)
        {
            contents.copyFrom(leaf);
        }
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(contents.encodedLength());
        final int length = contents.encode(bytes, 0);
        final byte[] root = new byte[CommitmentHash.LENGTH];
        tree.root(root, 0);
        return InclusionProof.create(account, batch, sequence, root, Arrays.copyOf(bytes.byteArray(), length),
            tree.siblings(account));
    }
}
