package a64emu.guest.mm;

/**
 * The file behind a file-backed mapping.
 *
 * @param source   the file
 * @param offset   file position of the mapping's first byte (the VMA's {@code vm_pgoff})
 * @param zeroFrom file position from which the mapping reads zeros instead of file bytes:
 *                 the end of an ELF segment's file data when .bss follows it on the same
 *                 page (Linux's {@code padzero}); {@link Long#MAX_VALUE} for none
 * @param path     the file's guest path, for /proc/pid/maps and diagnostics
 */
public record FileBacking(PageSource source, long offset, long zeroFrom, String path) {
    /** The same file, {@code delta} bytes further into the mapping (after a VMA split). */
    public FileBacking advancedBy(long delta) {
        return new FileBacking(source, offset + delta, zeroFrom, path);
    }
}
