package a64emu.jit;

import a64emu.cpu.Cpu;
import a64emu.cpu.isa.LoadStoreSimdFp;
import a64emu.mmu.HostTlb;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What translated code's memory accesses need besides the inline fast path that
 * {@link MemoryEmitter} emits: the little-endian views of a frame's host array, the slow
 * paths of stores (the CPU's own accessor, which goes through the MMU and TLB exactly as
 * the interpreter's does and fills the host TLB for next time), and the 16-byte store.
 * Stores return 1 when they changed the frame of the unit that is running (a store into a
 * watched frame always takes the slow path, where {@code PhysicalMemory} reports it), else 0.
 */
public final class JitMemory {
    private JitMemory() {}

    /** The little-endian views of a frame's host array that the inline fast path ({@link MemoryEmitter}) uses. */
    static final VarHandle LE64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LE32 =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LE16 =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** The frame accesses of the inline fast path ({@link MemoryEmitter}), little-endian. */
    public static short get16(byte[] frame, int offset) {
        return (short) LE16.get(frame, offset);
    }

    public static int get32(byte[] frame, int offset) {
        return (int) LE32.get(frame, offset);
    }

    public static long get64(byte[] frame, int offset) {
        return (long) LE64.get(frame, offset);
    }

    public static void set16(byte[] frame, int offset, short value) {
        LE16.set(frame, offset, value);
    }

    public static void set32(byte[] frame, int offset, int value) {
        LE32.set(frame, offset, value);
    }

    public static void set64(byte[] frame, int offset, long value) {
        LE64.set(frame, offset, value);
    }

    /** The slow paths of the inline stores: the CPU's accessor, then whether the running unit's frame changed. */
    public static int writeSlow64(Cpu cpu, long va, long value) {
        cpu.write64(va, value);
        return changed(cpu);
    }

    public static int writeSlow32(Cpu cpu, long va, long value) {
        cpu.write32(va, value);
        return changed(cpu);
    }

    public static int writeSlow16(Cpu cpu, long va, long value) {
        cpu.write16(va, value);
        return changed(cpu);
    }

    public static int writeSlow8(Cpu cpu, long va, long value) {
        cpu.write8(va, value);
        return changed(cpu);
    }

    /** A 16-byte store (STR Q): both halves, or, across a page, nothing before both pages are checked. */
    public static int write128(Cpu cpu, HostTlb h, long va, long lo, long hi) {
        int i = (int) (va >>> 12) & HostTlb.MASK;
        int off = (int) va & 0xFFF;
        if (h.writeTag[i] == ((va & HostTlb.PAGE) | h.key) && off <= 0x1000 - 16) {
            byte[] frame = h.writeFrame[i];
            LE64.set(frame, off, lo);
            LE64.set(frame, off + 8, hi);
            return 0;
        }
        LoadStoreSimdFp.probeWrite(cpu, va, 16);
        cpu.write64(va, lo);
        cpu.write64(va + 8, hi);
        return changed(cpu);
    }

    /** A store of {@code length} bytes in several parts (STP): as the interpreter, both pages are checked first. */
    public static void probeWrite(Cpu cpu, long va, int length) {
        LoadStoreSimdFp.probeWrite(cpu, va, length);
    }

    /** After a fallback: whether it stored into the running unit's frame (the unit then leaves). */
    public static boolean runningChanged(Cpu cpu) {
        return ((Jit) cpu.engine()).takeRunningChanged();
    }

    private static int changed(Cpu cpu) {
        return ((Jit) cpu.engine()).takeRunningChanged() ? 1 : 0;
    }
}
