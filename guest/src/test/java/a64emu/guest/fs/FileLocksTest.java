package a64emu.guest.fs;

import static a64emu.guest.fs.FileLocks.*;
import static a64emu.guest.fs.FsTestSupport.*;
import static a64emu.guest.fs.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest kernel's advisory locks: flock, POSIX and OFD record locks, their owners and releases. */
class FileLocksTest {
    @TempDir Path dir;
    FileTable parent;
    FileTable child;
    FileLocks locks;
    Object inode;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("f"), "0123456789");
        parent = table(new FileSystem(dir, "/"), new Streams(""), "/prog");
        child = parent.copyForFork();
        locks = parent.fileSystem().locks();
        inode = FileLocks.inodeOf(parent.file(parent.openat(AT_FDCWD, "/f", O_RDWR, 0)));
    }

    private OpenFile open(FileTable t) {
        return t.file(t.openat(AT_FDCWD, "/f", O_RDWR, 0));
    }

    @Test
    void forkedTablesShareOneLockTable() {
        assertSame(locks, child.fileSystem().locks());
    }

    @Test
    void flockConflictsBetweenDescriptionsNotWithinOne() {
        OpenFile a = open(parent);
        OpenFile b = open(child);
        assertEquals(0, locks.flock(a, inode, F_WRLCK));
        assertEquals(-Errno.EAGAIN, locks.flock(b, inode, F_RDLCK));
        assertEquals(0, locks.flock(a, inode, F_RDLCK), "the holder converts its own lock");
        assertEquals(0, locks.flock(b, inode, F_RDLCK), "shared locks coexist");
        assertEquals(-Errno.EAGAIN, locks.flock(b, inode, F_WRLCK));
        assertEquals(0, locks.flock(a, inode, F_UNLCK));
        assertEquals(0, locks.flock(b, inode, F_WRLCK));
    }

    @Test
    void flockGoesWithTheLastReferenceToItsDescription() {
        int fd = parent.openat(AT_FDCWD, "/f", O_RDWR, 0);
        OpenFile a = parent.file(fd);
        int dup = parent.dup(fd);
        OpenFile b = open(child);
        assertEquals(0, locks.flock(a, inode, F_WRLCK));
        parent.close(fd);
        assertEquals(-Errno.EAGAIN, locks.flock(b, inode, F_WRLCK), "a dup still holds the description");
        parent.close(dup);
        assertEquals(0, locks.flock(b, inode, F_WRLCK));
    }

    @Test
    void posixLocksConflictAcrossOwnersOnOverlapWithAWriter() {
        assertEquals(0, locks.setRange(parent, 10, false, inode, F_WRLCK, 0, 3));
        assertEquals(0, locks.setRange(parent, 10, false, inode, F_RDLCK, 6, OFFSET_MAX));
        assertEquals(-Errno.EAGAIN, locks.setRange(child, 11, false, inode, F_RDLCK, 2, 2));
        assertEquals(0, locks.setRange(child, 11, false, inode, F_RDLCK, 8, 8));
        assertEquals(-Errno.EAGAIN, locks.setRange(child, 11, false, inode, F_WRLCK, 8, 8));
        assertEquals(0, locks.setRange(child, 11, false, inode, F_WRLCK, 4, 5));
        RangeLock c = locks.conflicting(child, inode, F_WRLCK, 0, OFFSET_MAX);
        assertEquals(new RangeLock(parent, 10, false, F_WRLCK, 0, 3), c);
        assertNull(locks.conflicting(child, inode, F_RDLCK, 7, 7));
        assertNull(locks.conflicting(parent, inode, F_WRLCK, 0, 3), "an owner never conflicts with itself");
    }

    @Test
    void anOwnersLocksSplitOnUnlockAndMergeWhenTheyTouch() {
        locks.setRange(parent, 10, false, inode, F_WRLCK, 0, 9);
        locks.setRange(parent, 10, false, inode, F_UNLCK, 3, 5);
        assertEquals(2, locks.rangeLocks(inode).size());
        assertNull(locks.conflicting(child, inode, F_WRLCK, 3, 5));
        assertNotNull(locks.conflicting(child, inode, F_WRLCK, 6, 6));
        locks.setRange(parent, 10, false, inode, F_WRLCK, 3, 5);
        assertEquals(java.util.List.of(new RangeLock(parent, 10, false, F_WRLCK, 0, 9)), locks.rangeLocks(inode));
        locks.setRange(parent, 10, false, inode, F_RDLCK, 4, 4);
        assertEquals(3, locks.rangeLocks(inode).size(), "a read lock in the middle splits the write lock");
    }

    @Test
    void closingAnyDescriptorOfTheFileDropsTheProcessesPosixLocks() {
        int fd = parent.openat(AT_FDCWD, "/f", O_RDWR, 0);
        int other = parent.openat(AT_FDCWD, "/f", O_RDONLY, 0);
        locks.setRange(parent, 10, false, inode, F_WRLCK, 0, 3);
        assertTrue(locks.holdsPosixLocks(parent));
        child.close(child.openat(AT_FDCWD, "/f", O_RDONLY, 0));
        assertFalse(locks.rangeLocks(inode).isEmpty(), "another process's close does not touch them");
        parent.close(other);
        assertTrue(locks.rangeLocks(inode).isEmpty());
        assertFalse(locks.holdsPosixLocks(parent));
        parent.close(fd);
    }

    @Test
    void ofdLocksBelongToTheDescriptionAndConflictWithPosixLocks() {
        OpenFile a = open(parent);
        OpenFile b = open(parent);
        assertEquals(0, locks.setRange(a, -1, true, inode, F_WRLCK, 0, 0));
        assertEquals(-Errno.EAGAIN, locks.setRange(b, -1, true, inode, F_WRLCK, 0, 0), "two descriptions of one process");
        assertEquals(-Errno.EAGAIN, locks.setRange(parent, 10, false, inode, F_RDLCK, 0, 0));
        assertEquals(-1, locks.conflicting(parent, inode, F_RDLCK, 0, 0).pid());
        a.release();
        assertEquals(0, locks.setRange(b, -1, true, inode, F_WRLCK, 0, 0), "the OFD lock went with its description");
    }

    @Test
    void releasingALockWakesItsWaiters() {
        AtomicInteger woken = new AtomicInteger();
        OpenFile a = open(parent);
        OpenFile b = open(child);
        locks.flock(a, inode, F_WRLCK);
        assertEquals(-Errno.EAGAIN, locks.flock(b, inode, F_WRLCK));
        locks.queue(inode).add("waiter", woken::incrementAndGet);
        locks.flock(a, inode, F_UNLCK);
        assertEquals(1, woken.get());
        locks.setRange(parent, 10, false, inode, F_WRLCK, 0, 0);
        locks.queue(inode).add("waiter", woken::incrementAndGet);
        locks.closedByOwner(parent, inode);
        assertEquals(2, woken.get());
    }
}
