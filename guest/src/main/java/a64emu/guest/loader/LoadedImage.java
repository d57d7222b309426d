package a64emu.guest.loader;

/**
 * Where the ELF loader put the program, for the initial stack's auxiliary vector.
 *
 * @param entry     the program's entry point (e_entry plus the load bias): AT_ENTRY
 * @param phdr      the program headers' address in memory (AT_PHDR)
 * @param phnum     number of program headers (AT_PHNUM)
 * @param loadBias  what was added to every p_vaddr (0 for ET_EXEC)
 * @param startBrk  the page-aligned end of the image, where the heap starts
 * @param execStack whether PT_GNU_STACK asks for an executable stack
 * @param interpreterBase where the interpreter was loaded (AT_BASE); 0 without one
 */
public record LoadedImage(long entry, long phdr, int phnum, long loadBias, long startBrk, boolean execStack,
                          long interpreterBase) {
    /** A statically linked program's image: no interpreter, AT_BASE 0. */
    public LoadedImage(long entry, long phdr, int phnum, long loadBias, long startBrk, boolean execStack) {
        this(entry, phdr, phnum, loadBias, startBrk, execStack, 0);
    }

    /** The same image with the interpreter loaded at {@code base}. */
    public LoadedImage withInterpreterBase(long base) {
        return new LoadedImage(entry, phdr, phnum, loadBias, startBrk, execStack, base);
    }
}
