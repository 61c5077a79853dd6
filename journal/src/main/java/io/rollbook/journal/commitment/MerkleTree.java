package io.rollbook.journal.commitment;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The binary Merkle tree of docs/COMMITMENTS.md: fixed height {@code H}, leaf {@code i} at position {@code i} of
 * level 0, the root alone at level {@code H}. Every subtree in which no account holds anything hashes to the
 * constant {@code E(h)} of its height, so the tree stores only the nodes at positions up to the highest leaf ever
 * set (accounts are dense from 1) and treats every node beyond as {@code E(h)}.
 *
 * <p>After the hashes of changed leaves are set, {@link #update} rehashes exactly their paths: each inner node
 * above a changed leaf once, however many changed leaves share it.
 *
 * <p>Not thread-safe: owned by the thread that builds the commitment. Allocates only when the leaves it covers
 * grow past its arrays (which double).
 */
public final class MerkleTree
{
    private static final int H = CommitmentHash.LENGTH;
    /** Leaf hashes live in one array, so its byte offsets must stay inside an int. */
    public static final int MAX_LEAVES = (Integer.MAX_VALUE - 8) / H;

    private final int height;
    private final CommitmentHash hash;
    private final byte[][] empty;
    private final byte[][] levels;
    private final int[] covered;

    /**
     * @param height the tree's height, 1 to 31
     * @param hash   the hasher to use (the caller's thread owns it)
     */
    public MerkleTree(final int height, final CommitmentHash hash)
    {
        if (height < 1 || height > 31)
        {
            throw new IllegalArgumentException("tree height must be from 1 to 31, got " + height);
        }
        this.height = height;
        this.hash = hash;
        empty = emptyHashes(height, hash);
        levels = new byte[height + 1][];
        covered = new int[height + 1];
        for (int level = 0; level <= height; level++)
        {
            levels[level] = new byte[H];
            System.arraycopy(empty[level], 0, levels[level], 0, H);
            covered[level] = 1;
        }
    }

    /**
     * @return {@code ceil(log2(accountCapacity))}: the height at which every account id below the capacity has a
     *         leaf
     */
    public static int heightFor(final int accountCapacity)
    {
        if (accountCapacity < 2)
        {
            throw new IllegalArgumentException("account capacity must be at least 2, got " + accountCapacity);
        }
        return 32 - Integer.numberOfLeadingZeros(accountCapacity - 1);
    }

    /**
     * @return {@code E(0) .. E(height)}: the hash of an empty subtree of each height
     */
    public static byte[][] emptyHashes(final int height, final CommitmentHash hash)
    {
        final AccountLeaf emptyLeaf = new AccountLeaf(0);
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[1 + AccountLeaf.HEADER_LENGTH]);
        bytes.putByte(0, CommitmentHash.LEAF_DOMAIN);
        final int length = emptyLeaf.encode(bytes, 1);
        final byte[][] out = new byte[height + 1][H];
        hash.hash(bytes.byteArray(), 0, 1 + length, out[0], 0);
        for (int level = 1; level <= height; level++)
        {
            hash.node(out[level - 1], 0, out[level - 1], 0, out[level], 0);
        }
        return out;
    }

    public int height()
    {
        return height;
    }

    /**
     * @return how many leaf positions the arrays hold, from 0
     */
    public int coveredLeaves()
    {
        return covered[0];
    }

    /**
     * Makes the tree hold leaf positions {@code 0..index} explicitly; new positions start empty.
     */
    public void cover(final int index)
    {
        if (index < covered[0])
        {
            return;
        }
        if (index >>> height != 0)
        {
            throw new IllegalArgumentException("leaf " + index + " is beyond a tree of height " + height);
        }
        if (index >= MAX_LEAVES)
        {
            throw new IllegalArgumentException("leaf " + index + ": this tree keeps at most " + MAX_LEAVES +
                " leaves in memory");
        }
        for (int level = 0; level <= height; level++)
        {
            final int needed = (index >>> level) + 1;
            if (needed <= covered[level])
            {
                continue;
            }
            if ((long)needed * H > levels[level].length)
            {
                final long full = (1L << (height - level)) * H;
                final long grown = Math.max((long)needed * H, Math.min((long)levels[level].length * 2, full));
                levels[level] = Arrays.copyOf(levels[level], (int)Math.min(grown, Integer.MAX_VALUE - 8));
            }
            for (int position = covered[level]; position < needed; position++)
            {
                System.arraycopy(empty[level], 0, levels[level], position * H, H);
            }
            covered[level] = needed;
        }
    }

    /**
     * Sets a leaf's hash; {@link #update} must follow before the root is read.
     *
     * @param index a position {@link #cover} made explicit
     */
    public void setLeaf(final int index, final byte[] leafHash, final int offset)
    {
        System.arraycopy(leafHash, offset, levels[0], index * H, H);
    }

    /**
     * @return the array that holds leaf {@code index}'s hash at {@code index * 32}, for hashing into it in place
     */
    public byte[] leafArray()
    {
        return levels[0];
    }

    /**
     * Rehashes the paths of the given leaves.
     *
     * @param indices the positions whose leaf hashes were set, ascending and without repeats; overwritten
     * @param count   how many
     */
    public void update(final int[] indices, final int count)
    {
        int n = count;
        for (int level = 1; level <= height && n > 0; level++)
        {
            int m = 0;
            int last = -1;
            for (int i = 0; i < n; i++)
            {
                final int parent = indices[i] >>> 1;
                if (parent != last)
                {
                    indices[m++] = parent;
                    last = parent;
                }
            }
            n = m;
            final byte[] children = levels[level - 1];
            final int childCount = covered[level - 1];
            final byte[] nodes = levels[level];
            for (int i = 0; i < n; i++)
            {
                final int parent = indices[i];
                final int left = parent << 1;
                // A covered parent's left child is always covered; its right one may lie beyond, and is then empty.
                if (left + 1 < childCount)
                {
                    hash.node(children, left * H, children, (left + 1) * H, nodes, parent * H);
                }
                else
                {
                    hash.node(children, left * H, empty[level - 1], 0, nodes, parent * H);
                }
            }
        }
    }

    /**
     * Rehashes every inner node from the leaf hashes.
     */
    public void rehashAll()
    {
        for (int level = 1; level <= height; level++)
        {
            final byte[] children = levels[level - 1];
            final byte[] nodes = levels[level];
            final int childCount = covered[level - 1];
            for (int parent = 0; parent < covered[level]; parent++)
            {
                final int left = parent << 1;
                final byte[] leftArray = left < childCount ? children : empty[level - 1];
                final int leftOffset = left < childCount ? left * H : 0;
                final byte[] rightArray = left + 1 < childCount ? children : empty[level - 1];
                final int rightOffset = left + 1 < childCount ? (left + 1) * H : 0;
                hash.node(leftArray, leftOffset, rightArray, rightOffset, nodes, parent * H);
            }
        }
    }

    /**
     * Copies the root into {@code out}.
     */
    public void root(final byte[] out, final int offset)
    {
        System.arraycopy(levels[height], 0, out, offset, H);
    }

    /**
     * Copies the hash of node {@code position} at {@code level} into {@code out}.
     */
    public void node(final int level, final int position, final byte[] out, final int offset)
    {
        if (position < covered[level])
        {
            System.arraycopy(levels[level], position * H, out, offset, H);
        }
        else
        {
            System.arraycopy(empty[level], 0, out, offset, H);
        }
    }

    /**
     * @return the {@code height} sibling hashes on the path of leaf {@code index}, from the leaf's sibling up to the
     *         root's children
     */
    public byte[][] siblings(final int index)
    {
        final byte[][] out = new byte[height][H];
        for (int level = 0; level < height; level++)
        {
            node(level, (index >>> level) ^ 1, out[level], 0);
        }
        return out;
    }

    /**
     * @return a copy of {@code E(level)}
     */
    public byte[] emptyHash(final int level)
    {
        return empty[level].clone();
    }
}
