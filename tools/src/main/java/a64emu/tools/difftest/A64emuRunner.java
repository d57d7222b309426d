package a64emu.tools.difftest;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.jit.Jit;
import a64emu.jit.JitOptions;
import a64emu.jit.JitStats;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs a case on a64emu: one {@link Cpu#step()} over flat RAM the size of the scratch
 * memory (MMU off, so VA = PA and anything beyond it is an address-size fault, as it is
 * unmapped in Unicorn). SCTLR_EL1 carries the bits Linux sets for EL0 (UCI, UCT, DZE) so
 * the EL0-accessible cache and ID instructions behave as under Linux.
 *
 * <p>With {@link Engine#JIT} the step runs through the translator: a {@link Jit} with a
 * hotness threshold of 0 and units of {@link #CASE_INSTRUCTIONS} instructions, so the case's
 * instruction is translated on its first execution and the unit is exactly the case. Each
 * case gets a machine of its own (RAM, MMU, CPU and JIT): the code page is rewritten for
 * every case, and a JIT that sees a frame rewritten again and again leaves its code to the
 * interpreter, which would then be what is tested.
 */
final class A64emuRunner {
    static final long SCTLR_DZE = 1L << 14;
    static final long SCTLR_UCT = 1L << 15;
    static final long SCTLR_UCI = 1L << 26;
    /** Instructions in a case: the translation unit of {@link Engine#JIT}. */
    static final int CASE_INSTRUCTIONS = 1;

    /** What executes the case. */
    enum Engine {
        /** The interpreter, {@code --engine interp}. */
        INTERP,
        /** The translator, {@code --engine jit}. */
        JIT;

        /** The engine of an {@code --engine} value: interp or jit. */
        static Engine named(String name) {
            return switch (name) {
                case "interp" -> INTERP;
                case "jit" -> JIT;
                default -> throw new IllegalArgumentException("--engine must be interp or jit, not " + name);
            };
        }

        /** The value of {@code --engine} that selects it. */
        String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final ScratchMemory memory;
    private final Engine engine;
    private PhysicalMemory ram;
    private Cpu cpu;
    private final byte[] after = new byte[ScratchMemory.SIZE];
    private Jit jit;
    private long translatedCases;
    private long fallbackCases;

    A64emuRunner(ScratchMemory memory) {
        this(memory, Engine.INTERP);
    }

    A64emuRunner(ScratchMemory memory, Engine engine) {
        this.memory = memory;
        this.engine = engine;
        newMachine();
    }

    /** RAM holding the reference memory, and a CPU on it (with a JIT for {@link Engine#JIT}). */
    private void newMachine() {
        ram = new PhysicalMemory(ScratchMemory.SIZE);
        ram.write(0, memory.reference, 0, ScratchMemory.SIZE);
        Mmu mmu = new Mmu(ram);
        mmu.setSctlr(SCTLR_DZE | SCTLR_UCT | SCTLR_UCI);
        cpu = new Cpu(mmu);
        if (engine == Engine.JIT) {
            jit = new Jit(mmu, new JitOptions(0, CASE_INSTRUCTIONS));
            cpu.setEngine(jit);
        }
    }

    /** Runs {@code c}; the reference memory must already hold its instruction word. */
    Outcome run(DiffCase c) {
        MachineState in = c.input();
        if (engine == Engine.JIT) {
            newMachine();
        } else {
            // The oracle may have run other cases in these slots since: the code page as the reference has it.
            ram.write(ScratchMemory.CODE_PAGE, memory.reference, (int) ScratchMemory.CODE_PAGE, 4096);
        }
        System.arraycopy(in.x, 0, cpu.x, 0, 31);
        cpu.x[31] = 0;
        System.arraycopy(in.v, 0, cpu.v, 0, 64);
        cpu.sp = in.sp;
        cpu.pc = in.pc;
        cpu.nzcv = in.nzcv;
        cpu.fpcr = in.fpcr;
        cpu.fpsr = in.fpsr;
        cpu.tpidrEl0 = in.tpidr;
        cpu.tpidrroEl0 = 0;
        cpu.clearExclusive();
        ExceptionInfo e;
        long before = cpu.instructions;
        try {
            e = cpu.step();
        } catch (RuntimeException bug) {
            // Not a guest event: the interpreter or the translator itself failed. Reported as a
            // finding, never hidden.
            restoreMemory();
            return Outcome.exception(Outcome.Kind.ENGINE_FAILURE, bug.toString());
        }
        SortedMap<Long, Byte> written = restoreMemory();
        countTranslation();
        if (e == null && cpu.instructions - before != 1) {
            return Outcome.exception(Outcome.Kind.ENGINE_FAILURE, "one step retired "
                    + (cpu.instructions - before) + " instructions");
        }
        if (e != null) {
            return Outcome.exception(kindOf(e), e.toString());
        }
        return new Outcome(Outcome.Kind.RETIRED, "", state(), written);
    }

    /** Whether the case ran as a translated unit, and whether that unit called interpreter semantics. */
    private void countTranslation() {
        if (jit == null) {
            return;
        }
        JitStats s = jit.stats();
        if (s.unitRuns() > 0) {
            translatedCases++;
            if (s.fallbackInstructions() > 0) {
                fallbackCases++;
            }
        }
    }

    /** With {@link Engine#JIT}: the cases that ran as a translated unit. */
    long translatedCases() {
        return translatedCases;
    }

    /** Of {@link #translatedCases}, those whose instruction the translator left to its interpreter semantics. */
    long fallbackCases() {
        return fallbackCases;
    }

    private static Outcome.Kind kindOf(ExceptionInfo e) {
        if (e.ec() == Esr.EC_UNKNOWN) {
            return Outcome.Kind.UNDEFINED;
        }
        if (e.isAbort() || e.ec() == Esr.EC_SP_ALIGN) {
            return Outcome.Kind.DATA_ABORT;
        }
        return Outcome.Kind.OTHER_EXCEPTION;
    }

    private MachineState state() {
        MachineState s = new MachineState();
        System.arraycopy(cpu.x, 0, s.x, 0, 31);
        System.arraycopy(cpu.v, 0, s.v, 0, 64);
        s.sp = cpu.sp;
        s.pc = cpu.pc;
        s.nzcv = cpu.nzcv;
        s.fpcr = cpu.fpcr;
        s.fpsr = cpu.fpsr;
        s.tpidr = cpu.tpidrEl0;
        return s;
    }

    /** The bytes the case changed (address to new value), put back to the reference. */
    private SortedMap<Long, Byte> restoreMemory() {
        SortedMap<Long, Byte> written = new TreeMap<>();
        byte[] ref = memory.reference;
        ram.read(0, after, 0, ScratchMemory.SIZE);
        int from = 0;
        while (from < ScratchMemory.SIZE) {
            int rel = java.util.Arrays.mismatch(after, from, ScratchMemory.SIZE, ref, from, ScratchMemory.SIZE);
            if (rel < 0) {
                break;
            }
            int at = from + rel;
            written.put((long) at, after[at]);
            ram.write8(at, ref[at]);
            from = at + 1;
        }
        return written;
    }
}
