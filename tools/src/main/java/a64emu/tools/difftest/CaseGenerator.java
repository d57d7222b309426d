package a64emu.tools.difftest;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import a64emu.cpu.decode.EncodingTable;
import a64emu.cpu.isa.SystemRegisterAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random valid encodings: case {@code k} picks a class round-robin, an encoding of it
 * uniformly, fills every field and ignored bit of the pattern at random and keeps the
 * word only if a64emu's decoder maps it back to that encoding (so a special case
 * listed as its own entry is generated as itself, not through the general one).
 * Everything depends only on (seed, k, classes), so a case can be regenerated alone.
 */
final class CaseGenerator {
    /** Draws per case before the encoding is given up (a pattern entirely shadowed by others). */
    private static final int ATTEMPTS = 64;

    /**
     * The system registers MRS/MSR are generated for: those EL0 can access with the same
     * meaning in a64emu (EL0 under Linux) and Unicorn (EL1). Left out, with reason: the ID
     * registers and CTR_EL0 (implementation defined: a64emu is an A53-like core, Unicorn a
     * Cortex-A57), CNTVCT/CNTFRQ (timers), and every EL1 register (undefined at EL0).
     */
    static final Map<String, List<Integer>> SYSTEM_REGISTERS = Map.of(
            "MRS", List.of(SystemRegisterAccess.NZCV, SystemRegisterAccess.FPCR, SystemRegisterAccess.FPSR,
                    SystemRegisterAccess.TPIDR_EL0, SystemRegisterAccess.TPIDRRO_EL0, SystemRegisterAccess.DCZID_EL0),
            "MSR_REG", List.of(SystemRegisterAccess.NZCV, SystemRegisterAccess.FPCR, SystemRegisterAccess.FPSR,
                    SystemRegisterAccess.TPIDR_EL0));

    private final long seed;
    private final List<DecoderClass> classes;
    private final List<List<Encoding>> generated = new ArrayList<>();
    private final Decoder decoder = new Decoder(EncodingTable.all());
    private long rejected;

    CaseGenerator(long seed, List<DecoderClass> classes) {
        this.seed = seed;
        this.classes = List.copyOf(classes);
        for (DecoderClass c : classes) {
            generated.add(c.encodings().stream().filter(e -> Exclusions.reason(e.name()) == null).toList());
        }
    }

    List<DecoderClass> classes() {
        return classes;
    }

    /** Words drawn and thrown away (decoded as another encoding, or CONSTRAINED UNPREDICTABLE). */
    long rejected() {
        return rejected;
    }

    /** Case {@code index}, or null if the chosen encoding produced no valid word. */
    DiffCase generate(long index) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        int c = (int) Math.floorMod(index, (long) classes.size());
        List<Encoding> encodings = generated.get(c);
        if (encodings.isEmpty()) {
            return null;
        }
        Encoding e = encodings.get(random.nextInt(encodings.size()));
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int word = fill(e, random);
            if (decoder.decode(word) != e || ConstrainedUnpredictable.applies(e, word)) {
                rejected++;
                continue;
            }
            long stateSeed = random.nextLong();
            MachineState input = inputState(e, word, stateSeed, ScratchMemory.slotAddress(index));
            return new DiffCase(index, classes.get(c).name(), e, word, stateSeed, input);
        }
        return null;
    }

    /** The input state of a case: random, then fitted to the instruction (addresses, FPCR/FPSR writes). */
    static MachineState inputState(Encoding e, int word, long stateSeed, long pc) {
        StateRandomiser states = new StateRandomiser(new SplittableRandom(stateSeed));
        MachineState input = states.randomState(pc);
        if (isLoadStore(e)) {
            pointIntoMemory(e, word, input, states);
        }
        if (isCacheMaintenance(e)) {
            pointAtBlock(word, input, states);
        }
        maskFpControlWrite(e, word, input);
        return input;
    }

    private int fill(Encoding e, SplittableRandom random) {
        int word = e.value() | (random.nextInt() & ~e.mask());
        if (isLoadStore(e) && e.hasField('i') && random.nextInt(3) != 0) {
            word = withSmallImmediate(e, word, random);
        }
        List<Integer> sysregs = SYSTEM_REGISTERS.get(e.name());
        if (sysregs != null) {
            int key = sysregs.get(random.nextInt(sysregs.size()));
            word = (word & ~(0xFFFF << 5)) | ((key & 0xFFFF) << 5);
        }
        return word;
    }

    /**
     * MSR FPCR/FPSR write only the bits an AArch64-only implementation defines: FPCR
     * AHP, DN, FZ, RMode; FPSR QC and the cumulative flags. The others (AArch32 Len/Stride
     * and NZCV, trap enables) are RES0 or implementation defined, and QEMU keeps them.
     */
    private static void maskFpControlWrite(Encoding e, int word, MachineState s) {
        int t = word & 31;
        if (!e.name().equals("MSR_REG") || t == 31) {
            return;
        }
        int key = (word >>> 5) & 0xFFFF;
        if (key == SystemRegisterAccess.FPCR) {
            s.x[t] &= FPCR_AARCH64_BITS;
        } else if (key == SystemRegisterAccess.FPSR) {
            s.x[t] &= StateRandomiser.FPSR_FP_FLAGS | StateRandomiser.FPSR_QC;
        }
    }

    static final long FPCR_AARCH64_BITS = StateRandomiser.FPCR_AHP | StateRandomiser.FPCR_DN
            | StateRandomiser.FPCR_FZ | (3L << StateRandomiser.FPCR_RMODE_SHIFT);

    /** Offsets near zero (either sign) so most loads and stores stay inside the scratch memory. */
    private static int withSmallImmediate(Encoding e, int word, SplittableRandom random) {
        int[] bits = e.fields().get('i');
        int width = bits.length;
        int small = random.nextInt(16);
        int value = random.nextBoolean() ? small : (int) ((1L << width) - 1 - small);
        for (int k = 0; k < width; k++) {
            int bit = bits[width - 1 - k];
            word = (word & ~(1 << bit)) | (((value >>> k) & 1) << bit);
        }
        return word;
    }

    /** Loads and stores: op0 = x1x0 (ARM ARM C4.1). */
    static boolean isLoadStore(Encoding e) {
        int op0Bits = (1 << 27) | (1 << 25);
        return (e.mask() & op0Bits) == op0Bits && (e.value() & op0Bits) == (1 << 27);
    }

    /** DC and IC by virtual address: SYS with op1=3, CRn=7 (ARM ARM C5.3). */
    static boolean isCacheMaintenance(Encoding e) {
        return (e.mask() & 0xFFFF_F000) == 0xFFFF_F000 && (e.value() & 0xFFFF_F000) == 0xD50B_7000;
    }

    /**
     * Xt of a cache operation names an address inside scratch memory: an address outside
     * a mapped region sends QEMU 2.2's DC ZVA helper down a path that corrupted the process.
     */
    private static void pointAtBlock(int word, MachineState s, StateRandomiser states) {
        int t = word & 31;
        if (t != 31) {
            s.x[t] = states.address(1);
        }
    }

    /** The base register points into scratch memory and a register offset is small. */
    private static void pointIntoMemory(Encoding e, int word, MachineState s, StateRandomiser states) {
        if (e.hasField('n')) {
            int n = (word >>> 5) & 31;
            if (n == 31) {
                s.sp = states.baseAddress();
            } else {
                s.x[n] = states.baseAddress();
            }
        }
        if (e.hasField('m')) {
            int m = (word >>> 16) & 31;
            if (m != 31) {
                s.x[m] = states.smallOffset();
            }
        }
    }

    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
