package io.rollbook.matcher.purity;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * Does everything the matcher must not, so the purity test can show it catches each kind.
 */
final class ImpureFixture
{
    private final Map<String, Long> byName = new HashMap<>();
    private final Long2ObjectHashMap<String> byId = new Long2ObjectHashMap<>();

    long impure()
    {
        final long now = System.nanoTime();
        final int noise = new Random().nextInt();
        Thread.onSpinWait();
        byName.put("now", now);
        final int identity = System.identityHashCode(this);
        return now + noise + identity + byId.values().size();
    }
}
