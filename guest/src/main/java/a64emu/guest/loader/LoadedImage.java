package a64emu.guest.loader;

/**
 * Where the ELF loader put the program, for the initial stack's auxiliary vector.
 *
 * @param entry     the entry point (e_entry plus the load bias)
 * @param phdr      the program headers' address in memory (AT_PHDR)
 * @param phnum     number of program headers (AT_PHNUM)
 * @param loadBias  what was added to every p_vaddr (0 for ET_EXEC)
 * @param startBrk  the page-aligned end of the image, where the heap starts
 * @param execStack whether PT_GNU_STACK asks for an executable stack
 */
public record LoadedImage(long entry, long phdr, int phnum, long loadBias, long startBrk, boolean execStack) {}
