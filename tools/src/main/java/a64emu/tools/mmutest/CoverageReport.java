package a64emu.tools.mmutest;

import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.TlbiOp;
import a64emu.mmu.TranslationTrace;
import a64emu.mmu.vectors.TranslationVector;
import a64emu.mmu.vectors.TranslationVector.Access;
import a64emu.mmu.vectors.TranslationVector.Command;
import a64emu.mmu.vectors.TranslationVector.Faulted;
import a64emu.mmu.vectors.TranslationVector.Invalidate;
import a64emu.mmu.vectors.TranslationVector.Translated;
import a64emu.mmu.vectors.VectorMachine;
import a64emu.mmu.vectors.VectorRunner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * {@code a64emu mmu-test --coverage}: what a set of vector cases exercises and what it never
 * touches, computed from the cases themselves: each case is run, and for every access the
 * descriptors its walk reads (as {@link a64emu.mmu.Mmu#traceWalk} reports them, before the
 * access) and the outcome a64emu observes are tallied. Counts are of cases, so one case that
 * reads the same descriptor twice counts once.
 */
public final class CoverageReport {
    private static final String[] ACCESS_KINDS = {"el0 r", "el0 w", "el0 x", "el1 r", "el1 w", "el1 x"};
    private static final String[] FAULT_KINDS = {"Address size", "Translation", "Access flag", "Permission",
        "External abort on walk"};
    /** VA sizes (64 - TxSZ) of the Linux configurations with 4K pages: 39 (3 levels) and 48 (4 levels), plus 36, 42, 47. */
    private static final int[] TYPICAL_VA_BITS = {25, 30, 36, 39, 42, 47, 48};
    private static final int[] IPS_BITS = {32, 36, 40, 42, 44, 48, 52};

    private record Field(String name, LongPredicate set) {}

    private static final List<Field> LEAF_FIELDS = List.of(
            new Field("NS", d -> (d & Descriptor.NS) != 0),
            new Field("AP[1] (EL0 access)", d -> (d & Descriptor.USER) != 0),
            new Field("AP[2] (read-only)", d -> (d & Descriptor.RDONLY) != 0),
            new Field("SH=00 (non-shareable)", d -> Descriptor.sh(d) == 0),
            new Field("SH=01 (reserved)", d -> Descriptor.sh(d) == 1),
            new Field("SH=10 (outer)", d -> Descriptor.sh(d) == 2),
            new Field("SH=11 (inner)", d -> Descriptor.sh(d) == 3),
            new Field("AF=0", d -> (d & Descriptor.AF) == 0),
            new Field("nG", d -> (d & Descriptor.NG) != 0),
            new Field("GP", d -> (d & Descriptor.GP) != 0),
            new Field("DBM", d -> (d & Descriptor.DBM) != 0),
            new Field("Contiguous", d -> (d & Descriptor.CONT) != 0),
            new Field("PXN", d -> (d & Descriptor.PXN) != 0),
            new Field("UXN", d -> (d & Descriptor.UXN) != 0),
            new Field("software [58:55]", d -> (d & Descriptor.SOFTWARE_MASK) != 0),
            new Field("RES0 [49:48]", d -> (d & 0x0003_0000_0000_0000L) != 0));

    private static final List<Field> TABLE_FIELDS = List.of(
            new Field("PXNTable", d -> (d & Descriptor.PXN_TABLE) != 0),
            new Field("UXNTable", d -> (d & Descriptor.UXN_TABLE) != 0),
            new Field("APTable[0] (no EL0)", d -> (d & Descriptor.AP_TABLE_NO_EL0) != 0),
            new Field("APTable[1] (read-only)", d -> (d & Descriptor.AP_TABLE_RDONLY) != 0),
            new Field("NSTable", d -> (d & Descriptor.NS_TABLE) != 0),
            new Field("ignored bits [58:52]/[11:2]", d -> (d & 0x07f0_0000_0000_0ffcL) != 0));

    private final Map<String, Set<String>> leafFields = new LinkedHashMap<>();
    private final Map<String, Set<String>> tableFields = new LinkedHashMap<>();
    private final Map<Integer, Set<String>> attrIndx = new TreeMap<>();
    /** AP*4 + UXN*2 + PXN -> access kind index -> cases. */
    private final Map<Integer, Map<Integer, Set<String>>> permissions = new TreeMap<>();
    /** fault kind index * 4 + level -> cases. */
    private final Map<Integer, Set<String>> faults = new TreeMap<>();
    private final Map<String, Set<String>> otherFaults = new TreeMap<>();
    private final Map<String, Set<String>> leafLevels = new TreeMap<>();
    private final Map<String, Set<String>> granules = new TreeMap<>();
    private final Map<String, Set<String>> vaSizes = new TreeMap<>();
    private final Map<Integer, Set<String>> ips = new TreeMap<>();
    private final Map<String, Set<String>> controls = new LinkedHashMap<>();
    private final Map<TlbiOp, Set<String>> tlbis = new TreeMap<>();
    private int cases;
    private int accesses;
    private final Set<String> files = new HashSet<>();

    /** Tallies every case (runs each once). */
    public static CoverageReport of(List<TranslationVector> vectors) {
        CoverageReport r = new CoverageReport();
        for (TranslationVector v : vectors) {
            r.add(v);
        }
        return r;
    }

    private static void mark(Map<String, Set<String>> m, String key, String id) {
        m.computeIfAbsent(key, k -> new HashSet<>()).add(id);
    }

    private void add(TranslationVector v) {
        cases++;
        files.add(v.file());
        String id = v.source();
        VectorMachine machine = new VectorMachine();
        for (Command c : v.commands()) {
            if (c instanceof Invalidate i) {
                tlbis.computeIfAbsent(i.op(), k -> new HashSet<>()).add(id);
            }
            if (!(c instanceof Access a)) {
                machine.setUp(c);
                continue;
            }
            accesses++;
            long tcr = machine.mmu.tcr();
            boolean mmuOn = (machine.mmu.sctlr() & 1) != 0;
            TranslationTrace trace = machine.mmu.traceWalk(a.va(), a.type(), a.el());
            VectorRunner.AccessResult result = VectorRunner.access(machine, a);
            if (!mmuOn) {
                mark(controls, "SCTLR.M=0 (MMU off)", id);
            } else {
                controlsOf(tcr, machine.mmu.sctlr(), machine.mmu.pan(), id);
                boolean upper = trace.ttbr1();
                int tg = (int) (tcr >>> (upper ? 30 : 14)) & 3;
                String granule = upper ? new String[] {"reserved", "16K", "4K", "64K"}[tg]
                        : new String[] {"4K", "64K", "16K", "reserved"}[tg];
                mark(granules, (upper ? "TTBR1 " : "TTBR0 ") + granule, id);
                int txsz = (int) (tcr >>> (upper ? 16 : 0)) & 0x3f;
                mark(vaSizes, String.format("%s %2d-bit", upper ? "TTBR1" : "TTBR0", 64 - txsz), id);
                ips.computeIfAbsent((int) (tcr >>> 32) & 7, k -> new HashSet<>()).add(id);
            }
            List<TranslationTrace.Step> steps = trace.steps();
            for (int i = 0; i < steps.size(); i++) {
                TranslationTrace.Step s = steps.get(i);
                long d = s.descriptor();
                if ((d & Descriptor.VALID) == 0) {
                    continue;
                }
                if (Descriptor.isTable(d, s.level())) {
                    for (Field f : TABLE_FIELDS) {
                        if (f.set().test(d)) {
                            mark(tableFields, f.name(), id);
                        }
                    }
                    continue;
                }
                if (s.level() == 3 && (d & Descriptor.TABLE_BIT) == 0) {
                    continue; // reserved encoding at level 3: no fields
                }
                for (Field f : LEAF_FIELDS) {
                    if (f.set().test(d)) {
                        mark(leafFields, f.name(), id);
                    }
                }
                attrIndx.computeIfAbsent(Descriptor.attrIndxOf(d), k -> new HashSet<>()).add(id);
                int combo = Descriptor.ap(d) * 4 + ((d & Descriptor.UXN) != 0 ? 2 : 0) + ((d & Descriptor.PXN) != 0 ? 1 : 0);
                int kind = a.el() * 3 + (a.type() == AccessType.READ ? 0 : a.type() == AccessType.WRITE ? 1 : 2);
                permissions.computeIfAbsent(combo, k -> new TreeMap<>()).computeIfAbsent(kind, k -> new HashSet<>()).add(id);
            }
            if (result.observed() instanceof Faulted f) {
                int kindIndex = switch (f.fsc() & 0x3c) {
                    case 0x00 -> 0;
                    case 0x04 -> 1;
                    case 0x08 -> 2;
                    case 0x0c -> 3;
                    case 0x14 -> 4;
                    default -> -1;
                };
                if (kindIndex < 0) {
                    mark(otherFaults, String.format("FSC 0x%02x", f.fsc()), id);
                } else {
                    faults.computeIfAbsent(kindIndex * 4 + (f.fsc() & 3), k -> new HashSet<>()).add(id);
                }
            } else if (result.observed() instanceof Translated) {
                if (steps.isEmpty()) {
                    mark(leafLevels, "MMU off (flat)", id);
                } else {
                    TranslationTrace.Step leaf = steps.get(steps.size() - 1);
                    mark(leafLevels, leaf.level() == 3 ? "level 3 page" : "level " + leaf.level() + " block", id);
                }
            }
        }
    }

    private void controlsOf(long tcr, long sctlr, boolean pan, String id) {
        String[][] flags = {{"37", "TCR.TBI0"}, {"38", "TCR.TBI1"}, {"39", "TCR.HA"}, {"40", "TCR.HD"},
            {"41", "TCR.HPD0"}, {"42", "TCR.HPD1"}, {"7", "TCR.EPD0"}, {"23", "TCR.EPD1"}, {"22", "TCR.A1"}};
        for (String[] f : flags) {
            if ((tcr >>> Integer.parseInt(f[0]) & 1) != 0) {
                mark(controls, f[1], id);
            }
        }
        mark(controls, (tcr >>> 36 & 1) != 0 ? "TCR.AS=1 (16-bit ASID)" : "TCR.AS=0 (8-bit ASID)", id);
        if ((sctlr >>> 19 & 1) != 0) {
            mark(controls, "SCTLR.WXN", id);
        }
        if (pan) {
            mark(controls, "PSTATE.PAN", id);
        }
    }

    /** The report: tables of what is exercised (case counts) and a "never" list for each part. */
    public void print(PrintWriter out) {
        out.printf("Coverage of %d cases (%d accesses) in %d file%s%n", cases, accesses, files.size(),
                files.size() == 1 ? "" : "s");
        List<String> missing = new ArrayList<>();

        out.printf("%nLeaf descriptor fields (blocks and pages the walks reached)   cases%n");
        for (Field f : LEAF_FIELDS) {
            row(out, f.name(), leafFields.get(f.name()), missing, "leaf " + f.name());
        }
        StringBuilder idx = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            idx.append(attrIndx.containsKey(i) ? " " + i + ":" + attrIndx.get(i).size() : "");
        }
        out.printf("  %-28s %s%n", "AttrIndx (value:cases)", idx.toString().trim());
        for (int i = 0; i < 8; i++) {
            if (!attrIndx.containsKey(i)) {
                missing.add("AttrIndx " + i);
            }
        }
        out.printf("%nTable descriptor fields (tables the walks followed)           cases%n");
        for (Field f : TABLE_FIELDS) {
            row(out, f.name(), tableFields.get(f.name()), missing, "table " + f.name());
        }

        out.printf("%nLeaf permissions, cases by access                el0 r el0 w el0 x el1 r el1 w el1 x%n");
        for (int combo = 0; combo < 16; combo++) {
            Map<Integer, Set<String>> byKind = permissions.getOrDefault(combo, Map.of());
            String name = String.format("AP=%d%d UXN=%d PXN=%d", combo >> 3 & 1, combo >> 2 & 1, combo >> 1 & 1, combo & 1);
            StringBuilder sb = new StringBuilder(String.format("  %-45s", name));
            List<String> never = new ArrayList<>();
            for (int k = 0; k < ACCESS_KINDS.length; k++) {
                Set<String> s = byKind.get(k);
                sb.append(String.format(" %5s", s == null ? "-" : Integer.toString(s.size())));
                if (s == null) {
                    never.add(ACCESS_KINDS[k]);
                }
            }
            if (never.size() == ACCESS_KINDS.length) {
                missing.add(name + " (no access reaches such a leaf)");
            } else if (!never.isEmpty()) {
                missing.add(name + ": " + String.join(", ", never));
            }
            out.println(sb);
        }

        out.printf("%nFaults, cases by level                     L0    L1    L2    L3%n");
        for (int k = 0; k < FAULT_KINDS.length; k++) {
            StringBuilder sb = new StringBuilder(String.format("  %-36s", FAULT_KINDS[k]));
            for (int level = 0; level < 4; level++) {
                Set<String> s = faults.get(k * 4 + level);
                // With the 4K granule there are no level 0 blocks, so no leaf at level 0 to
                // carry AF or permissions (ARM ARM D8.3): those cells cannot be filled.
                boolean impossible = level == 0 && (k == 2 || k == 3);
                sb.append(String.format(" %5s", s != null ? Integer.toString(s.size()) : impossible ? "n/a" : "-"));
                if (s == null && !impossible) {
                    missing.add(FAULT_KINDS[k] + " fault, level " + level);
                }
            }
            out.println(sb);
        }
        otherFaults.forEach((k, s) -> out.printf("  %-36s %5d%n", k, s.size()));
        out.printf("  Translations by leaf: %s%n", counts(leafLevels));
        for (String leaf : List.of("level 1 block", "level 2 block", "level 3 page")) {
            if (!leafLevels.containsKey(leaf)) {
                missing.add("translation through a " + leaf);
            }
        }

        out.printf("%nTranslation configurations (cases)%n");
        out.printf("  granule: %s%n", counts(granules));
        for (String half : List.of("TTBR0", "TTBR1")) {
            for (String g : List.of("4K", "16K", "64K")) {
                if (!granules.containsKey(half + " " + g)) {
                    missing.add(half + " " + g + " granule");
                }
            }
        }
        out.printf("  VA size: %s%n", counts(vaSizes));
        for (int bits : TYPICAL_VA_BITS) {
            if (!vaSizes.containsKey(String.format("TTBR0 %2d-bit", bits))) {
                missing.add("TTBR0 " + bits + "-bit VA");
            }
            if (!vaSizes.containsKey(String.format("TTBR1 %2d-bit", bits))) {
                missing.add("TTBR1 " + bits + "-bit VA");
            }
        }
        StringBuilder ipsText = new StringBuilder();
        for (int i = 0; i < IPS_BITS.length; i++) {
            if (ips.containsKey(i)) {
                ipsText.append(String.format("%d-bit:%d ", IPS_BITS[i], ips.get(i).size()));
            } else {
                missing.add("IPS " + IPS_BITS[i] + "-bit");
            }
        }
        out.printf("  IPS: %s%n", ipsText.toString().trim());
        out.printf("  controls: %s%n", counts(controls));
        for (String c : List.of("TCR.TBI0", "TCR.TBI1", "TCR.HA", "TCR.HD", "TCR.HPD0", "TCR.HPD1", "TCR.EPD0",
                "TCR.EPD1", "TCR.A1", "TCR.AS=0 (8-bit ASID)", "SCTLR.WXN", "PSTATE.PAN", "SCTLR.M=0 (MMU off)")) {
            if (!controls.containsKey(c)) {
                missing.add(c);
            }
        }

        out.printf("%nTLBI operations (cases)%n");
        StringBuilder t = new StringBuilder();
        for (TlbiOp op : TlbiOp.values()) {
            if (tlbis.containsKey(op)) {
                t.append(op.name().toLowerCase(Locale.ROOT)).append(':').append(tlbis.get(op).size()).append(' ');
            } else {
                missing.add("tlbi " + op.name().toLowerCase(Locale.ROOT));
            }
        }
        out.printf("  %s%n", t.length() == 0 ? "none" : t.toString().trim());

        out.printf("%nNever exercised (%d):%n", missing.size());
        for (String m : missing) {
            out.printf("  %s%n", m);
        }
    }

    private static void row(PrintWriter out, String name, Set<String> s, List<String> missing, String what) {
        out.printf("  %-60s %5s%n", name, s == null ? "never" : Integer.toString(s.size()));
        if (s == null) {
            missing.add(what);
        }
    }

    private static String counts(Map<String, Set<String>> m) {
        if (m.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        m.forEach((k, s) -> parts.add(k + ":" + s.size()));
        return String.join("  ", parts);
    }
}
