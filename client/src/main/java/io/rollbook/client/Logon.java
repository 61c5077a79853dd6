package io.rollbook.client;

import java.security.PrivateKey;
import java.util.Objects;
import java.util.UUID;

/**
 * How a {@link RollbookClient} opens its session: the account and its Ed25519 private key (which never leaves the
 * client: it signs the server's challenge), the session id, keep-alive and the protections it asks for, and where
 * to resume execution reports from after a reconnect.
 *
 * <p>A mutable builder, not thread-safe: set it up and pass it to {@link RollbookClient#logon} on one thread. The
 * logon reads it once; changing it afterwards changes nothing of that session.
 */
public final class Logon
{
    /** The wire carries keep-alive, dead-man timeout and seqNo as unsigned 32-bit numbers. */
    private static final long MAX_UNSIGNED_32 = 0xFFFF_FFFFL;

    private final int account;
    private final PrivateKey key;
    private UUID sessionId = UUID.randomUUID();
    private long keepAliveMs = 1_000;
    private long deadManTimeoutMs;
    private boolean cancelOnDisconnect;
    private long nextSeqNo = 1;
    private JournalPosition resumeAfter;
    private long timeoutMs = 10_000;
    private int maxHeldBytes = 64 << 20;

    /**
     * @param account the account, or 0 for an operator session
     * @param key     the account's (or operator's) Ed25519 private key
     */
    public Logon(final int account, final PrivateKey key)
    {
        this.account = account;
        this.key = Objects.requireNonNull(key, "key");
    }

    public Logon sessionId(final UUID sessionId)
    {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        return this;
    }

    /**
     * @param keepAliveMs the session's keep-alive interval; the server accepts its configured range
     * @throws IllegalArgumentException if not within 1..2^32-1, what the protocol can carry
     */
    public Logon keepAliveMs(final long keepAliveMs)
    {
        this.keepAliveMs = checkUnsigned32("keepAliveMs", keepAliveMs, 1);
        return this;
    }

    /**
     * @param deadManTimeoutMs 0 for none; otherwise the server cancels the account's orders when it hears nothing
     *                         from this session for that long. The client heartbeats within half of it while it
     *                         is polled, so the timer fires when the application stops polling, not when it is idle
     * @throws IllegalArgumentException if not within 0..2^32-1, what the protocol can carry
     */
    public Logon deadManTimeoutMs(final long deadManTimeoutMs)
    {
        this.deadManTimeoutMs = checkUnsigned32("deadManTimeoutMs", deadManTimeoutMs, 0);
        return this;
    }

    /**
     * @param cancelOnDisconnect true to have the account's orders canceled when this connection closes
     */
    public Logon cancelOnDisconnect(final boolean cancelOnDisconnect)
    {
        this.cancelOnDisconnect = cancelOnDisconnect;
        return this;
    }

    /**
     * @param nextSeqNo the sequence number of the first message this session sends
     * @throws IllegalArgumentException if not within 1..2^32-1
     */
    public Logon nextSeqNo(final long nextSeqNo)
    {
        this.nextSeqNo = checkUnsigned32("nextSeqNo", nextSeqNo, 1);
        return this;
    }

    /**
     * @param resumeAfter the position of the last report processed before; every report after it is retransmitted
     *                    during logon, before any live one is delivered. Null: only live reports. A position
     *                    beyond the server's journal fails the logon.
     */
    public Logon resumeAfter(final JournalPosition resumeAfter)
    {
        this.resumeAfter = resumeAfter;
        return this;
    }

    /**
     * @param timeoutMs how long logon (and the retransmission it starts) may take
     * @throws IllegalArgumentException if not positive
     */
    public Logon timeoutMs(final long timeoutMs)
    {
        if (timeoutMs <= 0)
        {
            throw new IllegalArgumentException("timeoutMs must be positive, got " + timeoutMs);
        }
        this.timeoutMs = timeoutMs;
        return this;
    }

    /**
     * @param maxHeldBytes how many bytes of live reports the client holds while the retransmission runs (they are
     *                     delivered after it). More end the connection and fail the logon, so that a retransmission
     *                     behind a busy account cannot grow the client's memory; nothing is lost: a logon that
     *                     resumes after {@link RollbookClient#lastPosition()} has them all retransmitted
     * @throws IllegalArgumentException if not positive
     */
    public Logon maxHeldBytes(final int maxHeldBytes)
    {
        if (maxHeldBytes <= 0)
        {
            throw new IllegalArgumentException("maxHeldBytes must be positive, got " + maxHeldBytes);
        }
        this.maxHeldBytes = maxHeldBytes;
        return this;
    }

    public int maxHeldBytes()
    {
        return maxHeldBytes;
    }

    public int account()
    {
        return account;
    }

    public PrivateKey key()
    {
        return key;
    }

    public UUID sessionId()
    {
        return sessionId;
    }

    public long keepAliveMs()
    {
        return keepAliveMs;
    }

    public long deadManTimeoutMs()
    {
        return deadManTimeoutMs;
    }

    public boolean cancelOnDisconnect()
    {
        return cancelOnDisconnect;
    }

    public long nextSeqNo()
    {
        return nextSeqNo;
    }

    public JournalPosition resumeAfter()
    {
        return resumeAfter;
    }

    public long timeoutMs()
    {
        return timeoutMs;
    }

    /**
     * The encoders keep the low 32 bits of a wider value: 2^32 ms as a dead-man timeout would go out as 0, no timer
     * at all, and a keep-alive beyond 2^32 ms as a short one the client then never honours.
     */
    private static long checkUnsigned32(final String name, final long value, final long min)
    {
        if (value < min || value > MAX_UNSIGNED_32)
        {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + MAX_UNSIGNED_32 + ", got " + value);
        }
        return value;
    }
}
