package a64emu.guest.security;

import a64emu.guest.security.Bpf.Insn;

/**
 * One installed seccomp filter (Linux {@code struct seccomp_filter}): a checked classic BPF
 * program run over {@code struct seccomp_data} at every system call, and the filter installed
 * before it. Filters are immutable and shared: a fork child points at its parent's chain.
 */
public final class SeccompFilter {
    /** sizeof(struct seccomp_data): int nr, u32 arch, u64 instruction_pointer, u64 args[6]. */
    public static final int DATA_SIZE = 64;
    /** AUDIT_ARCH_AARCH64: EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE. */
    public static final int AUDIT_ARCH_AARCH64 = 0xC000_00B7;

    final Insn[] program;
    /** The filter installed before this one, or null. */
    final SeccompFilter prev;
    /** SECCOMP_FILTER_FLAG_LOG: every action but ALLOW is logged. */
    final boolean log;

    SeccompFilter(Insn[] program, SeccompFilter prev, boolean log) {
        this.program = program;
        this.prev = prev;
        this.log = log;
    }

    /**
     * bpf_check_classic then seccomp_check_filter: the program as seccomp runs it (LEN loads
     * become the constant 64), or null when either check refuses it (EINVAL). Seccomp keeps
     * only word loads at 4-byte-aligned offsets inside struct seccomp_data, no indirect or
     * byte/half loads and no MSH.
     */
    public static Insn[] check(Insn[] p) {
        if (!Bpf.checkClassic(p)) {
            return null;
        }
        Insn[] out = new Insn[p.length];
        for (int pc = 0; pc < p.length; pc++) {
            Insn f = p[pc];
            int code = f.code();
            if (code == (Bpf.LD | Bpf.W | Bpf.ABS)) {
                if (Integer.compareUnsigned(f.k(), DATA_SIZE) >= 0 || (f.k() & 3) != 0) {
                    return null;
                }
                out[pc] = f;
            } else if (code == (Bpf.LD | Bpf.W | Bpf.LEN)) {
                out[pc] = Insn.stmt(Bpf.LD | Bpf.IMM, DATA_SIZE);
            } else if (code == (Bpf.LDX | Bpf.W | Bpf.LEN)) {
                out[pc] = Insn.stmt(Bpf.LDX | Bpf.IMM, DATA_SIZE);
            } else if ((code & 0x07) == Bpf.LD || (code & 0x07) == Bpf.LDX) {
                // Of the other loads only the immediates and scratch memory remain.
                if (code != (Bpf.LD | Bpf.IMM) && code != (Bpf.LDX | Bpf.IMM)
                        && code != (Bpf.LD | Bpf.MEM) && code != (Bpf.LDX | Bpf.MEM)) {
                    return null;
                }
                out[pc] = f;
            } else {
                out[pc] = f; // ALU, JMP, RET, ST/STX, TAX/TXA: all allowed once bpf_check_classic passed them
            }
        }
        return out;
    }

    /** struct seccomp_data as the program's 16 little-endian words. */
    public static int[] data(int nr, int arch, long pc, long[] args) {
        int[] d = new int[DATA_SIZE / 4];
        d[0] = nr;
        d[1] = arch;
        d[2] = (int) pc;
        d[3] = (int) (pc >>> 32);
        for (int i = 0; i < 6; i++) {
            d[4 + 2 * i] = (int) args[i];
            d[5 + 2 * i] = (int) (args[i] >>> 32);
        }
        return d;
    }

    /** Instructions in this filter and those before it, with Linux's 4-instruction charge each. */
    int pathLength() {
        int n = 0;
        for (SeccompFilter f = this; f != null; f = f.prev) {
            n += f.program.length + 4;
        }
        return n;
    }
}
