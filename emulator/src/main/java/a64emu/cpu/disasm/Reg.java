package a64emu.cpu.disasm;

/**
 * Register names as objdump prints them. Register 31 is the zero register or the stack
 * pointer depending on the operand (ARM ARM C1.2.5); the caller says which.
 */
final class Reg {
    private Reg() {}

    static String x(int n) {
        return n == 31 ? "xzr" : "x" + n;
    }

    static String w(int n) {
        return n == 31 ? "wzr" : "w" + n;
    }

    static String xsp(int n) {
        return n == 31 ? "sp" : "x" + n;
    }

    static String wsp(int n) {
        return n == 31 ? "wsp" : "w" + n;
    }

    /** A general register, 64-bit when {@code sf}; 31 is the zero register. */
    static String r(boolean sf, int n) {
        return sf ? x(n) : w(n);
    }

    /** A general register, 64-bit when {@code sf}; 31 is the stack pointer. */
    static String rsp(boolean sf, int n) {
        return sf ? xsp(n) : wsp(n);
    }

    /** Scalar FP/SIMD register of {@code bytes} (1,2,4,8,16): b0, h0, s0, d0, q0. */
    static String fp(int bytes, int n) {
        return String.valueOf(scalarPrefix(bytes)) + n;
    }

    static char scalarPrefix(int bytes) {
        switch (bytes) {
            case 1: return 'b';
            case 2: return 'h';
            case 4: return 's';
            case 8: return 'd';
            case 16: return 'q';
            default: throw new IllegalArgumentException("element size " + bytes);
        }
    }

    /** Vector register with arrangement: {@code v3.4s}. */
    static String v(int n, String arrangement) {
        return "v" + n + "." + arrangement;
    }

    /** Vector element: {@code v3.s[1]}. */
    static String elem(int n, int bytes, int index) {
        return "v" + n + "." + scalarPrefix(bytes) + "[" + index + "]";
    }

    /**
     * The arrangement of {@code size} (element log2 bytes 0..3) and Q: 8b/16b, 4h/8h,
     * 2s/4s, 1d/2d.
     */
    static String arrangement(int size, boolean q) {
        switch (size) {
            case 0: return q ? "16b" : "8b";
            case 1: return q ? "8h" : "4h";
            case 2: return q ? "4s" : "2s";
            case 3: return q ? "2d" : "1d";
            default: throw new IllegalArgumentException("size " + size);
        }
    }

    /** {@code {v1.16b, v2.16b}}; objdump writes a range for three or four registers. */
    static String list(int first, int count, String suffix) {
        if (count >= 3 && first + count - 1 <= 31) {
            // binutils prints {v1.16b-v3.16b}, but lists each register of a list that wraps past v31.
            return "{v" + first + "." + suffix + "-v" + ((first + count - 1) & 31) + "." + suffix + "}";
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('v').append((first + i) & 31).append('.').append(suffix);
        }
        return sb.append('}').toString();
    }
}
