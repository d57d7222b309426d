package a64emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;

/**
 * A CPU over 16 MiB of flat RAM (SCTLR_EL1.M=0, so VA = PA) for instruction tests.
 * Code is placed at {@link #CODE}; data tests use {@link #DATA} and the stack at {@link #STACK}.
 *
 * <p>Typical use: {@code h.x(1, 5); h.run(0x8b020020); assertEquals(7, h.x(0));}
 */
public final class CpuHarness {
    public static final long RAM_SIZE = 16L << 20;
    /** Where {@link #run} places instructions. */
    public static final long CODE = 0x1000;
    /** A scratch data area. */
    public static final long DATA = 0x10_0000;
    /** Initial SP: 16-byte aligned, with room below. */
    public static final long STACK = 0x80_0000;

    public final PhysicalMemory ram;
    public final Mmu mmu;
    public final Cpu cpu;

    public CpuHarness() {
        ram = new PhysicalMemory(RAM_SIZE);
        mmu = new Mmu(ram);
        cpu = new Cpu(mmu);
        cpu.pc = CODE;
        cpu.sp = STACK;
    }

    // ---- memory -----------------------------------------------------------------------

    /** Writes instruction (or data) words at {@code addr}, little-endian. */
    public CpuHarness load(long addr, int... words) {
        for (int i = 0; i < words.length; i++) {
            ram.write32(addr + 4L * i, words[i]);
        }
        return this;
    }

    public long mem64(long addr) {
        return ram.read64(addr);
    }

    public int mem32(long addr) {
        return ram.read32(addr);
    }

    public int mem16(long addr) {
        return ram.read16(addr) & 0xFFFF;
    }

    public int mem8(long addr) {
        return ram.read8(addr) & 0xFF;
    }

    public CpuHarness mem64(long addr, long value) {
        ram.write64(addr, value);
        return this;
    }

    public CpuHarness mem32(long addr, int value) {
        ram.write32(addr, value);
        return this;
    }

    public CpuHarness mem8(long addr, int value) {
        ram.write8(addr, value);
        return this;
    }

    // ---- execution ----------------------------------------------------------------------

    /** Executes one instruction at the current PC; fails the test if it raises an exception. */
    public CpuHarness step() {
        ExceptionInfo e = cpu.step();
        assertNull(e, () -> "unexpected exception: " + e);
        return this;
    }

    /** Executes one instruction at the current PC and returns its exception (fails if none). */
    public ExceptionInfo stepExpectingException() {
        ExceptionInfo e = cpu.step();
        assertNotNull(e, "expected an exception");
        return e;
    }

    /**
     * Places {@code words} at {@link #CODE}, sets the PC there and steps once per word,
     * asserting that none raises an exception. Branches inside the sequence are followed,
     * so the number of steps, not the final PC, is what is fixed.
     */
    public CpuHarness run(int... words) {
        load(CODE, words);
        cpu.pc = CODE;
        for (int i = 0; i < words.length; i++) {
            step();
        }
        return this;
    }

    /** Places one word at {@link #CODE}, executes it and returns the exception it raises. */
    public ExceptionInfo runExpectingException(int word) {
        load(CODE, word);
        cpu.pc = CODE;
        return stepExpectingException();
    }

    /** Executes {@code word} at {@link #CODE} and asserts it is an undefined instruction. */
    public void assertUndefined(int word) {
        ExceptionInfo e = runExpectingException(word);
        assertEquals(Esr.EC_UNKNOWN, e.ec(), () -> String.format("word 0x%08x: %s", word, e));
        assertEquals(CODE, e.elr());
    }

    // ---- registers ---------------------------------------------------------------------

    public long x(int n) {
        return cpu.x[n];
    }

    public CpuHarness x(int n, long value) {
        cpu.setX(n, value);
        return this;
    }

    /** W register n (low 32 bits), zero-extended to long. */
    public long w(int n) {
        return cpu.x[n] & 0xFFFF_FFFFL;
    }

    public long sp() {
        return cpu.sp;
    }

    public CpuHarness sp(long value) {
        cpu.sp = value;
        return this;
    }

    public long pc() {
        return cpu.pc;
    }

    public CpuHarness pc(long value) {
        cpu.pc = value;
        return this;
    }

    /** NZCV as a 4-bit value (N=8, Z=4, C=2, V=1). */
    public int nzcv() {
        return cpu.nzcv >>> 28;
    }

    public CpuHarness nzcv(int flags4) {
        cpu.nzcv = (flags4 & 0xF) << 28;
        return this;
    }

    /** Low 64 bits of Vn. */
    public long vLo(int n) {
        return cpu.v[2 * n];
    }

    /** High 64 bits of Vn. */
    public long vHi(int n) {
        return cpu.v[2 * n + 1];
    }

    public CpuHarness v(int n, long lo, long hi) {
        cpu.v[2 * n] = lo;
        cpu.v[2 * n + 1] = hi;
        return this;
    }
}
