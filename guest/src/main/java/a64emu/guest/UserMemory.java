package a64emu.guest;

import a64emu.cpu.GuestException;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Mmu;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's access to user memory (Linux {@code copy_{to,from}_user},
 * {@code strncpy_from_user}): every byte goes through the MMU with EL0 permissions, as
 * the unprivileged LDTR/STTR instructions Linux uses would, and a fault is handled by the
 * page-fault handler first (demand paging, stack growth). Only a fault the handler turns
 * into a signal makes the copy fail, with {@link BadUserAddressException} (EFAULT).
 */
public final class UserMemory {
    /** A fault that keeps recurring after being "resolved" is a kernel bug, not a retry loop. */
    private static final int MAX_FAULTS_PER_PAGE = 4;

    private final Mmu mmu;
    private final PhysicalMemory ram;
    private final FaultHandler faults;
    private SignalInfo pendingKill;

    public UserMemory(Mmu mmu, FaultHandler faults) {
        this.mmu = mmu;
        this.ram = mmu.ram();
        this.faults = faults;
    }

    /**
     * A SIGKILL the fault handler raised while the kernel copied (out of memory), which
     * the kernel delivers when the system call returns; null if none. Reading clears it.
     */
    public SignalInfo takePendingKill() {
        SignalInfo k = pendingKill;
        pendingKill = null;
        return k;
    }

    /** Whether a SIGKILL waits for this process's return to user space ({@link #killOnReturn}). */
    public boolean killPending() {
        return pendingKill != null;
    }

    /**
     * A SIGKILL the kernel sent this process while it was in the kernel (the OOM killer chose
     * it during one of its own allocations): it dies on its way back to user space.
     */
    public void killOnReturn(SignalInfo kill) {
        if (pendingKill == null) {
            pendingKill = kill;
        }
    }

    /** The physical address for one user access, faulting the page in if needed. */
    private long translate(long va, AccessType access) throws BadUserAddressException {
        for (int attempt = 0; attempt < MAX_FAULTS_PER_PAGE; attempt++) {
            try {
                return mmu.translate(va, access, 0);
            } catch (GuestException e) {
                if (e.fault == null) {
                    throw new BadUserAddressException(va);
                }
                FaultHandler.Result r = faults.handle(e.fault, false);
                if (!r.resolved()) {
                    if (r.signal().signo() == Signal.SIGKILL) {
                        pendingKill = r.signal();
                    }
                    throw new BadUserAddressException(va);
                }
            }
        }
        throw new IllegalStateException(String.format(
                "kernel access to 0x%x (%s) still faults after %d resolved faults", va, access, MAX_FAULTS_PER_PAGE));
    }

    public void read(long va, byte[] dst, int off, int len) throws BadUserAddressException {
        while (len > 0) {
            int chunk = (int) Math.min(len, PhysicalMemory.FRAME_SIZE - (va & PhysicalMemory.FRAME_MASK));
            ram.read(translate(va, AccessType.READ), dst, off, chunk);
            va += chunk;
            off += chunk;
            len -= chunk;
        }
    }

    public byte[] read(long va, int len) throws BadUserAddressException {
        byte[] b = new byte[len];
        read(va, b, 0, len);
        return b;
    }

    public void write(long va, byte[] src, int off, int len) throws BadUserAddressException {
        while (len > 0) {
            int chunk = (int) Math.min(len, PhysicalMemory.FRAME_SIZE - (va & PhysicalMemory.FRAME_MASK));
            ram.write(translate(va, AccessType.WRITE), src, off, chunk);
            va += chunk;
            off += chunk;
            len -= chunk;
        }
    }

    public void write(long va, byte[] src) throws BadUserAddressException {
        write(va, src, 0, src.length);
    }

    public long read64(long va) throws BadUserAddressException {
        byte[] b = read(va, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    public int read32(long va) throws BadUserAddressException {
        return (int) readLe(va, 4);
    }

    private long readLe(long va, int size) throws BadUserAddressException {
        byte[] b = read(va, size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    public void write64(long va, long value) throws BadUserAddressException {
        writeLe(va, value, 8);
    }

    public void write32(long va, int value) throws BadUserAddressException {
        writeLe(va, value, 4);
    }

    private void writeLe(long va, long value, int size) throws BadUserAddressException {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        write(va, b);
    }

    /**
     * A NUL-terminated string of at most {@code max} bytes before the NUL (Linux
     * {@code strncpy_from_user}); null if it is longer (the caller's ENAMETOOLONG).
     */
    public String readCString(long va, int max) throws BadUserAddressException {
        byte[] buf = new byte[Math.min(max + 1, 256)];
        int len = 0;
        while (true) {
            long pa = translate(va + len, AccessType.READ);
            int inPage = (int) (PhysicalMemory.FRAME_SIZE - ((va + len) & PhysicalMemory.FRAME_MASK));
            for (int i = 0; i < inPage; i++) {
                int c = ram.read8(pa + i);
                if (c == 0) {
                    return new String(buf, 0, len, StandardCharsets.UTF_8);
                }
                if (len == max) {
                    return null;
                }
                if (len == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(max + 1, buf.length * 2));
                }
                buf[len++] = (byte) c;
            }
        }
    }
}
