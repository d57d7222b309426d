package a64emu.mmu;

import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;

/**
 * Stage-1 VMSAv8-64 translation for EL1&0 (ARM ARM D8). PLACEHOLDER API: the walker
 * and TLB are being written; with SCTLR_EL1.M=0 addresses are flat.
 */
public final class Mmu {
    private final PhysicalMemory ram;
    private long sctlr;
    private long tcr;
    private long ttbr0;
    private long ttbr1;
    private long mair;

    public Mmu(PhysicalMemory ram) {
        this.ram = ram;
    }

    public PhysicalMemory ram() {
        return ram;
    }

    public long sctlr() { return sctlr; }
    public long tcr() { return tcr; }
    public long ttbr0() { return ttbr0; }
    public long ttbr1() { return ttbr1; }
    public long mair() { return mair; }

    public void setSctlr(long v) { sctlr = v; }
    public void setTcr(long v) { tcr = v; }
    public void setTtbr0(long v) { ttbr0 = v; }
    public void setTtbr1(long v) { ttbr1 = v; }
    public void setMair(long v) { mair = v; }

    /**
     * Translates an EL0 access. Returns the physical address, or throws a
     * {@link GuestException} carrying the {@link Fault}.
     */
    public long translate(long va, AccessType access) {
        return translate(va, access, 0);
    }

    public long translate(long va, AccessType access, int el) {
        if ((sctlr & 1) == 0) {
            if (!ram.contains(va, 1)) {
                Fault f = new Fault(Fault.Kind.ADDRESS_SIZE, 0, va, access, el);
                throw new GuestException(f.ec(), f.iss(), va, f);
            }
            return va;
        }
        throw new IllegalStateException("MMU walker not written yet");
    }
}
