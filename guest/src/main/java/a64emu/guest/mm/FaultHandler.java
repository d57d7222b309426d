package a64emu.guest.mm;

import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Fault;
import a64emu.mmu.Mmu;
import a64emu.mmu.TlbiOp;

/**
 * Demand paging: what happens when a user access faults (Linux {@code mm/memory.c} with
 * {@code arch/arm64/mm/fault.c} in front of it). Either the fault is resolved by writing
 * a page entry, and the instruction is retried, or it becomes a signal.
 *
 * <p>Order, as in {@code do_page_fault}: find the VMA (growing the stack if the address
 * is just below it), check the access against the VMA's protection, then fix the page
 * entry: populate an empty one (zero-filled anonymous frame, or a private copy of the
 * file page), set the access flag, or make a writable page dirty.
 */
public final class FaultHandler {
    /** What became of a fault: resolved (retry the access) or a signal for the process. */
    public record Result(SignalInfo signal) {
        public static final Result RESOLVED = new Result(null);

        public boolean resolved() {
            return signal == null;
        }
    }

    private final AddressSpace mm;
    private final FrameAllocator frames;
    private final PhysicalMemory ram;
    private final Mmu mmu;
    private long anonZeroFillFaults;
    private long fileFaults;
    private long otherFaults;
    private long cowFaults;
    private long accessFlagFaults;
    private long stackGrowthFaults;
    private long segvFaults;
    private long busFaults;
    private long oomKills;

    public FaultHandler(AddressSpace mm, FrameAllocator frames, Mmu mmu) {
        this.mm = mm;
        this.frames = frames;
        this.ram = mmu.ram();
        this.mmu = mmu;
    }

    public long anonZeroFillFaults() {
        return anonZeroFillFaults;
    }

    public long fileFaults() {
        return fileFaults;
    }

    /**
     * Minor faults resolved otherwise: the first write to a clean shared page (dirty
     * tracking), a stale TLB entry, a PROT_NONE entry brought in line with its area.
     */
    public long otherFaults() {
        return otherFaults;
    }

    /** Write faults on copy-on-write pages, copied or reused (Linux do_wp_page on private pages). */
    public long cowFaults() {
        return cowFaults;
    }

    /** Access flag faults: an entry with AF=0 made young (TCR.HA=0, software AF management). */
    public long accessFlagFaults() {
        return accessFlagFaults;
    }

    /** Faults below a stack that grew it (Linux expand_stack). */
    public long stackGrowthFaults() {
        return stackGrowthFaults;
    }

    /** Faults that ended in a signal. */
    public long signalledFaults() {
        return segvFaults + busFaults + oomKills;
    }

    /** Every count, for --stats. */
    public FaultCounts counts() {
        return new FaultCounts(anonZeroFillFaults, fileFaults, cowFaults, accessFlagFaults, stackGrowthFaults,
                otherFaults, segvFaults, busFaults, oomKills);
    }

    /** Handles an MMU fault taken by a user access (or by the kernel's copy to/from user). */
    public Result handle(Fault fault) {
        return switch (fault.kind()) {
            // A cache maintenance fault reports WnR=1 but is a read for the VMA check
            // (arm64 is_write_abort(): WnR && !CM).
            case TRANSLATION, ACCESS_FLAG, PERMISSION -> pageFault(fault.va(),
                    fault.cacheMaintenance() ? AccessType.READ : fault.access());
            case ALIGNMENT -> signal(Signal.SIGBUS, Signal.BUS_ADRALN, fault.va(),
                    accessName(fault.access()) + ", alignment fault");
            case ADDRESS_SIZE -> fault.va() < 0 || fault.va() >= mm.layout().taskSize()
                    ? signal(Signal.SIGSEGV, Signal.SEGV_MAPERR, fault.va(), accessName(fault.access()) + ", no mapping")
                    : signal(Signal.SIGKILL, Signal.SI_KERNEL, fault.va(), accessName(fault.access())
                            + ", " + fault);
            case EXTERNAL_ABORT, EXTERNAL_ABORT_ON_WALK -> signal(Signal.SIGBUS, Signal.BUS_OBJERR, fault.va(),
                    accessName(fault.access()) + ", " + fault);
        };
    }

    /** Linux {@code do_page_fault} for a user address. */
    public Result pageFault(long faultAddress, AccessType access) {
        long va = untag(faultAddress);
        String what = accessName(access);
        if (va < 0 || va >= mm.layout().taskSize()) {
            return signal(Signal.SIGSEGV, Signal.SEGV_MAPERR, va, what + ", no mapping");
        }
        Vma vma = mm.find(va);
        if (vma == null) {
            vma = expandStack(va);
            if (vma == null) {
                return signal(Signal.SIGSEGV, Signal.SEGV_MAPERR, va, what + ", no mapping");
            }
        }
        if (!accessAllowed(vma, access)) {
            return signal(Signal.SIGSEGV, Signal.SEGV_ACCERR, va, what + ", VMA " + vma.describe());
        }
        long page = VmLayout.pageDown(va);
        long pte = mm.pageTables().pte(page);
        try {
            if (!PageTables.isPresent(pte)) {
                return populate(vma, page, va, access);
            }
            return presentPageFault(vma, page, pte, access);
        } catch (OutOfFramesException e) {
            return signal(Signal.SIGKILL, Signal.SI_KERNEL, va, what + ", " + e.getMessage());
        }
    }

    /**
     * Linux {@code handle_pte_fault} for a present entry: a write to a read-only entry of a
     * writable area is copy-on-write ({@code do_wp_page}); otherwise the entry lacked the
     * access flag ({@code pte_mkyoung}), or the TLB held an older, stricter copy of it.
     */
    private Result presentPageFault(Vma vma, long page, long pte, AccessType access) throws OutOfFramesException {
        PageTables pt = mm.pageTables();
        if (access == AccessType.WRITE && !ProtectionMap.isWritable(pte)) {
            return writeProtectFault(vma, page, pte);
        }
        long wanted = ProtectionMap.modify(pte, vma.prot(), vma.isShared());
        if (!ProtectionMap.isYoung(pte)) {
            accessFlagFaults++;
            pt.set(page, ProtectionMap.mkyoung(wanted));
            return Result.RESOLVED;
        }
        otherFaults++;
        if (wanted != pte) {
            pt.set(page, wanted);
        } else {
            // The entry already allows the access: the TLB held a stale, stricter copy
            // (entries that gave a permission fault may stay cached, ARM ARM D8.16).
            pt.mmu().tlbi(TlbiOp.VALE1IS, TlbiOp.operand(page, pt.asid()));
        }
        return Result.RESOLVED;
    }

    /**
     * Linux {@code do_wp_page}: the zero page gets a zeroed frame of the process's own; a
     * shared page becomes writable and dirty ({@code wp_page_shared}); a private anonymous
     * page only this entry references is reused ({@code wp_page_reuse}); anything else (a
     * page shared with a fork relative, a page-cache page) is copied ({@code wp_page_copy}).
     */
    private Result writeProtectFault(Vma vma, long page, long pte) throws OutOfFramesException {
        PageTables pt = mm.pageTables();
        long frame = PageTables.frameOf(pte);
        if (PageTables.isSpecial(pte)) {
            long fresh = frames.allocate();
            install(page, fresh, vma, true);
            anonZeroFillFaults++;
            return Result.RESOLVED;
        }
        if (vma.isShared()) {
            pt.set(page, ProtectionMap.mkyoung(ProtectionMap.mkwriteDirty(pte)));
            otherFaults++;
            return Result.RESOLVED;
        }
        if (frames.kind(frame) == FrameAllocator.PageKind.ANON && frames.refcount(frame) == 1) {
            // A write cancels MADV_FREE: the page holds data again.
            frames.setLazyFree(frame, false);
            pt.set(page, ProtectionMap.mkyoung(ProtectionMap.mkwriteDirty(
                    ProtectionMap.modify(pte, vma.prot(), false))));
            cowFaults++;
            return Result.RESOLVED;
        }
        install(page, copyOf(frame), vma, true);
        // The old entry's reference goes after the new entry is in (break-before-make done by set).
        pt.release(pte);
        cowFaults++;
        return Result.RESOLVED;
    }

    /**
     * With TCR.TBI0 the top byte of a user address is ignored by translation and may be
     * anything in FAR; the fault is about the address without it (Linux {@code untagged_addr}).
     */
    static long untag(long va) {
        return (va & (1L << 55)) == 0 ? va & 0x00FF_FFFF_FFFF_FFFFL : va;
    }

    /**
     * Linux arm64 {@code do_page_fault}: an instruction fetch needs VM_EXEC, a write
     * VM_WRITE, a read any of VM_READ, VM_WRITE, VM_EXEC (no FEAT_EPAN).
     */
    private static boolean accessAllowed(Vma vma, AccessType access) {
        return switch (access) {
            case EXECUTE -> vma.executable();
            case WRITE -> vma.writable();
            case READ -> (vma.prot() & Mman.PROT_RWX) != 0;
        };
    }

    /**
     * Linux {@code expand_stack}: an address below a VM_GROWSDOWN area grows it, unless
     * that would come within the stack guard gap of the area below or make the stack
     * larger than RLIMIT_STACK.
     */
    private Vma expandStack(long va) {
        Vma above = mm.findEndingAbove(va);
        if (above == null || !above.growsDown() || va >= above.start()) {
            return null;
        }
        long newStart = VmLayout.pageDown(va);
        if (newStart < VmLayout.MMAP_MIN_ADDR) {
            return null;
        }
        Vma below = mm.previous(above);
        if (below != null && !below.growsDown() && newStart - below.end() < VmLayout.STACK_GUARD_GAP) {
            return null;
        }
        long limit = mm.stackLimit();
        if (limit >= 0 && above.end() - newStart > limit) {
            return null;
        }
        stackGrowthFaults++;
        return mm.extendDown(above, newStart);
    }

    /**
     * Linux {@code do_pte_missing}: fills an empty page entry. Anonymous memory: the zero
     * page for a read ({@code do_anonymous_page}), a zeroed frame for a write. A file:
     * the page-cache page, mapped read-only into a private area or as itself into a shared
     * one ({@code do_read_fault}, {@code do_shared_fault}), or a private copy of it for a
     * write to a private area ({@code do_cow_fault}). A page wholly past the end of the
     * file is SIGBUS (BUS_ADRERR) at the faulting address.
     */
    private Result populate(Vma vma, long page, long va, AccessType access) throws OutOfFramesException {
        boolean write = access == AccessType.WRITE;
        if (vma.isAnonymous()) {
            if (write) {
                install(page, frames.allocate(), vma, true);
            } else {
                // Linux do_anonymous_page: a read maps the shared zero page; the first write copies.
                mm.pageTables().set(page, ProtectionMap.zeroPage(frames.zeroFrame(), vma.prot()));
            }
            anonZeroFillFaults++;
            return Result.RESOLVED;
        }
        FileBacking file = vma.backing();
        long pos = file.offset() + (page - vma.start());
        long size = file.source().size();
        if (pos >= size && pos < file.zeroFrom()) {
            return signal(Signal.SIGBUS, Signal.BUS_ADRERR, va,
                    accessName(access) + ", beyond the end of " + file.path() + " (" + size + " bytes)");
        }
        PageCache cache = frames.pageCache();
        if (file.zeroFrom() < pos + VmLayout.PAGE_SIZE) {
            // An ELF page whose tail is .bss: Linux maps the file page privately and padzero()
            // writes the zeros, which copies it; the page is the process's own from the start.
            long frame = frames.allocate();
            cache.readInto(file.source(), pos, frame, file.zeroFrom());
            install(page, frame, vma, write);
            fileFaults++;
            return Result.RESOLVED;
        }
        long cached = cache.findOrRead(file.source(), pos);
        if (write && !vma.isShared()) {
            install(page, copyOf(cached), vma, true);
            // Read only to be copied: nothing maps it, and it must not go stale in the cache.
            cache.dropIfUnused(cached);
            fileFaults++;
            return Result.RESOLVED;
        }
        frames.get(cached);
        if (vma.isShared() && vma.writable()) {
            cache.noteWriter(cached, file.source());
        }
        install(page, cached, vma, write);
        fileFaults++;
        return Result.RESOLVED;
    }

    /** A fresh frame holding a copy of {@code frame}'s page (Linux {@code copy_user_highpage}). */
    private long copyOf(long frame) throws OutOfFramesException {
        long copy = frames.allocate();
        ram.copyFrame(frame, copy);
        return copy;
    }

    /**
     * Maps {@code frame} at {@code page} as the area's protection says, writable and dirty
     * for a write; the caller's frame reference passes to the entry. Pages of a VM_LOCKED
     * area are marked mlocked.
     */
    private void install(long page, long frame, Vma vma, boolean dirty) throws OutOfFramesException {
        try {
            mm.pageTables().set(page, ProtectionMap.pte(frame, vma.prot(), vma.isShared(), dirty && vma.writable()));
        } catch (OutOfFramesException e) {
            frames.put(frame);
            throw e;
        }
        if (vma.isLocked()) {
            frames.setMlocked(frame, true);
        }
    }

    private Result signal(int signo, int code, long addr, String detail) {
        switch (signo) {
            case Signal.SIGSEGV -> segvFaults++;
            case Signal.SIGBUS -> busFaults++;
            default -> oomKills++;
        }
        return new Result(SignalInfo.fault(signo, code, addr, detail));
    }

    public static String accessName(AccessType access) {
        return switch (access) {
            case READ -> "read";
            case WRITE -> "write";
            case EXECUTE -> "exec";
        };
    }
}
