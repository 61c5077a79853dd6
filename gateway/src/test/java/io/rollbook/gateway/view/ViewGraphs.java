package io.rollbook.gateway.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Compares two sets of views field by field, every field of the views' own classes walked by reflection (so a field
 * added to a view and left out of a comparison, or of a view snapshot, is seen), the few JDK types the views hold
 * through their contents, and Agrona's collections either through their fields (the same history gives the same
 * tables) or through their entries (views read from a snapshot hold the same entries in tables that grew another
 * way).
 */
final class ViewGraphs
{
    /** How Agrona's collections are compared. */
    enum Collections
    {
        /** Through their fields: their tables slot for slot. */
        LAYOUT,
        /**
         * Through their entries; and the accounts' pool of free order records, which holds no state and is as large
         * as the most orders ever open at once, is left out.
         */
        ENTRIES
    }

    private ViewGraphs()
    {
    }

    static void assertSameViews(
        final GatewayViews expected, final GatewayViews actual, final String context, final Collections collections)
        throws ReflectiveOperationException
    {
        assertEquals(expected.updater().lastSequence(), actual.updater().lastSequence(), context + ": last sequence");
        for (final Field field : GatewayViews.class.getDeclaredFields())
        {
            if (field.getType() != ViewUpdater.class)
            {
                field.setAccessible(true);
                assertSame(field.get(expected), field.get(actual), context + ": " + field.getName(),
                    new IdentityHashMap<>(), collections);
            }
        }
    }

    static void assertSameIndex(
        final JournalIndex expected, final JournalIndex actual, final String context, final Collections collections)
        throws ReflectiveOperationException
    {
        assertSame(expected, actual, context + ": journal index", new IdentityHashMap<>(), collections);
    }

    private static void assertSame(
        final Object expected,
        final Object actual,
        final String path,
        final Map<Object, Object> compared,
        final Collections collections)
        throws IllegalAccessException
    {
        if (expected == null || actual == null)
        {
            assertEquals(expected, actual, path);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), path);
        if (compared.put(expected, actual) != null)
        {
            return;
        }
        final Class<?> type = expected.getClass();
        if (type.isArray())
        {
            assertEquals(Array.getLength(expected), Array.getLength(actual), path + ".length");
            for (int i = 0; i < Array.getLength(expected); i++)
            {
                final Object e = Array.get(expected, i);
                final Object a = Array.get(actual, i);
                if (type.getComponentType().isPrimitive())
                {
                    if (!e.equals(a))
                    {
                        fail(path + "[" + i + "]: expected " + e + " but was " + a);
                    }
                }
                else
                {
                    assertSame(e, a, path + "[" + i + "]", compared, collections);
                }
            }
            return;
        }
        if (type == Object.class)
        {
            return;
        }
        if (type.getName().startsWith("java."))
        {
            assertSameJdk(expected, actual, path, compared, collections);
            return;
        }
        if (collections == Collections.ENTRIES && type.getName().startsWith("org.agrona.collections."))
        {
            assertSameEntries(expected, actual, path, compared, collections);
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass())
        {
            for (final Field field : c.getDeclaredFields())
            {
                if (Modifier.isStatic(field.getModifiers()) ||
                    (collections == Collections.ENTRIES && c == AccountsView.class && field.getName().equals("pool")))
                {
                    continue;
                }
                field.setAccessible(true);
                final String at = path + "." + field.getName();
                if (field.getType().isPrimitive())
                {
                    assertEquals(field.get(expected), field.get(actual), at);
                }
                else
                {
                    assertSame(field.get(expected), field.get(actual), at, compared, collections);
                }
            }
        }
    }

    private static void assertSameEntries(
        final Object expected,
        final Object actual,
        final String path,
        final Map<Object, Object> compared,
        final Collections collections)
        throws IllegalAccessException
    {
        if (expected instanceof Long2LongHashMap e)
        {
            final Long2LongHashMap a = (Long2LongHashMap)actual;
            assertEquals(e.size(), a.size(), path + ".size");
            final Long2LongHashMap.EntryIterator entries = e.entrySet().iterator();
            while (entries.hasNext())
            {
                entries.next();
                assertTrue(a.containsKey(entries.getLongKey()), path + " holds " + entries.getLongKey());
                assertEquals(entries.getLongValue(), a.get(entries.getLongKey()), path + "[" + entries.getLongKey() +
                    "]");
            }
        }
        else if (expected instanceof Long2ObjectHashMap<?> e)
        {
            final Long2ObjectHashMap<?> a = (Long2ObjectHashMap<?>)actual;
            assertEquals(e.size(), a.size(), path + ".size");
            final Long2ObjectHashMap<?>.EntryIterator entries = e.entrySet().iterator();
            while (entries.hasNext())
            {
                entries.next();
                final long key = entries.getLongKey();
                assertTrue(a.containsKey(key), path + " holds " + key);
                assertSame(entries.getValue(), a.get(key), path + "[" + key + "]", compared, collections);
            }
        }
        else if (expected instanceof Int2ObjectHashMap<?> e)
        {
            final Int2ObjectHashMap<?> a = (Int2ObjectHashMap<?>)actual;
            assertEquals(e.size(), a.size(), path + ".size");
            final Int2ObjectHashMap<?>.EntryIterator entries = e.entrySet().iterator();
            while (entries.hasNext())
            {
                entries.next();
                final int key = entries.getIntKey();
                assertTrue(a.containsKey(key), path + " holds " + key);
                assertSame(entries.getValue(), a.get(key), path + "[" + key + "]", compared, collections);
            }
        }
        else
        {
            fail(path + ": no comparison by entries for " + expected.getClass().getName());
        }
    }

    private static void assertSameJdk(
        final Object expected,
        final Object actual,
        final String path,
        final Map<Object, Object> compared,
        final Collections collections)
        throws IllegalAccessException
    {
        if (expected instanceof String || expected instanceof Number || expected instanceof Boolean ||
            expected instanceof Character)
        {
            assertEquals(expected, actual, path);
        }
        else if (expected instanceof AtomicLongArray e)
        {
            final AtomicLongArray a = (AtomicLongArray)actual;
            assertEquals(e.length(), a.length(), path + ".length");
            for (int i = 0; i < e.length(); i++)
            {
                assertEquals(e.get(i), a.get(i), path + "[" + i + "]");
            }
        }
        else if (expected instanceof AtomicReferenceArray<?> e)
        {
            final AtomicReferenceArray<?> a = (AtomicReferenceArray<?>)actual;
            assertEquals(e.length(), a.length(), path + ".length");
            for (int i = 0; i < e.length(); i++)
            {
                assertSame(e.get(i), a.get(i), path + "[" + i + "]", compared, collections);
            }
        }
        else if (expected instanceof Collection<?> e)
        {
            assertSame(e.toArray(), ((Collection<?>)actual).toArray(), path, compared, collections);
        }
        else
        {
            fail(path + ": no comparison for " + expected.getClass().getName());
        }
    }
}
