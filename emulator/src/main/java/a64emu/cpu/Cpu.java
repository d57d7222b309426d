package a64emu.cpu;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Mmu;

/**
 * One AArch64 processing element running at EL0: the architectural state and the
 * interpreter loop. Every fetch, load and store goes through {@link Mmu#translate}.
 *
 * <p>The state is kept in plain public fields so that instruction semantics and,
 * later, JIT-generated code read and write it directly.
 */
public final class Cpu {
    /** X0-X30; index 31 is the zero register and always holds 0. Write with {@link #setX}. */
    public final long[] x = new long[32];
    /** SP_EL0. */
    public long sp;
    /** Address of the instruction being executed; semantics set it to the next one. */
    public long pc;
    /** PSTATE.NZCV in bits 31:28, as MRS NZCV reads it. */
    public int nzcv;
    /** V0-V31: V[n] low 64 bits at v[2n], high 64 bits at v[2n+1]. */
    public final long[] v = new long[64];
    public long fpcr;
    public long fpsr;
    public long tpidrEl0;
    /** Read-only TPIDRRO_EL0 (Linux keeps 0 there for user space). */
    public long tpidrroEl0;

    /** Exclusive monitor: the physical address and size of the last load-exclusive, or -1. */
    public long exclusiveAddress = -1;
    public int exclusiveSize;

    /** Instructions retired since creation. */
    public long instructions;

    public final Mmu mmu;
    public final PhysicalMemory ram;
    /** A debugger's breakpoints, single step and watchpoints, or null when none is attached. */
    private DebugHooks debug;
    /** The translator that runs this CPU's hot code, or null: every instruction is interpreted. */
    private Engine jit;
    /**
     * Where translated code stopped when an instruction in it raised an exception: the
     * instruction's index in its unit, and the instructions the unit retired before the
     * straight-line run holding it began. Written by the unit's handler, read by the JIT.
     */
    public int jitAt;
    public long jitRetired;
    private final Decoder decoder;
    private final SystemIds ids;

    public Cpu(Mmu mmu) {
        this(mmu, Decoder.ofEncodingTable(), SystemIds.DEFAULT);
    }

    public Cpu(Mmu mmu, Decoder decoder, SystemIds ids) {
        this.mmu = mmu;
        this.ram = mmu.ram();
        this.decoder = decoder;
        this.ids = ids;
    }

    public Decoder decoder() {
        return decoder;
    }

    /** Attaches a debugger's hooks (null detaches): see {@link DebugHooks}. */
    public void setDebugHooks(DebugHooks hooks) {
        debug = hooks;
    }

    public DebugHooks debugHooks() {
        return debug;
    }

    public SystemIds ids() {
        return ids;
    }

    /**
     * Runs hot code of this CPU through a translator from now on; null goes back to the
     * interpreter. The translator is shared by every CPU of a core (threads of a process,
     * processes), like its MMU. A debugger's hooks, while attached, take precedence: every
     * instruction is then interpreted, so breakpoints, single steps and watchpoints see each one.
     */
    public void setEngine(Engine engine) {
        jit = engine;
    }

    public Engine engine() {
        return jit;
    }

    /**
     * What executes A64 code in place of the interpreter loop: {@link #run} hands it the CPU
     * and the quantum, and it must retire exactly as many instructions, take the same
     * exceptions at the same instructions, and leave the same state as {@link #interpret}.
     */
    public interface Engine {
        ExceptionInfo run(Cpu cpu, long maxInstructions);
    }

    // ---- register access --------------------------------------------------------------

    /** Writes Xn; writes to register 31 (XZR) are discarded. */
    public void setX(int n, long value) {
        if (n != 31) {
            x[n] = value;
        }
    }

    /** Reads Xn where register 31 means SP. */
    public long xOrSp(int n) {
        return n == 31 ? sp : x[n];
    }

    /** Writes Xn where register 31 means SP. */
    public void setXOrSp(int n, long value) {
        if (n == 31) {
            sp = value;
        } else {
            x[n] = value;
        }
    }

    public void clearExclusive() {
        exclusiveAddress = -1;
    }

    // ---- execution ----------------------------------------------------------------------

    /**
     * Executes up to {@code maxInstructions}. Returns null when they all retired, or the
     * exception that stopped execution (the PC then holds the preferred return address).
     */
    public ExceptionInfo run(long maxInstructions) {
        if (debug != null) {
            return runDebugged(maxInstructions);
        }
        if (jit != null) {
            return jit.run(this, maxInstructions);
        }
        return interpret(maxInstructions, false);
    }

    /**
     * The interpreter: executes up to {@code maxInstructions}, or with {@code toBranch} only
     * until an instruction does not fall through to the next (a taken branch, where the JIT
     * looks for translated code again). Returns null, or the exception that stopped it.
     */
    public ExceptionInfo interpret(long maxInstructions, boolean toBranch) {
        long done = 0;
        int word = 0;
        long startPc = pc;
        try {
            while (done < maxInstructions) {
                startPc = pc;
                word = 0;
                word = fetch(startPc);
                Encoding e = decoder.decode(word);
                e.semantics().execute(this, word);
                done++;
                if (toBranch && pc != startPc + 4) {
                    break;
                }
            }
            return null;
        } catch (GuestException ex) {
            if (ex.ec == Esr.EC_SVC64) {
                done++; // SVC retires; its semantics already advanced the PC.
            }
            return taken(ex, startPc, word);
        } finally {
            instructions += done;
        }
    }

    /**
     * The exception {@code ex} taken by the instruction {@code word} at {@code insnPc}, as
     * {@link #interpret} reports it; for an engine that executed the instruction itself.
     */
    public ExceptionInfo exceptionTaken(GuestException ex, long insnPc, int word) {
        return taken(ex, insnPc, word);
    }

    /**
     * The exception {@code ex} that the instruction at {@code startPc} ({@code word}) took:
     * the PC stays at that instruction, except after SVC and BRK, whose semantics already set it.
     */
    private ExceptionInfo taken(GuestException ex, long startPc, int word) {
        if (ex.ec != Esr.EC_SVC64 && ex.ec != Esr.EC_BRK64) {
            pc = startPc;
        }
        return new ExceptionInfo(ex.ec, ex.iss, ex.far, pc, word, ex.fault);
    }

    /**
     * {@link #run} with a debugger attached: before each instruction a breakpoint may stop
     * it, after each one that retires a watchpoint hit or single step may.
     */
    private ExceptionInfo runDebugged(long maxInstructions) {
        DebugHooks d = debug;
        long done = 0;
        int word = 0;
        long startPc = pc;
        try {
            while (done < maxInstructions) {
                startPc = pc;
                if (d.breakpointAt(startPc)) {
                    return new ExceptionInfo(Esr.EC_BREAKPT_LOWER, Esr.FSC_DEBUG, startPc, startPc, 0, null);
                }
                word = 0;
                word = fetch(startPc);
                Encoding e = decoder.decode(word);
                e.semantics().execute(this, word);
                done++;
                if (d.hasHit()) {
                    DebugHooks.WatchHit h = d.takeHit();
                    d.watchStop = h;
                    int wnr = h.write() ? 1 << 6 : 0;
                    return new ExceptionInfo(Esr.EC_WATCHPT_LOWER, wnr | Esr.FSC_DEBUG, h.address(), pc, word, null);
                }
                if (d.singleStep()) {
                    return new ExceptionInfo(Esr.EC_SOFTSTP_LOWER, 0, 0, pc, word, null);
                }
            }
            return null;
        } catch (GuestException ex) {
            d.discardHit();
            if (ex.ec == Esr.EC_SVC64) {
                done++; // SVC retires; its semantics already advanced the PC.
            }
            return taken(ex, startPc, word);
        } finally {
            instructions += done;
        }
    }

    /** Executes exactly one instruction (debugger, tests). */
    public ExceptionInfo step() {
        return run(1);
    }

    private int fetch(long va) {
        if ((va & 3) != 0) {
            throw new GuestException(Esr.EC_PC_ALIGN, 0, va, null);
        }
        return ram.read32(translate(va, AccessType.EXECUTE));
    }

    /** The MMU's translation; with a JIT, one that also fills its host TLB. */
    private long translate(long va, AccessType access) {
        return jit == null ? mmu.translate(va, access) : mmu.translateForHost(va, access);
    }

    // ---- data memory ----------------------------------------------------------------------

    private static boolean crossesPage(long va, int size) {
        return ((va & PhysicalMemory.FRAME_MASK) + size) > PhysicalMemory.FRAME_SIZE;
    }

    public long read64(long va) {
        if (debug != null) {
            debug.access(va, 8, false);
        }
        if (crossesPage(va, 8)) {
            return readSplit(va, 8);
        }
        return ram.read64(translate(va, AccessType.READ));
    }

    public long read32(long va) {
        if (debug != null) {
            debug.access(va, 4, false);
        }
        if (crossesPage(va, 4)) {
            return readSplit(va, 4);
        }
        return ram.read32(translate(va, AccessType.READ)) & 0xFFFF_FFFFL;
    }

    public long read16(long va) {
        if (debug != null) {
            debug.access(va, 2, false);
        }
        if (crossesPage(va, 2)) {
            return readSplit(va, 2);
        }
        return ram.read16(translate(va, AccessType.READ));
    }

    public long read8(long va) {
        if (debug != null) {
            debug.access(va, 1, false);
        }
        return ram.read8(translate(va, AccessType.READ));
    }

    public void write64(long va, long value) {
        if (debug != null) {
            debug.access(va, 8, true);
        }
        if (crossesPage(va, 8)) {
            writeSplit(va, 8, value);
            return;
        }
        ram.write64(translate(va, AccessType.WRITE), value);
    }

    public void write32(long va, long value) {
        if (debug != null) {
            debug.access(va, 4, true);
        }
        if (crossesPage(va, 4)) {
            writeSplit(va, 4, value);
            return;
        }
        ram.write32(translate(va, AccessType.WRITE), (int) value);
    }

    public void write16(long va, long value) {
        if (debug != null) {
            debug.access(va, 2, true);
        }
        if (crossesPage(va, 2)) {
            writeSplit(va, 2, value);
            return;
        }
        ram.write16(translate(va, AccessType.WRITE), (int) value);
    }

    public void write8(long va, long value) {
        if (debug != null) {
            debug.access(va, 1, true);
        }
        ram.write8(translate(va, AccessType.WRITE), (int) value);
    }

    /**
     * A data access of {@code size} bytes at {@code va} made by an instruction that translates
     * for itself (atomics, exclusives): watchpoints see it as the plain accessors' are seen.
     */
    public void noteAccess(long va, int size, boolean write) {
        if (debug != null) {
            debug.access(va, size, write);
        }
    }

    /** An access that spans two pages: both pages are translated before any byte moves. */
    private long readSplit(long va, int size) {
        int firstLen = (int) (PhysicalMemory.FRAME_SIZE - (va & PhysicalMemory.FRAME_MASK));
        long pa1 = translate(va, AccessType.READ);
        long pa2 = translate(va + firstLen, AccessType.READ);
        long result = 0;
        for (int i = 0; i < size; i++) {
            long pa = i < firstLen ? pa1 + i : pa2 + (i - firstLen);
            result |= (long) ram.read8(pa) << (8 * i);
        }
        return result;
    }

    private void writeSplit(long va, int size, long value) {
        int firstLen = (int) (PhysicalMemory.FRAME_SIZE - (va & PhysicalMemory.FRAME_MASK));
        long pa1 = translate(va, AccessType.WRITE);
        long pa2 = translate(va + firstLen, AccessType.WRITE);
        for (int i = 0; i < size; i++) {
            long pa = i < firstLen ? pa1 + i : pa2 + (i - firstLen);
            ram.write8(pa, (int) (value >>> (8 * i)));
        }
    }
}
