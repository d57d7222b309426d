package a64emu.guest.mm;

import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Descriptor;
import a64emu.mmu.PteState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that the kernel's memory bookkeeping agrees with itself, for the fuzz tests (as
 * Linux's {@code CONFIG_DEBUG_VM} checks would): it walks every live address space's
 * translation tables in guest RAM, as the MMU would, and compares what it finds with the
 * VMAs, the per-frame reference and map counts, and the RSS, swap and table-frame counters.
 *
 * <ul>
 *   <li>VMAs: page aligned, not empty, sorted, not overlapping, below TASK_SIZE;</li>
 *   <li>tables: each table descriptor leads to a frame of kind PAGE_TABLE, and their number
 *       (the root included) is {@link PageTables#tableFrames};</li>
 *   <li>each present or swap entry lies inside a VMA; a present page is an allocated ANON,
 *       FILE or SHMEM frame with a reference, or the zero page behind a special read-only
 *       entry; a valid entry grants no more than its VMA (no EL0 write in a VMA without
 *       PROT_WRITE, no EL0 execute without PROT_EXEC, nothing at all for PROT_NONE);</li>
 *   <li>counters: present pages (zero page not counted) equal {@link PageTables#residentPages},
 *       swap entries {@link PageTables#swapEntries};</li>
 *   <li>frames: every frame's {@link FrameAllocator#mapcount} equals the number of entries
 *       in all live tables that map it, and its refcount is at least that.</li>
 * </ul>
 */
public final class MemoryConsistency {
    private final FrameAllocator frames;
    private final PhysicalMemory ram;
    private final List<String> problems = new ArrayList<>();
    private final Map<Long, Integer> mappings = new HashMap<>();

    private MemoryConsistency(FrameAllocator frames) {
        this.frames = frames;
        this.ram = frames.ram();
    }

    /** What is wrong on this machine now; empty when everything agrees. */
    public static List<String> problems(FrameAllocator frames) {
        MemoryConsistency c = new MemoryConsistency(frames);
        for (AddressSpace mm : List.copyOf(frames.addressSpaces())) {
            if (!mm.isReleased()) {
                c.check(mm);
            }
        }
        c.checkMapcounts();
        return c.problems;
    }

    private void problem(String format, Object... args) {
        if (problems.size() < 20) {
            problems.add(String.format(format, args));
        }
    }

    private void check(AddressSpace mm) {
        PageTables pt = mm.pageTables();
        long taskSize = mm.layout().taskSize();
        long previousEnd = 0;
        for (Vma v : mm.vmas()) {
            if (v.start() % 4096 != 0 || v.end() % 4096 != 0 || v.start() >= v.end() || v.start() < previousEnd
                    || Long.compareUnsigned(v.end(), taskSize) > 0) {
                problem("asid %d: bad or overlapping VMA %s after end 0x%x", pt.asid(), v.describe(), previousEnd);
            }
            previousEnd = v.end();
        }
        Walk walk = new Walk(mm);
        int level = Descriptor.startLevel(pt.t0sz());
        walk.table(pt.root(), level, Descriptor.startLevelEntries(pt.t0sz()), 0);
        if (walk.tables != pt.tableFrames()) {
            problem("asid %d: %d table frames in the tables, tableFrames() says %d", pt.asid(), walk.tables,
                    pt.tableFrames());
        }
        if (walk.resident != pt.residentPages()) {
            problem("asid %d: %d resident pages in the tables, residentPages() says %d", pt.asid(), walk.resident,
                    pt.residentPages());
        }
        if (walk.swap != pt.swapEntries()) {
            problem("asid %d: %d swap entries in the tables, swapEntries() says %d", pt.asid(), walk.swap,
                    pt.swapEntries());
        }
    }

    private final class Walk {
        final AddressSpace mm;
        final int asid;
        int tables;
        long resident;
        long swap;

        Walk(AddressSpace mm) {
            this.mm = mm;
            this.asid = mm.pageTables().asid();
        }

        void table(long pa, int level, int entries, long baseVa) {
            tables++;
            if (!frames.isAllocated(pa) || frames.kind(pa) != FrameAllocator.PageKind.PAGE_TABLE) {
                problem("asid %d: table for 0x%x at level %d is frame 0x%x of kind %s", asid, baseVa, level, pa,
                        frames.isAllocated(pa) ? frames.kind(pa) : "FREE");
                return;
            }
            long span = Descriptor.bytesMappedAt(level);
            for (int i = 0; i < entries; i++) {
                long desc = ram.read64(pa + (long) i * Descriptor.DESCRIPTOR_BYTES);
                long va = baseVa + i * span;
                if (level < Descriptor.LAST_LEVEL) {
                    if (Descriptor.isTable(desc, level)) {
                        table(Descriptor.nextTable(desc), level + 1, Descriptor.ENTRIES_PER_TABLE, va);
                    } else if (desc != 0) {
                        problem("asid %d: level %d entry 0x%x for 0x%x is not a table", asid, level, desc, va);
                    }
                } else if (desc != 0) {
                    leaf(va, desc);
                }
            }
        }

        void leaf(long va, long pte) {
            Vma vma = mm.find(va);
            if (vma == null || !vma.contains(va)) {
                problem("asid %d: entry 0x%x for 0x%x outside every VMA", asid, pte, va);
                return;
            }
            PteState state = PteState.of(pte);
            if (state == PteState.SWAP) {
                swap++;
                return;
            }
            long frame = PageTables.frameOf(pte);
            if (PageTables.isSpecial(pte)) {
                if (!frames.isAllocated(frame) || frames.kind(frame) != FrameAllocator.PageKind.ZERO
                        || ProtectionMap.isWritable(pte)) {
                    problem("asid %d: special entry 0x%x for 0x%x is not the read-only zero page", asid, pte, va);
                }
            } else {
                resident++;
                FrameAllocator.PageKind kind = frames.isAllocated(frame) ? frames.kind(frame) : null;
                if (kind != FrameAllocator.PageKind.ANON && kind != FrameAllocator.PageKind.FILE
                        && kind != FrameAllocator.PageKind.SHMEM) {
                    problem("asid %d: 0x%x maps frame 0x%x of kind %s", asid, va, frame,
                            kind == null ? "FREE" : kind);
                } else {
                    mappings.merge(frame, 1, Integer::sum);
                }
            }
            if (Descriptor.isValid(pte)) {
                boolean userExec = (pte & Descriptor.UXN) == 0;
                if ((vma.prot() & Mman.PROT_RWX) == 0 || (ProtectionMap.isWritable(pte) && !vma.writable())
                        || (userExec && !vma.executable())) {
                    problem("asid %d: entry 0x%x for 0x%x grants more than %s", asid, pte, va, vma.describe());
                }
            }
        }
    }

    private void checkMapcounts() {
        for (int pfn = 1; pfn < frames.totalFrames(); pfn++) {
            long pa = FrameAllocator.address(pfn);
            if (!frames.isAllocated(pa)) {
                continue;
            }
            FrameAllocator.PageKind kind = frames.kind(pa);
            if (kind == FrameAllocator.PageKind.ZERO) {
                continue;
            }
            int mapped = mappings.getOrDefault(pa, 0);
            if (frames.mapcount(pa) != mapped) {
                problem("frame 0x%x (%s): mapcount %d, but %d entries map it", pa, kind, frames.mapcount(pa), mapped);
            }
            if (frames.refcount(pa) < mapped) {
                problem("frame 0x%x (%s): refcount %d below its %d mappings", pa, kind, frames.refcount(pa), mapped);
            }
        }
    }
}
