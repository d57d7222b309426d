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
    private long signalledFaults;

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

    public long otherFaults() {
        return otherFaults;
    }

    /** Faults that ended in a signal. */
    public long signalledFaults() {
        return signalledFaults;
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
        PageTables pt = mm.pageTables();
        long pte = pt.pte(page);
        try {
            if (!PageTables.isPresent(pte)) {
                return populate(vma, page, access);
            }
            if (access == AccessType.WRITE && PageTables.isSpecial(pte)) {
                // Copy-on-write of the zero page: a zeroed frame of the process's own.
                long frame = frames.allocate();
                install(page, frame, vma, true);
                anonZeroFillFaults++;
                return Result.RESOLVED;
            }
            // A write makes the page dirty (and writable); otherwise the entry is brought in
            // line with the VMA, the access flag set, the dirty state kept.
            long wanted = access == AccessType.WRITE
                    ? ProtectionMap.pte(PageTables.frameOf(pte), vma.prot(), true)
                    : ProtectionMap.modify(pte, vma.prot());
            otherFaults++;
            if (wanted != pte) {
                pt.set(page, wanted);
            } else {
                // The entry already allows the access: the TLB held a stale, stricter copy.
                mmu.tlbi(TlbiOp.VALE1IS, TlbiOp.operand(page, pt.asid()));
            }
            return Result.RESOLVED;
        } catch (OutOfFramesException e) {
            return signal(Signal.SIGKILL, Signal.SI_KERNEL, va, what + ", " + e.getMessage());
        }
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
        if (above.end() - newStart > VmLayout.RLIMIT_STACK) {
            return null;
        }
        otherFaults++;
        return mm.extendDown(above, newStart);
    }

    /**
     * Fills an empty page entry: the zero page for a read of anonymous memory, a zeroed
     * frame for a write, or a private copy of the file page.
     */
    private Result populate(Vma vma, long page, AccessType access) throws OutOfFramesException {
        boolean dirty = access == AccessType.WRITE;
        if (vma.isAnonymous()) {
            if (dirty) {
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
            return signal(Signal.SIGBUS, Signal.BUS_ADRERR, page,
                    accessName(access) + ", beyond the end of " + file.path() + " (" + size + " bytes)");
        }
        long frame = frames.allocate();
        long valid = Math.max(0, Math.min(Math.min(size, file.zeroFrom()) - pos, VmLayout.PAGE_SIZE));
        if (valid > 0) {
            byte[] data = new byte[(int) valid];
            int got = 0;
            while (got < valid) {
                int n = file.source().readAt(pos + got, data, got, (int) valid - got);
                if (n <= 0) {
                    break;
                }
                got += n;
            }
            ram.write(frame, data, 0, got);
        }
        install(page, frame, vma, dirty);
        fileFaults++;
        return Result.RESOLVED;
    }

    private void install(long page, long frame, Vma vma, boolean dirty) throws OutOfFramesException {
        try {
            mm.pageTables().set(page, ProtectionMap.pte(frame, vma.prot(), dirty && vma.writable()));
        } catch (OutOfFramesException e) {
            frames.free(frame);
            throw e;
        }
    }

    private Result signal(int signo, int code, long addr, String detail) {
        signalledFaults++;
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
