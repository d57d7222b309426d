package a64emu.cpu.decode;

import a64emu.cpu.GuestException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the encoding of an instruction word. The table is split by op0 (bits 28:25,
 * the architecture's top-level decode groups); within a group the most specific
 * pattern (most fixed bits) that matches wins, so a special case listed as its own
 * encoding shadows the general one. Decoding depends only on the word, so results are
 * kept in a direct-mapped cache.
 */
public final class Decoder {
    /** Stands for every word no entry matches: executes as an undefined instruction. */
    public static final Encoding UNALLOCATED = Encoding.of("UNALLOCATED",
            "--------------------------------", (cpu, word) -> { throw GuestException.undefined(); });

    private static final int CACHE_BITS = 14;

    private final Encoding[][] byOp0 = new Encoding[16][];
    private final List<Encoding> all;
    private final int[] cacheWord = new int[1 << CACHE_BITS];
    private final Encoding[] cacheEncoding = new Encoding[1 << CACHE_BITS];

    public Decoder(List<Encoding> table) {
        this.all = List.copyOf(table);
        for (int op0 = 0; op0 < 16; op0++) {
            List<Encoding> group = new ArrayList<>();
            int groupValue = op0 << 25;
            for (Encoding e : table) {
                int groupMask = e.mask() & (0xF << 25);
                if ((groupValue & groupMask) == (e.value() & groupMask)) {
                    group.add(e);
                }
            }
            group.sort(Comparator.comparingInt((Encoding e) -> Integer.bitCount(e.mask())).reversed());
            byOp0[op0] = group.toArray(new Encoding[0]);
        }
        checkNoIdenticalPatterns(table);
    }

    private static void checkNoIdenticalPatterns(List<Encoding> table) {
        var seen = new java.util.HashMap<Long, Encoding>();
        for (Encoding e : table) {
            long key = ((long) e.mask() << 32) | (e.value() & 0xFFFF_FFFFL);
            Encoding prev = seen.putIfAbsent(key, e);
            if (prev != null) {
                throw new IllegalStateException("encodings " + prev.name() + " and " + e.name() + " have the same pattern");
            }
        }
    }

    public List<Encoding> table() {
        return all;
    }

    /** The encoding of {@code word}, or {@link #UNALLOCATED}. */
    public Encoding decode(int word) {
        int slot = (word * 0x9E3779B1) >>> (32 - CACHE_BITS);
        Encoding cached = cacheEncoding[slot];
        if (cached != null && cacheWord[slot] == word) {
            return cached;
        }
        Encoding found = lookup(word);
        cacheWord[slot] = word;
        cacheEncoding[slot] = found;
        return found;
    }

    private Encoding lookup(int word) {
        for (Encoding e : byOp0[(word >>> 25) & 0xF]) {
            if (e.matches(word)) {
                return e;
            }
        }
        return UNALLOCATED;
    }
}
