/**
 * Memory management, split as Linux's {@code mm/}: physical frames
 * ({@link a64emu.guest.mm.FrameAllocator}, page_alloc.c), the page-table editor
 * ({@link a64emu.guest.mm.PageTables}, the only writer of descriptors, through
 * {@link a64emu.mmu.Descriptor}), VMAs and the address space
 * ({@link a64emu.guest.mm.Vma}, {@link a64emu.guest.mm.AddressSpace}), the memory system
 * calls ({@link a64emu.guest.mm.MemoryMap}: mmap.c, mprotect.c, mremap.c, madvise.c), demand
 * paging ({@link a64emu.guest.mm.FaultHandler}: memory.c and arm64 fault.c) and the MMU
 * register setup ({@link a64emu.guest.mm.TranslationRegime}: proc.S).
 *
 * <p>The page tables in emulated RAM are the only record of what is mapped; VMAs say what
 * may be.
 */
package a64emu.guest.mm;
