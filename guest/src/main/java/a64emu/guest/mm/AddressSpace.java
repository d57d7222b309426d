package a64emu.guest.mm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One process's user address space, Linux's {@code mm_struct}: the VMA tree, the page
 * tables, and the brk and layout fields. The VMAs say what may be mapped; the page
 * tables in RAM say what is mapped, and nothing here copies them.
 */
public final class AddressSpace {
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    /**
     * The area {@link #find} found last (Linux's per-mm {@code vmacache}): consecutive faults
     * fall in the same area, and the cache spares them the tree lookup and its boxed key.
     * Every change of the tree goes through {@link #putArea} and {@link #removeArea}, which
     * forget it.
     */
    private Vma lastFound;
    private final PageTables pageTables;
    private final VmLayout layout;
    private long startBrk;
    private long brk;
    private long startStack;
    private long startCode;
    private long endCode;
    private long startData;
    private long endData;
    /** The argument and environment strings exec put on the stack (mm->arg_start .. env_end). */
    private long argStart;
    private long argEnd;
    private long envStart;
    private long envEnd;
    /** The auxiliary vector exec gave the program, AT_NULL pair included (mm->saved_auxv). */
    private long[] savedAuxv = {0, 0};
    /** mm->def_flags: VM_LOCKED (and VM_LOCKONFAULT) after mlockall(MCL_FUTURE). */
    private int defaultFlags;
    /** hiwater_vm: the largest total_vm seen (VmPeak). */
    private long peakVm;
    /** RLIMIT_STACK of the process using this mm, read when the stack grows (negative: unlimited). */
    private java.util.function.LongSupplier stackLimit = () -> VmLayout.RLIMIT_STACK;
    /** RLIMIT_AS of the process using this mm, read when the stack grows (RLIM_INFINITY: -1). */
    private java.util.function.LongSupplier addressSpaceLimit = () -> VmLayout.RLIM_INFINITY;
    private boolean released;
    /** mm->membarrier_state: the membarrier registrations of this address space ({@code a64emu.guest.sched.Membarrier}). */
    private int membarrierState;

    public AddressSpace(PageTables pageTables, VmLayout layout) {
        this.pageTables = pageTables;
        pageTables.setOwner(this);
        this.layout = layout;
        pageTables.frames().register(this);
    }

    public FrameAllocator frames() {
        return pageTables.frames();
    }

    /** The ELF image's text range (start_code, end_code), for VmExe and VmLib. */
    public void setCode(long start, long end) {
        startCode = start;
        endCode = end;
    }

    public void setData(long start, long end) {
        startData = start;
        endData = end;
    }

    /**
     * Where exec wrote the argument and environment strings: [argStart, argEnd) holds argv's,
     * [envStart, envEnd) envp's, each string with its NUL (Linux create_elf_tables).
     */
    public void setArgumentStrings(long argStart, long argEnd, long envStart, long envEnd) {
        this.argStart = argStart;
        this.argEnd = argEnd;
        this.envStart = envStart;
        this.envEnd = envEnd;
    }

    public long argStart() {
        return argStart;
    }

    public long argEnd() {
        return argEnd;
    }

    public long envStart() {
        return envStart;
    }

    /** The end of the environment strings; 0 before exec has written them. */
    public long envEnd() {
        return envEnd;
    }

    /** Keeps the kernel's own copy of the auxiliary vector, type/value pairs ending in AT_NULL. */
    public void setSavedAuxv(long[] pairs) {
        if (pairs.length < 2 || (pairs.length & 1) != 0 || pairs[pairs.length - 2] != 0) {
            throw new IllegalArgumentException("an auxiliary vector is pairs ending in AT_NULL");
        }
        savedAuxv = pairs.clone();
    }

    /** The auxiliary vector exec gave the program (/proc/pid/auxv), AT_NULL pair included. */
    public long[] savedAuxv() {
        return savedAuxv.clone();
    }

    public long startCode() {
        return startCode;
    }

    public long endCode() {
        return endCode;
    }

    public long startData() {
        return startData;
    }

    public long endData() {
        return endData;
    }

    /**
     * Where the stack's size limit comes from: the owning process's RLIMIT_STACK, which
     * setrlimit may change at any time (Linux acct_stack_growth reads rlimit() at the fault).
     */
    public void setStackLimit(java.util.function.LongSupplier limit) {
        stackLimit = limit;
    }

    /** RLIMIT_STACK now, in bytes; negative for RLIM_INFINITY. */
    public long stackLimit() {
        return stackLimit.getAsLong();
    }

    /**
     * Where the limit on the whole address space comes from when the stack grows: the owning
     * process's RLIMIT_AS (Linux acct_stack_growth calls may_expand_vm at the fault).
     */
    public void setAddressSpaceLimit(java.util.function.LongSupplier limit) {
        addressSpaceLimit = limit;
    }

    /** RLIMIT_AS now, in bytes; negative for RLIM_INFINITY. */
    public long addressSpaceLimit() {
        return addressSpaceLimit.getAsLong();
    }

    public int membarrierState() {
        return membarrierState;
    }

    public void setMembarrierState(int state) {
        membarrierState = state;
    }

    /** VM_* flags every new area gets (mlockall(MCL_FUTURE) sets VM_LOCKED). */
    public int defaultFlags() {
        return defaultFlags;
    }

    public void setDefaultFlags(int flags) {
        defaultFlags = flags;
    }

    /** fork: the child starts with the parent's brk, stack, ELF and argument ranges, auxv and peak. */
    void copyStateFrom(AddressSpace parent) {
        startBrk = parent.startBrk;
        brk = parent.brk;
        startStack = parent.startStack;
        startCode = parent.startCode;
        endCode = parent.endCode;
        startData = parent.startData;
        endData = parent.endData;
        argStart = parent.argStart;
        argEnd = parent.argEnd;
        envStart = parent.envStart;
        envEnd = parent.envEnd;
        savedAuxv = parent.savedAuxv;
        peakVm = parent.peakVm();
        membarrierState = parent.membarrierState; // dup_mm copies the mm_struct; exec starts afresh
    }

    /** Adds an area without merging it (fork copies the parent's areas one for one). */
    void putUnmerged(Vma vma) {
        if (!isFree(vma.start(), vma.end())) {
            throw new IllegalStateException("inserting " + vma.describe() + " over a mapped range");
        }
        putArea(vma.start(), vma);
    }

    /** VmPeak: the largest total size the areas have had. */
    public long peakVm() {
        return Math.max(peakVm, totalVm());
    }

    public PageTables pageTables() {
        return pageTables;
    }

    public VmLayout layout() {
        return layout;
    }

    public long startBrk() {
        return startBrk;
    }

    public long brk() {
        return brk;
    }

    public void setBrk(long value) {
        brk = value;
    }

    /**
     * Sets the start of the heap from the page-aligned end of the loaded image, moved up by
     * the layout's random brk offset ({@code load_elf_binary}: {@code mm->brk = mm->start_brk
     * = arch_randomize_brk(mm)}; zero without randomisation); brk starts there.
     */
    public void setStartBrk(long endOfImage) {
        startBrk = endOfImage + layout.brkOffset();
        brk = startBrk;
    }

    public long startStack() {
        return startStack;
    }

    public void setStartStack(long value) {
        startStack = value;
    }

    /** All areas in address order. */
    public Collection<Vma> vmas() {
        return Collections.unmodifiableCollection(vmas.values());
    }

    public int vmaCount() {
        return vmas.size();
    }

    /** The area containing {@code va}, or null. */
    public Vma find(long va) {
        Vma cached = lastFound;
        if (cached != null && cached.contains(va)) {
            return cached;
        }
        Map.Entry<Long, Vma> e = vmas.floorEntry(va);
        Vma found = e != null && e.getValue().contains(va) ? e.getValue() : null;
        if (found != null) {
            lastFound = found;
        }
        return found;
    }

    private void putArea(long start, Vma vma) {
        lastFound = null;
        vmas.put(start, vma);
    }

    private void removeArea(long start) {
        lastFound = null;
        vmas.remove(start);
    }

    /** Linux {@code find_vma}: the first area that ends above {@code va}, or null. */
    public Vma findEndingAbove(long va) {
        Vma containing = find(va);
        if (containing != null) {
            return containing;
        }
        Map.Entry<Long, Vma> e = vmas.higherEntry(va);
        return e == null ? null : e.getValue();
    }

    /** The area just below {@code vma} in address order, or null. */
    public Vma previous(Vma vma) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(vma.start());
        return e == null ? null : e.getValue();
    }

    public Vma next(Vma vma) {
        Map.Entry<Long, Vma> e = vmas.higherEntry(vma.start());
        return e == null ? null : e.getValue();
    }

    /**
     * Areas that overlap [start, end), in address order. The bounds are unsigned, as a
     * user's start + length is: an empty or wrapped range (end at or below start) has none.
     */
    public List<Vma> overlapping(long start, long end) {
        List<Vma> out = new ArrayList<>();
        if (Long.compareUnsigned(start, end) >= 0 || start < 0) {
            return out; // empty, wrapped, or wholly at 2^63 and above, where no area is
        }
        long to = end < 0 ? Long.MAX_VALUE : end;
        Map.Entry<Long, Vma> first = vmas.floorEntry(start);
        Long from = first != null && first.getValue().end() > start ? first.getKey() : Long.valueOf(start);
        for (Vma v : vmas.subMap(from, true, to, false).values()) {
            if (v.end() > start) {
                out.add(v);
            }
        }
        return out;
    }

    public boolean isFree(long start, long end) {
        return overlapping(start, end).isEmpty();
    }

    /**
     * Linux {@code vm_start_gap}: where the free space below an area must end. A stack
     * keeps {@link VmLayout#STACK_GUARD_GAP} free below it.
     */
    public static long startGap(Vma vma) {
        if (!vma.growsDown()) {
            return vma.start();
        }
        long gap = vma.start() - VmLayout.STACK_GUARD_GAP;
        return gap > vma.start() ? 0 : gap;
    }

    /**
     * Adds an area where nothing is mapped, merging it with neighbours it continues
     * (Linux {@code vma_merge}). Returns the area that now covers it.
     */
    public Vma insert(Vma vma) {
        if (!isFree(vma.start(), vma.end())) {
            throw new IllegalStateException("inserting " + vma.describe() + " over a mapped range");
        }
        Vma merged = vma;
        Map.Entry<Long, Vma> below = vmas.lowerEntry(vma.start());
        if (below != null && below.getValue().canMergeWith(merged)) {
            removeArea(below.getKey());
            merged = below.getValue().mergedWith(merged);
        }
        Map.Entry<Long, Vma> above = vmas.ceilingEntry(vma.end());
        if (above != null && merged.canMergeWith(above.getValue())) {
            removeArea(above.getKey());
            merged = merged.mergedWith(above.getValue());
        }
        putArea(merged.start(), merged);
        peakVm = Math.max(peakVm, totalVm());
        return merged;
    }

    /**
     * Removes [start, end) from the areas, splitting those that straddle an edge, and
     * unmaps its pages (frames freed, TLB flushed). Holes in the range are fine.
     */
    public void unmap(long start, long end) {
        unmap(start, end, null);
    }

    /**
     * As {@link #unmap(long, long)}, but {@code keep} stays alive even if no area maps it
     * any more (the caller maps it again at once: remap_file_pages holds the file).
     */
    void unmap(long start, long end, PageSource keep) {
        List<Vma> removed = overlapping(start, end);
        for (Vma v : removed) {
            removeArea(v.start());
            if (v.start() < start) {
                putArea(v.start(), v.slice(v.start(), start));
            }
            if (v.end() > end) {
                putArea(end, v.slice(end, v.end()));
            }
        }
        pageTables.zap(start, end);
        for (Vma v : removed) {
            if (v.isShared() && v.backing() != null) {
                // MAP_SHARED stores reach the file when the mapping goes (see PageCache).
                frames().pageCache().writebackRange(v.backing().source(),
                        v.backing().offset() + (Math.max(start, v.start()) - v.start()),
                        v.backing().offset() + (Math.min(end, v.end()) - v.start()));
                if (v.backing().source() != keep) {
                    dropSharedAnonymousIfUnused(v.backing().source());
                }
            }
            if (v.backing() != null) {
                v.backing().source().areaClosed();
            }
        }
    }

    /**
     * A shared anonymous object lives while an area of some address space maps it
     * (Linux: the shmem file's last reference is the last VMA's vm_file).
     */
    private void dropSharedAnonymousIfUnused(PageSource source) {
        if (source.evictWhenUnmapped() || source.outlivesMappings()) {
            return;
        }
        for (AddressSpace other : frames().addressSpaces()) {
            for (Vma v : other.vmas.values()) {
                if (v.backing() != null && v.backing().source().identity() == source.identity()) {
                    return;
                }
            }
        }
        frames().pageCache().dropObject(source.identity());
    }

    /**
     * Linux {@code exit_mmap} (exit, and execve for the old mm): every area unmapped, so
     * MAP_SHARED dirty pages are written back and every frame reference dropped, then the
     * page tables themselves freed. The address space is unusable afterwards.
     */
    public void release() {
        if (released) {
            return;
        }
        unmap(0, layout.taskSize());
        frames().unregister(this);
        pageTables.destroy();
        released = true;
    }

    public boolean isReleased() {
        return released;
    }

    /**
     * Replaces the area that starts at {@code old.start()} by {@code replacement} with the
     * same range (a protection change), merging with neighbours where possible.
     */
    public Vma replace(Vma old, Vma replacement) {
        if (old.start() != replacement.start() || old.end() != replacement.end() || vmas.get(old.start()) != old) {
            throw new IllegalStateException("replacing " + old.describe() + " by " + replacement.describe());
        }
        removeArea(old.start());
        return insert(replacement);
    }

    /**
     * Splits the area containing {@code at} so that an area starts there; no-op at an
     * existing boundary or outside any area.
     */
    public void splitAt(long at) {
        Vma v = find(at);
        if (v != null && v.start() != at) {
            removeArea(v.start());
            putArea(v.start(), v.slice(v.start(), at));
            putArea(at, v.slice(at, v.end()));
        }
    }

    /** Moves the start of a downward-growing area down to {@code newStart} (stack growth). */
    public Vma extendDown(Vma stack, long newStart) {
        if (vmas.get(stack.start()) != stack || newStart >= stack.start()) {
            throw new IllegalStateException("cannot extend " + stack.describe() + " down to 0x" + Long.toHexString(newStart));
        }
        removeArea(stack.start());
        Vma grown = stack.withStart(newStart);
        putArea(newStart, grown);
        return grown;
    }

    /**
     * Linux {@code get_unmapped_area} with no hint, by the layout's policy: top-down, the
     * highest free range below mmap_base, falling back to the lowest above
     * TASK_UNMAPPED_BASE ({@code arch_get_unmapped_area_topdown}); in the legacy layout
     * bottom-up, the lowest free range from mmap_base up ({@code arch_get_unmapped_area}).
     * Returns -1 when no range of {@code length} bytes is free.
     */
    public long unmappedArea(long length) {
        if (layout.legacy()) {
            return findFreeBottomUp(length, layout.mmapBase(), layout.taskSize());
        }
        long top = findFreeTopDown(length, VmLayout.MMAP_MIN_ADDR, layout.mmapBase());
        return top >= 0 ? top : findFreeBottomUp(length, layout.unmappedBase(), layout.taskSize());
    }

    /**
     * Linux {@code unmapped_area}: the lowest page-aligned start of a free range of {@code
     * length} bytes in [low, high), keeping stack guard gaps; -1 if none.
     */
    public long findFreeBottomUp(long length, long low, long high) {
        long candidate = low;
        Long from = vmas.floorKey(low);
        for (Vma v : vmas.tailMap(from == null ? low : from, true).values()) {
            if (v.end() <= candidate) {
                continue;
            }
            if (startGap(v) >= candidate + length) {
                break;
            }
            candidate = Math.max(candidate, v.end());
        }
        return candidate + length <= high ? candidate : -1;
    }

    /**
     * Linux {@code unmapped_area_topdown}: the highest page-aligned start of a free range
     * of {@code length} bytes in [low, high), keeping stack guard gaps; -1 if none.
     */
    public long findFreeTopDown(long length, long low, long high) {
        long gapEnd = high;
        Map.Entry<Long, Vma> above = vmas.ceilingEntry(high);
        if (above != null) {
            gapEnd = Math.min(gapEnd, startGap(above.getValue()));
        }
        Map.Entry<Long, Vma> e = vmas.lowerEntry(high);
        while (true) {
            long gapStart = low;
            Vma below = e == null ? null : e.getValue();
            if (below != null) {
                gapStart = Math.max(low, below.end());
            }
            if (gapEnd - gapStart >= length && gapEnd >= gapStart) {
                return gapEnd - length;
            }
            if (below == null || below.end() <= low) {
                return -1;
            }
            gapEnd = Math.min(gapEnd, startGap(below));
            e = vmas.lowerEntry(below.start());
        }
    }

    /** Total bytes of all areas (VmSize). */
    public long totalVm() {
        long total = 0;
        for (Vma v : vmas.values()) {
            total += v.size();
        }
        return total;
    }
}
