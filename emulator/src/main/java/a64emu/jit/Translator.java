package a64emu.jit;

import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.Encoding;
import java.lang.invoke.MethodHandles;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Turns the instruction words of a unit into a hidden class extending {@link UnitCode}.
 * The unit is cut here: it runs from the address execution arrived at to the first
 * unconditional or indirect branch (or exception-generating instruction) that no branch
 * before it jumps past, so that a function's body with its loops and its several returns
 * is one unit; or to the end of the page, or to where {@link UnitEmitter} finds its method
 * would pass HotSpot's huge-method limit. Branches to an instruction inside the unit become
 * jumps inside the method, so a loop within a page runs without leaving it.
 */
final class Translator {
    /** HotSpot does not compile a method with more bytecode than this ({@code HugeMethodLimit}). */
    static final int HUGE_METHOD_LIMIT = 8000;

    private final Decoder decoder = Decoder.ofEncodingTable();
    private final MethodHandles.Lookup lookup = MethodHandles.lookup();

    Unit translate(long va, long pa, int[] words) {
        Encoding[] encodings = new Encoding[words.length];
        int length = 0;
        long end = va + 4L * words.length;
        long furthestTarget = va;
        while (length < words.length) {
            Encoding e = decoder.decode(words[length]);
            encodings[length] = e;
            long pc = va + 4L * length;
            length++;
            long target = UnitEmitter.branchTarget(pc, words[length - 1], e);
            if (target > pc && target < end) {
                furthestTarget = Math.max(furthestTarget, target);
            }
            // After a branch that always leaves, the code that follows belongs to the unit
            // only when a branch seen so far jumps into it (the rest of a function's body).
            if (UnitEmitter.endsUnit(e) && furthestTarget <= pc) {
                break;
            }
        }
        while (true) {
            UnitEmitter emitter = new UnitEmitter(va, trim(words, length), trim(encodings, length));
            byte[] bytes = emitter.generate();
            if (emitter.codeBytes() > HUGE_METHOD_LIMIT && length > 1) {
                length = Math.max(1, length / 2);
                continue;
            }
            UnitCode code = define(bytes);
            return new Unit(va, pa, trim(words, length), emitter.segmentStarts(), emitter.exitTargets(), code,
                    emitter.fallbacks(), emitter.codeBytes());
        }
    }

    private static int[] trim(int[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }

    private static Encoding[] trim(Encoding[] a, int n) {
        return a.length == n ? a : java.util.Arrays.copyOf(a, n);
    }

    /** Defines the unit's class, hidden and not strongly linked: once no unit refers to it, it can be unloaded. */
    private UnitCode define(byte[] bytes) {
        try {
            MethodHandles.Lookup unit = lookup.defineHiddenClass(bytes, true);
            return (UnitCode) unit.lookupClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError t) {
            throw new IllegalStateException("JIT: generated unit class is invalid: " + t, t);
        }
    }

    /** A ClassWriter that never loads classes to merge frame types (the unit's locals have fixed types). */
    static ClassWriter classWriter() {
        return new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String a, String b) {
                return "java/lang/Object";
            }
        };
    }

    static void constructor(ClassWriter cw) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "a64emu/jit/UnitCode", "<init>", "()V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
