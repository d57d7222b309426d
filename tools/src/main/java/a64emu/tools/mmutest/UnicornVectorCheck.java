package a64emu.tools.mmutest;

import a64emu.mmu.AccessType;
import a64emu.mmu.vectors.TranslationVector;
import a64emu.mmu.vectors.TranslationVector.Access;
import a64emu.mmu.vectors.TranslationVector.Command;
import a64emu.mmu.vectors.TranslationVector.Faulted;
import a64emu.mmu.vectors.TranslationVector.Register;
import a64emu.mmu.vectors.TranslationVector.SetRegister;
import a64emu.mmu.vectors.TranslationVector.Translated;
import a64emu.mmu.vectors.TranslationVector.WriteMemory;
import a64emu.mmu.vectors.VectorRunner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Differential check of vector cases against an engine no one here wrote: QEMU's stage 1
 * table walker inside Unicorn 1.x. For each case Unicorn can run ({@link #exclusion}), the same
 * descriptors are written at the same physical addresses, the same MAIR/TCR/TTBR/SCTLR values
 * are set by MSR at EL1, and the one access is made (LDR/STR at EL1, LDTR/STTR for EL0):
 * <ul>
 * <li>where a64emu translates, a load must return the word seeded at a64emu's physical address
 *     and a store must land there;</li>
 * <li>where a64emu faults, QEMU must refuse the access too. Unicorn 1.x cannot report a fault (it
 *     dies in its code generator, reference/oracles.md), so every access runs in a child JVM
 *     ({@link UnicornChild}) and a dead child means "faulted"; which fault is the vectors' job.</li>
 * </ul>
 * Used by {@code a64emu mmu-test --oracle unicorn} and by the test suite's
 * {@code UnicornWalkerCrossCheckTest}; both judge with what a64emu observes ({@link VectorRunner}),
 * so a case whose expectation is wrong is still cross-checked on a64emu's behaviour.
 */
public final class UnicornVectorCheck {
    private static final long QEMU22_OA_LIMIT = 1L << 40;
    private static final long TCR_EPD0 = 1L << 7;
    private static final long TCR_HA = 1L << 39;
    private static final long TCR_HD = 1L << 40;
    private static final long TCR_HPD0 = 1L << 41;
    private static final long TCR_HPD1 = 1L << 42;
    private static final long SCTLR_M = 1L;
    private static final long SCTLR_WXN = 1L << 19;
    private static final long PAGE = 0x1000;
    /** Where the test program may live (identity-mapped): inside every T0SZ's range used here. */
    private static final long[] CODE_PA_CANDIDATES = {
            0x00f0_0000L, 0x00f8_0000L, 0x0ff0_0000L, 0x0e00_0000L,
            0x0040_0000_0000L, // another level 1 entry for 39-bit VAs
            0x0080_0000_0000L, // another level 0 entry for 48-bit VAs (still below QEMU 2.2's 2^40)
    };
    private static final long TABLE_POOL = 0x00e0_0000L;

    private UnicornVectorCheck() {}

    /**
     * Why the case cannot go to Unicorn, or null if it can: a known bug, several accesses (QEMU
     * has no ASIDs and flushes its TLB on TTBR writes), instruction fetches (QEMU 2.2 reads
     * UXN/PXN from the wrong bits), the MMU off, TCR.HA/HD, TCR.HPDn and PSTATE.PAN (not in QEMU
     * 2.2), PAs at or above 2^40 and Address size / External abort faults (QEMU 2.2 checks
     * neither), or no room to map the test program. The case's outcome is what a64emu does.
     */
    public static String exclusion(TranslationVector v) {
        if (v.knownBug() != null) {
            return "known a64emu bug";
        }
        List<Access> accesses = v.accesses();
        if (accesses.size() != 1) {
            return "several accesses (TLB behaviour)";
        }
        Access a = accesses.get(0);
        if (a.type() == AccessType.EXECUTE) {
            return "instruction fetch (QEMU 2.2 XN decoding)";
        }
        if (v.commands().stream().anyMatch(c -> c instanceof TranslationVector.Invalidate)) {
            return "TLBI (QEMU has no ASID-tagged TLB)";
        }
        long tcr = finalRegister(v, Register.TCR);
        if ((finalRegister(v, Register.SCTLR) & SCTLR_M) == 0) {
            return "MMU off";
        }
        if ((tcr & (TCR_HA | TCR_HD)) != 0) {
            return "TCR.HA/HD (not in QEMU 2.2)";
        }
        if ((tcr & (TCR_HPD0 | TCR_HPD1)) != 0) {
            return "TCR.HPD0/HPD1 (ARMv8.1, not in QEMU 2.2)";
        }
        if (observed(v) instanceof Translated t) {
            if (Long.compareUnsigned(t.pa(), QEMU22_OA_LIMIT) >= 0) {
                return "PA >= 2^40 (QEMU 2.2 walker)";
            }
        } else {
            int fsc = ((Faulted) observed(v)).fsc();
            if (fsc < 0x04 || fsc > 0x0f) {
                return "address size or external abort fault (QEMU 2.2 checks neither)";
            }
            if (finalRegister(v, Register.PAN) != 0) {
                return "PSTATE.PAN (not in QEMU 2.2)";
            }
        }
        if ((tcr & TCR_EPD0) != 0 || codeMapping(v) == null) {
            return "no room for the code page";
        }
        return null;
    }

    /** True when a64emu faults on the single access of {@code v}. */
    public static boolean faults(TranslationVector v) {
        return observed(v) instanceof Faulted;
    }

    /** What a64emu does on the first access of {@code v}. */
    private static TranslationVector.Expectation observed(TranslationVector v) {
        return VectorRunner.run(v).accesses().get(0).observed();
    }

    /** Fails with the loader's error if Unicorn's native library cannot be used here. */
    public static void probe() {
        UnicornStage1Oracle.probe();
    }

    /**
     * Runs every case that has no {@link #exclusion} on Unicorn (child JVMs) and returns, per
     * case, null when QEMU agrees with a64emu or the disagreement in words. Cases with an
     * exclusion are absent from the map.
     */
    public static Map<TranslationVector, String> check(List<TranslationVector> cases) throws Exception {
        List<UnicornStage1Oracle.Job> jobs = new ArrayList<>();
        Map<String, TranslationVector> byKey = new LinkedHashMap<>();
        Map<String, Long> expectedWords = new LinkedHashMap<>();
        for (TranslationVector v : cases) {
            if (exclusion(v) != null) {
                continue;
            }
            String key = "c" + byKey.size();
            byKey.put(key, v);
            jobs.add(job(key, v, expectedWords));
        }
        Map<String, String> answers = jobs.isEmpty() ? Map.of() : UnicornChild.runAll(jobs);
        Map<TranslationVector, String> verdicts = new LinkedHashMap<>();
        byKey.forEach((key, v) -> verdicts.put(v, judge(v, answers.get(key), expectedWords.get(key))));
        return verdicts;
    }

    private static String judge(TranslationVector v, String answer, Long expectedWord) {
        Access a = v.accesses().get(0);
        TranslationVector.Expectation mine = observed(v);
        String what = String.format("Unicorn's %s of VA 0x%x (a64emu: %s)", a.type() == AccessType.READ ? "load"
                : "store", a.va() & ~7L, VectorRunner.describe(mine));
        if (answer == null) {
            return what + ": no answer";
        }
        if (mine instanceof Faulted) {
            return answer.equals(UnicornChild.CRASH) ? null : what + ": QEMU's walker let the access through";
        }
        if (!answer.startsWith("RESULT ")) {
            return what + ": " + (answer.equals(UnicornChild.CRASH)
                    ? "Unicorn crashed (QEMU's walker faulted where a64emu translates)" : answer);
        }
        long got = Long.parseUnsignedLong(answer.substring(7), 16);
        return got == expectedWord ? null : String.format("%s reached another PA (word 0x%016x, want 0x%016x)",
                what, got, expectedWord);
    }

    /** The Unicorn job for {@code v}, recording the word the access must read or leave. */
    private static UnicornStage1Oracle.Job job(String key, TranslationVector v, Map<String, Long> expectedWords) {
        Access a = v.accesses().get(0);
        CodeMapping code = codeMapping(v);
        Map<Long, Long> memory = new LinkedHashMap<>(code.memory());
        long slot = 0;
        long storeValue = 0;
        boolean load = a.type() == AccessType.READ;
        if (observed(v) instanceof Translated t) {
            slot = t.pa() & ~7L;   // 8-byte accesses at VA & ~7 reach PA & ~7 (same page)
            memory.putIfAbsent(slot, 0x0dd0_0000_0000_0000L ^ slot);
            storeValue = 0x5702_0000_0000_0000L ^ slot;
            expectedWords.put(key, load ? memory.get(slot) : storeValue);
        }
        UnicornStage1Oracle.Registers regs = new UnicornStage1Oracle.Registers(
                finalRegister(v, Register.MAIR), finalRegister(v, Register.TCR), finalRegister(v, Register.TTBR0),
                finalRegister(v, Register.TTBR1), finalRegister(v, Register.SCTLR) & (SCTLR_M | SCTLR_WXN));
        int word = load ? (a.el() == 0 ? UnicornStage1Oracle.LDTR : UnicornStage1Oracle.LDR)
                : (a.el() == 0 ? UnicornStage1Oracle.STTR : UnicornStage1Oracle.STR);
        return new UnicornStage1Oracle.Job(key, regs, code.pa(), word, a.va() & ~7L, storeValue, slot, memory);
    }

    private static long finalRegister(TranslationVector v, Register r) {
        long value = 0;
        for (Command c : v.commands()) {
            if (c instanceof SetRegister s && s.register() == r) {
                value = s.value();
            }
        }
        return value;
    }

    /** The case's memory plus an identity mapping of the code page, and where the code goes. */
    public record CodeMapping(long pa, Map<Long, Long> memory) {}

    /**
     * Adds an EL1-executable identity mapping of one code page to the case's TTBR0 tables,
     * using only entries the case leaves zero and its own access does not read (so its walk,
     * faulting or not, is untouched) and new tables from a pool of pages the case does not
     * use. Null if no candidate page fits.
     */
    public static CodeMapping codeMapping(TranslationVector v) {
        Map<Long, Long> memory = new LinkedHashMap<>();
        long accessPa = -1;
        long accessVa = 0;
        for (Command c : v.commands()) {
            if (c instanceof WriteMemory w) {
                memory.put(w.pa(), w.value());
            } else if (c instanceof Access a) {
                accessVa = a.va();
                if (observed(v) instanceof Translated t) {
                    accessPa = t.pa();
                }
            }
        }
        Set<Long> accessPath = descriptorsRead(memory, v, accessVa);
        long tcr = finalRegister(v, Register.TCR);
        if (((tcr >>> 14) & 3) != 0) {
            return null; // TG0 is not 4 KiB
        }
        int t0sz = (int) Math.max(16, Math.min(39, tcr & 0x3f));
        int inputSize = 64 - t0sz;
        int startLevel = 4 - (inputSize - 4) / 9;
        int startEntries = 1 << (inputSize - (12 + 9 * (3 - startLevel)));
        long root = finalRegister(v, Register.TTBR0) & 0x0000_ffff_ffff_fffeL & -(startEntries * 8L);
        Set<Long> used = new HashSet<>();
        for (long pa : memory.keySet()) {
            used.add(pa & -PAGE);
        }
        if (accessPa >= 0) {
            used.add(accessPa & -PAGE);
        }
        used.add(root & -PAGE);
        for (long code : CODE_PA_CANDIDATES) {
            if (code >= (1L << inputSize) || used.contains(code)) {
                continue;
            }
            Map<Long, Long> m = new LinkedHashMap<>(memory);
            Set<Long> taken = new HashSet<>(used);
            taken.add(code);
            long table = root;
            boolean ok = true;
            for (int level = startLevel; level <= 3 && ok; level++) {
                int shift = 12 + 9 * (3 - level);
                int entries = level == startLevel ? startEntries : 512;
                long entry = table + 8L * ((code >>> shift) & (entries - 1));
                long desc = m.getOrDefault(entry, 0L);
                boolean mayWrite = desc == 0 && !accessPath.contains(entry);
                if (level == 3) {
                    // Page: AF, inner shareable, AttrIndx 0, AP=10 (EL1 read-only, so WXN allows
                    // execution), UXN=PXN=0 (QEMU 2.2 would take UXN for PXN).
                    ok = mayWrite;
                    m.put(entry, code | 0x783L);
                } else if (mayWrite) {
                    long next = TABLE_POOL;
                    while (taken.contains(next)) {
                        next += PAGE;
                    }
                    taken.add(next);
                    m.put(entry, next | 3L);
                    table = next;
                } else if ((desc & 3) == 3 && (desc >>> 59 & 3) == 0 && (desc & 0x0000_ffff_ffff_f000L) < QEMU22_OA_LIMIT) {
                    table = desc & 0x0000_ffff_ffff_f000L; // an existing table without PXNTable/UXNTable
                } else {
                    ok = false;
                }
            }
            if (ok) {
                return new CodeMapping(code, m);
            }
        }
        return null;
    }

    /**
     * The descriptor addresses a walk for {@code va} reads in {@code memory}, down to the first
     * entry that is not a table (a plain re-walk for bookkeeping, not a second MMU model: it
     * only follows table pointers and ignores every permission and fault rule).
     */
    private static Set<Long> descriptorsRead(Map<Long, Long> memory, TranslationVector v, long va) {
        Set<Long> read = new HashSet<>();
        boolean upper = ((va >>> 55) & 1) != 0;
        long tcr = finalRegister(v, Register.TCR);
        int txsz = (int) Math.max(16, Math.min(39, (tcr >>> (upper ? 16 : 0)) & 0x3f));
        int inputSize = 64 - txsz;
        int level = 4 - (inputSize - 4) / 9;
        int entries = 1 << (inputSize - (12 + 9 * (3 - level)));
        long table = finalRegister(v, upper ? Register.TTBR1 : Register.TTBR0) & 0x0000_ffff_ffff_fffeL & -(entries * 8L);
        for (; level <= 3; level++) {
            int shift = 12 + 9 * (3 - level);
            long entry = table + 8L * ((va >>> shift) & (entries - 1));
            read.add(entry);
            long desc = memory.getOrDefault(entry, 0L);
            if (level == 3 || (desc & 3) != 3) {
                break;
            }
            table = desc & 0x0000_ffff_ffff_f000L;
            entries = 512;
        }
        return read;
    }
}
