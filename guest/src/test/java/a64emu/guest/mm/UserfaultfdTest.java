package a64emu.guest.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.signal.Signal;
import a64emu.mmu.AccessType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserfaultfdTest {
    private static final long PAGE = 4096;
    private static final long BASE = 0x5000_0000L;
    private final TestMachine m = new TestMachine(48);
    private final List<Object> woken = new ArrayList<>();
    private final Userfaultfd ctx = new Userfaultfd(m.mm, Userfaultfd.UFFD_USER_MODE_ONLY, woken::add);

    private Userfaultfd registered(long pages) {
        m.mm.insert(Vma.anonymous(BASE, BASE + pages * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        assertEquals(0, ctx.api(Userfaultfd.UFFD_API, 0, false)[3]);
        assertEquals(Userfaultfd.RANGE_IOCTLS, ctx.register(BASE, pages * PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_MISSING));
        return ctx;
    }

    private static long field(byte[] msg, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (msg[off + i] & 0xFF);
        }
        return v;
    }

    @Test
    void userModeFaultOnAMissingPageWaitsForTheHandlerInsteadOfZeroFilling() {
        registered(4);
        FaultHandler.Result r = m.faults.pageFault(BASE + PAGE + 0x10, AccessType.WRITE, true);
        assertFalse(r.resolved());
        assertNull(r.signal());
        assertSame(ctx, r.userfault().ctx());
        assertEquals(0, m.mm.pageTables().pte(BASE + PAGE), "nothing mapped until the handler fills it");
        r.userfault().post(42);
        assertTrue(ctx.hasUnread());
        byte[] msg = ctx.readMessage();
        assertEquals(Userfaultfd.UFFD_EVENT_PAGEFAULT, msg[0]);
        assertEquals(Userfaultfd.UFFD_PAGEFAULT_FLAG_WRITE, field(msg, 8));
        assertEquals(BASE + PAGE, field(msg, 16), "page-aligned without UFFD_FEATURE_EXACT_ADDRESS");
        assertEquals(0, field(msg, 24), "no thread id without UFFD_FEATURE_THREAD_ID");
        assertNull(ctx.readMessage(), "a read message is not read twice");
        assertFalse(ctx.hasUnread());
    }

    @Test
    void copyFillsTheMissingPageAndWakesOnlyTheFaultsInItsRange() throws BadUserAddressException {
        registered(4);
        Userfaultfd.Fault first = m.faults.pageFault(BASE + PAGE, AccessType.READ, true).userfault().post(1);
        Userfaultfd.Fault other = m.faults.pageFault(BASE + 3 * PAGE, AccessType.READ, true).userfault().post(2);
        byte[] data = new byte[(int) PAGE];
        Arrays.fill(data, (byte) 'A');
        long[] result = new long[1];
        long copied = ctx.copy(BASE + PAGE, 0x7000_0000L, PAGE, 0, (va, page) -> {
            System.arraycopy(data, 0, page, 0, page.length);
            return true;
        }, result);
        assertEquals(PAGE, copied);
        assertEquals(0, result[0]);
        assertEquals(List.of(first), woken, "only the fault in the copied range wakes");
        assertTrue(ProtectionMap.isWritable(m.mm.pageTables().pte(BASE + PAGE)), "an anonymous page of a writable area");
        assertTrue(m.faults.pageFault(BASE + PAGE, AccessType.READ, true).resolved());
        assertEquals('A', m.user.read(BASE + PAGE + 5, 1)[0]);
        assertTrue(ctx.hasUnread(), "the other fault still waits");
        assertNotNull(other);
    }

    @Test
    void copyOntoAPresentPageIsEexistAndAPartialCopyIsEagain() {
        registered(4);
        long[] result = new long[1];
        assertEquals(PAGE, ctx.zeropage(BASE + 2 * PAGE, PAGE, 0, result));
        assertEquals(-Errno.EEXIST, ctx.zeropage(BASE + 2 * PAGE, PAGE, 0, result));
        assertEquals(-Errno.EEXIST, result[0]);
        long copied = ctx.copy(BASE, 0x7000_0000L, 3 * PAGE, 0, (va, page) -> true, result);
        assertEquals(2 * PAGE, copied, "pages 0 and 1 before the present page 2");
        assertEquals(-Errno.EAGAIN, result[0]);
    }

    @Test
    void copyOutsideARegisteredAreaIsEnoentAndASourceFaultIsEfault() {
        registered(2);
        m.mm.insert(Vma.anonymous(BASE + 8 * PAGE, BASE + 9 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        long[] result = new long[1];
        assertEquals(-Errno.ENOENT, ctx.copy(BASE + 8 * PAGE, 0, PAGE, 0, (va, p) -> true, result));
        assertEquals(-Errno.ENOENT, ctx.copy(BASE + PAGE, 0, 2 * PAGE, 0, (va, p) -> true, result),
                "the range must lie inside one registered area");
        assertEquals(-Errno.EFAULT, ctx.copy(BASE, 0, PAGE, 0, (va, p) -> false, result));
        assertEquals(Long.MIN_VALUE, ctx.copy(BASE + 1, 0, PAGE, 0, (va, p) -> true, result));
        assertEquals(-Errno.EINVAL, result[0], "an unaligned destination, the copy field untouched");
    }

    @Test
    void aSharedAnonymousAreaWaitsOnlyForPagesItsShmemObjectLacks() throws BadUserAddressException {
        long a = m.memoryMap.mmap(0, 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_SHARED | Mman.MAP_ANONYMOUS, null, 0);
        ctx.api(Userfaultfd.UFFD_API, 0, false);
        assertEquals(Userfaultfd.RANGE_IOCTLS, ctx.register(a, 2 * PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_MISSING));
        assertNotNull(m.faults.pageFault(a, AccessType.READ, true).userfault());
        long[] result = new long[1];
        assertEquals(PAGE, ctx.copy(a, 0, PAGE, 0, (va, page) -> {
            Arrays.fill(page, (byte) 7);
            return true;
        }, result));
        assertEquals(7, m.user.read(a + 9, 1)[0]);
        m.mm.pageTables().zapPage(a); // MADV_DONTNEED: the page stays in the object
        assertTrue(m.faults.pageFault(a, AccessType.READ, true).resolved(), "the object has the page: no userfault");
        m.mm.pageTables().zapPage(a);
        assertEquals(-Errno.EEXIST, ctx.copy(a, 0, PAGE, 0, (va, page) -> true, result));
        assertEquals(PAGE, ctx.zeropage(a + PAGE, PAGE, 0, result), "a zeroed page of the object's own");
        assertFalse(PageTables.isSpecial(m.mm.pageTables().pte(a + PAGE)));
    }

    @Test
    void kernelAccessToAMissingPageOfAUserModeOnlyContextIsSigbus() {
        registered(1);
        FaultHandler.Result r = m.faults.pageFault(BASE, AccessType.READ, false);
        assertEquals(Signal.SIGBUS, r.signal().signo());
        assertEquals(Signal.BUS_ADRERR, r.signal().code());
    }

    @Test
    void sigbusFeatureTurnsEveryMissingFaultIntoSigbus() {
        m.mm.insert(Vma.anonymous(BASE, BASE + PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        ctx.api(Userfaultfd.UFFD_API, Userfaultfd.UFFD_FEATURE_SIGBUS, false);
        ctx.register(BASE, PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_MISSING);
        assertEquals(Signal.SIGBUS, m.faults.pageFault(BASE, AccessType.WRITE, true).signal().signo());
        assertFalse(ctx.hasUnread());
    }

    @Test
    void apiReportsTheOfferedFeaturesOnceAcceptsAnnouncementsAndRefusesEvents() {
        assertArrayEquals(new long[] {0, 0, 0, -Errno.EPERM},
                ctx.api(Userfaultfd.UFFD_API, Userfaultfd.UFFD_FEATURE_EVENT_FORK, false));
        assertArrayEquals(new long[] {0, 0, 0, -Errno.EINVAL}, ctx.api(0xAB, 0, false));
        assertArrayEquals(new long[] {0, 0, 0, -Errno.EINVAL}, ctx.api(Userfaultfd.UFFD_API, 1L << 40, false));
        assertArrayEquals(new long[] {0, 0, 0, -Errno.EINVAL},
                ctx.api(Userfaultfd.UFFD_API, Userfaultfd.UFFD_FEATURE_EVENT_UNMAP, false), "no events offered");
        long[] ok = ctx.api(Userfaultfd.UFFD_API,
                Userfaultfd.UFFD_FEATURE_THREAD_ID | Userfaultfd.UFFD_FEATURE_MISSING_SHMEM, false);
        assertArrayEquals(new long[] {Userfaultfd.UFFD_API, Userfaultfd.FEATURES, Userfaultfd.API_IOCTLS, 0}, ok);
        assertEquals(-Errno.EINVAL, ctx.api(Userfaultfd.UFFD_API, 0, false)[3], "only the first UFFDIO_API counts");
    }

    @Test
    void registerChecksModesAreasAndOwnership() {
        m.mm.insert(Vma.anonymous(BASE, BASE + 2 * PAGE, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        m.mm.insert(Vma.anonymous(BASE + 8 * PAGE, BASE + 9 * PAGE, Mman.PROT_READ, 0, null));
        ctx.api(Userfaultfd.UFFD_API, 0, false);
        assertEquals(-Errno.EINVAL, ctx.register(BASE, PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_WP),
                "arm64 6.1 has no write-protect mode");
        assertEquals(-Errno.EINVAL, ctx.register(BASE, PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_MINOR));
        assertEquals(-Errno.EINVAL, ctx.register(BASE + 4 * PAGE, PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_MISSING),
                "a hole below other areas");
        assertEquals(-Errno.ENOMEM, ctx.register(0x7f00_0000_0000L, PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_MISSING),
                "no area at or above the start");
        assertEquals(Userfaultfd.RANGE_IOCTLS, ctx.register(BASE + PAGE, PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_MISSING));
        assertEquals(3, m.mm.vmaCount(), "the area split at the range's start");
        Userfaultfd other = new Userfaultfd(m.mm, Userfaultfd.UFFD_USER_MODE_ONLY, woken::add);
        other.api(Userfaultfd.UFFD_API, 0, false);
        assertEquals(-Errno.EBUSY, other.register(BASE, 2 * PAGE, Userfaultfd.UFFDIO_REGISTER_MODE_MISSING));
        assertEquals(0, ctx.unregister(BASE, 2 * PAGE));
        assertEquals(2, m.mm.vmaCount(), "unregistered, the halves merge again");
    }

    @Test
    void releaseUnregistersEveryAreaAndWakesEverySleeper() {
        registered(2);
        Userfaultfd.Fault f = m.faults.pageFault(BASE, AccessType.READ, true).userfault().post(1);
        ctx.release();
        assertEquals(List.of(f), woken);
        assertNull(m.mm.find(BASE).userfault());
        assertEquals(0, m.mm.find(BASE).flags() & Vma.VM_UFFD_MISSING);
        assertTrue(m.faults.pageFault(BASE, AccessType.READ, true).resolved(), "an ordinary zero-fill fault now");
    }

    @Test
    void aSleeperThatLeftIsNoLongerReported() {
        registered(1);
        Userfaultfd.Fault f = m.faults.pageFault(BASE, AccessType.READ, true).userfault().post(1);
        f.setStillWaiting(() -> false);
        assertFalse(ctx.hasUnread(), "a signal or an exit took it off the queue");
    }
}
