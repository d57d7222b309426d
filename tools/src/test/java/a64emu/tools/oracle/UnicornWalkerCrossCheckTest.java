package a64emu.tools.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import a64emu.mmu.AccessType;
import a64emu.mmu.vectors.format.TranslationVector;
import a64emu.mmu.vectors.format.TranslationVector.Access;
import a64emu.mmu.vectors.format.TranslationVector.Command;
import a64emu.mmu.vectors.format.TranslationVector.Faulted;
import a64emu.mmu.vectors.format.TranslationVector.Register;
import a64emu.mmu.vectors.format.TranslationVector.SetRegister;
import a64emu.mmu.vectors.format.TranslationVector.Translated;
import a64emu.mmu.vectors.format.TranslationVector.WriteMemory;
import a64emu.mmu.vectors.format.VectorFile;
import a64emu.mmu.vectors.format.VectorMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential check of the page-table vectors against an engine no one here wrote: QEMU's
 * stage 1 table walker inside Unicorn 1.x. For each vector case Unicorn can run, the same
 * descriptors are written at the same physical addresses, the same MAIR/TCR/TTBR/SCTLR values
 * are set by MSR at EL1, and the one access is made (LDR/STR at EL1, LDTR/STTR for EL0):
 * <ul>
 * <li>where a64emu translates, a load must return the word seeded at a64emu's physical address
 *     and a store must land there;</li>
 * <li>where a64emu faults, QEMU must refuse the access too. Unicorn 1.x cannot report a fault (it
 *     dies in its code generator, reference/oracles.md), so every access runs in a child JVM
 *     ({@link UnicornChild}) and a dead child means "faulted"; which fault is the vectors' job.</li>
 * </ul>
 * Left out, each reason counted by {@link #coverage}: instruction fetches (QEMU 2.2 reads UXN/PXN
 * from the wrong bits of an ARMv8 descriptor), TCR.HA/HD, TCR.HPDn and PSTATE.PAN (not in QEMU
 * 2.2), Address size faults and External aborts on the walk (QEMU 2.2 checks neither),
 * addresses at or above 2^40 (QEMU 2.2 masks descriptor addresses to 40 bits), several accesses
 * in one case (QEMU has no ASIDs and flushes its TLB on TTBR writes), the MMU off, and cases that
 * leave no room to map the test program. The whole check is skipped, with a message, only when
 * the Unicorn native library cannot load on the machine.
 */
class UnicornWalkerCrossCheckTest {
    static final Path VECTORS = Path.of("..", "emulator", "src", "test", "resources", "a64emu", "mmu", "vectors");
    /** The cross-check must keep covering a good part of the suite. */
    static final int MINIMUM_CHECKED = 180;

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

    private static String unicornUnavailable;

    @BeforeAll
    static void loadUnicorn() {
        try {
            UnicornStage1Oracle.probe();
        } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError, NoClassDefFoundError, UnicornException
            unicornUnavailable = e.toString();
        }
    }

    private static void requireUnicorn() {
        Assumptions.assumeTrue(unicornUnavailable == null,
                () -> "Unicorn native library cannot load on this machine, cross-check skipped: " + unicornUnavailable);
    }

    static List<TranslationVector> allCases() {
        assertTrue(Files.isDirectory(VECTORS), "vector files not found at " + VECTORS.toAbsolutePath());
        return VectorFile.readDirectory(VECTORS);
    }

    static Stream<TranslationVector> checkableCases() {
        return allCases().stream().filter(v -> exclusion(v) == null);
    }

    /** Why the case cannot go to Unicorn, or null if it can. */
    static String exclusion(TranslationVector v) {
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
        if (a.expectation() instanceof Translated t) {
            if (Long.compareUnsigned(t.pa(), QEMU22_OA_LIMIT) >= 0) {
                return "PA >= 2^40 (QEMU 2.2 walker)";
            }
        } else {
            int fsc = ((Faulted) a.expectation()).fsc();
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

    static boolean faults(TranslationVector v) {
        return v.accesses().get(0).expectation() instanceof Faulted;
    }

    static Stream<TranslationVector> checkableTranslations() {
        return checkableCases().filter(v -> !faults(v));
    }

    static Stream<TranslationVector> checkableFaults() {
        return checkableCases().filter(UnicornWalkerCrossCheckTest::faults);
    }

    @Test
    void coverage() {
        Map<String, Integer> reasons = new TreeMap<>();
        int checked = 0;
        int faulting = 0;
        List<TranslationVector> all = allCases();
        for (TranslationVector v : all) {
            String why = exclusion(v);
            if (why == null) {
                checked++;
                faulting += faults(v) ? 1 : 0;
            } else {
                reasons.merge(why, 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder(String.format(
                "Unicorn cross-check: %d of %d vector cases checked (%d translations, %d faults)%n",
                checked, all.size(), checked - faulting, faulting));
        reasons.forEach((why, n) -> sb.append(String.format("  %4d left out: %s%n", n, why)));
        System.out.print(sb);
        assertTrue(checked >= MINIMUM_CHECKED, sb.toString());
    }

    /** Unicorn's answers, from child JVMs, by case name (null when Unicorn cannot load). */
    private static Map<String, String> answers;
    private static final Map<String, Long> expectedWords = new HashMap<>();

    private static synchronized Map<String, String> answers() throws Exception {
        if (answers == null) {
            List<UnicornStage1Oracle.Job> jobs = new ArrayList<>();
            for (TranslationVector v : checkableCases().toList()) {
                jobs.add(job(v));
            }
            answers = UnicornChild.runAll(jobs);
        }
        return answers;
    }

    /** The Unicorn job for {@code v}, recording the word the access must read or leave. */
    private static UnicornStage1Oracle.Job job(TranslationVector v) {
        Access a = v.accesses().get(0);
        CodeMapping code = codeMapping(v);
        assertNotNull(code);
        Map<Long, Long> memory = new LinkedHashMap<>(code.memory());
        long slot = 0;
        long storeValue = 0;
        boolean load = a.type() == AccessType.READ;
        if (a.expectation() instanceof Translated t) {
            long pa = a64emuTranslate(v);
            assertEquals(t.pa(), pa, v.source() + ": a64emu disagrees with its own vector");
            slot = pa & ~7L;   // 8-byte accesses at VA & ~7 reach PA & ~7 (same page)
            memory.putIfAbsent(slot, 0x0dd0_0000_0000_0000L ^ slot);
            storeValue = 0x5702_0000_0000_0000L ^ slot;
            expectedWords.put(v.name(), load ? memory.get(slot) : storeValue);
        }
        UnicornStage1Oracle.Registers regs = new UnicornStage1Oracle.Registers(
                finalRegister(v, Register.MAIR), finalRegister(v, Register.TCR), finalRegister(v, Register.TTBR0),
                finalRegister(v, Register.TTBR1), finalRegister(v, Register.SCTLR) & (SCTLR_M | SCTLR_WXN));
        int word = load ? (a.el() == 0 ? UnicornStage1Oracle.LDTR : UnicornStage1Oracle.LDR)
                : (a.el() == 0 ? UnicornStage1Oracle.STTR : UnicornStage1Oracle.STR);
        return new UnicornStage1Oracle.Job(v.name(), regs, code.pa(), word, a.va() & ~7L, storeValue, slot, memory);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkableTranslations")
    void unicornReachesThePhysicalAddressA64emuTranslatesTo(TranslationVector v) throws Exception {
        requireUnicorn();
        Access a = v.accesses().get(0);
        String answer = answers().get(v.name());
        String what = String.format("%s: Unicorn's %s of VA 0x%x (a64emu: PA 0x%x)", v.source(),
                a.type() == AccessType.READ ? "load" : "store", a.va() & ~7L, ((Translated) a.expectation()).pa() & ~7L);
        assertNotNull(answer, what + ": no answer");
        assertTrue(answer.startsWith("RESULT "), what + ": " + (answer.equals(UnicornChild.CRASH)
                ? "Unicorn crashed (QEMU's walker faulted where a64emu translates)" : answer));
        assertEquals(String.format("0x%016x", expectedWords.get(v.name())),
                String.format("0x%016x", Long.parseUnsignedLong(answer.substring(7), 16)), what + " reached another PA");
    }

    /**
     * A fault can only be seen as Unicorn dying (reference/oracles.md), so this checks that
     * QEMU's walker refuses the access too, not which fault it takes: the ESR is the vectors'
     * business. A load that completes is a real disagreement.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("checkableFaults")
    void unicornAlsoRefusesTheAccessA64emuFaults(TranslationVector v) throws Exception {
        requireUnicorn();
        Access a = v.accesses().get(0);
        String answer = answers().get(v.name());
        String what = String.format("%s: Unicorn's %s of VA 0x%x (a64emu: %s)", v.source(),
                a.type() == AccessType.READ ? "load" : "store", a.va() & ~7L, a.expectation());
        assertNotNull(answer, what + ": no answer");
        assertEquals(UnicornChild.CRASH, answer, what + ": QEMU's walker let the access through");
    }

    /** a64emu's answer for the single access of {@code v}. */
    private static long a64emuTranslate(TranslationVector v) {
        VectorMachine machine = new VectorMachine();
        for (Command c : v.commands()) {
            if (c instanceof Access a) {
                try {
                    return machine.mmu.translate(a.va(), a.type(), a.el());
                } catch (GuestException e) {
                    throw new AssertionError(v.source() + ": a64emu faults: " + e.getMessage());
                }
            }
            machine.setUp(c);
        }
        throw new AssertionError(v.source() + ": no access");
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
    record CodeMapping(long pa, Map<Long, Long> memory) {}

    /**
     * Adds an EL1-executable identity mapping of one code page to the case's TTBR0 tables,
     * using only entries the case leaves zero and its own access does not read (so its walk,
     * faulting or not, is untouched) and new tables from a pool of pages the case does not
     * use. Null if no candidate page fits.
     */
    static CodeMapping codeMapping(TranslationVector v) {
        Map<Long, Long> memory = new LinkedHashMap<>();
        long accessPa = -1;
        long accessVa = 0;
        for (Command c : v.commands()) {
            if (c instanceof WriteMemory w) {
                memory.put(w.pa(), w.value());
            } else if (c instanceof Access a) {
                accessVa = a.va();
                if (a.expectation() instanceof Translated t) {
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
