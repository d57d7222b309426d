package a64emu.cpu.disasm;

import a64emu.cpu.isa.Alu;

/** Immediate operands in objdump's notation. */
final class Imm {
    private Imm() {}

    /** {@code #0x1f}: unsigned hex, the form objdump uses for most immediates. */
    static String hex(long value) {
        return "#0x" + Long.toHexString(value);
    }

    /** {@code #0x0f}: two hex digits, the form of barrier options and unnamed prefetch operations. */
    static String hex2(int value) {
        return String.format("#0x%02x", value);
    }

    /** {@code #-16}: signed decimal, the form of load/store offsets and shift amounts. */
    static String dec(long value) {
        return "#" + value;
    }

    /**
     * DecodeBitMasks for a logical immediate (ARM ARM J1, shared/functions/bitmasks), or
     * null when the combination is reserved.
     */
    static Long logical(int n, int immr, int imms, int datasize) {
        int combined = (n << 6) | (~imms & 0x3F);
        if (combined == 0) {
            return null;
        }
        int len = 31 - Integer.numberOfLeadingZeros(combined);
        int levels = (1 << len) - 1;
        if (len < 1 || (imms & levels) == levels || (1 << len) > datasize) {
            return null;
        }
        return Alu.decodeLogicalImmediate(n, imms, immr, datasize);
    }

    /** VFPExpandImm of an 8-bit floating-point immediate, as a double. */
    static double fp8(int imm8) {
        int sign = (imm8 >>> 7) & 1;
        double mantissa = 1.0 + (imm8 & 0xF) / 16.0;
        // imm8 = a:bcd:efgh, value = (-1)^a * (1 + efgh/16) * 2^(NOT(b):c:d - 3).
        int e = (((imm8 >>> 4) & 7) ^ 4) - 3;
        double value = mantissa * Math.pow(2, e);
        return sign == 1 ? -value : value;
    }

    /** {@code #1.000000000000000000e+00}: objdump prints FP immediates with printf %.18e. */
    static String fp(double value) {
        return "#" + String.format(java.util.Locale.ROOT, "%.18e", value);
    }
}
