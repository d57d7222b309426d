package a64emu.bench;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Mmu;
import a64emu.mmu.Tcr;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The machine's share of one zero-fill fault, piece by piece, without the guest kernel: what
 * {@code STR X0, [X1]} costs the interpreter and MMU when it hits the TLB, when it misses and
 * walks to a valid page (the retry after the kernel mapped it), and when it walks to an
 * invalid entry and takes the Data abort back to {@link Cpu#run}'s caller; what making a
 * released frame writable again costs (its zeroing); and one read of the host clock, which
 * the kernel's CPU-time accounting takes twice per exception.
 *
 * <p>The tables are built by hand in emulated RAM: a code page at {@link #CODE} holding the
 * store, a mapped data page at {@link #MAPPED}, and at {@link #UNMAPPED} a level 3 entry that
 * is invalid in a table that exists (a fresh page of an existing mapping). Before measuring,
 * a loop of six kinds of instruction runs long enough that the interpreter's call to an
 * instruction's semantics is megamorphic, as in a real guest, and not inlined for the store.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FaultAnatomy {
    static final long CODE = 0x40_0000L;
    static final long MAPPED = 0x7F00_0000_0000L;
    static final long UNMAPPED = MAPPED + 0x1000;
    private static final int ASID = 7;
    /** STR X0, [X1]. */
    private static final int STR_X0_X1 = 0xF900_0020;
    private static final long USER_RW = Descriptor.AF | Descriptor.SH_INNER | Descriptor.USER | Descriptor.NG;

    /** add x2, x2, #1; sub x3, x3, #1; cmp x2, x4; ldr x5, [x1]; str x5, [x1, #8]; b.ne loop. */
    private static final int[] TRAINING_LOOP = {0x9100_0442, 0xD100_0463, 0xEB04_005F, 0xF940_0025, 0xF900_0425,
            0x54FF_FF61};

    private PhysicalMemory ram;
    private long unmappedSlot;
    private Mmu mmu;
    private Cpu cpu;
    private long nextTable = 0x1000;
    private long root;
    private final long scratchFrame = 0x80_0000L;

    @Setup
    public void setUp() {
        ram = new PhysicalMemory(16L << 20);
        root = table();
        map(CODE, 0x20_0000L, USER_RW | Descriptor.RDONLY);
        map(MAPPED, 0x30_0000L, USER_RW | Descriptor.UXN | Descriptor.PXN);
        ram.write32(0x20_0000L, STR_X0_X1);
        for (int i = 0; i < TRAINING_LOOP.length; i++) {
            ram.write32(0x20_0100L + 4L * i, TRAINING_LOOP[i]);
        }
        unmappedSlot = map(UNMAPPED, 0x31_0000L, USER_RW);
        ram.write64(unmappedSlot, 0);
        mmu = new Mmu(ram);
        mmu.setTcr((16L << Tcr.T0SZ_SHIFT) | (16L << Tcr.T1SZ_SHIFT) | (Tcr.TG1_4K << Tcr.TG1_SHIFT)
                | (5L << Tcr.IPS_SHIFT) | Tcr.AS);
        mmu.setTtbr0(root | ((long) ASID << Mmu.TTBR_ASID_SHIFT));
        mmu.setSctlr(Mmu.SCTLR_M);
        cpu = new Cpu(mmu);
        ram.write64(scratchFrame, 1);
        cpu.pc = CODE + 0x100;
        cpu.x[1] = MAPPED;
        cpu.x[4] = -1;
        for (int i = 0; i < 200; i++) {
            cpu.run(6_000);
        }
    }

    private long table() {
        long pa = nextTable;
        nextTable += Descriptor.TABLE_BYTES;
        return pa;
    }

    /** Maps a page; returns the PA of its level 3 entry. */
    private long map(long va, long pa, long attrs) {
        long table = root;
        for (int level = 0; level < Descriptor.LAST_LEVEL; level++) {
            long entry = table + 8L * Descriptor.index(va, level, 16);
            long desc = ram.read64(entry);
            if (!Descriptor.isValid(desc)) {
                desc = Descriptor.table(table());
                ram.write64(entry, desc);
            }
            table = Descriptor.nextTable(desc);
        }
        long slot = table + 8L * Descriptor.index(va, Descriptor.LAST_LEVEL, 16);
        ram.write64(slot, Descriptor.page(pa, attrs));
        return slot;
    }

    private ExceptionInfo store(long va) {
        cpu.pc = CODE;
        cpu.x[1] = va;
        ExceptionInfo e = cpu.run(1);
        return e;
    }

    /** The store with its translation in the TLB: fetch, decode, execute, one RAM write. */
    @Benchmark
    public ExceptionInfo storeTlbHit() {
        return store(MAPPED);
    }

    /** The retry after a fault: the TLB has no entry, the walk finds the page and fills the TLB. */
    @Benchmark
    public ExceptionInfo storeTlbMissWalk() {
        mmu.tlb().invalidateVa(MAPPED, ASID);
        return store(MAPPED);
    }

    /** TLBI VALE1 alone, to subtract from {@link #storeTlbMissWalk}. */
    @Benchmark
    public void tlbiByVa() {
        mmu.tlb().invalidateVa(MAPPED, ASID);
    }

    /** The fault: a walk to an invalid level 3 entry, the abort thrown and caught, its ExceptionInfo. */
    @Benchmark
    public ExceptionInfo storeTranslationFault() {
        return store(UNMAPPED);
    }

    /**
     * The machine's whole share of a fault that the kernel resolves, with the kernel's part
     * reduced to writing the entry: the faulting store, the entry made valid, the retried
     * store (walk, TLB fill, write), and the entry cleared again with a TLBI as munmap does.
     */
    @Benchmark
    public ExceptionInfo faultMapRetry() {
        ExceptionInfo fault = store(UNMAPPED);
        ram.write64(unmappedSlot, Descriptor.page(0x31_0000L, USER_RW));
        store(UNMAPPED);
        ram.write64(unmappedSlot, 0);
        mmu.tlb().invalidateVa(UNMAPPED, ASID);
        return fault;
    }

    /** A released frame written again: a pooled array is zeroed (or a new one allocated). */
    @Benchmark
    public void frameReuse() {
        ram.releaseFrame(scratchFrame);
        ram.write64(scratchFrame, 1);
    }

    /** One read of the host's monotonic clock. */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }
}
