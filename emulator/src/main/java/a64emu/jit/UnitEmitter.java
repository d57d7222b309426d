package a64emu.jit;

import a64emu.cpu.GuestException;
import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import a64emu.cpu.isa.BranchExceptionSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Generates one unit's {@link UnitCode#run} method: the glue around the instructions
 * (registers in JVM locals, control flow, the quantum, exits, the exception handler),
 * with each instruction either emitted through {@link InsnEmitter} (operands from locals,
 * the value helpers of {@code a64emu.cpu.isa}, memory through {@link JitMemory}) or, when
 * the translator does not handle it, a call to its interpreter semantics with the
 * registers written back before and read again after (a fallback, counted in the stats).
 *
 * <p>The method is generated twice: a first pass learns which registers and flags the
 * emitted instructions read and write, the second loads those at entry and writes back
 * the written ones at every exit and before every fallback.
 *
 * <p>Straight-line runs ("segments") start at the unit's entry, at each branch target
 * inside it and after each branch. Each begins with a check that the quantum has room for
 * the whole run; if not, the unit leaves at that instruction and the interpreter finishes
 * the quantum, so a unit retires exactly what the interpreter would.
 */
final class UnitEmitter implements Opcodes {
    // Local variable slots of run(Cpu cpu, long budget).
    static final int THIS = 0;
    static final int CPU = 1;
    static final int BUDGET = 2;
    static final int RETIRED = 4;
    static final int AT = 6;
    static final int HOST = 7;
    static final int XS = 8;
    static final int EXIT_PC = 9;
    static final int EXIT_SLOT = 11;
    static final int CHANGED = 12;
    static final int T0 = 13;
    static final int T1 = 15;
    static final int T2 = 17;
    static final int I0 = 19;
    static final int EXC = 20;
    static final int X0 = 21;
    static final int SP = X0 + 2 * 31;
    static final int NZCV = SP + 2;
    static final int T3 = NZCV + 1;
    static final int T4 = NZCV + 3;
    /** Lazy flags (see {@link Flags}): the last compare's operands and kind. */
    static final int FX = NZCV + 5;
    static final int FY = NZCV + 7;
    static final int FK = NZCV + 9;

    static final String CPU_T = "a64emu/cpu/Cpu";
    static final String HOST_T = "a64emu/mmu/HostTlb";

    /** What ends a unit: control leaves it, or the instruction always raises an exception. */
    private static final Set<String> ENDS_UNIT = Set.of("B", "BL", "BR", "BLR", "RET", "SVC", "BRK");

    static boolean endsUnit(Encoding e) {
        return e == Decoder.UNALLOCATED || ENDS_UNIT.contains(e.name());
    }

    /** The target of a direct branch (B, BL, B.cond, CB(N)Z, TB(N)Z) at {@code pc}, else -1. */
    static long branchTarget(long pc, int w, Encoding e) {
        return switch (e.name()) {
            case "B", "BL" -> pc + BranchExceptionSystem.imm26Offset(w);
            case "B_COND", "CBZ", "CBNZ" -> pc + BranchExceptionSystem.imm19Offset(w);
            case "TBZ", "TBNZ" -> pc + BranchExceptionSystem.imm14Offset(w);
            default -> -1;
        };
    }

    enum Flow { NEXT, COND, JUMP, CALL, INDIRECT, END }

    final long va;
    final int[] words;
    final Encoding[] encodings;
    final int n;
    private final Flow[] flow;
    private final long[] target;
    private final boolean[] boundary;
    private final int[] segmentStart;
    private final int[] segmentLength;
    private final List<Long> exits = new ArrayList<>();

    // Register use, learnt by the first pass.
    final boolean[] xUsed = new boolean[31];
    final boolean[] xWritten = new boolean[31];
    boolean spUsed;
    boolean spWritten;
    boolean flagsUsed;
    boolean flagsWritten;
    private boolean learning;

    MethodVisitor mv;
    private Label[] labels;
    private Label commonExit;
    private int fallbacks;
    private int codeBytes;

    UnitEmitter(long va, int[] words, Encoding[] encodings) {
        this.va = va;
        this.words = words;
        this.encodings = encodings;
        this.n = words.length;
        flow = new Flow[n];
        target = new long[n];
        boundary = new boolean[n + 1];
        segmentStart = new int[n];
        segmentLength = new int[n];
        analyse();
    }

    // ---- Control flow ----------------------------------------------------------------------------

    private long pcOf(int k) {
        return va + 4L * k;
    }

    private int indexOf(long address) {
        long d = address - va;
        return d >= 0 && d < 4L * n && (d & 3) == 0 ? (int) (d >>> 2) : -1;
    }

    private void analyse() {
        for (int k = 0; k < n; k++) {
            int w = words[k];
            String name = encodings[k].name();
            flow[k] = Flow.NEXT;
            switch (name) {
                case "B" -> { flow[k] = Flow.JUMP; target[k] = pcOf(k) + BranchExceptionSystem.imm26Offset(w); }
                case "BL" -> { flow[k] = Flow.CALL; target[k] = pcOf(k) + BranchExceptionSystem.imm26Offset(w); }
                case "B_COND", "CBZ", "CBNZ" -> {
                    flow[k] = Flow.COND;
                    target[k] = pcOf(k) + BranchExceptionSystem.imm19Offset(w);
                }
                case "TBZ", "TBNZ" -> { flow[k] = Flow.COND; target[k] = pcOf(k) + BranchExceptionSystem.imm14Offset(w); }
                case "BR", "BLR", "RET" -> flow[k] = Flow.INDIRECT;
                default -> {
                    if (endsUnit(encodings[k])) {
                        flow[k] = Flow.END;
                    }
                }
            }
        }
        boundary[0] = true;
        boundary[n] = true;
        for (int k = 0; k < n; k++) {
            if (flow[k] == Flow.COND || flow[k] == Flow.JUMP) {
                int t = indexOf(target[k]);
                if (t >= 0) {
                    boundary[t] = true;
                }
            }
            if (flow[k] != Flow.NEXT) {
                boundary[k + 1] = true;
            }
        }
        int start = 0;
        for (int k = 0; k < n; k++) {
            if (boundary[k]) {
                start = k;
            }
            segmentStart[k] = start;
        }
        for (int k = n - 1, end = n; k >= 0; k--) {
            segmentLength[k] = end - k;
            if (boundary[k]) {
                end = k;
            }
        }
    }

    private int exitSlot(long address) {
        int i = exits.indexOf(address);
        if (i < 0) {
            exits.add(address);
            i = exits.size() - 1;
        }
        return i;
    }

    // ---- Generation ------------------------------------------------------------------------------

    byte[] generate() {
        learning = true;
        mv = new MethodVisitor(ASM9) {};
        body(new InsnEmitter(this));
        learning = false;
        exits.clear();
        fallbacks = 0;

        ClassWriter cw = Translator.classWriter();
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, "a64emu/jit/TranslatedUnit", null, "a64emu/jit/UnitCode", null);
        Translator.constructor(cw);
        mv = cw.visitMethod(ACC_PUBLIC, "run", "(L" + CPU_T + ";J)I", null, null);
        mv.visitCode();
        prologue();
        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, "java/lang/RuntimeException");
        mv.visitLabel(tryStart);
        body(new InsnEmitter(this));
        mv.visitLabel(tryEnd);
        epilogue(handler);
        Label end = new Label();
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();
        codeBytes = end.getOffset();
        return bytes;
    }

    int fallbacks() {
        return fallbacks;
    }

    int codeBytes() {
        return codeBytes;
    }

    int[] segmentStarts() {
        return segmentStart.clone();
    }

    long[] exitTargets() {
        long[] a = new long[exits.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = exits.get(i);
        }
        return a;
    }

    private void prologue() {
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, RETIRED);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, AT);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, CHANGED);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, FK);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, FX);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, FY);
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitFieldInsn(GETFIELD, CPU_T, "mmu", "La64emu/mmu/Mmu;");
        mv.visitMethodInsn(INVOKEVIRTUAL, "a64emu/mmu/Mmu", "hostTlb", "()L" + HOST_T + ";", false);
        mv.visitVarInsn(ASTORE, HOST);
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitFieldInsn(GETFIELD, CPU_T, "x", "[J");
        mv.visitVarInsn(ASTORE, XS);
        loadState();
    }

    /** Every register: {@link #loadState(long)} and {@link #storeState(long)} of the whole state. */
    private static final long ALL = -1L;
    private static final long SP_BIT = 1L << 31;
    private static final long FLAGS_BIT = 1L << 32;

    private void loadState() {
        loadState(ALL);
    }

    private void storeState() {
        storeState(ALL);
    }

    /**
     * The state a fallback of {@code word} can touch: the general registers its register
     * fields name (bits 4:0, 9:5, 14:10 and 20:16 in every A64 encoding that has them, see
     * RegisterFields), each with the next one for the pair forms (CASP, LDXP), SP when a
     * field holds 31, and NZCV. Other registers stay in their locals across the call.
     */
    static long fallbackState(int word) {
        long mask = FLAGS_BIT;
        for (int shift : new int[] {0, 5, 10, 16}) {
            int r = (word >>> shift) & 31;
            if (r == 31) {
                mask |= SP_BIT;
            } else {
                mask |= 1L << r;
                if (r < 30) {
                    mask |= 1L << (r + 1);
                }
            }
        }
        return mask;
    }

    /** Reads the registers in {@code mask} that the unit uses from the CPU into their locals. */
    private void loadState(long mask) {
        for (int r = 0; r < 31; r++) {
            if (xUsed[r] && (mask & (1L << r)) != 0) {
                mv.visitVarInsn(ALOAD, XS);
                push(r);
                mv.visitInsn(LALOAD);
                mv.visitVarInsn(LSTORE, X0 + 2 * r);
            }
        }
        if (spUsed && (mask & SP_BIT) != 0) {
            mv.visitVarInsn(ALOAD, CPU);
            mv.visitFieldInsn(GETFIELD, CPU_T, "sp", "J");
            mv.visitVarInsn(LSTORE, SP);
        }
        if (flagsUsed && (mask & FLAGS_BIT) != 0) {
            mv.visitVarInsn(ALOAD, CPU);
            mv.visitFieldInsn(GETFIELD, CPU_T, "nzcv", "I");
            mv.visitVarInsn(ISTORE, NZCV);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, FK);
        }
    }

    /** Writes the registers in {@code mask} that the unit changes back to the CPU. */
    private void storeState(long mask) {
        for (int r = 0; r < 31; r++) {
            if (xWritten[r] && (mask & (1L << r)) != 0) {
                mv.visitVarInsn(ALOAD, XS);
                push(r);
                mv.visitVarInsn(LLOAD, X0 + 2 * r);
                mv.visitInsn(LASTORE);
            }
        }
        if (spWritten && (mask & SP_BIT) != 0) {
            mv.visitVarInsn(ALOAD, CPU);
            mv.visitVarInsn(LLOAD, SP);
            mv.visitFieldInsn(PUTFIELD, CPU_T, "sp", "J");
        }
        if (flagsWritten && (mask & FLAGS_BIT) != 0) {
            materializeFlags();
            mv.visitVarInsn(ALOAD, CPU);
            mv.visitVarInsn(ILOAD, NZCV);
            mv.visitFieldInsn(PUTFIELD, CPU_T, "nzcv", "I");
        }
    }

    /** NZCV = the lazy flags made whole; FK = materialized. */
    void materializeFlags() {
        mv.visitVarInsn(ILOAD, FK);
        mv.visitVarInsn(LLOAD, FX);
        mv.visitVarInsn(LLOAD, FY);
        mv.visitVarInsn(ILOAD, NZCV);
        mv.visitMethodInsn(INVOKESTATIC, "a64emu/jit/Flags", "materialize", "(IJJI)I", false);
        mv.visitVarInsn(ISTORE, NZCV);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, FK);
    }

    private void body(InsnEmitter insn) {
        labels = new Label[n + 1];
        for (int k = 0; k <= n; k++) {
            labels[k] = new Label();
        }
        commonExit = new Label();
        for (int k = 0; k < n; k++) {
            if (boundary[k]) {
                mv.visitLabel(labels[k]);
                insn.atBoundary();
                budgetCheck(k);
            }
            boolean last = boundary[k + 1];
            switch (flow[k]) {
                case NEXT -> {
                    if (!insn.emit(k, words[k], encodings[k])) {
                        fallback(k, false);
                        insn.afterFallback();
                    }
                    if (last) {
                        retire(k);
                        if (k == n - 1) {
                            exitTo(pcOf(n));
                        }
                    }
                }
                case END -> {
                    fallback(k, true);
                }
                default -> branch(insn, k);
            }
        }
    }

    /** The quantum must have room for segment {@code k..}: else leave at its first instruction. */
    private void budgetCheck(int k) {
        Label ok = new Label();
        mv.visitVarInsn(LLOAD, RETIRED);
        pushLong(segmentLength[k]);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LLOAD, BUDGET);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFLE, ok);
        pushLong(pcOf(k));
        mv.visitVarInsn(LSTORE, EXIT_PC);
        push(UnitCode.EXIT_BUDGET);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        mv.visitJumpInsn(GOTO, commonExit);
        mv.visitLabel(ok);
    }

    /** The instructions of {@code k}'s segment up to and including {@code k} retire. */
    private void retire(int k) {
        mv.visitVarInsn(LLOAD, RETIRED);
        pushLong(k - segmentStart[k] + 1);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, RETIRED);
    }

    /** Continues at {@code address}: a jump inside the unit, else a direct exit. */
    private void goTo(long address) {
        int t = indexOf(address);
        if (t >= 0 && boundary[t]) {
            mv.visitJumpInsn(GOTO, labels[t]);
        } else {
            exitTo(address);
        }
    }

    private void exitTo(long address) {
        pushLong(address);
        mv.visitVarInsn(LSTORE, EXIT_PC);
        push(exitSlot(address));
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        mv.visitJumpInsn(GOTO, commonExit);
    }

    /** Leaves with the PC the long on the stack holds, through no successor slot. */
    private void exitIndirect() {
        mv.visitVarInsn(LSTORE, EXIT_PC);
        push(UnitCode.EXIT_INDIRECT);
        mv.visitVarInsn(ISTORE, EXIT_SLOT);
        mv.visitJumpInsn(GOTO, commonExit);
    }

    private void branch(InsnEmitter insn, int k) {
        int w = words[k];
        switch (flow[k]) {
            case JUMP -> {
                retire(k);
                goTo(target[k]);
            }
            case CALL -> {
                pushLong(pcOf(k) + 4);
                insn.storeX(30);
                retire(k);
                exitTo(target[k]);
            }
            case INDIRECT -> {
                insn.loadX((w >>> 5) & 31);
                if (encodings[k].name().equals("BLR")) {
                    mv.visitVarInsn(LSTORE, T0);
                    pushLong(pcOf(k) + 4);
                    insn.storeX(30);
                    mv.visitVarInsn(LLOAD, T0);
                }
                mv.visitVarInsn(LSTORE, T1);
                retire(k);
                mv.visitVarInsn(LLOAD, T1);
                exitIndirect();
            }
            case COND -> {
                retire(k);
                Label notTaken = new Label();
                insn.branchCondition(k, w, encodings[k], notTaken);
                goTo(target[k]);
                mv.visitLabel(notTaken);
                if (k == n - 1) {
                    exitTo(pcOf(n));
                }
            }
            default -> throw new IllegalStateException("not a branch: " + flow[k]);
        }
    }

    /**
     * The instruction's interpreter semantics, called from the unit: the registers it can touch
     * go back to the CPU first and are read again after. After an instruction that ends the unit (it
     * raises an exception) or a store that changed this unit's frame, the unit leaves at the
     * PC the semantics left.
     */
    private void fallback(int k, boolean endsUnit) {
        fallbacks++;
        long state = endsUnit ? ALL : fallbackState(words[k]);
        storeState(state);
        mv.visitVarInsn(ALOAD, CPU);
        pushLong(pcOf(k));
        mv.visitFieldInsn(PUTFIELD, CPU_T, "pc", "J");
        setAt(k);
        Encoding.Implementation impl = encodings[k].implementation();
        if (impl != null) {
            // The same static method the interpreter reaches through the table's method reference.
            mv.visitVarInsn(ALOAD, CPU);
            push(words[k]);
            mv.visitMethodInsn(INVOKESTATIC, impl.owner(), impl.method(), "(L" + CPU_T + ";I)V", false);
        } else {
            push(Fallbacks.register(encodings[k].semantics()));
            mv.visitVarInsn(ALOAD, CPU);
            push(words[k]);
            mv.visitMethodInsn(INVOKESTATIC, "a64emu/jit/Fallbacks", "execute", "(IL" + CPU_T + ";I)V", false);
        }
        loadState(state);
        Label stay = new Label();
        if (!endsUnit) {
            mv.visitVarInsn(ALOAD, CPU);
            mv.visitMethodInsn(INVOKESTATIC, "a64emu/jit/JitMemory", "runningChanged", "(L" + CPU_T + ";)Z", false);
            mv.visitJumpInsn(IFEQ, stay);
        }
        retire(k);
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitFieldInsn(GETFIELD, CPU_T, "pc", "J");
        exitIndirect();
        mv.visitLabel(stay);
    }

    /**
     * After a store whose slow path reported a change to this unit's frame ({@link #CHANGED}
     * nonzero): the store retired, and the unit leaves for the next instruction.
     */
    void leaveIfChanged(int k) {
        Label stay = new Label();
        mv.visitVarInsn(ILOAD, CHANGED);
        mv.visitJumpInsn(IFEQ, stay);
        retire(k);
        pushLong(pcOf(k) + 4);
        exitIndirect();
        mv.visitLabel(stay);
    }

    private void epilogue(Label handler) {
        mv.visitLabel(commonExit);
        storeState();
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitVarInsn(LLOAD, EXIT_PC);
        mv.visitFieldInsn(PUTFIELD, CPU_T, "pc", "J");
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETFIELD, CPU_T, "instructions", "J");
        mv.visitVarInsn(LLOAD, RETIRED);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CPU_T, "instructions", "J");
        mv.visitVarInsn(ILOAD, EXIT_SLOT);
        mv.visitInsn(IRETURN);

        // An instruction raised an exception: the state so far goes back, and where it stopped.
        mv.visitLabel(handler);
        mv.visitVarInsn(ASTORE, EXC);
        storeState();
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitVarInsn(ILOAD, AT);
        mv.visitFieldInsn(PUTFIELD, CPU_T, "jitAt", "I");
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitVarInsn(LLOAD, RETIRED);
        mv.visitFieldInsn(PUTFIELD, CPU_T, "jitRetired", "J");
        mv.visitVarInsn(ALOAD, EXC);
        mv.visitInsn(ATHROW);
    }

    // ---- Small emitters ---------------------------------------------------------------------------

    /** Records that instruction {@code k} is the one running, for the exception handler. */
    void setAt(int k) {
        push(k);
        mv.visitVarInsn(ISTORE, AT);
    }

    void push(int value) {
        if (value >= -1 && value <= 5) {
            mv.visitInsn(ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, value);
        } else {
            mv.visitLdcInsn(value);
        }
    }

    void pushLong(long value) {
        if (value == 0 || value == 1) {
            mv.visitInsn(LCONST_0 + (int) value);
        } else {
            mv.visitLdcInsn(value);
        }
    }

    void noteRead(int r) {
        if (learning) {
            xUsed[r] = true;
        }
    }

    void noteWrite(int r) {
        if (learning) {
            xUsed[r] = true;
            xWritten[r] = true;
        }
    }

    void noteSp(boolean write) {
        if (learning) {
            spUsed = true;
            spWritten |= write;
        }
    }

    void noteFlags(boolean write) {
        if (learning) {
            flagsUsed = true;
            flagsWritten |= write;
        }
    }

    /** A decode helper of the interpreter that rejects a reserved encoding: null then (a fallback raises it). */
    static Long decoded(java.util.function.LongSupplier f) {
        try {
            return f.getAsLong();
        } catch (GuestException reserved) {
            return null;
        }
    }
}
