package a64emu.guest.mm;

/**
 * Where the bytes of a file-backed mapping come from: an open file, read at a position.
 * The fault handler reads one page at a time through it.
 */
public interface PageSource {
    /** Current size of the file in bytes; pages wholly past it raise SIGBUS (BUS_ADRERR). */
    long size();

    /** Reads up to {@code len} bytes at {@code pos}; returns the count, 0 at end of file. */
    int readAt(long pos, byte[] dst, int off, int len);
}
