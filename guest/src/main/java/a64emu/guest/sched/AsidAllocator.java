package a64emu.guest.sched;

import a64emu.mmu.Mmu;
import a64emu.mmu.TlbiOp;
import java.util.BitSet;

/**
 * ASIDs for address spaces, as Linux {@code arch/arm64/mm/context.c} hands them out:
 * numbers are taken in increasing order and never reused within a generation; when they
 * run out, the generation rolls over, the live ASIDs are kept (Linux's reserved ASIDs),
 * and the whole TLB is invalidated (TLBI VMALLE1) so that entries tagged with a number
 * freed in the old generation cannot hit for its new owner. ASID 0 stays unused.
 */
public final class AsidAllocator {
    private final int count;
    private final BitSet live = new BitSet();
    /** ASIDs handed out in this generation (live or freed since). */
    private final BitSet used = new BitSet();
    private int next = 1;
    private long generation = 1;
    private long rollovers;

    /** @param bits ASID width: 16 with TCR.AS=1 (as Linux and this kernel set it). */
    public AsidAllocator(int bits) {
        this.count = 1 << bits;
    }

    /** A fresh ASID; may roll the generation over, invalidating the whole TLB of {@code mmu}. */
    public int allocate(Mmu mmu) {
        int asid = used.nextClearBit(next);
        if (asid >= count) {
            rollover(mmu);
            asid = used.nextClearBit(1);
            if (asid >= count) {
                throw new IllegalStateException("every ASID belongs to a live address space");
            }
        }
        used.set(asid);
        live.set(asid);
        next = asid + 1;
        return asid;
    }

    /** Linux flush_context: a new generation keeps the live ASIDs and flushes all others' entries. */
    private void rollover(Mmu mmu) {
        generation++;
        rollovers++;
        used.clear();
        used.or(live);
        used.set(0);
        next = 1;
        mmu.tlbi(TlbiOp.VMALLE1IS, 0);
    }

    /** The address space is gone; its number is free from the next generation on. */
    public void free(int asid) {
        live.clear(asid);
    }

    public long generation() {
        return generation;
    }

    public long rollovers() {
        return rollovers;
    }
}
