package a64emu.guest.mm;

import a64emu.guest.Errno;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One userfaultfd context (Linux {@code fs/userfaultfd.c} with {@code mm/userfaultfd.c}):
 * areas registered with it in MISSING mode hand their missing-page faults to user space. A
 * user-mode fault on an empty entry of such an area ({@code do_anonymous_page} calling
 * {@code handle_userfault}) queues a {@link Fault} here and the faulting thread sleeps;
 * the handler reads the fault as a {@code uffd_msg}, fills the page with UFFDIO_COPY or
 * UFFDIO_ZEROPAGE (which wake the sleepers of the range) or wakes them with UFFDIO_WAKE,
 * and the access runs again.
 *
 * <p>What arm64 Linux 6.1 offers an unprivileged process, and what of it is here: the
 * context must be UFFD_USER_MODE_ONLY (vm.unprivileged_userfaultfd is 0), so a fault taken
 * by the kernel's own access to user memory is SIGBUS (EFAULT for the system call), never a
 * sleep. Anonymous areas can register, private and shared (shmem: MAP_SHARED|MAP_ANONYMOUS);
 * memfd and hugetlbfs areas, which Linux also takes, answer EINVAL here; arm64 6.1 has no write-protect mode
 * (HAVE_ARCH_USERFAULTFD_WP is x86-only), and MINOR mode is for shmem and hugetlbfs only. The
 * non-cooperative events (EVENT_FORK, REMAP, REMOVE, UNMAP) are not offered (EINVAL), and
 * UFFDIO_API reports only the features that are: SIGBUS, THREAD_ID and EXACT_ADDRESS.
 */
public final class Userfaultfd {
    // include/uapi/linux/userfaultfd.h
    public static final long UFFD_API = 0xAA;
    public static final int UFFD_USER_MODE_ONLY = 1;
    public static final long UFFD_FEATURE_PAGEFAULT_FLAG_WP = 1L << 0;
    public static final long UFFD_FEATURE_EVENT_FORK = 1L << 1;
    public static final long UFFD_FEATURE_EVENT_REMAP = 1L << 2;
    public static final long UFFD_FEATURE_EVENT_REMOVE = 1L << 3;
    public static final long UFFD_FEATURE_MISSING_HUGETLBFS = 1L << 4;
    public static final long UFFD_FEATURE_MISSING_SHMEM = 1L << 5;
    public static final long UFFD_FEATURE_EVENT_UNMAP = 1L << 6;
    public static final long UFFD_FEATURE_SIGBUS = 1L << 7;
    public static final long UFFD_FEATURE_THREAD_ID = 1L << 8;
    public static final long UFFD_FEATURE_MINOR_HUGETLBFS = 1L << 9;
    public static final long UFFD_FEATURE_MINOR_SHMEM = 1L << 10;
    public static final long UFFD_FEATURE_EXACT_ADDRESS = 1L << 11;
    public static final long UFFD_FEATURE_WP_HUGETLBFS_SHMEM = 1L << 12;
    /** Every feature Linux 6.1 knows (UFFD_API_FEATURES): others are EINVAL. */
    public static final long LINUX_FEATURES = (1L << 13) - 1;
    /** The features this context offers and UFFDIO_API reports. */
    public static final long FEATURES = UFFD_FEATURE_SIGBUS | UFFD_FEATURE_THREAD_ID | UFFD_FEATURE_EXACT_ADDRESS;
    /**
     * The non-cooperative events, which change what the handler reads and are not offered:
     * asking for one is EINVAL here. The other features Linux knows only announce what may
     * be registered (MISSING_SHMEM, MINOR_HUGETLBFS, PAGEFAULT_FLAG_WP...): asking for them
     * changes nothing, so they are taken as Linux takes them.
     */
    static final long EVENTS = UFFD_FEATURE_EVENT_FORK | UFFD_FEATURE_EVENT_REMAP | UFFD_FEATURE_EVENT_REMOVE
            | UFFD_FEATURE_EVENT_UNMAP;

    public static final int UFFDIO_REGISTER_NR = 0x00;
    public static final int UFFDIO_UNREGISTER_NR = 0x01;
    public static final int UFFDIO_WAKE_NR = 0x02;
    public static final int UFFDIO_COPY_NR = 0x03;
    public static final int UFFDIO_ZEROPAGE_NR = 0x04;
    public static final int UFFDIO_WRITEPROTECT_NR = 0x06;
    public static final int UFFDIO_CONTINUE_NR = 0x07;
    public static final int UFFDIO_API_NR = 0x3F;
    /** UFFD_API_IOCTLS: what UFFDIO_API says the descriptor takes. */
    public static final long API_IOCTLS = (1L << UFFDIO_REGISTER_NR) | (1L << UFFDIO_UNREGISTER_NR)
            | (1L << UFFDIO_API_NR);
    /** UFFD_API_RANGE_IOCTLS without WRITEPROTECT and CONTINUE (a MISSING-only range). */
    public static final long RANGE_IOCTLS = (1L << UFFDIO_WAKE_NR) | (1L << UFFDIO_COPY_NR)
            | (1L << UFFDIO_ZEROPAGE_NR);

    public static final long UFFDIO_REGISTER_MODE_MISSING = 1;
    public static final long UFFDIO_REGISTER_MODE_WP = 2;
    public static final long UFFDIO_REGISTER_MODE_MINOR = 4;
    public static final long UFFDIO_COPY_MODE_DONTWAKE = 1;
    public static final long UFFDIO_COPY_MODE_WP = 2;
    public static final long UFFDIO_ZEROPAGE_MODE_DONTWAKE = 1;
    public static final long UFFDIO_CONTINUE_MODE_DONTWAKE = 1;

    public static final int UFFD_EVENT_PAGEFAULT = 0x12;
    public static final int UFFD_PAGEFAULT_FLAG_WRITE = 1;
    /** sizeof(struct uffd_msg). */
    public static final int MSG_SIZE = 32;

    /**
     * One thread asleep in a missing-page fault ({@code struct userfaultfd_wait_queue}): the
     * message it posted and whether the handler has read it yet. {@code stillWaiting} says
     * whether the thread still sleeps for it (a signal or an exit ends the sleep, and Linux
     * takes the entry off the queue then).
     */
    public static final class Fault {
        final long address;
        final int flags;
        final int tid;
        boolean read;
        BooleanSupplier stillWaiting = () -> true;

        Fault(long address, int flags, int tid) {
            this.address = address;
            this.flags = flags;
            this.tid = tid;
        }

        /** Tells the context how to see that the sleeper left by itself. */
        public void setStillWaiting(BooleanSupplier s) {
            stillWaiting = s;
        }

        public long address() {
            return address;
        }
    }

    /** What a user-mode fault in a registered area asks of the faulting thread: sleep on {@code fault}. */
    public record Wait(Userfaultfd ctx, long address, boolean write) {
        /** Queues the fault message for {@code tid} (handle_userfault) and returns what to sleep on. */
        public Fault post(int tid) {
            return ctx.post(address, write, tid);
        }
    }

    /** Copies one page of the caller's memory at {@code va} into {@code page}; false on a fault. */
    @FunctionalInterface
    public interface SourceReader {
        boolean read(long va, byte[] page);
    }

    private final AddressSpace mm;
    private final int flags;
    private final Consumer<Object> waker;
    private Runnable readable = () -> {};
    /** ctx->features: 0 until UFFDIO_API; then the requested ones and the INITIALIZED bit. */
    private long features;
    private boolean initialized;
    private boolean released;
    /** fault_pending_wqh and fault_wqh: oldest first. */
    private final List<Fault> faults = new ArrayList<>();

    /**
     * @param mm     the address space whose areas register (the creator's: {@code ctx->mm})
     * @param flags  userfaultfd(2)'s flags (UFFD_USER_MODE_ONLY is the only one kept here)
     * @param waker  wakes the threads sleeping on a {@link Fault}
     */
    public Userfaultfd(AddressSpace mm, int flags, Consumer<Object> waker) {
        this.mm = mm;
        this.flags = flags;
        this.waker = waker;
    }

    /** What to run when a message becomes readable (the descriptor's pollers and readers). */
    public void onReadable(Runnable r) {
        readable = r;
    }

    public boolean initialized() {
        return initialized;
    }

    public AddressSpace addressSpace() {
        return mm;
    }

    boolean userModeOnly() {
        return (flags & UFFD_USER_MODE_ONLY) != 0;
    }

    boolean sigbus() {
        return (features & UFFD_FEATURE_SIGBUS) != 0;
    }

    /**
     * UFFDIO_API ({@code userfaultfd_api}) after the structure was read: the answer to copy
     * back (api, features, ioctls), all zero on a refusal (Linux zeroes the structure). The
     * features are taken once: a second call is EINVAL ({@code cmpxchg(&ctx->features, 0, ...)}
     * fails after the answer was written, which the refusal then zeroes).
     *
     * @return {api, features, ioctls} and, in [3], 0 or the -errno to return after writing them
     */
    public long[] api(long api, long requested, boolean capSysPtrace) {
        if (api != UFFD_API || (requested & ~LINUX_FEATURES) != 0) {
            return new long[] {0, 0, 0, -Errno.EINVAL};
        }
        if ((requested & UFFD_FEATURE_EVENT_FORK) != 0 && !capSysPtrace) {
            return new long[] {0, 0, 0, -Errno.EPERM};
        }
        if ((requested & EVENTS) != 0) {
            return new long[] {0, 0, 0, -Errno.EINVAL}; // an event Linux has but this context lacks
        }
        if (initialized) {
            return new long[] {0, 0, 0, -Errno.EINVAL};
        }
        features = requested;
        initialized = true;
        return new long[] {UFFD_API, FEATURES, API_IOCTLS, 0};
    }

    /**
     * Linux {@code validate_range}: page-aligned, non-empty, from mmap_min_addr, inside the
     * user address space.
     */
    public int validateRange(long start, long len) {
        long taskSize = mm.layout().taskSize();
        if ((start & (VmLayout.PAGE_SIZE - 1)) != 0 || (len & (VmLayout.PAGE_SIZE - 1)) != 0 || len == 0
                || Long.compareUnsigned(start, VmLayout.MMAP_MIN_ADDR) < 0
                || Long.compareUnsigned(start, taskSize) >= 0
                || Long.compareUnsigned(len, taskSize - start) > 0) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    /**
     * Register and unregister: {@code find_vma_prev} finds no area ending above the start
     * (ENOMEM, the error already set then), or the first such area starts at or past the end
     * (EINVAL: no area in the range).
     */
    private int checkSomeArea(long start, long end) {
        Vma first = mm.find(start);
        if (first == null) {
            first = mm.findEndingAbove(start);
        }
        if (first == null) {
            return -Errno.ENOMEM;
        }
        return Long.compareUnsigned(first.start(), end) >= 0 ? -Errno.EINVAL : 0;
    }

    /**
     * Linux {@code vma_can_userfault} for the modes offered: anonymous memory, private
     * ({@code vma_is_anonymous}) or shared ({@code vma_is_shmem}: MAP_SHARED|MAP_ANONYMOUS);
     * memfd and file mappings are not taken here.
     */
    static boolean canUserfault(Vma v) {
        return v.isAnonymous() && !v.isShared() || isSharedAnonymous(v);
    }

    /** A MAP_SHARED|MAP_ANONYMOUS area, whose pages are a shmem object's, in the page cache. */
    static boolean isSharedAnonymous(Vma v) {
        return v.isShared() && v.backing() != null && v.backing().source() instanceof SharedAnonymous;
    }

    /**
     * Whether the shmem object behind a shared anonymous area lacks the page at {@code va}
     * (neither cached nor swapped out): {@code shmem_get_folio_gfp} then hands the fault to
     * the userfaultfd, where a page already in the object is simply mapped.
     */
    static boolean shmemPageMissing(AddressSpace mm, Vma v, long va) {
        long pos = v.backing().offset() + (VmLayout.pageDown(va) - v.start());
        PageSource source = v.backing().source();
        long index = pos / VmLayout.PAGE_SIZE;
        return mm.frames().pageCache().find(source, pos) < 0
                && mm.frames().pageCache().swappedPages(source.identity(), index, index + 1) == 0;
    }

    /**
     * UFFDIO_REGISTER ({@code userfaultfd_register}): the areas in [start, start+len) are
     * registered in MISSING mode, split at the range's edges. Returns the ioctls the range
     * takes (written back in {@code uffdio_register.ioctls}), or -errno.
     */
    public long register(long start, long len, long mode) {
        if (mode == 0 || (mode & ~(UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP
                | UFFDIO_REGISTER_MODE_MINOR)) != 0) {
            return -Errno.EINVAL;
        }
        if ((mode & UFFDIO_REGISTER_MODE_WP) != 0) {
            return -Errno.EINVAL; // arm64 6.1: no CONFIG_HAVE_ARCH_USERFAULTFD_WP
        }
        int r = validateRange(start, len);
        if (r != 0) {
            return r;
        }
        long end = start + len;
        r = checkSomeArea(start, end);
        if (r != 0) {
            return r;
        }
        List<Vma> areas = mm.overlapping(start, end);
        for (Vma v : areas) {
            // MINOR mode: shmem and hugetlbfs only (vma_can_userfault); this takes anonymous memory only.
            if ((mode & UFFDIO_REGISTER_MODE_MINOR) != 0 || !canUserfault(v)) {
                return -Errno.EINVAL;
            }
            if (v.userfault() != null && v.userfault() != this) {
                return -Errno.EBUSY;
            }
        }
        mm.splitAt(start);
        mm.splitAt(end);
        for (Vma v : mm.overlapping(start, end)) {
            mm.replace(v, v.withUserfault(this));
        }
        return RANGE_IOCTLS;
    }

    /**
     * UFFDIO_UNREGISTER ({@code userfaultfd_unregister}): the areas in the range leave their
     * context, and the threads waiting for a page there are woken to fault again.
     */
    public long unregister(long start, long len) {
        int r = validateRange(start, len);
        if (r != 0) {
            return r;
        }
        long end = start + len;
        r = checkSomeArea(start, end);
        if (r != 0) {
            return r;
        }
        List<Vma> areas = mm.overlapping(start, end);
        for (Vma v : areas) {
            if (!canUserfault(v)) {
                return -Errno.EINVAL;
            }
        }
        for (Vma v : areas) {
            if (v.userfault() != null) {
                v.userfault().wake(Math.max(start, v.start()), Math.min(end, v.end()) - Math.max(start, v.start()));
            }
        }
        mm.splitAt(start);
        mm.splitAt(end);
        for (Vma v : mm.overlapping(start, end)) {
            if (v.userfault() != null) {
                mm.replace(v, v.withUserfault(null));
            }
        }
        return 0;
    }

    /**
     * UFFDIO_COPY ({@code userfaultfd_copy} and {@code mfill_atomic}): fills [dst, dst+len)
     * page by page with the caller's memory at {@code src}, each page into an empty entry
     * (EEXIST where one is there); the sleepers of the filled part are woken unless DONTWAKE.
     * Returns the bytes copied (the structure's {@code copy} field) or -errno, and in
     * {@code result[0]} what the ioctl returns: 0, -EAGAIN for a partial copy, or the error.
     */
    public long copy(long dst, long src, long len, long mode, SourceReader reader, long[] result) {
        int r = validateRange(dst, len);
        if (r == 0 && Long.compareUnsigned(src + len, src) <= 0) {
            r = -Errno.EINVAL;
        }
        if (r == 0 && (mode & ~(UFFDIO_COPY_MODE_DONTWAKE | UFFDIO_COPY_MODE_WP)) != 0) {
            r = -Errno.EINVAL;
        }
        if (r != 0) {
            result[0] = r;
            return Long.MIN_VALUE; // the structure's copy field is not written
        }
        return fill(dst, len, (mode & UFFDIO_COPY_MODE_WP) != 0, src, reader,
                (mode & UFFDIO_COPY_MODE_DONTWAKE) == 0, result);
    }

    /** UFFDIO_ZEROPAGE ({@code userfaultfd_zeropage}): as {@link #copy} with the zero page. */
    public long zeropage(long start, long len, long mode, long[] result) {
        int r = validateRange(start, len);
        if (r == 0 && (mode & ~UFFDIO_ZEROPAGE_MODE_DONTWAKE) != 0) {
            r = -Errno.EINVAL;
        }
        if (r != 0) {
            result[0] = r;
            return Long.MIN_VALUE;
        }
        return fill(start, len, false, 0, null, (mode & UFFDIO_ZEROPAGE_MODE_DONTWAKE) == 0, result);
    }

    /**
     * UFFDIO_CONTINUE ({@code userfaultfd_continue}): only a MINOR-mode shmem or hugetlbfs
     * range can be continued, which no range here is: ENOENT outside a registered area
     * ({@code find_dst_vma}), EINVAL in one.
     */
    public long continueRange(long start, long len, long mode, long[] result) {
        int r = validateRange(start, len);
        if (r == 0 && Long.compareUnsigned(start + len, start) <= 0) {
            r = -Errno.EINVAL;
        }
        if (r == 0 && (mode & ~UFFDIO_CONTINUE_MODE_DONTWAKE) != 0) {
            r = -Errno.EINVAL;
        }
        if (r != 0) {
            result[0] = r;
            return Long.MIN_VALUE;
        }
        result[0] = registeredArea(start, len) == null ? -Errno.ENOENT : -Errno.EINVAL;
        return result[0];
    }

    /**
     * Linux {@code find_dst_vma}: the one area that holds all of [start, start+len) and is
     * registered with a userfaultfd, or null.
     */
    private Vma registeredArea(long start, long len) {
        Vma v = mm.find(start);
        if (v == null || start + len > v.end() || v.userfault() == null) {
            return null;
        }
        return v;
    }

    /** Linux {@code __mcopy_atomic}: the page loop, stopping at the first error. */
    private long fill(long dst, long len, boolean wp, long src, SourceReader reader, boolean wake, long[] result) {
        Vma v = registeredArea(dst, len);
        long error = 0;
        long copied = 0;
        if (v == null) {
            error = -Errno.ENOENT;
        } else if (wp) {
            error = -Errno.EINVAL; // a write-protected copy needs a WP-registered range
        } else if (!canUserfault(v)) {
            error = -Errno.EINVAL;
        } else {
            byte[] page = reader == null ? null : new byte[(int) VmLayout.PAGE_SIZE];
            for (long off = 0; off < len; off += VmLayout.PAGE_SIZE) {
                if (page != null && !reader.read(src + off, page)) {
                    error = -Errno.EFAULT;
                    break;
                }
                int r;
                try {
                    r = install(v, dst + off, page);
                } catch (OutOfFramesException e) {
                    r = -Errno.ENOMEM;
                }
                if (r != 0) {
                    error = r;
                    break;
                }
                copied += VmLayout.PAGE_SIZE;
            }
        }
        long field = copied != 0 ? copied : error;
        if (field < 0) {
            result[0] = field;
            return field;
        }
        if (wake) {
            wake(dst, copied);
        }
        result[0] = copied == len ? 0 : -Errno.EAGAIN;
        return field;
    }

    /**
     * Linux {@code mfill_atomic_pte}: a new anonymous page with the data ({@code mcopy_atomic_pte}:
     * dirty, young, writable if the area is), or the zero page read-only
     * ({@code mfill_zeropage_pte}), into an empty entry only.
     */
    private int install(Vma v, long va, byte[] data) throws OutOfFramesException {
        PageTables pt = mm.pageTables();
        FrameAllocator frames = mm.frames();
        if (pt.pte(va) != 0) {
            return -Errno.EEXIST;
        }
        if (isSharedAnonymous(v)) {
            return installShmem(v, va, data);
        }
        if (data == null) {
            pt.set(va, ProtectionMap.zeroPage(frames.zeroFrame(), v.prot()));
            return 0;
        }
        long frame = frames.allocate();
        if (pt.pte(va) != 0) {
            frames.put(frame); // reclaim's allocation raced with another fill: the entry is there now
            return -Errno.EEXIST;
        }
        pt.mmu().ram().write(frame, data, 0, data.length);
        try {
            pt.set(va, ProtectionMap.mkyoung(ProtectionMap.pte(frame, v.prot(), false, v.writable())));
        } catch (OutOfFramesException e) {
            frames.put(frame);
            throw e;
        }
        if (v.isLocked()) {
            frames.setMlocked(frame, true);
        }
        return 0;
    }

    /**
     * Linux {@code shmem_mfill_atomic_pte}: a new page of the shmem object (the data, or
     * zeros for UFFDIO_ZEROPAGE: shmem has no shared zero page), EEXIST if the object has
     * one there already; mapped dirty, and writable if the area is.
     */
    private int installShmem(Vma v, long va, byte[] data) throws OutOfFramesException {
        if (!shmemPageMissing(mm, v, va)) {
            return -Errno.EEXIST;
        }
        PageCache cache = mm.frames().pageCache();
        PageSource source = v.backing().source();
        long pos = v.backing().offset() + (va - v.start());
        long frame = cache.findOrRead(source, pos);
        if (data != null) {
            mm.pageTables().mmu().ram().write(frame, data, 0, data.length);
        }
        mm.frames().get(frame);
        try {
            mm.pageTables().set(va, ProtectionMap.mkyoung(ProtectionMap.pte(frame, v.prot(), true, v.writable())));
        } catch (OutOfFramesException e) {
            mm.frames().put(frame);
            throw e;
        }
        if (v.writable()) {
            cache.noteWriter(frame, source);
        }
        if (v.isLocked()) {
            mm.frames().setMlocked(frame, true);
        }
        return 0;
    }

    /** UFFDIO_WAKE: validates the range, then wakes its sleepers. */
    public long wakeRange(long start, long len) {
        int r = validateRange(start, len);
        if (r != 0) {
            return r;
        }
        wake(start, len);
        return 0;
    }

    /**
     * Linux {@code __wake_userfault}: every thread asleep on a fault in [start, start+len)
     * (read by the handler or not) leaves the queue and runs its access again.
     */
    void wake(long start, long len) {
        List<Fault> woken = new ArrayList<>();
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (Long.compareUnsigned(f.address, start) >= 0 && Long.compareUnsigned(f.address, start + len) < 0) {
                it.remove();
                woken.add(f);
            }
        }
        for (Fault f : woken) {
            waker.accept(f);
        }
    }

    /** Linux {@code handle_userfault}'s message, queued for reading; the thread sleeps on the result. */
    Fault post(long address, boolean write, int tid) {
        long reported = (features & UFFD_FEATURE_EXACT_ADDRESS) != 0 ? address : VmLayout.pageDown(address);
        Fault f = new Fault(reported, write ? UFFD_PAGEFAULT_FLAG_WRITE : 0,
                (features & UFFD_FEATURE_THREAD_ID) != 0 ? tid : 0);
        faults.add(f);
        readable.run();
        return f;
    }

    /** Takes the sleepers that left (a signal, an exit) off the queue. */
    private void prune() {
        faults.removeIf(f -> !f.stillWaiting.getAsBoolean());
    }

    /** Whether an unread fault message waits (the descriptor polls EPOLLIN). */
    public boolean hasUnread() {
        prune();
        for (Fault f : faults) {
            if (!f.read) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code userfaultfd_ctx_read}: the oldest unread fault as a {@code uffd_msg}, marked read
     * (it stays queued until woken); null if none.
     */
    public byte[] readMessage() {
        prune();
        for (Fault f : faults) {
            if (!f.read) {
                f.read = true;
                byte[] msg = new byte[MSG_SIZE];
                msg[0] = (byte) UFFD_EVENT_PAGEFAULT;
                putLong(msg, 8, f.flags);
                putLong(msg, 16, f.address);
                putLong(msg, 24, f.tid & 0xFFFF_FFFFL);
                return msg;
            }
        }
        return null;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * {@code userfaultfd_release}, the descriptor's last close: every area leaves this
     * context and every sleeper is woken to fault again (now into ordinary memory).
     */
    public void release() {
        released = true;
        if (!mm.isReleased()) {
            for (Vma v : new ArrayList<>(mm.vmas())) {
                if (v.userfault() == this) {
                    Vma now = mm.find(v.start());
                    if (now != null && now.start() == v.start() && now.userfault() == this) {
                        mm.replace(now, now.withUserfault(null));
                    }
                }
            }
        }
        List<Fault> woken = new ArrayList<>(faults);
        faults.clear();
        for (Fault f : woken) {
            waker.accept(f);
        }
    }

    public boolean released() {
        return released;
    }
}
