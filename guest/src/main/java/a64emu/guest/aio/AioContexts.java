package a64emu.guest.aio;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.SharedAnonymous;
import a64emu.guest.mm.VmLayout;
import a64emu.guest.sched.Scheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * The AIO contexts of an address space (Linux mm->ioctx_table): io_setup maps a ring and adds
 * a context, io_destroy and the end of the address space (exit, exec) kill them. A forked
 * child keeps the ring's mapping, as Linux's, but no context.
 */
public final class AioContexts {
    /** The kernel's aio-nr, known from the first io_setup on. */
    private AioLimits limits;
    /** Indexed by the context's id (ring->id); null where a context was destroyed. */
    private final List<AioContext> table = new ArrayList<>();


    /**
     * ioctx_alloc and aio_setup_ring: the ring sized for twice max(nr_events, 4 per possible
     * CPU) events plus two, whole pages; a context, or a negative errno (EINVAL when too
     * large, EAGAIN past aio-max-nr, ENOMEM when the ring cannot be mapped).
     */
    public long setup(Process p, long nrEvents, AioLimits systemLimits) {
        limits = systemLimits;
        long maxReqs = nrEvents;
        // Unsigned 32-bit arithmetic, as Linux's: a huge nr_events doubles round to a small one, or 0.
        long n = (Math.max(nrEvents, Scheduler.NR_CPUS * 4L) * 2) & 0xFFFF_FFFFL;
        if (n > 0x1000_0000L / AioContext.IO_EVENT_SIZE) {
            return -Errno.EINVAL;
        }
        if (n == 0 || maxReqs > AioLimits.AIO_MAX_NR) {
            return -Errno.EAGAIN;
        }
        long size = AioContext.RING_HEADER_SIZE + AioContext.IO_EVENT_SIZE * (n + 2);
        long mmapSize = VmLayout.pageAlign(size);
        int ringEvents = (int) ((mmapSize - AioContext.RING_HEADER_SIZE) / AioContext.IO_EVENT_SIZE);
        long ring = p.memoryMap.mmap(0, mmapSize, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED,
                new MemoryMap.MappableFile(new SharedAnonymous(mmapSize), AioContext.MAPS_NAME, true, true), 0);
        if (ring < 0) {
            return -Errno.ENOMEM;
        }
        if (!limits.reserve(maxReqs)) {
            p.memoryMap.munmap(ring, mmapSize);
            return -Errno.EAGAIN;
        }
        int id = table.indexOf(null);
        if (id < 0) {
            id = table.size();
            table.add(null);
        }
        AioContext ctx = new AioContext(p, ring, mmapSize, ringEvents, maxReqs, id);
        try {
            p.user.write(ring, ctx.header());
        } catch (BadUserAddressException e) {
            throw new IllegalStateException("the AIO ring just mapped at 0x" + Long.toHexString(ring)
                    + " is not writable", e);
        }
        table.set(id, ctx);
        return ring;
    }

    /**
     * lookup_ioctx: the context whose ring is at {@code ctxId}, found by the id its ring's
     * header holds, as Linux finds it; null (EINVAL) if none.
     */
    public AioContext lookup(Process p, long ctxId) {
        int id;
        try {
            id = p.user.read32(ctxId + AioContext.RING_ID);
        } catch (BadUserAddressException e) {
            return null;
        }
        if (id < 0 || id >= table.size()) {
            return null;
        }
        AioContext ctx = table.get(id);
        return ctx != null && ctx.userId() == ctxId && !ctx.isDead() ? ctx : null;
    }

    /** kill_ioctx for io_destroy: the context goes, its ring is unmapped; -EINVAL if it was gone already. */
    public long destroy(Process p, AioContext ctx) {
        if (!remove(ctx)) {
            return -Errno.EINVAL;
        }
        p.memoryMap.munmap(ctx.userId(), ctx.mmapSize());
        return 0;
    }

    private boolean remove(AioContext ctx) {
        if (ctx.id() >= table.size() || table.get(ctx.id()) != ctx) {
            return false;
        }
        table.set(ctx.id(), null);
        ctx.kill();
        limits.release(ctx.maxReqs());
        return true;
    }

    /** exit_aio: every context killed with the address space (whose teardown takes the rings). */
    public void killAll() {
        for (AioContext ctx : new ArrayList<>(table)) {
            if (ctx != null) {
                remove(ctx);
            }
        }
        table.clear();
    }

    /** How many contexts exist. */
    public int count() {
        int n = 0;
        for (AioContext c : table) {
            if (c != null) {
                n++;
            }
        }
        return n;
    }
}
