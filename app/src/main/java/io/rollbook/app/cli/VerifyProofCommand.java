package io.rollbook.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rollbook.app.FileErrors;
import io.rollbook.journal.commitment.AccountLeaf;
import io.rollbook.journal.commitment.CommitmentHash;
import io.rollbook.journal.commitment.InclusionProof;
import io.rollbook.protocol.Decimals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rollbook verify-proof}: checks an inclusion proof using nothing but the file.
 */
@Command(
    name = "verify-proof",
    mixinStandardHelpOptions = true,
    description = {
        "Checks an inclusion proof written by ./rollbook proof using nothing but the file: the leaf is what the " +
            "leaf bytes encode, the path from the leaf through the siblings leads to the root, the statement hash " +
            "binds account, batch, sequence and root, and the file is byte for byte in its canonical layout. " +
            "Compare the root it prints with the root the operator published for that batch.",
        "Exits 0 if the proof holds, 1 if not (a file over 1 MiB is not read further: no proof is that large), 2 if " +
            "the file cannot be read."})
public final class VerifyProofCommand implements Callable<Integer>
{
    /**
     * Far above the largest proof (a leaf of 255 positions under a tree of height 31 is under 100 KB), and small
     * enough to read whole: a file of gigabytes would otherwise end the command in an OutOfMemoryError.
     */
    static final int MAX_BYTES = 1 << 20;

    @Parameters(paramLabel = "FILE", description = "The proof file")
    private Path file;

    @Override
    public Integer call()
    {
        final byte[] bytes;
        try (InputStream in = Files.newInputStream(file))
        {
            // Read up to the limit, not by the stated size: a pipe or a device states none.
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read " + file + ": " + FileErrors.reason(ex), ex);
        }
        if (bytes.length > MAX_BYTES)
        {
            System.out.println("proof REJECTED: " + file + " is larger than " + MAX_BYTES + " bytes, which no proof " +
                "file is");
            return 1;
        }
        final String text;
        try
        {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            System.out.println("proof REJECTED: " + file + " is not UTF-8 text");
            return 1;
        }
        final InclusionProof.Verification verification = InclusionProof.verify(text);
        if (!verification.holds())
        {
            System.out.println("proof REJECTED: " + verification.problem());
            return 1;
        }
        System.out.println("proof holds");
        for (final String line : describe(verification.proof()))
        {
            System.out.println(line);
        }
        return 0;
    }

    /**
     * @return the proof for a person: what it shows, against which root
     */
    static List<String> describe(final InclusionProof proof)
    {
        final List<String> out = new ArrayList<>();
        final AccountLeaf leaf = proof.leaf();
        out.add("  account " + proof.account() + " after batch " + proof.batch() + " (sequence " + proof.sequence() +
            ")");
        out.add("  root      " + CommitmentHash.hex(proof.root()));
        out.add("  statement " + CommitmentHash.hex(proof.statement()));
        out.add("  collateral " + Decimals.toPlainString(leaf.collateralMicros(), Decimals.MICRO) + " USDC" +
            (leaf.entryCount() == 0 ? ", no position" : ""));
        for (int i = 0; i < leaf.entryCount(); i++)
        {
            out.add("  market " + leaf.market(i) + " " +
                (leaf.marginMode(i) == AccountLeaf.MARGIN_ISOLATED ? "isolated" : "cross") + ": size " +
                leaf.sizeLots(i) + " lots, entry value " +
                Decimals.toPlainString(leaf.entryValueMicros(i), Decimals.MICRO) + " USDC, funding index " +
                leaf.fundingIndex(i) + ", isolated margin " +
                Decimals.toPlainString(leaf.isolatedMarginMicros(i), Decimals.MICRO) + " USDC");
        }
        return out;
    }
}
