/**
 * Memory management, split as Linux's {@code mm/}: physical frames and their
 * {@code struct page} metadata ({@link a64emu.guest.mm.FrameAllocator}, page_alloc.c),
 * the page cache ({@link a64emu.guest.mm.PageCache}, filemap.c), the page-table editor
 * ({@link a64emu.guest.mm.PageTables}, the only writer of descriptors, through
 * {@link a64emu.mmu.Descriptor}), VMAs and the address space
 * ({@link a64emu.guest.mm.Vma}, {@link a64emu.guest.mm.AddressSpace}), the layout and its
 * randomisation ({@link a64emu.guest.mm.VmLayout}, util.c and arm64 mmap), the memory
 * system calls ({@link a64emu.guest.mm.MemoryMap}: mmap.c, mprotect.c, mremap.c,
 * madvise.c, mlock.c, msync.c, mincore.c), the commit check
 * ({@link a64emu.guest.mm.Overcommit}), fork's copy ({@link a64emu.guest.mm.DupMmap}:
 * kernel/fork.c dup_mmap and memory.c copy_page_range), demand paging
 * ({@link a64emu.guest.mm.FaultHandler}: memory.c and arm64 fault.c), the MMU register
 * setup ({@link a64emu.guest.mm.TranslationRegime}: proc.S), missing pages handed to user
 * space ({@link a64emu.guest.mm.Userfaultfd}: fs/userfaultfd.c and userfaultfd.c), NUMA
 * policies on the one node ({@link a64emu.guest.mm.MemPolicy}: mempolicy.c), the reaping of
 * a dying process's memory ({@link a64emu.guest.mm.OomReaper}: oom_kill.c), and what /proc
 * reports ({@link a64emu.guest.mm.MemoryAccounting}: fs/proc/task_mmu.c, meminfo.c).
 *
 * <p>The page tables in emulated RAM are the only record of what is mapped; VMAs say what
 * may be.
 *
 * <h2>For the process and /proc code</h2>
 * <ul>
 * <li>fork: {@code AddressSpace child = DupMmap.fork(parent, childAsid)} gives the child a
 *     copy-on-write copy (new page tables, same frames, private writable pages read-only
 *     in both); build the child's {@code FaultHandler}, {@code UserMemory} and
 *     {@code MemoryMap} on it. A thread (CLONE_VM) shares the parent's objects.</li>
 * <li>exit and execve: {@code mm.release()} writes MAP_SHARED dirty pages back, drops every
 *     frame and frees the page tables. Call it before releasing the files the mappings
 *     keep open, so that write-back still has them.</li>
 * <li>/proc: {@code MemoryAccounting.usage(mm)} (smaps), {@code rollup(mm)}
 *     (smaps_rollup), {@code status(mm)} (status, statm), {@code meminfo(frames)}.</li>
 * </ul>
 */
package a64emu.guest.mm;
