package a64emu.tools.difftest;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import unicorn.Arm64Const;
import unicorn.InterruptHook;
import unicorn.Unicorn;
import unicorn.UnicornConst;
import unicorn.UnicornException;
import unicorn.WriteHook;

/**
 * Runs a case on Unicorn 1.0.14 (QEMU 2.2's AArch64 core) in this process, MMU off, over
 * the same flat scratch memory. Unicorn starts at EL1 with FP/SIMD trapped, so
 * CPACR_EL1.FPEN is opened; it has no FPCR/FPSR registers in its API, so a fixed helper
 * sequence in {@link ScratchMemory#HELPER_PAGE} moves them through X0/X1 (and clears the
 * exclusive monitor) before the case, and reads them back after.
 *
 * <p>One engine serves at most {@link #CASES_PER_ENGINE} cases, then a fresh one is made:
 * the cost of each emu_start grows with the number of blocks the engine has translated
 * (measured here: 21 us per case for the first 4,096, 280 us after 70,000), and a new
 * engine costs about 0.4 ms. An engine is also dropped after a taken branch (see
 * {@link #run(DiffCase, boolean)}). With these precautions no native crash is known
 * (seeds 1-3 at 212,000 cases, and 1,000,000-case runs per class); should one turn up,
 * running the oracle in a child JVM is the way out.
 */
final class UnicornRunner implements Oracle {
    static final int CASES_PER_ENGINE = 1024;

    /** QEMU 2.2 target-arm exception numbers (cpu.h EXCP_*), as the interrupt hook reports them. */
    static final int EXCP_UDEF = 1;
    static final int EXCP_DATA_ABORT = 4;

    private static final long CPACR_FPEN = 3L << 20;
    /**
     * Runs end by instruction count alone. An end address makes Unicorn translate an
     * empty block there, which it caches and never invalidates: a later case starting
     * at that address did not execute at all, and chained jumps into such blocks ended
     * in a JVM crash (SIGSEGV in tb_set_jmp_target1 during mem_write).
     */
    private static final long NO_END = -4L;
    private static final long SET_FP_CONTROL = ScratchMemory.HELPER_PAGE;
    /** Apart from the set-up's end (+12), where Unicorn leaves an empty block that stops runs. */
    private static final long GET_FP_STATUS = ScratchMemory.HELPER_PAGE + 64;
    private static final int[] SET_FP_CONTROL_CODE = {
        0xd51b4400, // msr fpcr, x0
        0xd51b4421, // msr fpsr, x1
        0xd503305f, // clrex
    };
    private static final int[] GET_FP_STATUS_CODE = {
        0xd53b4420, // mrs x0, fpsr
        0xd53b4401, // mrs x1, fpcr
    };

    private final ScratchMemory memory;
    private Unicorn engine;
    private int casesOnEngine;
    private int interrupt;
    private final List<long[]> writes = new ArrayList<>();
    private final byte[] word = new byte[4];

    UnicornRunner(ScratchMemory memory) {
        this.memory = memory;
        for (int i = 0; i < SET_FP_CONTROL_CODE.length; i++) {
            memory.putWord(SET_FP_CONTROL + 4L * i, SET_FP_CONTROL_CODE[i]);
        }
        for (int i = 0; i < GET_FP_STATUS_CODE.length; i++) {
            memory.putWord(GET_FP_STATUS + 4L * i, GET_FP_STATUS_CODE[i]);
        }
    }

    private Unicorn engine() {
        if (engine == null || casesOnEngine >= CASES_PER_ENGINE) {
            close();
            Unicorn u = new Unicorn(UnicornConst.UC_ARCH_ARM64, UnicornConst.UC_MODE_ARM);
            u.mem_map(0, ScratchMemory.SIZE, UnicornConst.UC_PROT_ALL);
            u.mem_write(0, memory.reference);
            write64(u, Arm64Const.UC_ARM64_REG_CPACR_EL1, CPACR_FPEN);
            u.hook_add((WriteHook) (uc, address, size, value, user) -> writes.add(new long[] {address, size}),
                    1, 0, null);
            u.hook_add((InterruptHook) (uc, intno, user) -> {
                interrupt = intno;
                uc.emu_stop();
            }, null);
            engine = u;
            casesOnEngine = 0;
        }
        casesOnEngine++;
        return engine;
    }

    @Override
    public List<Outcome> run(List<DiffCase> cases) {
        List<Outcome> outcomes = new ArrayList<>(cases.size());
        for (DiffCase c : cases) {
            memory.putWord(c.input().pc, c.word());
            outcomes.add(run(c, HookBypass.storesPastHooks(c.encoding().name())));
        }
        return outcomes;
    }

    @Override
    public boolean canRun(DiffCase c) {
        return !OracleQuirk.NOT_FOR_UNICORN.test(c);
    }

    @Override
    public List<OracleQuirk> quirks() {
        return OracleQuirk.UNICORN;
    }

    @Override
    public boolean keepsCaseWords() {
        return true;
    }

    @Override
    public boolean comparesTpidr() {
        return true;
    }

    @Override
    public String name() {
        return "unicorn";
    }

    /**
     * Runs {@code c}; the reference memory must already hold its instruction word.
     * {@code scanAllMemory} compares the whole memory afterwards instead of the bytes
     * the write hook saw, for instructions whose QEMU helper stores past the hooks.
     */
    Outcome run(DiffCase c, boolean scanAllMemory) {
        Outcome o = runOnEngine(c, scanAllMemory);
        if (o.kind() == Outcome.Kind.RETIRED && o.state().pc != c.input().pc + 4) {
            // A taken branch: QEMU chained the
            // case's block to the block there. Rewriting a slot later made QEMU unchain through
            // stale blocks and crash the JVM (SIGSEGV in tb_set_jmp_target1 during mem_write),
            // so such an engine is not used again.
            close();
        }
        return o;
    }

    private Outcome runOnEngine(DiffCase c, boolean scanAllMemory) {
        Unicorn u = engine();
        MachineState in = c.input();
        int w = c.word();
        word[0] = (byte) w;
        word[1] = (byte) (w >>> 8);
        word[2] = (byte) (w >>> 16);
        word[3] = (byte) (w >>> 24);
        u.mem_write(in.pc, word);
        write64(u, Arm64Const.UC_ARM64_REG_X0, in.fpcr);
        write64(u, Arm64Const.UC_ARM64_REG_X1, in.fpsr);
        u.emu_start(SET_FP_CONTROL, NO_END, 0, SET_FP_CONTROL_CODE.length);
        writeState(u, in);
        writes.clear();
        interrupt = -1;
        int error = UnicornConst.UC_ERR_OK;
        try {
            u.emu_start(in.pc, NO_END, 0, 1);
        } catch (UnicornException e) {
            error = errorCode(e);
        }
        SortedMap<Long, Byte> written = scanAllMemory ? scanAndRestore(u) : writtenAndRestore(u);
        if (interrupt >= 0) {
            return Outcome.exception(kindOfInterrupt(interrupt), "QEMU exception " + interrupt);
        }
        if (error == UnicornConst.UC_ERR_READ_UNMAPPED || error == UnicornConst.UC_ERR_WRITE_UNMAPPED) {
            return Outcome.exception(Outcome.Kind.DATA_ABORT, Unicorn.strerror(error));
        }
        MachineState out = readState(u);
        if (error == UnicornConst.UC_ERR_FETCH_UNMAPPED && out.pc != in.pc) {
            // A branch out of mapped memory retired; only the next fetch failed.
            error = UnicornConst.UC_ERR_OK;
        }
        if (error != UnicornConst.UC_ERR_OK) {
            return Outcome.exception(Outcome.Kind.OTHER_EXCEPTION, Unicorn.strerror(error));
        }
        return new Outcome(Outcome.Kind.RETIRED, "", out, written);
    }

    /**
     * The uc_err of a failed emu_start. The binding throws the text of uc_strerror, which
     * ends in the constant's name ("Invalid memory read (UC_ERR_READ_UNMAPPED)"); errno()
     * does not report emu_start's result.
     */
    private static int errorCode(UnicornException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("(UC_ERR_READ_UNMAPPED)")) {
            return UnicornConst.UC_ERR_READ_UNMAPPED;
        }
        if (m.contains("(UC_ERR_WRITE_UNMAPPED)")) {
            return UnicornConst.UC_ERR_WRITE_UNMAPPED;
        }
        if (m.contains("(UC_ERR_FETCH_UNMAPPED)")) {
            return UnicornConst.UC_ERR_FETCH_UNMAPPED;
        }
        return UnicornConst.UC_ERR_EXCEPTION;
    }

    /** Unicorn numbers X0-X28 in a row but X29 (FP) and X30 (LR) apart. */
    private static int xRegister(int n) {
        return n == 29 ? Arm64Const.UC_ARM64_REG_X29 : n == 30 ? Arm64Const.UC_ARM64_REG_X30 : Arm64Const.UC_ARM64_REG_X0 + n;
    }

    private static Outcome.Kind kindOfInterrupt(int intno) {
        return switch (intno) {
            case EXCP_UDEF -> Outcome.Kind.UNDEFINED;
            case EXCP_DATA_ABORT -> Outcome.Kind.DATA_ABORT;
            default -> Outcome.Kind.OTHER_EXCEPTION;
        };
    }

    @SuppressWarnings("deprecation")
    private static void writeState(Unicorn u, MachineState s) {
        for (int i = 0; i < 31; i++) {
            write64(u, xRegister(i), s.x[i]);
        }
        write64(u, Arm64Const.UC_ARM64_REG_SP, s.sp);
        write64(u, Arm64Const.UC_ARM64_REG_NZCV, (long) s.nzcv & 0xF000_0000L);
        write64(u, Arm64Const.UC_ARM64_REG_TPIDR_EL0, s.tpidr);
        write64(u, Arm64Const.UC_ARM64_REG_TPIDRRO_EL0, 0L);
        byte[] q = new byte[16];
        for (int i = 0; i < 32; i++) {
            putLong(q, 0, s.v[2 * i]);
            putLong(q, 8, s.v[2 * i + 1]);
            u.reg_write(Arm64Const.UC_ARM64_REG_Q0 + i, q);
        }
    }

    @SuppressWarnings("deprecation")
    private static MachineState readState(Unicorn u) {
        MachineState s = new MachineState();
        for (int i = 0; i < 31; i++) {
            s.x[i] = read64(u, xRegister(i));
        }
        s.sp = read64(u, Arm64Const.UC_ARM64_REG_SP);
        s.pc = read64(u, Arm64Const.UC_ARM64_REG_PC);
        s.nzcv = (int) (read64(u, Arm64Const.UC_ARM64_REG_NZCV) & 0xF000_0000L);
        s.tpidr = read64(u, Arm64Const.UC_ARM64_REG_TPIDR_EL0);
        for (int i = 0; i < 32; i++) {
            // The 128-bit registers must be read as bytes: the Object form crashes the JVM.
            byte[] q = u.reg_read(Arm64Const.UC_ARM64_REG_Q0 + i, 16);
            s.v[2 * i] = getLong(q, 0);
            s.v[2 * i + 1] = getLong(q, 8);
        }
        u.emu_start(GET_FP_STATUS, NO_END, 0, GET_FP_STATUS_CODE.length);
        s.fpsr = read64(u, Arm64Const.UC_ARM64_REG_X0);
        s.fpcr = read64(u, Arm64Const.UC_ARM64_REG_X1);
        return s;
    }

    /** Final bytes at every address the write hook saw, then those bytes reset to the reference. */
    private SortedMap<Long, Byte> writtenAndRestore(Unicorn u) {
        SortedMap<Long, Byte> written = new TreeMap<>();
        for (long[] range : writes) {
            long at = range[0];
            int size = (int) range[1];
            if (at < 0 || at + size > ScratchMemory.SIZE) {
                continue; // faulted: nothing was stored there
            }
            byte[] now = u.mem_read(at, size);
            for (int i = 0; i < size; i++) {
                written.put(at + i, now[i]);
            }
            u.mem_write(at, java.util.Arrays.copyOfRange(memory.reference, (int) at, (int) at + size));
        }
        return written;
    }

    private SortedMap<Long, Byte> scanAndRestore(Unicorn u) {
        SortedMap<Long, Byte> written = new TreeMap<>();
        byte[] now = u.mem_read(0, ScratchMemory.SIZE);
        for (int i = 0; i < now.length; i++) {
            if (now[i] != memory.reference[i]) {
                written.put((long) i, now[i]);
            }
        }
        // Put back only the changed runs: rewriting all of memory in one call crashed the JVM in memcpy.
        for (long at : written.keySet()) {
            u.mem_write(at, new byte[] {memory.reference[(int) at]});
        }
        return written;
    }

    /*
     * Registers move as little-endian bytes: the binding's Number forms (reg_read(int),
     * reg_write(int, Object)) crashed the JVM in reg_read_num once hooks were installed.
     */
    @SuppressWarnings("deprecation")
    private static void write64(Unicorn u, int register, long value) {
        byte[] b = new byte[8];
        putLong(b, 0, value);
        u.reg_write(register, b);
    }

    @SuppressWarnings("deprecation")
    private static long read64(Unicorn u, int register) {
        return getLong(u.reg_read(register, 8), 0);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.closeAll();
            engine = null;
        }
    }
}
