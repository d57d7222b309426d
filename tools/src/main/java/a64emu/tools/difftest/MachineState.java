package a64emu.tools.difftest;

import java.util.Arrays;

/**
 * The architectural state one differential case sets and compares: X0-X30, SP, PC,
 * NZCV (bits 31:28, as MRS NZCV reads it), V0-V31 (V[n] low half at {@code v[2n]}),
 * FPCR, FPSR and TPIDR_EL0. Memory is not here: it is {@link ScratchMemory}.
 */
final class MachineState {
    final long[] x = new long[31];
    long sp;
    long pc;
    int nzcv;
    final long[] v = new long[64];
    long fpcr;
    long fpsr;
    long tpidr;

    MachineState copy() {
        MachineState c = new MachineState();
        System.arraycopy(x, 0, c.x, 0, x.length);
        System.arraycopy(v, 0, c.v, 0, v.length);
        c.sp = sp;
        c.pc = pc;
        c.nzcv = nzcv;
        c.fpcr = fpcr;
        c.fpsr = fpsr;
        c.tpidr = tpidr;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MachineState s && Arrays.equals(x, s.x) && Arrays.equals(v, s.v) && sp == s.sp
                && pc == s.pc && nzcv == s.nzcv && fpcr == s.fpcr && fpsr == s.fpsr && tpidr == s.tpidr;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(x) * 31 + Arrays.hashCode(v) + Long.hashCode(pc);
    }

    /** Every register, one "name=value" per field, for one-line reports. */
    String describe() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 31; i++) {
            b.append(String.format("x%d=%x ", i, x[i]));
        }
        b.append(String.format("sp=%x pc=%x nzcv=%x fpcr=%x fpsr=%x tpidr=%x", sp, pc, nzcv >>> 28, fpcr, fpsr, tpidr));
        for (int i = 0; i < 32; i++) {
            b.append(String.format(" v%d=%016x%016x", i, v[2 * i + 1], v[2 * i]));
        }
        return b.toString();
    }
}
