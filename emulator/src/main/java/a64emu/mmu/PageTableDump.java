package a64emu.mmu;

import a64emu.memory.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Every mapping in one half of the current translation tables, in the layout of Linux's
 * {@code /sys/kernel/debug/kernel_page_tables} ({@code arch/arm64/mm/ptdump.c}): adjacent
 * leaves at the same level with the same attributes are merged into one range, whatever
 * their output addresses (as ptdump's {@code note_page} does). It reads the tables in RAM
 * (not the TLB) and changes nothing.
 *
 * <p>Invalid level 3 entries that are not empty are listed too, flagged {@code F} as
 * Linux's ptdump flags an invalid entry: a PROT_NONE page, or a swapped-out page's swap
 * entry decoded ({@link SwapPte}); consecutive swap entries merge when their swap offsets
 * follow each other.
 */
public final class PageTableDump {
    private PageTableDump() {}

    /** Linux's names for the four levels with 4 KiB pages. */
    private static final String[] LEVEL_NAMES = {"PGD", "PUD", "PMD", "PTE"};
    /** Attribute bits that make two leaves "the same" for merging (everything but the OA and software bits). */
    private static final long ATTRIBUTE_MASK = ~Descriptor.OA_MASK_PAGE & ~Descriptor.SOFTWARE_MASK;

    /**
     * One merged range of leaves.
     *
     * @param va         first VA
     * @param size       bytes mapped
     * @param pa         PA of the first byte (the rest of a merged range need not follow it)
     * @param level      leaf level (3 page, 2 or 1 block)
     * @param descriptor the first leaf descriptor
     * @param tableAttrs hierarchical attributes gathered above it (APTable, UXNTable, PXNTable)
     */
    public record Mapping(long va, long size, long pa, int level, long descriptor, long tableAttrs) {
        public long end() {
            return va + size;
        }

        /** An invalid entry (PROT_NONE or swap): {@code pa} then holds the first swap offset. */
        public boolean invalid() {
            return !Descriptor.isValid(descriptor);
        }

        /** The part of this range in [from, to), which must lie inside it. */
        public Mapping slice(long from, long to) {
            long skipped = from - va;
            long pa2 = PteState.of(descriptor) == PteState.SWAP ? pa + skipped / Descriptor.PAGE_SIZE
                    : invalid() ? 0 : pa + skipped;
            return new Mapping(from, to - from, pa2, level, descriptor, tableAttrs);
        }
    }

    /**
     * The mappings of the TTBR0 ({@code ttbr1=false}) or TTBR1 half as the MMU is now
     * programmed. A table pointer outside RAM ends that branch silently (the walker would
     * take an External abort there).
     */
    public static List<Mapping> mappings(Mmu mmu, boolean ttbr1) {
        long tcr = mmu.tcr();
        int txsz = Tcr.txsz(tcr, ttbr1);
        int inputSize = Descriptor.inputSize(txsz);
        long regionStart = ttbr1 ? -(1L << inputSize) : 0;
        int level = Descriptor.startLevel(txsz);
        long tableBytes = (long) Descriptor.startLevelEntries(txsz) * Descriptor.DESCRIPTOR_BYTES;
        long table = (ttbr1 ? mmu.ttbr1() : mmu.ttbr0()) & Mmu.TTBR_BADDR_MASK & ~(tableBytes - 1);
        boolean hierarchical = !Tcr.hpd(tcr, ttbr1);
        List<Mapping> out = new ArrayList<>();
        walk(mmu.ram(), table, level, Descriptor.startLevelEntries(txsz), regionStart, 0, hierarchical, out);
        return out;
    }

    private static void walk(PhysicalMemory ram, long table, int level, int entries, long vaBase, long tableAttrs,
                             boolean hierarchical, List<Mapping> out) {
        long span = Descriptor.bytesMappedAt(level);
        for (int i = 0; i < entries; i++) {
            long entryPa = table + (long) i * Descriptor.DESCRIPTOR_BYTES;
            if (!ram.contains(entryPa, Descriptor.DESCRIPTOR_BYTES)) {
                return;
            }
            long desc = ram.read64(entryPa);
            long va = vaBase + i * span;
            if (Descriptor.isTable(desc, level)) {
                long attrs = hierarchical
                        ? tableAttrs | (desc & (Descriptor.PXN_TABLE | Descriptor.UXN_TABLE | Descriptor.AP_TABLE_MASK))
                        : 0;
                walk(ram, Descriptor.nextTable(desc), level + 1, Descriptor.ENTRIES_PER_TABLE, va, attrs,
                        hierarchical, out);
            } else if (Descriptor.isLeaf(desc, level)) {
                add(out, new Mapping(va, span, Descriptor.outputAddress(desc, level), level, desc, tableAttrs));
            } else if (level == Descriptor.LAST_LEVEL && desc != 0) {
                PteState state = PteState.of(desc);
                long first = state == PteState.SWAP ? SwapPte.offset(desc) : 0;
                add(out, new Mapping(va, span, first, level, desc, tableAttrs));
            }
        }
    }

    private static void add(List<Mapping> out, Mapping m) {
        if (!out.isEmpty()) {
            Mapping last = out.get(out.size() - 1);
            if (last.invalid() || m.invalid()) {
                if (last.end() == m.va() && sameInvalidRun(last, m)) {
                    out.set(out.size() - 1, new Mapping(last.va(), last.size() + m.size(), last.pa(), last.level(),
                            last.descriptor(), last.tableAttrs()));
                    return;
                }
                out.add(m);
                return;
            }
            if (last.end() == m.va() && last.level() == m.level()
                    && (last.descriptor() & ATTRIBUTE_MASK) == (m.descriptor() & ATTRIBUTE_MASK)
                    && last.tableAttrs() == m.tableAttrs()) {
                out.set(out.size() - 1, new Mapping(last.va(), last.size() + m.size(), last.pa(), last.level(),
                        last.descriptor(), last.tableAttrs()));
                return;
            }
        }
        out.add(m);
    }

    /**
     * Whether invalid entry {@code m} continues the run {@code last}: both PROT_NONE, or
     * both swap entries of one type and exclusivity with the next swap offset.
     */
    private static boolean sameInvalidRun(Mapping last, Mapping m) {
        if (!last.invalid() || !m.invalid() || last.tableAttrs() != m.tableAttrs()) {
            return false;
        }
        PteState a = PteState.of(last.descriptor());
        PteState b = PteState.of(m.descriptor());
        if (a != b) {
            return false;
        }
        if (a == PteState.PROT_NONE) {
            return true;
        }
        return SwapPte.type(last.descriptor()) == SwapPte.type(m.descriptor())
                && SwapPte.exclusive(last.descriptor()) == SwapPte.exclusive(m.descriptor())
                && last.pa() + last.size() / Descriptor.PAGE_SIZE == m.pa();
    }

    /**
     * One line in ptdump's layout ({@code arch/arm64/mm/ptdump.c}: the range, the size
     * as {@code %9lu%c}, the level name, then one column per attribute bit, set or clear,
     * and the memory type), for example
     * {@code 0x0000000000400000-0x0000000000402000           8K PTE   USR ro NX SHD AF NG         UXN    MEM/NORMAL}.
     * a64emu adds a DBM column after UXN (Linux prints GP there) and the hierarchical
     * table attributes above the range in parentheses.
     */
    public static String format(Mapping m, long mair) {
        long d = m.descriptor();
        StringBuilder sb = new StringBuilder(String.format("0x%016x-0x%016x   %s %s",
                m.va(), m.end(), size(m.size()), LEVEL_NAMES[m.level()]));
        if (m.invalid()) {
            sb.append(" F   ");
            if (PteState.of(d) == PteState.SWAP) {
                long pages = m.size() / Descriptor.PAGE_SIZE;
                sb.append(String.format("swap type=%d %s", SwapPte.type(d), pages == 1
                        ? String.format("offset=0x%x", m.pa())
                        : String.format("offsets=0x%x-0x%x", m.pa(), m.pa() + pages - 1)));
                if (SwapPte.exclusive(d)) {
                    sb.append(" exclusive");
                }
            } else {
                sb.append("PROT_NONE");
            }
            return sb.toString();
        }
        bit(sb, Descriptor.isValid(d), " ", "F");
        bit(sb, Descriptor.user(d), "USR", "   ");
        bit(sb, Descriptor.rdonly(d), "ro", "RW");
        bit(sb, Descriptor.pxn(d), "NX", "x ");
        bit(sb, Descriptor.sh(d) == 3, "SHD", "   ");
        bit(sb, Descriptor.af(d), "AF", "  ");
        bit(sb, Descriptor.ng(d), "NG", "  ");
        bit(sb, Descriptor.cont(d), "CON", "   ");
        bit(sb, !Descriptor.isBlock(d, m.level()), "   ", "BLK");
        bit(sb, Descriptor.uxn(d), "UXN", "   ");
        bit(sb, Descriptor.dbm(d), "DBM", "   ");
        sb.append(' ').append(memoryType((int) (mair >>> (8 * Descriptor.attrIndxOf(d))) & 0xFF));
        if (m.tableAttrs() != 0) {
            StringJoiner table = new StringJoiner(" ", " (table: ", ")");
            if ((m.tableAttrs() & Descriptor.AP_TABLE_NO_EL0) != 0) table.add("noEL0");
            if ((m.tableAttrs() & Descriptor.AP_TABLE_RDONLY) != 0) table.add("ro");
            if ((m.tableAttrs() & Descriptor.UXN_TABLE) != 0) table.add("UXN");
            if ((m.tableAttrs() & Descriptor.PXN_TABLE) != 0) table.add("PXN");
            sb.append(table);
        }
        return sb.toString();
    }

    private static void bit(StringBuilder sb, boolean set, String ifSet, String ifClear) {
        sb.append(' ').append(set ? ifSet : ifClear);
    }

    /** The whole half, one line per merged range. */
    public static String dump(Mmu mmu, boolean ttbr1) {
        StringBuilder sb = new StringBuilder();
        for (Mapping m : mappings(mmu, ttbr1)) {
            sb.append(format(m, mmu.mair())).append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** Linux ptdump's memory type names for the MAIR attribute bytes it uses. */
    public static String memoryType(int attr) {
        return switch (attr) {
            case 0x00 -> "DEVICE/nGnRnE";
            case 0x04 -> "DEVICE/nGnRE";
            case 0x0C -> "DEVICE/GRE";
            case 0x44 -> "MEM/NORMAL-NC";
            case 0xBB -> "MEM/NORMAL-WT";
            case 0xFF -> "MEM/NORMAL";
            case 0xF0 -> "MEM/NORMAL-TAGGED";
            default -> String.format("MAIR 0x%02x", attr);
        };
    }

    /** ptdump's {@code %9lu%c}: the size in the largest unit that divides it (K, M, G, T). */
    private static String size(long bytes) {
        String units = "KMGT";
        long v = bytes >>> 10;
        int u = 0;
        while (u < units.length() - 1 && v >= 1024 && (v & 1023) == 0) {
            v >>>= 10;
            u++;
        }
        return String.format("%9d%c", v, units.charAt(u));
    }
}
