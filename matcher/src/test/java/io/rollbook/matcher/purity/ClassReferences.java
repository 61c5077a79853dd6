package io.rollbook.matcher.purity;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one compiled class refers to, read from its constant pool: the classes it names, the members (fields and
 * methods) it uses as {@code owner.name}, and every type that appears in a descriptor or signature.
 */
final class ClassReferences
{
    private static final int UTF8 = 1;
    private static final int INTEGER = 3;
    private static final int FLOAT = 4;
    private static final int LONG = 5;
    private static final int DOUBLE = 6;
    private static final int CLASS = 7;
    private static final int STRING = 8;
    private static final int FIELD_REF = 9;
    private static final int METHOD_REF = 10;
    private static final int INTERFACE_METHOD_REF = 11;
    private static final int NAME_AND_TYPE = 12;
    private static final int METHOD_HANDLE = 15;
    private static final int METHOD_TYPE = 16;
    private static final int DYNAMIC = 17;
    private static final int INVOKE_DYNAMIC = 18;
    private static final int MODULE = 19;
    private static final int PACKAGE = 20;

    final Set<String> classes = new LinkedHashSet<>();
    final Set<String> members = new LinkedHashSet<>();
    final List<String> utf8 = new ArrayList<>();

    static ClassReferences read(final InputStream classFile) throws IOException
    {
        final DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE)
        {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        final int count = in.readUnsignedShort();
        final Object[] pool = new Object[count];
        final int[][] refs = new int[count][];
        final int[] tags = new int[count];
        for (int i = 1; i < count; i++)
        {
            final int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag)
            {
                case UTF8:
                    pool[i] = in.readUTF();
                    break;
                case INTEGER:
                case FLOAT:
                    in.readInt();
                    break;
                case LONG:
                case DOUBLE:
                    in.readLong();
                    i++;
                    break;
                case CLASS:
                case STRING:
                case METHOD_TYPE:
                case MODULE:
                case PACKAGE:
                    refs[i] = new int[]{in.readUnsignedShort()};
                    break;
                case FIELD_REF:
                case METHOD_REF:
                case INTERFACE_METHOD_REF:
                case NAME_AND_TYPE:
                case DYNAMIC:
                case INVOKE_DYNAMIC:
                    refs[i] = new int[]{in.readUnsignedShort(), in.readUnsignedShort()};
                    break;
                case METHOD_HANDLE:
                    in.readUnsignedByte();
                    refs[i] = new int[]{in.readUnsignedShort()};
                    break;
                default:
                    throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }

        final ClassReferences references = new ClassReferences();
        for (int i = 1; i < count; i++)
        {
            switch (tags[i])
            {
                case UTF8:
                    references.utf8.add((String)pool[i]);
                    break;
                case CLASS:
                    references.classes.add((String)pool[refs[i][0]]);
                    break;
                case FIELD_REF:
                case METHOD_REF:
                case INTERFACE_METHOD_REF:
                    final String owner = (String)pool[refs[refs[i][0]][0]];
                    final String name = (String)pool[refs[refs[i][1]][0]];
                    references.members.add(owner + "." + name);
                    break;
                default:
                    break;
            }
        }

        return references;
    }
}
