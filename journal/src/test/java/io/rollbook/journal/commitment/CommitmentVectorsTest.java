package io.rollbook.journal.commitment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rollbook.protocol.engine.BalanceCause;
import io.rollbook.protocol.engine.BalanceChangedEncoder;
import io.rollbook.protocol.engine.MarginMode;
import io.rollbook.protocol.engine.MessageHeaderEncoder;
import io.rollbook.protocol.engine.PositionChangedEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of docs/COMMITMENTS.md, computed by this code: what an outside verifier checks itself
 * against. The vectors are read from the document, so the document and the code cannot drift apart.
 */
class CommitmentVectorsTest
{
    private static final Path DOCUMENT = Path.of("..", "docs", "COMMITMENTS.md");

    @Test
    void theDocumentsVectorsAreWhatTheCodeComputes() throws IOException
    {
        final String document = Files.readString(DOCUMENT);
        final Map<String, String> stated = statedVectors(document);
        final Map<String, String> computed = computedVectors();
        final StringBuilder block = new StringBuilder();
        computed.forEach((name, value) -> block.append(String.format("%-17s= %s%n", name, value)));
        assertEquals(computed, stated, "docs/COMMITMENTS.md must state these vectors:\n" + block);

        final String proof = proofOfAccount5().toJson();
        final Matcher json = Pattern.compile("```json\n(\\{\n  \"format\".*?\n\\}\n)```", Pattern.DOTALL)
            .matcher(document);
        assertTrue(json.find(), "docs/COMMITMENTS.md shows the example proof:\n" + proof);
        assertEquals(proof, json.group(1), "the example proof in docs/COMMITMENTS.md");
        assertTrue(InclusionProof.verify(json.group(1)).holds(), InclusionProof.verify(json.group(1)).problem());
    }

    private static Map<String, String> statedVectors(final String document)
    {
        final int start = document.indexOf("## Test vectors");
        assertTrue(start >= 0, "docs/COMMITMENTS.md has a section \"## Test vectors\"");
        final Matcher line = Pattern.compile("^([A-Za-z][A-Za-z0-9()]*) *= ([0-9a-f]+)$", Pattern.MULTILINE)
            .matcher(document.substring(start));
        final Map<String, String> out = new LinkedHashMap<>();
        while (line.find())
        {
            out.put(line.group(1), line.group(2));
        }
        return out;
    }

    private static Map<String, String> computedVectors()
    {
        final Map<String, String> out = new LinkedHashMap<>();
        final CommitmentHash hash = new CommitmentHash();
        final AccountLeaf empty = new AccountLeaf(0);
        out.put("emptyLeafBytes", hex(empty));
        final byte[][] emptyHashes = MerkleTree.emptyHashes(3, hash);
        for (int level = 0; level <= 3; level++)
        {
            out.put("E(" + level + ")", CommitmentHash.hex(emptyHashes[level]));
        }
        final AccountLeaf a = leafA();
        final AccountLeaf b = leafB();
        out.put("leafBytesA", hex(a));
        out.put("leafHashA", leafHash(hash, a));
        out.put("leafBytesB", hex(b));
        out.put("leafHashB", leafHash(hash, b));
        final StateCommitment tree = smallTree();
        final byte[] root = new byte[CommitmentHash.LENGTH];
        tree.commit(root);
        out.put("root", CommitmentHash.hex(root));
        final byte[] statement = new byte[CommitmentHash.LENGTH];
        hash.statement(5, 1, 2, root, statement);
        out.put("statement", CommitmentHash.hex(statement));
        return out;
    }

    /**
     * Account 3: 1,000 USDC, no position.
     */
    private static AccountLeaf leafA()
    {
        final AccountLeaf leaf = new AccountLeaf(3);
        leaf.collateralMicros(1_000_000_000L);
        return leaf;
    }

    /**
     * Account 5: -2.5 USDC of cross collateral, long 150 lots cross in market 1, short 20 lots isolated in
     * market 3 with 250 USDC in the bucket.
     */
    private static AccountLeaf leafB()
    {
        final AccountLeaf leaf = new AccountLeaf(5);
        leaf.collateralMicros(-2_500_000L);
        leaf.position(3, AccountLeaf.MARGIN_ISOLATED, -20, -1_000_000L, -7, 250_000_000L);
        leaf.position(1, AccountLeaf.MARGIN_CROSS, 150, 7_500_000_000L, 12_345, 0);
        return leaf;
    }

    /**
     * A tree of height 3 (account capacity 8) where accounts 3 and 5 hold leaves A and B, built from events.
     */
    private static StateCommitment smallTree()
    {
        final StateCommitment commitment = new StateCommitment(8);
        final ExpandableArrayBuffer events = new ExpandableArrayBuffer(256);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        int length = 0;
        final BalanceChangedEncoder balance = new BalanceChangedEncoder();
        balance.wrapAndApplyHeader(events, length, header).account(3).deltaMicros(1_000_000_000L)
            .collateralMicros(1_000_000_000L).cause(BalanceCause.DEPOSIT);
        length += MessageHeaderEncoder.ENCODED_LENGTH + BalanceChangedEncoder.BLOCK_LENGTH;
        final PositionChangedEncoder position = new PositionChangedEncoder();
        position.wrapAndApplyHeader(events, length, header).account(5).market(1).marginMode(MarginMode.CROSS)
            .sizeLots(150).entryValueMicros(7_500_000_000L).fundingIndex(12_345).isolatedMarginMicros(0)
            .realizedPnlMicros(0).collateralMicros(0);
        length += MessageHeaderEncoder.ENCODED_LENGTH + PositionChangedEncoder.BLOCK_LENGTH;
        position.wrapAndApplyHeader(events, length, header).account(5).market(3).marginMode(MarginMode.ISOLATED)
            .sizeLots(-20).entryValueMicros(-1_000_000L).fundingIndex(-7).isolatedMarginMicros(250_000_000L)
            .realizedPnlMicros(0).collateralMicros(-2_500_000L);
        length += MessageHeaderEncoder.ENCODED_LENGTH + PositionChangedEncoder.BLOCK_LENGTH;
        commitment.apply(events, 0, length);
        return commitment;
    }

    static InclusionProof proofOfAccount5()
    {
        final StateCommitment tree = smallTree();
        tree.commit(new byte[CommitmentHash.LENGTH]);
        return tree.proof(5, 1, 2);
    }

    private static String hex(final AccountLeaf leaf)
    {
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(256);
        final int length = leaf.encode(bytes, 0);
        return CommitmentHash.hex(Arrays.copyOf(bytes.byteArray(), length));
    }

    private static String leafHash(final CommitmentHash hash, final AccountLeaf leaf)
    {
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer(256);
        final int length = leaf.encode(bytes, 0);
        final byte[] out = new byte[CommitmentHash.LENGTH];
        hash.leaf(bytes.byteArray(), 0, length, out, 0);
        return CommitmentHash.hex(out);
    }
}
