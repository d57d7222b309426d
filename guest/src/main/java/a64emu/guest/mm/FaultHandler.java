package a64emu.guest.mm;

import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import a64emu.mmu.Mmu;
import a64emu.mmu.PteState;
import a64emu.mmu.SwapPte;
import a64emu.mmu.TlbiOp;

/**
 * Demand paging: what happens when a user access faults (Linux {@code mm/memory.c} with
 * {@code arch/arm64/mm/fault.c} in front of it). Either the fault is resolved by writing
 * a page entry, and the instruction is retried, or it becomes a signal.
 *
 * <p>Order, as in {@code do_page_fault}: find the VMA (growing the stack if the address
 * is just below it), check the access against the VMA's protection, then fix the page
 * entry by its state ({@code handle_pte_fault}): populate an empty one (zero-filled
 * anonymous frame, or a private copy of the file page; in an area registered with a
 * userfaultfd, a user access waits for the handler instead), read a swapped-out page back
 * ({@code do_swap_page}), set the access flag, or make a writable page dirty.
 *
 * <p>An allocation here may reclaim (direct reclaim), and reclaim may swap out or drop the
 * very page this fault is about. So, as Linux re-checks {@code pte_same} under the page
 * table lock after allocating, each path that allocates reads the entry again afterwards
 * and, if it changed, gives the new frame back and lets the access fault again.
 */
public final class FaultHandler {
    /**
     * What became of a fault: resolved (retry the access), with whether it was major (the
     * page was read from a file or the swap device), or a signal for the process.
     */
    public record Result(SignalInfo signal, boolean major, Userfaultfd.Wait userfault) {
        public static final Result RESOLVED = new Result(null, false, null);
        public static final Result RESOLVED_MAJOR = new Result(null, true, null);

        public Result(SignalInfo signal) {
            this(signal, false, null);
        }

        /** The fault goes to a userfaultfd: the thread sleeps until the page is filled, then retries. */
        static Result userfault(Userfaultfd.Wait wait) {
            return new Result(null, false, wait);
        }

        public boolean resolved() {
            return signal == null && userfault == null;
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
    private long agedAccessFlagFaults;
    private long swapInFaults;
    private long swapCacheFaults;
    private long stackGrowthFaults;
    private long majorFaults;
    private long segvFaults;
    private long busFaults;
    private long oomKills;
    private long userfaults;

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

    /** Faults that read their page from a file or the swap device (maj_flt). */
    public long majorFaults() {
        return majorFaults;
    }

    /** Faults below a stack that grew it (Linux expand_stack). */
    public long stackGrowthFaults() {
        return stackGrowthFaults;
    }

    /** Faults that ended in a signal. */
    public long signalledFaults() {
        return segvFaults + busFaults + oomKills;
    }

    /** Faults resolved so the access could be retried: {@code counts().resolved()}, without the snapshot. */
    public long resolvedFaults() {
        return anonZeroFillFaults + fileFaults + cowFaults + accessFlagFaults + swapInFaults + swapCacheFaults
                + stackGrowthFaults + otherFaults;
    }

    /** Every count, for --stats. */
    public FaultCounts counts() {
        return new FaultCounts(anonZeroFillFaults, fileFaults, cowFaults, accessFlagFaults, agedAccessFlagFaults,
                swapInFaults, swapCacheFaults, stackGrowthFaults, otherFaults, segvFaults, busFaults, oomKills);
    }

    /** Handles an MMU fault taken by a user access. */
    public Result handle(Fault fault) {
        return handle(fault, true);
    }

    /**
     * Handles an MMU fault taken by a user access ({@code userMode}, FAULT_FLAG_USER) or by
     * the kernel's copy to/from user.
     */
    public Result handle(Fault fault, boolean userMode) {
        return switch (fault.kind()) {
            // A cache maintenance fault reports WnR=1 but is a read for the VMA check
            // (arm64 is_write_abort(): WnR && !CM).
            case TRANSLATION, ACCESS_FLAG, PERMISSION -> pageFault(fault.va(),
                    fault.cacheMaintenance() ? AccessType.READ : fault.access(), userMode);
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

    /** Linux {@code do_page_fault} for a user address, from the kernel (get_user_pages). */
    public Result pageFault(long faultAddress, AccessType access) {
        return pageFault(faultAddress, access, false);
    }

    /** Linux {@code do_page_fault} for a user address; {@code userMode}: taken by user code. */
    public Result pageFault(long faultAddress, AccessType access, boolean userMode) {
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
        // handle_mm_fault: from here on the fault counts in pgfault, whatever it becomes.
        frames.events().count(VmEvents.Event.PGFAULT);
        try {
            Result r = switch (PteState.of(pte)) {
                case NONE -> populate(vma, page, va, access, userMode);
                case SWAP -> swapPageFault(vma, page, pte, access);
                case PRESENT, PROT_NONE -> presentPageFault(vma, page, pte, access);
            };
            if (r.major()) {
                majorFaults++;
                frames.events().count(VmEvents.Event.PGMAJFAULT);
            }
            return r;
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
        if (access == AccessType.WRITE && !ProtectionMap.isWritable(pte)
                && (pte & Descriptor.SW_WRITE) != 0 && !PageTables.isSpecial(pte)
                && Descriptor.isValid(pte)) {
            // pte_write but clean (RDONLY with PTE_WRITE: a shared page, or a private one
            // MADV_FREE cleaned): handle_pte_fault just makes it dirty (pte_mkdirty), no copy;
            // an MADV_FREE page stays lazily freeable until reclaim sees it dirty.
            pt.set(page, ProtectionMap.mkyoung(ProtectionMap.mkwriteDirty(pte)));
            otherFaults++;
            return Result.RESOLVED;
        }
        if (access == AccessType.WRITE && !ProtectionMap.isWritable(pte)) {
            return writeProtectFault(vma, page, pte);
        }
        long wanted = ProtectionMap.modify(pte, vma.prot(), vma.isShared());
        if (!ProtectionMap.isYoung(pte)) {
            accessFlagFaults++;
            if (!PageTables.isSpecial(pte) && frames.isAged(PageTables.frameOf(pte))) {
                // Reclaim made this entry old to see whether the page is still used: it is.
                agedAccessFlagFaults++;
                frames.setAged(PageTables.frameOf(pte), false);
            }
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
            if (pt.pte(page) != pte) {
                frames.put(fresh); // reclaim changed the entry meanwhile: fault again
                return Result.RESOLVED;
            }
            install(page, fresh, vma, true);
            anonZeroFillFaults++;
            return Result.RESOLVED;
        }
        if (vma.isShared()) {
            pt.set(page, ProtectionMap.mkyoung(ProtectionMap.mkwriteDirty(pte)));
            otherFaults++;
            return Result.RESOLVED;
        }
        if (frames.kind(frame) == FrameAllocator.PageKind.ANON && frames.inSwapCache(frame)
                && frames.mapcount(frame) == 1) {
            // wp_can_reuse_anon_folio: a copy in the swap cache nobody else can find again goes first.
            frames.swapCache().freeSwap(frame);
        }
        if (frames.kind(frame) == FrameAllocator.PageKind.ANON && frames.refcount(frame) == 1) {
            // A write cancels MADV_FREE: the page holds data again.
            frames.setLazyFree(frame, false);
            pt.set(page, ProtectionMap.mkyoung(ProtectionMap.mkwriteDirty(
                    ProtectionMap.modify(pte, vma.prot(), false))));
            cowFaults++;
            return Result.RESOLVED;
        }
        // wp_page_copy: the old page is held across the allocation, which may reclaim.
        frames.get(frame);
        long copy;
        try {
            copy = frames.allocate();
        } catch (OutOfFramesException e) {
            frames.put(frame);
            throw e;
        }
        if (pt.pte(page) != pte) {
            frames.put(copy);
            frames.put(frame);
            return Result.RESOLVED;
        }
        ram.copyFrame(frame, copy);
        install(page, copy, vma, true);
        // The old entry's reference goes after the new entry is in (break-before-make done by set).
        pt.release(pte);
        frames.put(frame);
        cowFaults++;
        return Result.RESOLVED;
    }

    /**
     * Linux {@code do_swap_page}: the entry holds a swap entry. The page is taken from the
     * swap cache if it is there (a minor fault); otherwise it is read from the swap device
     * into a new page (a major fault, pswpin): straight into the process when this entry is
     * the slot's only reference ({@code SWP_SYNCHRONOUS_IO} with {@code __swap_count == 1}, as
     * zRAM is), through the swap cache when other entries share the slot (after fork), so
     * they find it there. A refault of a recently evicted page is detected from the shadow
     * reclaim left. The entry's reference to the slot is dropped ({@code swap_free}); the page
     * maps writable for a write when it is this mapping's alone, else read-only, and a write
     * then copies it.
     */
    private Result swapPageFault(Vma vma, long page, long pte, AccessType access) throws OutOfFramesException {
        PageTables pt = mm.pageTables();
        SwapCache cache = frames.swapCache();
        if (cache == null) {
            throw new IllegalStateException(String.format(
                    "swap entry at 0x%x with no swap area: %s", page, SwapPte.describe(pte)));
        }
        SwapSpace swap = cache.swap();
        long offset = SwapPte.offset(pte);
        long frame = cache.find(offset);
        boolean major = false;
        boolean fresh = false;
        if (frame >= 0) {
            swapCacheFaults++;
            frames.get(frame); // the entry's reference-to-be
        } else {
            boolean skipSwapCache = swap.count(offset) == 1;
            frame = frames.allocate();
            long readStart = System.nanoTime();
            if (pt.pte(page) != pte || cache.find(offset) >= 0) {
                frames.put(frame); // reclaim moved things meanwhile: fault again
                return Result.RESOLVED;
            }
            byte[] data = new byte[(int) VmLayout.PAGE_SIZE];
            int error = swap.device().read(offset, data);
            if (error != 0) {
                frames.put(frame);
                return signal(Signal.SIGBUS, Signal.BUS_ADRERR, page, accessName(access)
                        + ", read error on swap slot " + offset);
            }
            ram.write(frame, data, 0, data.length);
            frames.events().count(VmEvents.Event.PSWPIN);
            long shadow = cache.takeShadow(offset);
            if (shadow >= 0 && frames.vmscan() != null) {
                frames.vmscan().refault(frame, shadow, false);
            }
            if (frames.isWorkingset(frame)) {
                // swap_readpage: reading back a workingset page is a memory stall (thrashing).
                frames.stalled(System.nanoTime() - readStart);
            }
            if (!skipSwapCache) {
                swap.setCache(offset);
                cache.add(frame, offset);
            }
            fresh = skipSwapCache;
            major = true;
            swapInFaults++;
        }
        boolean write = access == AccessType.WRITE;
        // A page read for this entry alone, or marked exclusive when it was swapped out, is ours.
        boolean exclusive = fresh || SwapPte.exclusive(pte);
        swap.free(offset);
        if (frames.inSwapCache(frame) && (swap.isFull() || vma.isLocked() || frames.isMlocked(frame)
                || (write && frames.refcount(frame) == 2))) {
            // should_try_to_free_swap: the slot's copy is not worth keeping.
            cache.freeSwap(frame);
        }
        boolean own = exclusive || frames.refcount(frame) == 1;
        boolean writable = write && own && vma.writable();
        install(page, frame, vma, writable);
        if (write && !writable) {
            // do_wp_page at once, as Linux does: copy (or reuse) the page for the write.
            writeProtectFault(vma, page, pt.pte(page));
        }
        return major ? Result.RESOLVED_MAJOR : Result.RESOLVED;
    }

    /**
     * With TCR.TBI0 the top byte of a user address is ignored by translation and may be
     * anything in FAR; the fault is about the address without it (Linux {@code untagged_addr}).
     */
    public static long untag(long va) {
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
     * that would come within the stack guard gap of the area below, or
     * ({@code acct_stack_growth}) make the address space larger than RLIMIT_AS or the stack
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
        long asLimit = mm.addressSpaceLimit();
        if (asLimit >= 0 && mm.totalVm() + (above.start() - newStart) > asLimit) {
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
    private Result populate(Vma vma, long page, long va, AccessType access, boolean userMode)
            throws OutOfFramesException {
        boolean write = access == AccessType.WRITE;
        if ((vma.flags() & Vma.VM_UFFD_MISSING) != 0 && (vma.isAnonymous()
                || (Userfaultfd.isSharedAnonymous(vma) && Userfaultfd.shmemPageMissing(mm, vma, page)))) {
            return missingUserfault(vma.userfault(), va, access, userMode);
        }
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
        long readsBefore = cache.reads();
        long cached = cache.findOrRead(file.source(), pos);
        boolean major = cache.reads() != readsBefore;
        fileFaults++;
        if (write && !vma.isShared()) {
            // do_cow_fault: the cache page is held while its copy is made (the allocation may reclaim).
            frames.get(cached);
            long copy;
            try {
                copy = frames.allocate();
                ram.copyFrame(cached, copy);
            } finally {
                frames.put(cached);
            }
            install(page, copy, vma, true);
            return major ? Result.RESOLVED_MAJOR : Result.RESOLVED;
        }
        frames.get(cached);
        if (vma.isShared() && vma.writable()) {
            cache.noteWriter(cached, file.source());
        }
        install(page, cached, vma, write);
        return major ? Result.RESOLVED_MAJOR : Result.RESOLVED;
    }

    /**
     * Linux {@code handle_userfault} for a missing page of an area registered in MISSING
     * mode: the faulting thread sleeps until the handler fills or wakes the range. A kernel
     * access to user memory with a UFFD_USER_MODE_ONLY context, and any fault with
     * UFFD_FEATURE_SIGBUS, is VM_FAULT_SIGBUS instead (arm64 do_page_fault: SIGBUS, BUS_ADRERR).
     */
    private Result missingUserfault(Userfaultfd ctx, long va, AccessType access, boolean userMode) {
        if (ctx.sigbus() || (!userMode && ctx.userModeOnly())) {
            return signal(Signal.SIGBUS, Signal.BUS_ADRERR, va, accessName(access) + ", missing page of a "
                    + (ctx.sigbus() ? "UFFD_FEATURE_SIGBUS" : "user-mode-only") + " userfaultfd range");
        }
        if (!userMode) {
            // A kernel access cannot sleep here (no VM_FAULT_RETRY for the copy): as SIGBUS.
            return signal(Signal.SIGBUS, Signal.BUS_ADRERR, va, accessName(access)
                    + ", kernel access to a missing page of a userfaultfd range");
        }
        userfaults++;
        return Result.userfault(new Userfaultfd.Wait(ctx, va, access == AccessType.WRITE));
    }

    /** Faults handed to a userfaultfd (the faulting thread slept until the handler filled the page). */
    public long userfaults() {
        return userfaults;
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
            case EXECUTE -> "instruction fetch";
        };
    }
}
