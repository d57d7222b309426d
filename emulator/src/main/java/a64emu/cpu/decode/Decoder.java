package a64emu.cpu.decode;

import a64emu.cpu.GuestException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Finds the encoding of an instruction word: the most specific pattern (most fixed bits)
 * that matches wins, so a special case listed as its own encoding shadows the general one;
 * among equally specific ones, the first in table order. Decoding depends only on the
 * word, so results are kept in a direct-mapped cache.
 *
 * <p>The table is in parts, each with a region every one of its encodings lies in; a part
 * is read the first time a word in its region is decoded (see {@link EncodingTable}), so
 * only the candidates of those parts are searched. They are kept per set of parts whose
 * regions hold the word and per op0 (bits 28:25, the architecture's top-level decode
 * groups).
 */
public final class Decoder {
    /** Stands for every word no entry matches: executes as an undefined instruction. */
    public static final Encoding UNALLOCATED = Encoding.of("UNALLOCATED",
            "--------------------------------", (cpu, word) -> { throw GuestException.undefined(); });

    private static final int CACHE_BITS = 14;

    /** One part of the table: its region and how to read its encodings. */
    private record Part(int regionMask, int regionValue, Supplier<List<Encoding>> table) {}

    private final List<Part> parts;
    /** Per part, its encodings once read; null before. */
    private final List<List<Encoding>> read;
    /** Key: the bit set of the parts whose regions hold a word, shifted left 4, or its op0. */
    private final Map<Long, Encoding[]> candidates = new HashMap<>();
    private final int[] cacheWord = new int[1 << CACHE_BITS];
    private final Encoding[] cacheEncoding = new Encoding[1 << CACHE_BITS];

    /** A decoder of {@code table}, read now. */
    public Decoder(List<Encoding> table) {
        this(new Part[] {new Part(0, 0, () -> table)});
        read.set(0, List.copyOf(table));
        checkNoIdenticalPatterns(table);
    }

    /** A decoder of {@link EncodingTable}'s groups, each read when a word in its region is first decoded. */
    public static Decoder ofEncodingTable() {
        List<Part> parts = new ArrayList<>();
        for (EncodingTable.Group g : EncodingTable.groupTables()) {
            parts.add(new Part(g.regionMask(), g.regionValue(), () -> EncodingTable.encodings(g)));
        }
        return new Decoder(parts.toArray(new Part[0]));
    }

    private Decoder(Part[] parts) {
        if (parts.length > 63 - 4) {
            throw new IllegalArgumentException("too many parts: " + parts.length);
        }
        this.parts = List.of(parts);
        this.read = new ArrayList<>(java.util.Collections.nCopies(parts.length, null));
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

    /** Every encoding, in table order (reads every part). */
    public synchronized List<Encoding> table() {
        List<Encoding> all = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            all.addAll(part(i));
        }
        return List.copyOf(all);
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
        for (Encoding e : candidates(word)) {
            if (e.matches(word)) {
                return e;
            }
        }
        return UNALLOCATED;
    }

    /** The encodings that may match {@code word}, most specific first. */
    private synchronized Encoding[] candidates(int word) {
        long partSet = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            if ((word & p.regionMask()) == p.regionValue()) {
                partSet |= 1L << i;
            }
        }
        int op0 = (word >>> 25) & 0xF;
        return candidates.computeIfAbsent(partSet << 4 | op0, key -> {
            List<Encoding> group = new ArrayList<>();
            int groupValue = op0 << 25;
            for (int i = 0; i < parts.size(); i++) {
                if ((key >>> 4 & 1L << i) == 0) {
                    continue;
                }
                for (Encoding e : part(i)) {
                    int groupMask = e.mask() & (0xF << 25);
                    if ((groupValue & groupMask) == (e.value() & groupMask)) {
                        group.add(e);
                    }
                }
            }
            // A stable sort: equally specific encodings stay in table order.
            group.sort(Comparator.comparingInt((Encoding e) -> Integer.bitCount(e.mask())).reversed());
            return group.toArray(new Encoding[0]);
        });
    }

    private List<Encoding> part(int i) {
        List<Encoding> encodings = read.get(i);
        if (encodings == null) {
            encodings = parts.get(i).table().get();
            read.set(i, encodings);
        }
        return encodings;
    }
}
