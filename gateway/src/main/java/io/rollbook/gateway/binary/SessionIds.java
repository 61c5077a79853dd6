package io.rollbook.gateway.binary;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The session ids (client-chosen UUIDs) held by live connections, across all event loops: one connection per
 * session id at a time.
 *
 * <p>Thread-safe. Allocates a key per claim (once per negotiation).
 */
final class SessionIds
{
    private final ConcurrentHashMap<Key, BinarySession> holders = new ConcurrentHashMap<>();

    /**
     * @return true if the session id was free and now belongs to the session
     */
    boolean claim(final long high, final long low, final BinarySession session)
    {
        return holders.putIfAbsent(new Key(high, low), session) == null;
    }

    void release(final long high, final long low, final BinarySession session)
    {
        holders.remove(new Key(high, low), session);
    }

    int size()
    {
        return holders.size();
    }

    private static final class Key
    {
        private final long high;
        private final long low;

        Key(final long high, final long low)
        {
            this.high = high;
            this.low = low;
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Key && ((Key)other).high == high && ((Key)other).low == low;
        }

        @Override
        public int hashCode()
        {
            return Long.hashCode(high * 31 + low);
        }
    }
}
