package a64emu.guest.mm;

import java.util.Objects;

/**
 * One virtual memory area, Linux's {@code vm_area_struct}: a page-aligned range
 * [start, end) with one protection and one backing (anonymous or a file range).
 * Immutable: splitting and changing protection make new areas.
 *
 * @param start   first address, page aligned
 * @param end     first address past the area, page aligned
 * @param prot    PROT_READ/WRITE/EXEC bits ({@link Mman})
 * @param flags   VM_* flags below
 * @param backing the file for a file-backed area, null for anonymous memory
 * @param name    the /proc/pid/maps name of an anonymous area ("[heap]", "[stack]"), or null
 * @param userfault the userfaultfd the area is registered with ({@code vm_userfaultfd_ctx}), or null
 * @param policy  the area's NUMA policy (mbind; {@code vma->vm_policy}), or null for the task's
 */
public record Vma(long start, long end, int prot, int flags, FileBacking backing, String name,
        Userfaultfd userfault, MemPolicy policy) {
    /** The area grows downwards on faults just below it (the stack; Linux VM_GROWSDOWN). */
    public static final int VM_GROWSDOWN = 1;
    /** MAP_SHARED (shown as 's' in /proc/pid/maps). */
    public static final int VM_SHARED = 2;
    /** mlock/MAP_LOCKED/mlockall: pages stay resident and are faulted in at once. */
    public static final int VM_LOCKED = 4;
    /** mlock2(MLOCK_ONFAULT) or MCL_ONFAULT: locked, but populated by faults only. */
    public static final int VM_LOCKONFAULT = 8;
    /** MAP_NORESERVE: no commit charge (Linux VM_NORESERVE). */
    public static final int VM_NORESERVE = 0x10;
    /**
     * A shared mapping of a file opened without write access: Linux clears VM_MAYWRITE,
     * so mprotect cannot add PROT_WRITE (EACCES).
     */
    public static final int VM_NO_MAYWRITE = 0x20;
    /** MADV_RANDOM (VM_RAND_READ, "rr" in smaps VmFlags). */
    public static final int VM_RAND_READ = 0x40;
    /** MADV_SEQUENTIAL (VM_SEQ_READ, "sr"). */
    public static final int VM_SEQ_READ = 0x80;
    /** MADV_DONTFORK (VM_DONTCOPY, "dc"): the child gets no copy of the area. */
    public static final int VM_DONTCOPY = 0x100;
    /** MADV_WIPEONFORK (VM_WIPEONFORK, "wf"): the child's copy starts zero-filled. */
    public static final int VM_WIPEONFORK = 0x200;
    /** MADV_DONTDUMP (VM_DONTDUMP, "dd"). */
    public static final int VM_DONTDUMP = 0x400;
    /** Registered with a userfaultfd in MISSING mode (VM_UFFD_MISSING): missing pages are its to fill. */
    public static final int VM_UFFD_MISSING = 0x800;

    public Vma {
        if (start >= end || ((start | end) & 0xFFF) != 0) {
            throw new IllegalArgumentException(String.format("bad VMA range 0x%x-0x%x", start, end));
        }
    }

    /** An area registered with no userfaultfd and following the task's NUMA policy. */
    public Vma(long start, long end, int prot, int flags, FileBacking backing, String name) {
        this(start, end, prot, flags, backing, name, null, null);
    }

    public static Vma anonymous(long start, long end, int prot, int flags, String name) {
        return new Vma(start, end, prot, flags, null, name);
    }

    public static Vma file(long start, long end, int prot, int flags, FileBacking backing) {
        return new Vma(start, end, prot, flags, backing, null);
    }

    public long size() {
        return end - start;
    }

    public boolean contains(long va) {
        return va >= start && va < end;
    }

    public boolean isAnonymous() {
        return backing == null;
    }

    public boolean isShared() {
        return (flags & VM_SHARED) != 0;
    }

    public boolean isLocked() {
        return (flags & VM_LOCKED) != 0;
    }

    /** The same area under another /proc name (an anonymous area's "[anon:NAME]", or null). */
    public Vma withName(String newName) {
        return new Vma(start, end, prot, flags, backing, newName, userfault, policy);
    }

    public Vma withFlags(int newFlags) {
        return new Vma(start, end, prot, newFlags, backing, name, userfault, policy);
    }

    /** The same area moved to start at {@code newStart} (mremap), same size and file offset. */
    public Vma movedTo(long newStart) {
        return new Vma(newStart, newStart + size(), prot, flags, backing, name, userfault, policy);
    }

    /**
     * Linux {@code accountable_mapping}: private writable memory without MAP_NORESERVE is
     * charged against the commit limit (Committed_AS).
     */
    public boolean isAccountable() {
        return (flags & (VM_SHARED | VM_NORESERVE)) == 0 && writable();
    }

    public boolean growsDown() {
        return (flags & VM_GROWSDOWN) != 0;
    }

    public boolean readable() {
        return (prot & Mman.PROT_READ) != 0;
    }

    public boolean writable() {
        return (prot & Mman.PROT_WRITE) != 0;
    }

    public boolean executable() {
        return (prot & Mman.PROT_EXEC) != 0;
    }

    /** The part of this area in [newStart, newEnd), which must lie inside it. */
    public Vma slice(long newStart, long newEnd) {
        if (newStart < start || newEnd > end) {
            throw new IllegalArgumentException(String.format(
                    "0x%x-0x%x is not inside VMA 0x%x-0x%x", newStart, newEnd, start, end));
        }
        FileBacking b = backing == null ? null : backing.advancedBy(newStart - start);
        return new Vma(newStart, newEnd, prot, flags, b, name, userfault, policy);
    }

    /** The same area with its end moved to {@code newEnd} (growing in place). */
    public Vma extendedTo(long newEnd) {
        return new Vma(start, newEnd, prot, flags, backing, name, userfault, policy);
    }

    /** An area from this one's end to {@code newEnd} that continues it (same file at the next offsets). */
    public Vma continuation(long newEnd) {
        FileBacking b = backing == null ? null : backing.advancedBy(size());
        return new Vma(end, newEnd, prot, flags, b, name, userfault, policy);
    }

    public Vma withProt(int newProt) {
        return new Vma(start, end, newProt, flags, backing, name, userfault, policy);
    }

    public Vma withStart(long newStart) {
        FileBacking b = backing == null ? null : backing.advancedBy(newStart - start);
        return new Vma(newStart, end, prot, flags, b, name, userfault, policy);
    }

    /**
     * Whether {@code next}, starting exactly where this area ends, can be merged into one
     * area with it (Linux {@code vma_merge}: same flags and protection, and the same file at
     * contiguous offsets or both anonymous).
     */
    public boolean canMergeWith(Vma next) {
        if (next.start != end || next.prot != prot || next.flags != flags || !Objects.equals(name, next.name)
                || next.userfault != userfault || !Objects.equals(policy, next.policy)) {
            return false;
        }
        if (backing == null || next.backing == null) {
            return backing == null && next.backing == null;
        }
        return backing.source() == next.backing.source()
                && backing.offset() + size() == next.backing.offset()
                && backing.zeroFrom() == next.backing.zeroFrom();
    }

    /** The two areas as one; {@link #canMergeWith} must hold. */
    public Vma mergedWith(Vma next) {
        return new Vma(start, next.end, prot, flags, backing, name, userfault, policy);
    }

    /**
     * The same area registered with {@code ctx} in MISSING mode, or (null) with none: the
     * VM_UFFD_MISSING flag and the context go together (Linux {@code userfaultfd_set_vm_flags}).
     */
    public Vma withUserfault(Userfaultfd ctx) {
        int f = ctx == null ? flags & ~VM_UFFD_MISSING : flags | VM_UFFD_MISSING;
        return new Vma(start, end, prot, f, backing, name, ctx, policy);
    }

    /** The same area with its own NUMA policy (mbind), or (null) following the task's. */
    public Vma withPolicy(MemPolicy newPolicy) {
        return new Vma(start, end, prot, flags, backing, name, userfault, newPolicy);
    }

    /** The permission column of /proc/pid/maps: "r-xp". */
    public String permString() {
        return Mman.protString(prot) + ((flags & VM_SHARED) != 0 ? "s" : "p");
    }

    /** What /proc/pid/maps shows in its last column. */
    public String displayName() {
        if (backing != null) {
            return backing.path();
        }
        return name == null ? "" : name;
    }

    /** "0x4a0000-0x4b2000 r--p /path/prog". */
    public String describe() {
        String n = displayName();
        return String.format("0x%x-0x%x %s%s", start, end, permString(), n.isEmpty() ? "" : " " + n);
    }
}
