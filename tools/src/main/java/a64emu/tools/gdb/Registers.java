package a64emu.tools.gdb;

import a64emu.cpu.Cpu;

/**
 * GDB's register numbers for AArch64 and their wire format ({@code g}, {@code G}, {@code p},
 * {@code P}): each register little-endian in hex, in this order, with these sizes. The
 * numbering is gdb's {@code aarch64-tdep} one, which qemu-aarch64 uses too.
 */
final class Registers {
    private Registers() {}

    static final int X0 = 0;
    /** x30 is the link register. */
    static final int X30 = 30;
    static final int SP = 31;
    static final int PC = 32;
    /** PSTATE as SPSR lays it out; at EL0 only NZCV (bits 31:28) is visible and settable. */
    static final int CPSR = 33;
    static final int V0 = 34;
    static final int V31 = 65;
    static final int FPSR = 66;
    static final int FPCR = 67;
    static final int COUNT = 68;

    /** PSTATE bits an EL0 program can hold: N, Z, C, V. */
    private static final int NZCV_MASK = 0xF000_0000;

    /** Bytes of register {@code n} on the wire. */
    static int size(int n) {
        if (n <= PC) {
            return 8;
        }
        if (n >= V0 && n <= V31) {
            return 16;
        }
        return 4;
    }

    /** All registers, as the {@code g} reply. */
    static String readAll(Cpu cpu) {
        StringBuilder sb = new StringBuilder(2 * 788);
        for (int n = 0; n < COUNT; n++) {
            append(sb, cpu, n);
        }
        return sb.toString();
    }

    /** Register {@code n} as the {@code p} reply, or null if there is no such register. */
    static String read(Cpu cpu, int n) {
        if (n < 0 || n >= COUNT) {
            return null;
        }
        StringBuilder sb = new StringBuilder(32);
        append(sb, cpu, n);
        return sb.toString();
    }

    /**
     * {@code G}: sets registers from {@code hex}, in order, as far as it goes (GDB may send
     * fewer than all); throws IllegalArgumentException for a register cut in half or bad hex.
     */
    static void writeAll(Cpu cpu, String hex) {
        int at = 0;
        for (int n = 0; n < COUNT && at < hex.length(); n++) {
            int digits = 2 * size(n);
            if (at + digits > hex.length()) {
                throw new IllegalArgumentException("G data ends inside register " + n);
            }
            write(cpu, n, hex.substring(at, at + digits));
            at += digits;
        }
    }

    /** {@code P n=value}: false if there is no register {@code n}; throws for a wrong size or bad hex. */
    static boolean write(Cpu cpu, int n, String hex) {
        if (n < 0 || n >= COUNT) {
            return false;
        }
        if (hex.length() != 2 * size(n)) {
            throw new IllegalArgumentException("register " + n + " takes " + size(n) + " bytes");
        }
        if (n <= X30) {
            cpu.x[n] = Hex.littleEndian(hex, 0, 8);
        } else if (n == SP) {
            cpu.sp = Hex.littleEndian(hex, 0, 8);
        } else if (n == PC) {
            cpu.pc = Hex.littleEndian(hex, 0, 8);
        } else if (n == CPSR) {
            cpu.nzcv = (int) Hex.littleEndian(hex, 0, 4) & NZCV_MASK;
        } else if (n <= V31) {
            int v = n - V0;
            cpu.v[2 * v] = Hex.littleEndian(hex, 0, 8);
            cpu.v[2 * v + 1] = Hex.littleEndian(hex, 16, 8);
        } else if (n == FPSR) {
            cpu.fpsr = Hex.littleEndian(hex, 0, 4);
        } else {
            cpu.fpcr = Hex.littleEndian(hex, 0, 4);
        }
        return true;
    }

    private static void append(StringBuilder sb, Cpu cpu, int n) {
        if (n <= X30) {
            Hex.appendLittleEndian(sb, cpu.x[n], 8);
        } else if (n == SP) {
            Hex.appendLittleEndian(sb, cpu.sp, 8);
        } else if (n == PC) {
            Hex.appendLittleEndian(sb, cpu.pc, 8);
        } else if (n == CPSR) {
            Hex.appendLittleEndian(sb, cpu.nzcv & NZCV_MASK, 4);
        } else if (n <= V31) {
            int v = n - V0;
            // The low 64 bits first: the whole 128-bit register is little-endian.
            Hex.appendLittleEndian(sb, cpu.v[2 * v], 8);
            Hex.appendLittleEndian(sb, cpu.v[2 * v + 1], 8);
        } else if (n == FPSR) {
            Hex.appendLittleEndian(sb, cpu.fpsr, 4);
        } else {
            Hex.appendLittleEndian(sb, cpu.fpcr, 4);
        }
    }
}
