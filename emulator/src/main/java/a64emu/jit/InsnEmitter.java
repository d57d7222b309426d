package a64emu.jit;

import static a64emu.jit.UnitEmitter.CHANGED;
import static a64emu.jit.UnitEmitter.CPU;
import static a64emu.jit.UnitEmitter.CPU_T;
import static a64emu.jit.UnitEmitter.FK;
import static a64emu.jit.UnitEmitter.FX;
import static a64emu.jit.UnitEmitter.FY;
import static a64emu.jit.UnitEmitter.HOST;
import static a64emu.jit.UnitEmitter.HOST_T;
import static a64emu.jit.UnitEmitter.I0;
import static a64emu.jit.UnitEmitter.NZCV;
import static a64emu.jit.UnitEmitter.SP;
import static a64emu.jit.UnitEmitter.T0;
import static a64emu.jit.UnitEmitter.T1;
import static a64emu.jit.UnitEmitter.T2;
import static a64emu.jit.UnitEmitter.T3;
import static a64emu.jit.UnitEmitter.T4;
import static a64emu.jit.UnitEmitter.X0;

import a64emu.cpu.decode.Encoding;
import a64emu.cpu.isa.BranchExceptionSystem;
import a64emu.cpu.isa.DataProcessingImmediate;
import java.util.Set;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The instructions the translator emits itself: the integer data-processing, branch and
 * load/store instructions that make up most of what programs execute. Only operand fetch,
 * control flow and memory access are emitted here; what an instruction computes comes
 * from the same value helpers the interpreter's semantics call ({@code Alu.nzcvOfAdd64},
 * {@code Alu.conditionHolds}, {@code Alu.shift64}, {@code Alu.extend},
 * {@code Alu.bitfieldMove}, {@code DataProcessingRegister.udiv64}, ...), or is the plain
 * JVM arithmetic the interpreter's semantics use for it (add, and, multiply). Operand
 * fields are read with the encoding table's field extractors, and immediates decoded
 * with the interpreter's decoders at translation time (a reserved encoding makes the
 * decoder throw; the instruction then falls back to the interpreter, which raises it).
 * Everything else returns false: a fallback.
 */
final class InsnEmitter implements Opcodes {
    private static final String ALU = "a64emu/cpu/isa/Alu";
    private static final String DPR = "a64emu/cpu/isa/DataProcessingRegister";
    private static final String LSI = "a64emu/cpu/isa/LoadStoreInteger";
    private static final String MEM = "a64emu/jit/JitMemory";
    private static final long MASK32 = 0xFFFF_FFFFL;

    /** Hints and barriers: no effect on one in-order PE (as the interpreter's {@code nop}). */
    private static final Set<String> NOPS = Set.of("HINT", "NOP", "YIELD", "WFE", "WFI", "SEV", "SEVL", "XPACLRI",
            "ESB", "CSDB", "PACIASP", "PACIBSP", "AUTIASP", "AUTIBSP", "BTI", "DSB", "DMB", "ISB", "SB",
            "PRFM_LIT", "PRFM_UIMM", "PRFUM");

    private final UnitEmitter u;
    private final MemoryEmitter memory;

    InsnEmitter(UnitEmitter u) {
        this.u = u;
        this.memory = new MemoryEmitter(u);
    }

    private MethodVisitor mv() {
        return u.mv;
    }

    // ---- Registers ---------------------------------------------------------------------------------

    /** Pushes Xr (XZR for 31). */
    void loadX(int r) {
        if (r == 31) {
            mv().visitInsn(LCONST_0);
        } else {
            u.noteRead(r);
            mv().visitVarInsn(LLOAD, X0 + 2 * r);
        }
    }

    /** Pops into Xr (discarded for XZR). */
    void storeX(int r) {
        if (r == 31) {
            mv().visitInsn(POP2);
        } else {
            u.noteWrite(r);
            mv().visitVarInsn(LSTORE, X0 + 2 * r);
        }
    }

    /** Pushes Xr where 31 means SP. */
    void loadXsp(int r) {
        if (r == 31) {
            u.noteSp(false);
            mv().visitVarInsn(LLOAD, SP);
        } else {
            loadX(r);
        }
    }

    void storeXsp(int r) {
        if (r == 31) {
            u.noteSp(true);
            mv().visitVarInsn(LSTORE, SP);
        } else {
            storeX(r);
        }
    }

    /**
     * What this point of the generated code knows of the flags: a {@link Flags} kind, or
     * {@link #UNKNOWN} where paths meet (the start of a straight-line run).
     */
    private int known = UNKNOWN;
    private static final int UNKNOWN = -1;

    void atBoundary() {
        known = UNKNOWN;
    }

    void afterFallback() {
        known = Flags.MATERIALIZED;
    }

    /** Pushes NZCV, built from a lazy compare first where one may be pending. */
    private void loadFlags() {
        u.noteFlags(false);
        if (known != Flags.MATERIALIZED) {
            u.materializeFlags();
            known = Flags.MATERIALIZED;
        }
        mv().visitVarInsn(ILOAD, NZCV);
    }

    /** Pops NZCV, set whole by the instruction. */
    private void storeFlags() {
        u.noteFlags(true);
        mv().visitVarInsn(ISTORE, NZCV);
        mv().visitInsn(ICONST_0);
        mv().visitVarInsn(ISTORE, FK);
        known = Flags.MATERIALIZED;
    }

    /** A compare of {@code kind} whose operands are the longs in locals {@code x} and {@code y}: flags stay lazy. */
    private void lazyFlags(int kind, int x, int y) {
        u.noteFlags(true);
        mv().visitVarInsn(LLOAD, x);
        mv().visitVarInsn(LSTORE, FX);
        mv().visitVarInsn(LLOAD, y);
        mv().visitVarInsn(LSTORE, FY);
        u.push(kind);
        mv().visitVarInsn(ISTORE, FK);
        known = kind;
    }

    private void mask32() {
        u.pushLong(MASK32);
        mv().visitInsn(LAND);
    }

    private void call(String owner, String name, String desc) {
        mv().visitMethodInsn(INVOKESTATIC, owner, name, desc, false);
    }

    // ---- Dispatch ------------------------------------------------------------------------------

    /** Emits instruction {@code k}; false when the translator leaves it to a fallback. */
    boolean emit(int k, int w, Encoding e) {
        String name = e.name();
        if (NOPS.contains(name)) {
            return true;
        }
        return switch (name) {
            case "ADD_IMM", "ADDS_IMM", "SUB_IMM", "SUBS_IMM" -> addSubImmediate(w, e);
            case "AND_IMM", "ORR_IMM", "EOR_IMM", "ANDS_IMM" -> logicalImmediate(w, e);
            case "MOVZ", "MOVN", "MOVK" -> moveWide(w, e);
            case "ADR", "ADRP" -> pcRelative(k, w, e);
            case "SBFM", "BFM", "UBFM" -> bitfield(w, e);
            case "AND_REG", "BIC_REG", "ORR_REG", "ORN_REG", "EOR_REG", "EON_REG", "ANDS_REG", "BICS_REG" ->
                    logicalShifted(w, e);
            case "ADD_SHIFT", "ADDS_SHIFT", "SUB_SHIFT", "SUBS_SHIFT" -> addSubShifted(w, e);
            case "ADD_EXT", "ADDS_EXT", "SUB_EXT", "SUBS_EXT" -> addSubExtended(w, e);
            case "ADC", "ADCS", "SBC", "SBCS" -> addSubCarry(w, e);
            case "CCMN_REG", "CCMP_REG", "CCMN_IMM", "CCMP_IMM" -> conditionalCompare(w, e);
            case "CSEL", "CSINC", "CSINV", "CSNEG" -> conditionalSelect(w, e);
            case "UDIV", "SDIV" -> divide(w, e);
            case "LSLV", "LSRV", "ASRV", "RORV" -> shiftVariable(w, e);
            case "MADD", "MSUB" -> multiplyAdd(w, e);
            case "SMADDL", "SMSUBL", "UMADDL", "UMSUBL" -> multiplyAddLong(w, e);
            case "SMULH" -> smulh(w, e);
            case "UMULH" -> binary(w, e, DPR, "unsignedMultiplyHigh");
            case "EXTR" -> extract(w, e);
            case "RBIT" -> unary(w, e, "reverseBits");
            case "REV16" -> unary(w, e, "reverseBytes16");
            case "REV32" -> unary(w, e, "reverseBytes32");
            case "REV64" -> e.field('f', w) != 0 && unary(w, e, "reverseBytes64");
            case "CLZ" -> unary(w, e, "countLeadingZeros");
            case "CLS" -> unary(w, e, "countLeadingSignBits");
            case "LDR_STR_SIMD_UIMM" -> simdSingle(k, w, e, Addressing.UNSIGNED);
            case "LDUR_STUR_SIMD" -> simdSingle(k, w, e, Addressing.UNSCALED);
            case "LDR_STR_SIMD_POST" -> simdSingle(k, w, e, Addressing.POST);
            case "LDR_STR_SIMD_PRE" -> simdSingle(k, w, e, Addressing.PRE);
            case "LDR_STR_SIMD_REG" -> simdSingle(k, w, e, Addressing.REGISTER);
            case "LDNP_STNP_SIMD", "LDP_STP_SIMD_OFF" -> simdPair(k, w, e, Addressing.UNSIGNED);
            case "LDP_STP_SIMD_PRE" -> simdPair(k, w, e, Addressing.PRE);
            case "LDP_STP_SIMD_POST" -> simdPair(k, w, e, Addressing.POST);
            case "STR_UIMM", "LDR_UIMM", "LDRS_X_UIMM", "LDRS_W_UIMM" -> single(k, w, e, Addressing.UNSIGNED);
            case "STUR", "LDUR", "LDURS_X", "LDURS_W" -> single(k, w, e, Addressing.UNSCALED);
            case "STR_POST", "LDR_POST", "LDRS_X_POST", "LDRS_W_POST" -> single(k, w, e, Addressing.POST);
            case "STR_PRE", "LDR_PRE", "LDRS_X_PRE", "LDRS_W_PRE" -> single(k, w, e, Addressing.PRE);
            case "STR_REG", "LDR_REG", "LDRS_X_REG", "LDRS_W_REG" -> single(k, w, e, Addressing.REGISTER);
            case "STP_OFF", "LDP_OFF", "STNP", "LDNP" -> pair(k, w, e, Addressing.UNSIGNED);
            case "STP_PRE", "LDP_PRE" -> pair(k, w, e, Addressing.PRE);
            case "STP_POST", "LDP_POST" -> pair(k, w, e, Addressing.POST);
            case "LDR_LIT_W", "LDR_LIT_X", "LDRSW_LIT" -> literal(k, w, e);
            default -> false;
        };
    }

    // ---- Data processing (immediate) -------------------------------------------------------------

    private boolean addSubImmediate(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        long imm = (long) e.field('i', w) << (12 * e.field('h', w));
        boolean sub = e.name().startsWith("SUB");
        boolean flags = e.name().contains("S_");
        int d = e.field('d', w);
        loadXsp(e.field('n', w));
        if (flags) {
            mv().visitVarInsn(LSTORE, T0);
            u.pushLong(imm);
            mv().visitVarInsn(LSTORE, T1);
            lazyFlags(sub ? (sf ? Flags.SUB64 : Flags.SUB32) : (sf ? Flags.ADD64 : Flags.ADD32), T0, T1);
            mv().visitVarInsn(LLOAD, T0);
        }
        u.pushLong(imm);
        mv().visitInsn(sub ? LSUB : LADD);
        if (!sf) {
            mask32();
        }
        if (flags) {
            storeX(d);
        } else {
            storeXsp(d);
        }
        return true;
    }

    /** NZCV = AddWithCarry's flags of locals {@code x} and {@code y} (inverted for a subtraction), carry on the stack. */
    private void nzcvOfAddLocals(boolean sf, int x, int y, boolean invert, Runnable carry) {
        mv().visitVarInsn(LLOAD, x);
        if (!sf) {
            mv().visitInsn(L2I);
        }
        mv().visitVarInsn(LLOAD, y);
        if (!sf) {
            mv().visitInsn(L2I);
        }
        if (invert) {
            if (sf) {
                u.pushLong(-1);
                mv().visitInsn(LXOR);
            } else {
                mv().visitInsn(ICONST_M1);
                mv().visitInsn(IXOR);
            }
        }
        carry.run();
        call(ALU, sf ? "nzcvOfAdd64" : "nzcvOfAdd32", sf ? "(JJI)I" : "(III)I");
        storeFlags();
    }

    private void nz(boolean sf, int local) {
        mv().visitVarInsn(LLOAD, local);
        if (sf) {
            call(ALU, "nz64", "(J)I");
        } else {
            mv().visitInsn(L2I);
            call(ALU, "nz32", "(I)I");
        }
        storeFlags();
    }

    private boolean logicalImmediate(int w, Encoding e) {
        Long imm = UnitEmitter.decoded(() -> DataProcessingImmediate.logicalImmediate(w));
        if (imm == null) {
            return false;
        }
        boolean sf = e.field('f', w) != 0;
        loadX(e.field('n', w));
        if (!sf) {
            mask32();
        }
        u.pushLong(imm);
        switch (e.name()) {
            case "ORR_IMM" -> mv().visitInsn(LOR);
            case "EOR_IMM" -> mv().visitInsn(LXOR);
            default -> mv().visitInsn(LAND);
        }
        int d = e.field('d', w);
        if (e.name().equals("ANDS_IMM")) {
            mv().visitVarInsn(LSTORE, T0);
            nz(sf, T0);
            mv().visitVarInsn(LLOAD, T0);
            storeX(d);
        } else {
            storeXsp(d);
        }
        return true;
    }

    private boolean moveWide(int w, Encoding e) {
        Long shift = UnitEmitter.decoded(() -> DataProcessingImmediate.moveWideShift(w));
        if (shift == null) {
            return false;
        }
        boolean sf = e.field('f', w) != 0;
        long imm = (long) e.field('i', w) << shift;
        int d = e.field('d', w);
        switch (e.name()) {
            case "MOVZ" -> u.pushLong(imm);
            case "MOVN" -> u.pushLong(sf ? ~imm : ~imm & MASK32);
            default -> {
                loadX(d);
                u.pushLong(~(0xFFFFL << shift));
                mv().visitInsn(LAND);
                u.pushLong(imm);
                mv().visitInsn(LOR);
                if (!sf) {
                    mask32();
                }
            }
        }
        storeX(d);
        return true;
    }

    private boolean pcRelative(int k, int w, Encoding e) {
        long pc = u.va + 4L * k;
        long offset = DataProcessingImmediate.pcRelImmediate(w);
        u.pushLong(e.name().equals("ADR") ? pc + offset : (pc & ~0xFFFL) + (offset << 12));
        storeX(e.field('d', w));
        return true;
    }

    private boolean bitfield(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        int nBit = e.field('N', w);
        int r = e.field('r', w);
        int s = e.field('s', w);
        if ((sf ? 1 : 0) != nBit || (!sf && (r >= 32 || s >= 32))) {
            return false;
        }
        int d = e.field('d', w);
        loadX(e.field('n', w));
        if (e.name().equals("BFM")) {
            loadX(d);
        } else {
            mv().visitInsn(LCONST_0);
        }
        u.push(r);
        u.push(s);
        u.push(sf ? 64 : 32);
        u.push(switch (e.name()) {
            case "SBFM" -> 0;
            case "BFM" -> 1;
            default -> 2;
        });
        call(ALU, "bitfieldMove", "(JJIIII)J");
        storeX(d);
        return true;
    }

    // ---- Data processing (register) --------------------------------------------------------------

    /**
     * Pushes Xm shifted as the shifted-register forms do (the 32-bit form zero-extends):
     * ShiftReg (Alu.shift64/shift32) with its constant type and amount folded into the JVM's
     * own shift instructions.
     */
    private void shiftedOperand(boolean sf, int m, int type, int amount) {
        loadX(m);
        shiftConstant(sf, type, amount);
    }

    private void shiftConstant(boolean sf, int type, int amount) {
        MethodVisitor mv = mv();
        if (sf) {
            if (amount == 0) {
                return;
            }
            u.push(amount);
            switch (type) {
                case 0 -> mv.visitInsn(LSHL);
                case 1 -> mv.visitInsn(LUSHR);
                case 2 -> mv.visitInsn(LSHR);
                default -> call("java/lang/Long", "rotateRight", "(JI)J");
            }
            return;
        }
        if (amount != 0) {
            mv.visitInsn(L2I);
            u.push(amount);
            switch (type) {
                case 0 -> mv.visitInsn(ISHL);
                case 1 -> mv.visitInsn(IUSHR);
                case 2 -> mv.visitInsn(ISHR);
                default -> call("java/lang/Integer", "rotateRight", "(II)I");
            }
            mv.visitInsn(I2L);
        }
        mask32();
    }

    /** ExtendReg (Alu.extend) of the long on the stack with a constant option and shift. */
    private void extendConstant(int option, int shift) {
        MethodVisitor mv = mv();
        switch (option) {
            case 0 -> { u.pushLong(0xFF); mv.visitInsn(LAND); }
            case 1 -> { u.pushLong(0xFFFF); mv.visitInsn(LAND); }
            case 2 -> mask32();
            case 4 -> { mv.visitInsn(L2I); mv.visitInsn(I2B); mv.visitInsn(I2L); }
            case 5 -> { mv.visitInsn(L2I); mv.visitInsn(I2S); mv.visitInsn(I2L); }
            case 6 -> { mv.visitInsn(L2I); mv.visitInsn(I2L); }
            default -> { }
        }
        if (shift != 0) {
            u.push(shift);
            mv.visitInsn(LSHL);
        }
    }

    private boolean logicalShifted(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        int amount = e.field('i', w);
        if (!sf && amount >= 32) {
            return false;
        }
        loadX(e.field('n', w));
        shiftedOperand(sf, e.field('m', w), e.field('h', w), amount);
        if ((w & (1 << 21)) != 0) {
            u.pushLong(-1);
            mv().visitInsn(LXOR);
        }
        int opc = (w >>> 29) & 3;
        mv().visitInsn(switch (opc) {
            case 1 -> LOR;
            case 2 -> LXOR;
            default -> LAND;
        });
        if (!sf) {
            mask32();
        }
        if (opc == 3) {
            mv().visitVarInsn(LSTORE, T0);
            nz(sf, T0);
            mv().visitVarInsn(LLOAD, T0);
        }
        storeX(e.field('d', w));
        return true;
    }

    private boolean addSubShifted(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        int type = e.field('h', w);
        int amount = e.field('i', w);
        if (type == 3 || (!sf && amount >= 32)) {
            return false;
        }
        shiftedOperand(sf, e.field('m', w), type, amount);
        mv().visitVarInsn(LSTORE, T1);
        loadX(e.field('n', w));
        mv().visitVarInsn(LSTORE, T0);
        addSubLocals(w, e, sf, false);
        return true;
    }

    private boolean addSubExtended(int w, Encoding e) {
        int shift = e.field('i', w);
        if (shift > 4) {
            return false;
        }
        boolean sf = e.field('f', w) != 0;
        loadX(e.field('m', w));
        extendConstant(e.field('o', w), shift);
        mv().visitVarInsn(LSTORE, T1);
        loadXsp(e.field('n', w));
        mv().visitVarInsn(LSTORE, T0);
        addSubLocals(w, e, sf, true);
        return true;
    }

    /** Rd = T0 +/- T1 (flags when S), Rd SP-capable without S when {@code spDest}. */
    private void addSubLocals(int w, Encoding e, boolean sf, boolean spDest) {
        boolean sub = (w & (1 << 30)) != 0;
        boolean flags = (w & (1 << 29)) != 0;
        if (flags) {
            lazyFlags(sub ? (sf ? Flags.SUB64 : Flags.SUB32) : (sf ? Flags.ADD64 : Flags.ADD32), T0, T1);
        }
        mv().visitVarInsn(LLOAD, T0);
        mv().visitVarInsn(LLOAD, T1);
        mv().visitInsn(sub ? LSUB : LADD);
        if (!sf) {
            mask32();
        }
        int d = e.field('d', w);
        if (spDest && !flags) {
            storeXsp(d);
        } else {
            storeX(d);
        }
    }

    /** Pushes PSTATE.C as 0 or 1. */
    private void carry() {
        loadFlags();
        u.push(29);
        mv().visitInsn(IUSHR);
        mv().visitInsn(ICONST_1);
        mv().visitInsn(IAND);
    }

    private boolean addSubCarry(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        boolean sub = (w & (1 << 30)) != 0;
        boolean flags = (w & (1 << 29)) != 0;
        loadX(e.field('n', w));
        mv().visitVarInsn(LSTORE, T0);
        loadX(e.field('m', w));
        if (sub) {
            u.pushLong(-1);
            mv().visitInsn(LXOR);
        }
        mv().visitVarInsn(LSTORE, T1);
        carry();
        mv().visitVarInsn(ISTORE, I0);
        if (flags) {
            nzcvOfAddLocals(sf, T0, T1, false, () -> mv().visitVarInsn(ILOAD, I0));
        }
        mv().visitVarInsn(LLOAD, T0);
        mv().visitVarInsn(LLOAD, T1);
        mv().visitInsn(LADD);
        mv().visitVarInsn(ILOAD, I0);
        mv().visitInsn(I2L);
        mv().visitInsn(LADD);
        if (!sf) {
            mask32();
        }
        storeX(e.field('d', w));
        return true;
    }

    /** Pushes ConditionHolds(cond) as 0 or 1; straight after a compare, from its operands. */
    private void condition(int cond) {
        if ((known == Flags.SUB64 || known == Flags.SUB32) && compareCondition(cond, known == Flags.SUB64)) {
            return;
        }
        if (known == Flags.SUB64 || known == Flags.SUB32) {
            u.noteFlags(false);
            u.push(cond);
            mv().visitVarInsn(LLOAD, FX);
            if (known == Flags.SUB32) {
                mv().visitInsn(L2I);
            }
            mv().visitVarInsn(LLOAD, FY);
            if (known == Flags.SUB32) {
                mv().visitInsn(L2I);
                call(ALU, "conditionAfterCompare32", "(III)Z");
            } else {
                call(ALU, "conditionAfterCompare64", "(IJJ)Z");
            }
            return;
        }
        u.push(cond);
        loadFlags();
        call(ALU, "conditionHolds", "(II)Z");
    }

    /**
     * The conditions of Alu.conditionAfterCompare64/32 that are one JVM comparison of the
     * compare's operands (EQ, NE, HS, LO, HI, LS, GE, LT, GT, LE), pushed as 0 or 1; false for
     * the others (MI, PL, VS, VC, AL, NV), which call the helper.
     */
    private boolean compareCondition(int cond, boolean sf) {
        // The JVM branch taken when the condition holds, on the sign of compare(x, y).
        int branch = switch (cond) {
            case 0x0 -> IFEQ;  // EQ
            case 0x1 -> IFNE;  // NE
            case 0x2 -> IFGE;  // HS (unsigned)
            case 0x3 -> IFLT;  // LO (unsigned)
            case 0x8 -> IFGT;  // HI (unsigned)
            case 0x9 -> IFLE;  // LS (unsigned)
            case 0xA -> IFGE;  // GE
            case 0xB -> IFLT;  // LT
            case 0xC -> IFGT;  // GT
            case 0xD -> IFLE;  // LE
            default -> -1;
        };
        if (branch < 0) {
            return false;
        }
        boolean unsigned = cond == 2 || cond == 3 || cond == 8 || cond == 9;
        u.noteFlags(false);
        MethodVisitor mv = mv();
        mv.visitVarInsn(LLOAD, FX);
        if (!sf) {
            mv.visitInsn(L2I);
        }
        mv.visitVarInsn(LLOAD, FY);
        if (!sf) {
            mv.visitInsn(L2I);
        }
        if (unsigned) {
            if (sf) {
                call("java/lang/Long", "compareUnsigned", "(JJ)I");
            } else {
                call("java/lang/Integer", "compareUnsigned", "(II)I");
            }
        } else if (sf) {
            mv.visitInsn(LCMP);
        } else {
            call("java/lang/Integer", "compare", "(II)I");
        }
        Label holds = new Label();
        Label done = new Label();
        mv.visitJumpInsn(branch, holds);
        mv.visitInsn(ICONST_0);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(holds);
        mv.visitInsn(ICONST_1);
        mv.visitLabel(done);
        return true;
    }

    private boolean conditionalCompare(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        boolean sub = (w & (1 << 30)) != 0;
        Label otherwise = new Label();
        Label done = new Label();
        condition(e.field('c', w));
        mv().visitJumpInsn(IFEQ, otherwise);
        loadX(e.field('n', w));
        mv().visitVarInsn(LSTORE, T0);
        if (e.hasField('i')) {
            u.pushLong(e.field('i', w));
        } else {
            loadX(e.field('m', w));
        }
        mv().visitVarInsn(LSTORE, T1);
        nzcvOfAddLocals(sf, T0, T1, sub, () -> u.push(sub ? 1 : 0));
        mv().visitJumpInsn(GOTO, done);
        mv().visitLabel(otherwise);
        u.push(e.field('v', w) << 28);
        storeFlags();
        mv().visitLabel(done);
        return true;
    }

    private boolean conditionalSelect(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        Label otherwise = new Label();
        Label done = new Label();
        condition(e.field('c', w));
        mv().visitJumpInsn(IFEQ, otherwise);
        loadX(e.field('n', w));
        mv().visitJumpInsn(GOTO, done);
        mv().visitLabel(otherwise);
        loadX(e.field('m', w));
        if ((w & (1 << 30)) != 0) {
            u.pushLong(-1);
            mv().visitInsn(LXOR);
        }
        if ((w & (1 << 10)) != 0) {
            mv().visitInsn(LCONST_1);
            mv().visitInsn(LADD);
        }
        mv().visitLabel(done);
        if (!sf) {
            mask32();
        }
        storeX(e.field('d', w));
        return true;
    }

    private boolean divide(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        loadX(e.field('n', w));
        loadX(e.field('m', w));
        String kind = e.name().equals("UDIV") ? "udiv" : "sdiv";
        call(DPR, kind + (sf ? "64" : "32"), "(JJ)J");
        storeX(e.field('d', w));
        return true;
    }

    private boolean shiftVariable(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        loadX(e.field('n', w));
        u.push((w >>> 10) & 3);
        loadX(e.field('m', w));
        mv().visitInsn(L2I);
        u.push(sf ? 63 : 31);
        mv().visitInsn(IAND);
        call(ALU, sf ? "shift64" : "shift32", "(JII)J");
        storeX(e.field('d', w));
        return true;
    }

    private boolean multiplyAdd(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        loadX(e.field('a', w));
        loadX(e.field('n', w));
        loadX(e.field('m', w));
        mv().visitInsn(LMUL);
        mv().visitInsn(e.name().equals("MADD") ? LADD : LSUB);
        if (!sf) {
            mask32();
        }
        storeX(e.field('d', w));
        return true;
    }

    private boolean multiplyAddLong(int w, Encoding e) {
        boolean signed = e.name().startsWith("S");
        loadX(e.field('a', w));
        for (char f : new char[] {'n', 'm'}) {
            loadX(e.field(f, w));
            if (signed) {
                mv().visitInsn(L2I);
                mv().visitInsn(I2L);
            } else {
                mask32();
            }
        }
        mv().visitInsn(LMUL);
        mv().visitInsn(e.name().endsWith("ADDL") ? LADD : LSUB);
        storeX(e.field('d', w));
        return true;
    }

    private boolean smulh(int w, Encoding e) {
        loadX(e.field('n', w));
        loadX(e.field('m', w));
        call("java/lang/Math", "multiplyHigh", "(JJ)J");
        storeX(e.field('d', w));
        return true;
    }

    /** Rd = helper(Rn, sf), a value helper of DataProcessingRegister. */
    private boolean unary(int w, Encoding e, String helper) {
        boolean sf = e.field('f', w) != 0;
        loadX(e.field('n', w));
        if (helper.equals("reverseBytes64")) {
            call("java/lang/Long", "reverseBytes", "(J)J");
        } else {
            u.push(sf ? 1 : 0);
            call(DPR, helper, "(JZ)J");
        }
        storeX(e.field('d', w));
        return true;
    }

    /** Rd = owner.helper(Rn, Rm). */
    private boolean binary(int w, Encoding e, String owner, String helper) {
        loadX(e.field('n', w));
        loadX(e.field('m', w));
        call(owner, helper, "(JJ)J");
        storeX(e.field('d', w));
        return true;
    }

    private boolean extract(int w, Encoding e) {
        boolean sf = e.field('f', w) != 0;
        int lsb = e.field('s', w);
        if ((sf ? 1 : 0) != e.field('N', w) || (!sf && lsb >= 32)) {
            return false;
        }
        loadX(e.field('n', w));
        loadX(e.field('m', w));
        u.push(lsb);
        u.push(sf ? 1 : 0);
        call("a64emu/cpu/isa/DataProcessingImmediate", "extract", "(JJIZ)J");
        storeX(e.field('d', w));
        return true;
    }

    // ---- Branches ---------------------------------------------------------------------------------

    /** Jumps to {@code notTaken} unless conditional branch {@code k} is taken. */
    void branchCondition(int k, int w, Encoding e, Label notTaken) {
        switch (e.name()) {
            case "B_COND" -> {
                condition(e.field('c', w));
                mv().visitJumpInsn(IFEQ, notTaken);
            }
            case "CBZ", "CBNZ" -> {
                loadX(e.field('t', w));
                if (e.field('f', w) == 0) {
                    mask32();
                }
                mv().visitInsn(LCONST_0);
                mv().visitInsn(LCMP);
                mv().visitJumpInsn(e.name().equals("CBZ") ? IFNE : IFEQ, notTaken);
            }
            case "TBZ", "TBNZ" -> {
                loadX(e.field('t', w));
                u.push(BranchExceptionSystem.testedBitNumber(w));
                mv().visitInsn(LUSHR);
                mv().visitInsn(LCONST_1);
                mv().visitInsn(LAND);
                mv().visitInsn(L2I);
                mv().visitJumpInsn(e.name().equals("TBZ") ? IFNE : IFEQ, notTaken);
            }
            default -> throw new IllegalStateException("not a conditional branch: " + e.name());
        }
    }

    // ---- Loads and stores -------------------------------------------------------------------------

    enum Addressing { UNSIGNED, UNSCALED, PRE, POST, REGISTER }

    /** Pushes the base register's value; SP is checked for alignment as the interpreter's base() does. */
    private void base(int n) {
        if (n == 31) {
            mv().visitVarInsn(ALOAD, CPU);
            loadXsp(31);
            call(LSI, "checkedSp", "(L" + CPU_T + ";J)J");
        } else {
            loadX(n);
        }
    }

    private void load(int size) {
        memory.read(size, T0);
    }

    /** ADDRESS = T0 + {@code offset}; returns the local holding the address (T0 itself for 0). */
    private int address(long offset) {
        if (offset == 0) {
            return T0;
        }
        mv().visitVarInsn(LLOAD, T0);
        u.pushLong(offset);
        mv().visitInsn(LADD);
        mv().visitVarInsn(LSTORE, MemoryEmitter.ADDRESS);
        return MemoryEmitter.ADDRESS;
    }

    /** Stores the long in {@code valueLocal} at T0 + {@code offset}; CHANGED gets the frame-changed answer. */
    private void store(int size, int valueLocal, int offset) {
        memory.write(size, address(offset), valueLocal);
    }

    private boolean single(int k, int w, Encoding e, Addressing mode) {
        int size = w >>> 30;
        int opc = (w >>> 22) & 3;
        if ((opc == 2 && size == 3) || (opc == 3 && size >= 2)) {
            return false;
        }
        int n = e.field('n', w);
        int t = e.field('t', w);
        Long offset = singleAddress(k, w, e, mode, size);
        if (offset == null) {
            return false;
        }
        if (opc == 0) {
            mv().visitInsn(ICONST_0);
            mv().visitVarInsn(ISTORE, CHANGED);
            loadX(t);
            mv().visitVarInsn(LSTORE, T1);
            store(size, T1, 0);
        } else {
            load(size);
            if (opc >= 2) {
                u.push(8 << size);
                call(ALU, "signExtend", "(JI)J");
                if (opc == 3) {
                    mask32();
                }
            }
            storeX(t);
        }
        writeBack(mode, n, offset);
        if (opc == 0) {
            u.leaveIfChanged(k);
        }
        return true;
    }

    /**
     * T0 = the address of a single-register load or store (integer or SIMD&FP) with access
     * size 1 &lt;&lt; {@code scale}: the base register (SP checked for alignment) plus the
     * immediate or the extended register; the immediate is returned for the write-back,
     * or null for a reserved register-offset option (a fallback raises it).
     */
    private Long singleAddress(int k, int w, Encoding e, Addressing mode, int scale) {
        long offset = 0;
        switch (mode) {
            case UNSIGNED -> offset = (long) e.field('i', w) << scale;
            case UNSCALED, PRE, POST -> offset = (w << 11) >> 23;
            default -> {
                if ((((w >>> 13) & 7) & 2) == 0) {
                    return null;
                }
            }
        }
        if (mode != Addressing.REGISTER) {
            immediateAddress(k, e.field('n', w), mode, offset);
            return offset;
        }
        u.setAt(k);
        base(e.field('n', w));
        loadX(e.field('m', w));
        extendConstant((w >>> 13) & 7, (w & (1 << 12)) != 0 ? scale : 0);
        mv().visitInsn(LADD);
        mv().visitVarInsn(LSTORE, T0);
        return offset;
    }

    /**
     * T0 = the base register (SP checked for alignment) plus {@code offset}, or the base alone
     * for a post-index access, which adds the offset only in the write-back.
     */
    private void immediateAddress(int k, int n, Addressing mode, long offset) {
        u.setAt(k);
        base(n);
        if (mode != Addressing.POST && offset != 0) {
            u.pushLong(offset);
            mv().visitInsn(LADD);
        }
        mv().visitVarInsn(LSTORE, T0);
    }

    private void writeBack(Addressing mode, int n, long offset) {
        if (mode == Addressing.PRE || mode == Addressing.POST) {
            mv().visitVarInsn(LLOAD, T0);
            if (mode == Addressing.POST && offset != 0) {
                u.pushLong(offset);
                mv().visitInsn(LADD);
            }
            storeXsp(n);
        }
    }

    private boolean pair(int k, int w, Encoding e, Addressing mode) {
        int opc = w >>> 30;
        boolean load = (w & (1 << 22)) != 0;
        boolean nonTemporal = ((w >>> 23) & 7) == 0;
        if (opc == 3 || (opc == 1 && (!load || nonTemporal))) {
            return false;
        }
        int size = opc == 2 ? 3 : 2;
        long offset = (long) ((w << 10) >> 25) << size;
        int n = e.field('n', w);
        int t = e.field('t', w);
        int t2 = e.field('u', w);
        int bytes = 1 << size;
        immediateAddress(k, n, mode, offset);
        if (load) {
            load(size);
            if (opc == 1) {
                mv().visitInsn(L2I);
                mv().visitInsn(I2L);
            }
            mv().visitVarInsn(LSTORE, T1);
            mv().visitVarInsn(LLOAD, T0);
            u.pushLong(bytes);
            mv().visitInsn(LADD);
            mv().visitVarInsn(LSTORE, T2);
            memory.read(size, T2);
            if (opc == 1) {
                mv().visitInsn(L2I);
                mv().visitInsn(I2L);
            }
            mv().visitVarInsn(LSTORE, T2);
            mv().visitVarInsn(LLOAD, T1);
            storeX(t);
            mv().visitVarInsn(LLOAD, T2);
            storeX(t2);
        } else {
            mv().visitInsn(ICONST_0);
            mv().visitVarInsn(ISTORE, CHANGED);
            loadX(t);
            mv().visitVarInsn(LSTORE, T1);
            loadX(t2);
            mv().visitVarInsn(LSTORE, T2);
            store(size, T1, 0);
            store(size, T2, bytes);
        }
        writeBack(mode, n, offset);
        if (!load) {
            u.leaveIfChanged(k);
        }
        return true;
    }

    // ---- SIMD&FP register loads and stores ---------------------------------------------------------

    /** Pushes cpu.v. */
    private void vregs() {
        mv().visitVarInsn(ALOAD, CPU);
        mv().visitFieldInsn(GETFIELD, CPU_T, "v", "[J");
    }

    /** V[t] = {T1, T2} (T2 = 0 for a B/H/S/D load: the rest of the register is zeroed). */
    private void setV(int t) {
        setV(t, T1, T2);
    }

    private void setV(int t, int lo, int hi) {
        vregs();
        u.push(2 * t);
        mv().visitVarInsn(LLOAD, lo);
        mv().visitInsn(LASTORE);
        vregs();
        u.push(2 * t + 1);
        mv().visitVarInsn(LLOAD, hi);
        mv().visitInsn(LASTORE);
    }

    /** Pushes half {@code half} (0 low, 1 high) of V[t]. */
    private void getV(int t, int half) {
        vregs();
        u.push(2 * t + half);
        mv().visitInsn(LALOAD);
    }

    /** Reads the register of {@code scale} (0-4: B, H, S, D, Q) at local {@code address} + {@code offset} into T1/T2. */
    private void readV(int scale, int address, long offset, int lo, int hi) {
        for (int half = 0; half < (scale == 4 ? 2 : 1); half++) {
            memory.read(Math.min(scale, 3), address(offset + 8L * half));
            mv().visitVarInsn(LSTORE, half == 0 ? lo : hi);
        }
        if (scale != 4) {
            mv().visitInsn(LCONST_0);
            mv().visitVarInsn(LSTORE, hi);
        }
    }

    /** Stores V[t] of {@code scale} at T0 + {@code offset}; CHANGED collects the answers. */
    private void writeV(int scale, int t, long offset) {
        if (scale < 4) {
            getV(t, 0);
            mv().visitVarInsn(LSTORE, VALUE);
            memory.write(scale, address(offset), VALUE);
            return;
        }
        mv().visitVarInsn(ALOAD, CPU);
        mv().visitVarInsn(ALOAD, HOST);
        mv().visitVarInsn(LLOAD, T0);
        if (offset != 0) {
            u.pushLong(offset);
            mv().visitInsn(LADD);
        }
        getV(t, 0);
        getV(t, 1);
        call(MEM, "write128", "(L" + CPU_T + ";L" + HOST_T + ";JJJ)I");
        mv().visitVarInsn(ILOAD, CHANGED);
        mv().visitInsn(IOR);
        mv().visitVarInsn(ISTORE, CHANGED);
    }

    /** A store's value, for a register that is not in a local (a SIMD&FP register's half). */
    private static final int VALUE = MemoryEmitter.ADDRESS + 2;

    private boolean simdSingle(int k, int w, Encoding e, Addressing mode) {
        int scale = ((w >>> 21) & 4) | (w >>> 30);
        if (scale > 4) {
            return false;
        }
        boolean load = (w & (1 << 22)) != 0;
        int n = e.field('n', w);
        int t = e.field('t', w);
        Long offset = singleAddress(k, w, e, mode, scale);
        if (offset == null) {
            return false;
        }
        if (load) {
            readV(scale, T0, 0, T1, T2);
            setV(t);
        } else {
            mv().visitInsn(ICONST_0);
            mv().visitVarInsn(ISTORE, CHANGED);
            writeV(scale, t, 0);
        }
        writeBack(mode, n, offset);
        if (!load) {
            u.leaveIfChanged(k);
        }
        return true;
    }

    private boolean simdPair(int k, int w, Encoding e, Addressing mode) {
        int opc = w >>> 30;
        if (opc == 3) {
            return false;
        }
        boolean load = (w & (1 << 22)) != 0;
        int scale = opc + 2;
        int size = 1 << scale;
        long offset = (long) ((w << 10) >> 25) << scale;
        int n = e.field('n', w);
        int t = e.field('t', w);
        int t2 = e.field('u', w);
        immediateAddress(k, n, mode, offset);
        if (load) {
            // In address order, as the interpreter (a fault reports the first address that
            // faults), and both registers are read before either is written.
            readV(scale, T0, 0, T3, T4);
            readV(scale, T0, size, T1, T2);
            setV(t, T3, T4);
            setV(t2, T1, T2);
        } else {
            mv().visitVarInsn(ALOAD, CPU);
            mv().visitVarInsn(LLOAD, T0);
            u.push(2 * size);
            call(MEM, "probeWrite", "(L" + CPU_T + ";JI)V");
            mv().visitInsn(ICONST_0);
            mv().visitVarInsn(ISTORE, CHANGED);
            writeV(scale, t, 0);
            writeV(scale, t2, size);
        }
        writeBack(mode, n, offset);
        if (!load) {
            u.leaveIfChanged(k);
        }
        return true;
    }

    private boolean literal(int k, int w, Encoding e) {
        u.setAt(k);
        u.pushLong(u.va + 4L * k + BranchExceptionSystem.imm19Offset(w));
        mv().visitVarInsn(LSTORE, T0);
        boolean x = e.name().equals("LDR_LIT_X");
        load(x ? 3 : 2);
        if (e.name().equals("LDRSW_LIT")) {
            mv().visitInsn(L2I);
            mv().visitInsn(I2L);
        }
        storeX(e.field('t', w));
        return true;
    }
}
