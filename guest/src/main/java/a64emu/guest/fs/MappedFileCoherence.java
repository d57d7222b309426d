package a64emu.guest.fs;

/**
 * What read(2), write(2) and ftruncate(2) owe the pages of files mapped into memory. In
 * Linux they all go through the one page cache, so a store through a MAP_SHARED mapping
 * is what read(2) returns and a write(2) is what the mapping shows at once; here the file
 * calls reach the host file directly, and the page cache ({@code a64emu.guest.mm.PageCache})
 * is kept coherent with it through these calls. Only regular files are reported.
 */
public interface MappedFileCoherence {
    /** Before a read or write of {@code file}: dirty mapped pages are written back first. */
    void beforeAccess(OpenFile file);

    /** After a write to {@code file}: cached pages are read again, so mappings see the new bytes. */
    void afterWrite(OpenFile file);

    /**
     * After {@code file} was truncated or extended to {@code newSize} (Linux
     * {@code truncate_pagecache}): pages wholly past the end are unmapped everywhere and
     * dropped, the tail of the last page reads as zeros.
     */
    void afterTruncate(OpenFile file, long newSize);
}
