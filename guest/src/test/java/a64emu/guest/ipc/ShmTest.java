package a64emu.guest.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.UserMemory;
import a64emu.guest.mm.AddressSpace;
import a64emu.guest.mm.DupMmap;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.mm.MemoryMap;
import a64emu.guest.mm.TranslationRegime;
import a64emu.guest.mm.Vma;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShmTest {
    private static final long PAGE = 4096;
    private final TestMachine m = new TestMachine(48);
    private final List<Object> woken = new ArrayList<>();
    private final IpcNamespace ns = Callers.namespace(m.frames, woken);
    private final Shm shm = ns.shm();
    private final IpcCaller root = Callers.root(1);

    private ByteBuffer buf() {
        return ByteBuffer.allocate(Shm.SHMID64_DS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    private long nattch(int id) {
        ByteBuffer b = buf();
        assertEquals(0, shm.ctl(root, id, Ipc.IPC_STAT, b));
        return b.getLong(88);
    }

    @Test
    void newSegmentChecksSizeLimitsAndMoreChecksRefuseALargerSizeForAnExistingKey() {
        assertEquals(-Errno.EINVAL, shm.get(root, 1, 0, Ipc.IPC_CREAT | 0600));
        assertEquals(-Errno.EINVAL, shm.get(root, 1, -1L, Ipc.IPC_CREAT | 0600), "above SHMMAX, unsigned");
        int id = (int) shm.get(root, 1, 10000, Ipc.IPC_CREAT | 0600);
        assertEquals(0, id);
        assertEquals(-Errno.EINVAL, shm.get(root, 1, 10001, 0));
        assertEquals(id, shm.get(root, 1, 5, 0));
        assertEquals(-Errno.ENOMEM, shm.get(root, 2, 4096, Ipc.IPC_CREAT | Shm.SHM_HUGETLB), "no huge pages");
        assertEquals(-Errno.EPERM, shm.get(Callers.user(2, 1000, 1000), 2, 4096, Ipc.IPC_CREAT | Shm.SHM_HUGETLB));
        assertEquals(-Errno.EINVAL, shm.get(root, 2, 4096, Ipc.IPC_CREAT | Shm.SHM_HUGETLB | (13 << 26)));
    }

    @Test
    void statReportsTheShmid64DsLayout() {
        int id = (int) shm.get(Callers.user(7, 1000, 100), 0x1234, 5000, Ipc.IPC_CREAT | 0640);
        ByteBuffer b = buf();
        assertEquals(0, shm.ctl(root, id, Ipc.IPC_STAT, b));
        assertEquals(0x1234, b.getInt(0));
        assertEquals(1000, b.getInt(4));
        assertEquals(100, b.getInt(8));
        assertEquals(1000, b.getInt(12));
        assertEquals(0640, b.getInt(20));
        assertEquals(5000, b.getLong(48));
        assertEquals(0, b.getLong(56), "never attached");
        assertEquals(1000, b.getLong(72), "ctime from the caller's clock");
        assertEquals(7, b.getInt(80));
        assertEquals(0, b.getInt(84));
        assertEquals(id, shm.ctl(root, 0, Shm.SHM_STAT, buf()), "SHM_STAT takes an index and returns the id");
        assertEquals(-Errno.EINVAL, shm.ctl(root, id + 32768, Ipc.IPC_STAT, buf()));
        assertEquals(-Errno.EACCES, shm.ctl(Callers.user(8, 2000, 200), id, Ipc.IPC_STAT, buf()));
        assertEquals(id, shm.ctl(Callers.user(8, 2000, 200), 0, Shm.SHM_STAT_ANY, buf()));
    }

    @Test
    void attachesShareFramesWithForkedChildrenAndNattchCountsAreas() throws Exception {
        int id = (int) shm.get(root, 0, 2 * PAGE, 0600);
        long a = shm.attach(root, m.memoryMap, id, 0, 0);
        assertTrue(a > 0);
        assertEquals(1, nattch(id));
        m.user.write64(a + PAGE, 77);
        AddressSpace child = DupMmap.fork(m.mm, 2);
        assertEquals(2, nattch(id), "fork duplicates the attach");
        TranslationRegime.install(m.mmu, child.pageTables());
        UserMemory childUser = new UserMemory(m.mmu, new FaultHandler(child, m.frames, m.mmu));
        assertEquals(77, childUser.read64(a + PAGE));
        childUser.write64(a, 5);
        child.release();
        assertEquals(1, nattch(id), "exit detaches");
        TranslationRegime.install(m.mmu, m.pt);
        assertEquals(5, m.user.read64(a), "the child's store is in the parent's frame");
    }

    @Test
    void pagesOutliveTheirAttachesUntilTheSegmentIsRemovedAndDestroyedAtTheLastDetach() throws Exception {
        int before = m.frames.usedFrames();
        int id = (int) shm.get(root, 5, PAGE, Ipc.IPC_CREAT | 0600);
        long a = shm.attach(root, m.memoryMap, id, 0, 0);
        m.user.write64(a, 99);
        assertEquals(0, shm.detach(m.mm, a));
        assertEquals(0, nattch(id));
        long b = shm.attach(root, m.memoryMap, id, 0, 0);
        assertEquals(99, m.user.read64(b));
        assertEquals(0, shm.ctl(root, id, Ipc.IPC_RMID, buf()));
        ByteBuffer st = buf();
        assertEquals(0, shm.ctl(root, id, Ipc.IPC_STAT, st));
        assertEquals(ShmSegment.SHM_DEST | 0600, st.getInt(20));
        assertEquals(Ipc.IPC_PRIVATE, st.getInt(0));
        assertEquals(-Errno.ENOENT, shm.get(root, 5, 0, 0));
        assertEquals(0, shm.detach(m.mm, b));
        assertNull(shm.segment(id));
        assertEquals(before, m.frames.usedFrames(), "the segment's frame went back");
    }

    @Test
    void shmatChecksAlignmentRemapAndOverlapAsDoShmatDoes() {
        int id = (int) shm.get(root, 0, PAGE, 0600);
        long a = shm.attach(root, m.memoryMap, id, 0, 0);
        assertEquals(-Errno.EINVAL, shm.attach(root, m.memoryMap, id, a + 1, 0));
        assertEquals(-Errno.EINVAL, shm.attach(root, m.memoryMap, id, 0, Shm.SHM_REMAP));
        assertEquals(-Errno.EINVAL, shm.attach(root, m.memoryMap, id, a, 0), "over an existing area");
        assertEquals(a, shm.attach(root, m.memoryMap, id, a + 5, Shm.SHM_RND | Shm.SHM_REMAP));
        assertEquals(-Errno.EINVAL, shm.attach(root, m.memoryMap, id + 32768, 0, 0));
        assertEquals(-Errno.EINVAL, shm.detach(m.mm, a + 8));
        assertEquals(-Errno.EINVAL, shm.detach(m.mm, a + PAGE));
    }

    @Test
    void aReadOnlyAttachMapsWithoutWriteAndCannotGainIt() {
        int id = (int) shm.get(root, 0, PAGE, 0600);
        long a = shm.attach(root, m.memoryMap, id, 0, Shm.SHM_RDONLY);
        Vma v = m.mm.find(a);
        assertFalse(v.writable());
        assertTrue(v.isShared());
        assertEquals("/SYSV00000000 (deleted)", v.backing().path());
        assertEquals(-Errno.EACCES, m.memoryMap.mprotect(a, PAGE, 3));
        assertEquals(-Errno.EACCES, shm.attach(Callers.user(2, 1000, 1000), m.memoryMap, id, 0, Shm.SHM_RDONLY));
    }

    @Test
    void shmdtUnmapsEveryAreaOfTheAttachItFindsAndASplitAreaCountsTwice() {
        int id = (int) shm.get(root, 0, 3 * PAGE, 0600);
        long a = shm.attach(root, m.memoryMap, id, 0, 0);
        assertEquals(0, m.memoryMap.mprotect(a + PAGE, PAGE, 1));
        assertEquals(3, nattch(id));
        assertEquals(0, shm.detach(m.mm, a));
        assertEquals(0, nattch(id));
        assertNull(m.mm.find(a + 2 * PAGE));
    }

    @Test
    void shmLockNeedsOwnershipOrCapIpcLockAndChargesRlimitMemlock() {
        IpcCaller owner = new IpcCaller(3, 1000, 1000, List.of(), 0, 3 * PAGE, 0);
        int id = (int) shm.get(owner, 0, 2 * PAGE, 0600);
        int id2 = (int) shm.get(owner, 0, 2 * PAGE, 0600);
        assertEquals(-Errno.EPERM, shm.ctl(Callers.user(4, 2000, 2000), id, Shm.SHM_LOCK, buf()));
        assertEquals(-Errno.EPERM, shm.ctl(new IpcCaller(3, 1000, 1000, List.of(), 0, 0, 0), id, Shm.SHM_LOCK, buf()));
        assertEquals(0, shm.ctl(owner, id, Shm.SHM_LOCK, buf()));
        assertEquals(-Errno.ENOMEM, shm.ctl(owner, id2, Shm.SHM_LOCK, buf()), "4 pages above a 3-page limit");
        ByteBuffer st = buf();
        shm.ctl(owner, id, Ipc.IPC_STAT, st);
        assertEquals(ShmSegment.SHM_LOCKED | 0600, st.getInt(20));
        assertEquals(0, shm.ctl(owner, id, Shm.SHM_UNLOCK, buf()));
        assertEquals(0, shm.ctl(owner, id2, Shm.SHM_LOCK, buf()), "the unlock gave the charge back");
    }

    @Test
    void aLockedSegmentsPagesAreUnevictableUntilUnlocked() throws Exception {
        int id = (int) shm.get(root, 0, PAGE, 0600);
        long a = shm.attach(root, m.memoryMap, id, 0, 0);
        m.user.write64(a, 1);
        long frame = a64emu.guest.mm.PageTables.frameOf(m.pt.pte(a));
        assertFalse(m.frames.pageCache().unevictable(frame));
        assertEquals(0, shm.ctl(root, id, Shm.SHM_LOCK, buf()));
        assertTrue(m.frames.pageCache().unevictable(frame));
        assertEquals(0, shm.ctl(root, id, Shm.SHM_UNLOCK, buf()));
        assertFalse(m.frames.pageCache().unevictable(frame));
    }

    @Test
    void ipcSetChangesOwnerAndPermissionBitsOnlyForTheOwnerAndRejectsAnInvalidUid() {
        int id = (int) shm.get(root, 0, PAGE, 0600);
        ByteBuffer b = buf();
        b.putInt(4, 1000).putInt(8, 1000).putInt(20, 01644);
        assertEquals(-Errno.EPERM, shm.ctl(Callers.user(2, 1000, 1000), id, Ipc.IPC_SET, b));
        assertEquals(0, shm.ctl(root, id, Ipc.IPC_SET, b));
        ByteBuffer st = buf();
        shm.ctl(root, id, Ipc.IPC_STAT, st);
        assertEquals(0644, st.getInt(20), "only the permission bits change");
        assertEquals(1000, st.getInt(4));
        b.putInt(4, -1);
        assertEquals(-Errno.EINVAL, shm.ctl(root, id, Ipc.IPC_SET, b));
    }

    @Test
    void ipcInfoAndProcShowLinuxDefaultsAndColumns() {
        ByteBuffer b = buf();
        assertEquals(0, shm.ctl(root, 0, Ipc.IPC_INFO, b));
        assertEquals(Shm.SHMMAX, b.getLong(0));
        assertEquals(1, b.getLong(8));
        assertEquals(4096, b.getLong(16));
        int id = (int) shm.get(root, 0x5eed, 5000, Ipc.IPC_CREAT | 0640);
        long a = shm.attach(root, m.memoryMap, id, 0, 0);
        String proc = new String(SysvIpcProc.shm(ns));
        assertTrue(proc.startsWith(SysvIpcProc.SHM_HEADER));
        assertEquals("     24301          0   640                  5000     1    42      1     0     0     0     0"
                + "       1234          0       1000                     0                     0\n",
                proc.substring(SysvIpcProc.SHM_HEADER.length()));
        assertTrue(a > 0);
    }
}
