package a64emu.cpu.decode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One A64 encoding: a name, a 32-character bit pattern and its semantics.
 *
 * <p>Pattern characters, most significant bit (31) first: {@code 0}/{@code 1} are
 * fixed bits, {@code -} is ignored, and a run of one letter is a named field
 * ({@code d} = Rd, {@code n} = Rn, {@code i} = immediate, ...). A letter may appear
 * in several runs (e.g. {@code immlo}/{@code immhi}); the runs are concatenated from
 * the most significant one down.
 */
public final class Encoding {
    private final String name;
    private final String pattern;
    private final int mask;
    private final int value;
    private final Map<Character, int[]> fields;
    private final Semantics semantics;

    private Encoding(String name, String pattern, Semantics semantics) {
        String p = pattern.replace("_", "").replace(" ", "");
        if (p.length() != 32) {
            throw new IllegalArgumentException(name + ": pattern must have 32 bits, has " + p.length() + ": " + pattern);
        }
        int m = 0;
        int v = 0;
        Map<Character, int[]> f = new LinkedHashMap<>();
        for (int i = 0; i < 32; i++) {
            char c = p.charAt(i);
            int bit = 31 - i;
            if (c == '0' || c == '1') {
                m |= 1 << bit;
                if (c == '1') {
                    v |= 1 << bit;
                }
            } else if (c != '-') {
                if (!Character.isLetter(c)) {
                    throw new IllegalArgumentException(name + ": bad pattern character '" + c + "'");
                }
                // Record the bit positions of the field, most significant first.
                int[] old = f.get(c);
                int[] bits = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
                bits[bits.length - 1] = bit;
                f.put(c, bits);
            }
        }
        this.name = name;
        this.pattern = p;
        this.mask = m;
        this.value = v;
        this.fields = f;
        this.semantics = semantics;
    }

    public static Encoding of(String name, String pattern, Semantics semantics) {
        return new Encoding(name, pattern, semantics);
    }

    public String name() {
        return name;
    }

    public String pattern() {
        return pattern;
    }

    public int mask() {
        return mask;
    }

    public int value() {
        return value;
    }

    public Semantics semantics() {
        return semantics;
    }

    /**
     * The public static {@code (Cpu, int)} method the semantics are, as the JIT calls it
     * ({@code invokestatic owner.method}); null when the semantics are not such a method
     * (a lambda body, as {@link Decoder#UNALLOCATED}'s) or the encoding is in no table.
     *
     * @param owner  the class's internal name ({@code a64emu/cpu/isa/Alu})
     * @param method the method's name
     */
    public record Implementation(String owner, String method) {
        public String ownerSimpleName() {
            return owner.substring(owner.lastIndexOf('/') + 1);
        }
    }

    private Implementation implementation;
    private boolean implementationKnown;

    /** See {@link Implementation}; found on first use, in the bytecode of the table that lists the encoding. */
    public synchronized Implementation implementation() {
        if (!implementationKnown) {
            Class<?> group = EncodingTable.groupOf(this);
            implementation = group == null ? null : TableMethods.of(group, name);
            implementationKnown = true;
        }
        return implementation;
    }

    public boolean matches(int word) {
        return (word & mask) == value;
    }

    public boolean hasField(char letter) {
        return fields.containsKey(letter);
    }

    /** The value of a named field in {@code word} (bits concatenated, unsigned). */
    public int field(char letter, int word) {
        int[] bits = fields.get(letter);
        if (bits == null) {
            throw new IllegalArgumentException(name + " has no field '" + letter + "'");
        }
        int result = 0;
        for (int bit : bits) {
            result = (result << 1) | ((word >>> bit) & 1);
        }
        return result;
    }

    public Map<Character, int[]> fields() {
        return java.util.Collections.unmodifiableMap(fields);
    }

    @Override
    public String toString() {
        return name + " " + pattern;
    }
}
