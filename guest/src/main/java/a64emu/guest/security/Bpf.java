package a64emu.guest.security;

/**
 * Classic BPF (Linux {@code include/uapi/linux/filter.h}, {@code net/core/filter.c}): the
 * instruction format, the checks every classic program passes before the kernel takes it
 * ({@link #checkClassic}, Linux bpf_check_classic) and an interpreter over a packet of 32-bit
 * words ({@link #run}). Seccomp adds its own narrower check ({@link SeccompFilter#check}).
 */
public final class Bpf {
    /** BPF_MAXINSNS: the longest program. */
    public static final int MAXINSNS = 4096;
    /** BPF_MEMWORDS: the scratch memory M[0..15]. */
    public static final int MEMWORDS = 16;
    /** sizeof(struct sock_filter): u16 code, u8 jt, u8 jf, u32 k. */
    public static final int INSN_SIZE = 8;
    /** SKF_AD_OFF: where the ancillary loads (socket filters only) begin. */
    static final int SKF_AD_OFF = -0x1000;

    // Instruction classes, sizes, modes, operations and sources (filter.h, bpf_common.h).
    public static final int LD = 0x00, LDX = 0x01, ST = 0x02, STX = 0x03, ALU = 0x04, JMP = 0x05, RET = 0x06,
            MISC = 0x07;
    public static final int W = 0x00, H = 0x08, B = 0x10;
    public static final int IMM = 0x00, ABS = 0x20, IND = 0x40, MEM = 0x60, LEN = 0x80, MSH = 0xa0;
    public static final int ADD = 0x00, SUB = 0x10, MUL = 0x20, DIV = 0x30, OR = 0x40, AND = 0x50, LSH = 0x60,
            RSH = 0x70, NEG = 0x80, MOD = 0x90, XOR = 0xa0;
    public static final int JA = 0x00, JEQ = 0x10, JGT = 0x20, JGE = 0x30, JSET = 0x40;
    public static final int K = 0x00, X = 0x08, A = 0x10;
    public static final int TAX = 0x00, TXA = 0x80;

    /** One struct sock_filter. */
    public record Insn(int code, int jt, int jf, int k) {
        public static Insn stmt(int code, int k) {
            return new Insn(code, 0, 0, k);
        }

        public static Insn jump(int code, int k, int jt, int jf) {
            return new Insn(code, jt, jf, k);
        }
    }

    private Bpf() {
    }

    /** The program in {@code raw}, {@code len} struct sock_filter in the guest's (little-endian) order. */
    public static Insn[] decode(byte[] raw, int len) {
        Insn[] p = new Insn[len];
        for (int i = 0; i < len; i++) {
            int o = i * INSN_SIZE;
            int code = (raw[o] & 0xFF) | (raw[o + 1] & 0xFF) << 8;
            int k = (raw[o + 4] & 0xFF) | (raw[o + 5] & 0xFF) << 8 | (raw[o + 6] & 0xFF) << 16 | raw[o + 7] << 24;
            p[i] = new Insn(code, raw[o + 2] & 0xFF, raw[o + 3] & 0xFF, k);
        }
        return p;
    }

    /** chk_code_allowed: the codes a classic program may hold. */
    static boolean codeAllowed(int code) {
        return switch (code) {
            case ALU | ADD | K, ALU | ADD | X, ALU | SUB | K, ALU | SUB | X, ALU | MUL | K, ALU | MUL | X,
                    ALU | DIV | K, ALU | DIV | X, ALU | MOD | K, ALU | MOD | X, ALU | AND | K, ALU | AND | X,
                    ALU | OR | K, ALU | OR | X, ALU | XOR | K, ALU | XOR | X, ALU | LSH | K, ALU | LSH | X,
                    ALU | RSH | K, ALU | RSH | X, ALU | NEG,
                    LD | W | ABS, LD | H | ABS, LD | B | ABS, LD | W | LEN, LD | W | IND, LD | H | IND, LD | B | IND,
                    LD | IMM, LD | MEM, LDX | W | LEN, LDX | B | MSH, LDX | IMM, LDX | MEM,
                    ST, STX, MISC | TAX, MISC | TXA, RET | K, RET | A,
                    JMP | JA, JMP | JEQ | K, JMP | JEQ | X, JMP | JGE | K, JMP | JGE | X, JMP | JGT | K, JMP | JGT | X,
                    JMP | JSET | K, JMP | JSET | X -> true;
            default -> false;
        };
    }

    private static boolean isConditionalJump(int code) {
        return (code & 0x07) == JMP && (code & 0xF0) != JA;
    }

    /**
     * bpf_check_classic: a known code in every slot, no division by a zero constant, no shift by
     * 32 or more, scratch slots 0..15, every jump landing inside the program, no ancillary load,
     * a RET last, and no scratch slot read before every path to it stored it.
     */
    public static boolean checkClassic(Insn[] p) {
        int flen = p.length;
        if (flen == 0 || flen > MAXINSNS) {
            return false;
        }
        for (int pc = 0; pc < flen; pc++) {
            Insn f = p[pc];
            if (!codeAllowed(f.code())) {
                return false;
            }
            long k = f.k() & 0xFFFF_FFFFL;
            switch (f.code()) {
                case ALU | DIV | K, ALU | MOD | K -> {
                    if (k == 0) return false;
                }
                case ALU | LSH | K, ALU | RSH | K -> {
                    if (k >= 32) return false;
                }
                case LD | MEM, LDX | MEM, ST, STX -> {
                    if (k >= MEMWORDS) return false;
                }
                case JMP | JA -> {
                    if (k >= flen - pc - 1) return false;
                }
                case LD | W | ABS, LD | H | ABS, LD | B | ABS -> {
                    // Seccomp knows no ancillary data: every k at or above SKF_AD_OFF is refused.
                    if (f.k() >= SKF_AD_OFF && f.k() < 0) return false;
                }
                default -> {
                    if (isConditionalJump(f.code()) && (pc + f.jt() + 1 >= flen || pc + f.jf() + 1 >= flen)) {
                        return false;
                    }
                }
            }
        }
        int last = p[flen - 1].code();
        return (last == (RET | K) || last == (RET | A)) && loadsFollowStores(p);
    }

    /** check_load_and_stores: one mask of stored slots per instruction, narrowed along every jump. */
    private static boolean loadsFollowStores(Insn[] p) {
        int[] masks = new int[p.length];
        java.util.Arrays.fill(masks, 0xFFFF);
        int valid = 0;
        for (int pc = 0; pc < p.length; pc++) {
            valid &= masks[pc];
            Insn f = p[pc];
            switch (f.code()) {
                case ST, STX -> valid |= 1 << f.k();
                case LD | MEM, LDX | MEM -> {
                    if ((valid & (1 << f.k())) == 0) return false;
                }
                case JMP | JA -> {
                    masks[pc + 1 + f.k()] &= valid;
                    valid = 0xFFFF;
                }
                default -> {
                    if (isConditionalJump(f.code())) {
                        masks[pc + 1 + f.jt()] &= valid;
                        masks[pc + 1 + f.jf()] &= valid;
                        valid = 0xFFFF;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Runs a checked program over {@code data} (the packet: 32-bit words, loaded by byte
     * offset) and returns what its RET returns. Only the loads seccomp keeps (LD W ABS, LEN
     * turned IMM) read the packet; a load outside it answers 0, as the kernel's interpreter does.
     */
    public static int run(Insn[] p, int[] data) {
        int a = 0;
        int x = 0;
        int[] mem = new int[MEMWORDS];
        for (int pc = 0; ; pc++) {
            Insn f = p[pc];
            int k = f.k();
            switch (f.code()) {
                case LD | W | ABS -> a = (k & 3) == 0 && k >= 0 && k / 4 < data.length ? data[k / 4] : 0;
                case LD | W | LEN -> a = data.length * 4;
                case LDX | W | LEN -> x = data.length * 4;
                case LD | IMM -> a = k;
                case LDX | IMM -> x = k;
                case LD | MEM -> a = mem[k];
                case LDX | MEM -> x = mem[k];
                case ST -> mem[k] = a;
                case STX -> mem[k] = x;
                case MISC | TAX -> x = a;
                case MISC | TXA -> a = x;
                case RET | K -> {
                    return k;
                }
                case RET | A -> {
                    return a;
                }
                case JMP | JA -> pc += k;
                case ALU | NEG -> a = -a;
                default -> {
                    int operand = (f.code() & X) != 0 ? x : k;
                    if ((f.code() & 0x07) == ALU) {
                        switch (f.code() & 0xF0) {
                            case ADD -> a += operand;
                            case SUB -> a -= operand;
                            case MUL -> a *= operand;
                            // Division by a zero X ends the program with 0 (the kernel's interpreter).
                            case DIV -> {
                                if (operand == 0) return 0;
                                a = Integer.divideUnsigned(a, operand);
                            }
                            case MOD -> {
                                if (operand == 0) return 0;
                                a = Integer.remainderUnsigned(a, operand);
                            }
                            case AND -> a &= operand;
                            case OR -> a |= operand;
                            case XOR -> a ^= operand;
                            case LSH -> a = (operand & 0xFFFF_FFFFL) >= 32 ? 0 : a << operand;
                            case RSH -> a = (operand & 0xFFFF_FFFFL) >= 32 ? 0 : a >>> operand;
                            default -> throw new IllegalStateException("unchecked BPF code " + f.code());
                        }
                    } else if ((f.code() & 0x07) == JMP) {
                        boolean taken = switch (f.code() & 0xF0) {
                            case JEQ -> a == operand;
                            case JGT -> Integer.compareUnsigned(a, operand) > 0;
                            case JGE -> Integer.compareUnsigned(a, operand) >= 0;
                            case JSET -> (a & operand) != 0;
                            default -> throw new IllegalStateException("unchecked BPF code " + f.code());
                        };
                        pc += taken ? f.jt() : f.jf();
                    } else {
                        throw new IllegalStateException("unchecked BPF code " + f.code());
                    }
                }
            }
        }
    }
}
