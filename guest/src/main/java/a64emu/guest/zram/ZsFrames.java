package a64emu.guest.zram;

/**
 * Where a {@link ZsPool} gets the 4 KiB frames of emulated RAM its zspages are made of
 * (zsmalloc's {@code alloc_page}/{@code __free_page} in {@code alloc_zspage} and
 * {@code __free_zspage}). The guest's page allocator implements it, so compressed memory
 * is paid for in frames of the machine, as on a device.
 */
public interface ZsFrames {
    /** One zeroed frame of emulated RAM for the pool; its physical address, or -1 if none is free. */
    long allocateFrame();

    /** Gives back a frame this pool allocated. */
    void freeFrame(long pa);

    /** The emulated RAM the frames live in. */
    a64emu.memory.PhysicalMemory ram();
}
