package a64emu.guest.mm;

import a64emu.guest.TestMachine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A swap device held in host memory, for reclaim tests: it keeps each slot's page and
 * records what the swap layer asked of it (writes, reads, and the slots it was told are
 * free, Linux {@code swap_slot_free_notify}).
 */
final class MemorySwapDevice implements SwapSpace.Device {
    final Map<Long, byte[]> stored = new HashMap<>();
    final List<Long> freed = new ArrayList<>();
    int writes;
    int reads;
    /** Writes still to refuse with -ENOMEM, as zRAM does at its mem_limit. */
    int failWrites;

    /** Gives {@code m} a swap area of {@code bytes} on a new device, as swapon does; returns the device. */
    static MemorySwapDevice attach(TestMachine m, long bytes) {
        MemorySwapDevice d = new MemorySwapDevice();
        m.frames.setSwap(new SwapSpace(d, bytes));
        return d;
    }

    @Override
    public int write(long offset, byte[] page) {
        if (failWrites > 0) {
            failWrites--;
            return -12;
        }
        writes++;
        stored.put(offset, page.clone());
        return 0;
    }

    @Override
    public int read(long offset, byte[] page) {
        reads++;
        byte[] b = stored.get(offset);
        if (b == null) {
            throw new AssertionError("read of swap slot " + offset + ", which holds nothing");
        }
        System.arraycopy(b, 0, page, 0, page.length);
        return 0;
    }

    @Override
    public void free(long offset) {
        freed.add(offset);
        stored.remove(offset);
    }

    @Override
    public String path() {
        return "/dev/block/zram0";
    }
}
