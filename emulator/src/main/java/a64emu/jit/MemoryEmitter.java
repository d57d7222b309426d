package a64emu.jit;

import static a64emu.jit.UnitEmitter.CHANGED;
import static a64emu.jit.UnitEmitter.CPU;
import static a64emu.jit.UnitEmitter.CPU_T;
import static a64emu.jit.UnitEmitter.HOST;
import static a64emu.jit.UnitEmitter.HOST_T;

import a64emu.mmu.HostTlb;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The memory fast path, emitted inline in the unit as QEMU's softmmu emits it: index the
 * {@link HostTlb} by page number, compare the entry's comparator for the access kind with
 * the page and ASID key, check that the access stays in the page, and on a hit load or store
 * the frame's host array through {@link JitMemory}'s little-endian accessors (tiny static
 * methods: HotSpot inlines them into a compiled unit, and a unit the JVM still interprets
 * calls their compiled code instead of linking a VarHandle call itself); on a miss, call
 * the CPU's accessor ({@link JitMemory}'s slow paths), which goes through the MMU and TLB as
 * the interpreter does and fills the host TLB. Only the miss is a call, so the hot path
 * keeps the guest registers in host registers.
 */
final class MemoryEmitter implements Opcodes {
    /** Locals of the fast path: the host TLB index and the offset in the page. */
    static final int INDEX = UnitEmitter.FK + 1;
    static final int OFFSET = UnitEmitter.FK + 2;
    /** The address of a store (the value may need T0-based address arithmetic first). */
    static final int ADDRESS = UnitEmitter.FK + 3;

    private static final String MEM = "a64emu/jit/JitMemory";
    private static final String[] VIEW_TYPE = {null, "S", "I", "J"};

    private final UnitEmitter u;

    MemoryEmitter(UnitEmitter u) {
        this.u = u;
    }

    private MethodVisitor mv() {
        return u.mv;
    }

    /** INDEX = the host TLB index of the address in {@code address}; jumps to {@code miss} unless {@code tag} matches. */
    private void lookup(String tag, int address, int size, Label miss) {
        MethodVisitor mv = mv();
        mv.visitVarInsn(LLOAD, address);
        u.push(12);
        mv.visitInsn(LUSHR);
        mv.visitInsn(L2I);
        u.push(HostTlb.MASK);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, INDEX);
        mv.visitVarInsn(ALOAD, HOST);
        mv.visitFieldInsn(GETFIELD, HOST_T, tag, "[J");
        mv.visitVarInsn(ILOAD, INDEX);
        mv.visitInsn(LALOAD);
        mv.visitVarInsn(LLOAD, address);
        u.pushLong(HostTlb.PAGE);
        mv.visitInsn(LAND);
        mv.visitVarInsn(ALOAD, HOST);
        mv.visitFieldInsn(GETFIELD, HOST_T, "key", "I");
        mv.visitInsn(I2L);
        mv.visitInsn(LOR);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, miss);
        mv.visitVarInsn(LLOAD, address);
        mv.visitInsn(L2I);
        u.push(0xFFF);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, OFFSET);
        if (size > 1) {
            mv.visitVarInsn(ILOAD, OFFSET);
            u.push(0x1000 - size);
            mv.visitJumpInsn(IF_ICMPGT, miss);
        }
    }

    /** Pushes the frame array and the offset of a hit. */
    private void frameAndOffset(String frames) {
        mv().visitVarInsn(ALOAD, HOST);
        mv().visitFieldInsn(GETFIELD, HOST_T, frames, "[[B");
        mv().visitVarInsn(ILOAD, INDEX);
        mv().visitInsn(AALOAD);
        mv().visitVarInsn(ILOAD, OFFSET);
    }

    /** Pushes the zero-extended value of 1 &lt;&lt; {@code sizeLog2} bytes at the address in long local {@code address}. */
    void read(int sizeLog2, int address) {
        MethodVisitor mv = mv();
        Label miss = new Label();
        Label done = new Label();
        lookup("readTag", address, 1 << sizeLog2, miss);
        if (sizeLog2 == 0) {
            frameAndOffset("readFrame");
            mv.visitInsn(BALOAD);
            u.push(0xFF);
            mv.visitInsn(IAND);
            mv.visitInsn(I2L);
        } else {
            frameAndOffset("readFrame");
            mv.visitMethodInsn(INVOKESTATIC, MEM, "get" + (8 << sizeLog2), "([BI)" + VIEW_TYPE[sizeLog2], false);
            if (sizeLog2 == 1) {
                u.push(0xFFFF);
                mv.visitInsn(IAND);
                mv.visitInsn(I2L);
            } else if (sizeLog2 == 2) {
                mv.visitInsn(I2L);
                u.pushLong(0xFFFF_FFFFL);
                mv.visitInsn(LAND);
            }
        }
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(miss);
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitVarInsn(LLOAD, address);
        mv.visitMethodInsn(INVOKEVIRTUAL, CPU_T, "read" + (8 << sizeLog2), "(J)J", false);
        mv.visitLabel(done);
    }

    /**
     * Stores the long in local {@code value} (its low 1 &lt;&lt; {@code sizeLog2} bytes) at the
     * address in local {@code address}; a miss ORs into CHANGED whether the store changed the
     * running unit's frame.
     */
    void write(int sizeLog2, int address, int value) {
        MethodVisitor mv = mv();
        Label miss = new Label();
        Label done = new Label();
        lookup("writeTag", address, 1 << sizeLog2, miss);
        if (sizeLog2 == 0) {
            frameAndOffset("writeFrame");
            mv.visitVarInsn(LLOAD, value);
            mv.visitInsn(L2I);
            mv.visitInsn(BASTORE);
        } else {
            frameAndOffset("writeFrame");
            mv.visitVarInsn(LLOAD, value);
            if (sizeLog2 == 1) {
                mv.visitInsn(L2I);
                mv.visitInsn(I2S);
            } else if (sizeLog2 == 2) {
                mv.visitInsn(L2I);
            }
            mv.visitMethodInsn(INVOKESTATIC, MEM, "set" + (8 << sizeLog2), "([BI" + VIEW_TYPE[sizeLog2] + ")V", false);
        }
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(miss);
        mv.visitVarInsn(ALOAD, CPU);
        mv.visitVarInsn(LLOAD, address);
        mv.visitVarInsn(LLOAD, value);
        mv.visitMethodInsn(INVOKESTATIC, MEM, "writeSlow" + (8 << sizeLog2), "(L" + CPU_T + ";JJ)I", false);
        mv.visitVarInsn(ILOAD, CHANGED);
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, CHANGED);
        mv.visitLabel(done);
    }
}
