package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guest memory side of the new file calls: struct flock for the record locks, struct
 * statx, utimensat's timespec[2], memfd_create's name and flags, loff_t offset pointers.
 */
class FileCallsGuestMemoryTest {
    private static final int AT_FDCWD = -100;
    private final TestMachine m = new TestMachine(48);
    @TempDir Path dir;
    private Process process;
    private Syscalls syscalls;
    private long scratch;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("f"), "0123456789");
        FileSystem fs = new FileSystem(dir, "/");
        FileTable files = new FileTable(fs, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), "/prog");
        process = new Process(4242, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        syscalls = new Syscalls(process, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        scratch = m.memoryMap.mmap(0, 4 * 4096, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
    }

    private long call(int nr, long... args) {
        Cpu cpu = process.cpu;
        for (int i = 0; i < 6; i++) cpu.x[i] = i < args.length ? args[i] : 0;
        cpu.x[8] = nr;
        syscalls.handle(cpu);
        return cpu.x[0];
    }

    private long string(long va, String s) throws BadUserAddressException {
        m.user.write(va, (s + "\0").getBytes(StandardCharsets.UTF_8));
        return va;
    }

    private long flock(long va, int type, int whence, long start, long len, int pid) throws BadUserAddressException {
        ByteBuffer b = ByteBuffer.allocate(FileLockSyscalls.FLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) type).putShort(2, (short) whence).putLong(8, start).putLong(16, len).putInt(24, pid);
        m.user.write(va, b.array());
        return va;
    }

    private ByteBuffer read(long va, int n) throws BadUserAddressException {
        return ByteBuffer.wrap(m.user.read(va, n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void getlkReportsTheConflictingLockInStructFlock() throws Exception {
        int fd = (int) call(OPENAT, AT_FDCWD, string(scratch, "/f"), 2, 0);
        assertEquals(0, call(FCNTL, fd, FileLockSyscalls.F_SETLK, flock(scratch + 512, 1, 0, 2, 3, 0)));
        // Another owner: a description of its own asking with F_OFD_GETLK.
        int other = (int) call(OPENAT, AT_FDCWD, string(scratch, "/f"), 2, 0);
        assertEquals(0, call(FCNTL, other, FileLockSyscalls.F_OFD_GETLK, flock(scratch + 512, 0, 1, 0, 0, 0)));
        ByteBuffer b = read(scratch + 512, FileLockSyscalls.FLOCK_SIZE);
        assertEquals(1, b.getShort(0), "F_WRLCK");
        assertEquals(0, b.getShort(2), "SEEK_SET");
        assertEquals(2, b.getLong(8));
        assertEquals(3, b.getLong(16));
        assertEquals(4242, b.getInt(24), "the POSIX owner's pid");
        assertEquals(-Errno.EAGAIN, call(FCNTL, other, FileLockSyscalls.F_OFD_SETLK, flock(scratch + 512, 0, 0, 4, 1, 0)));
        assertEquals(0, call(FCNTL, other, FileLockSyscalls.F_OFD_GETLK, flock(scratch + 512, 1, 0, 5, 0, 0)));
        assertEquals(2, read(scratch + 512, 2).getShort(0), "F_UNLCK: nothing in the way");
    }

    @Test
    void recordLockArgumentsAreCheckedAsFlockToPosixLock() throws Exception {
        int fd = (int) call(OPENAT, AT_FDCWD, string(scratch, "/f"), 2, 0);
        int ro = (int) call(OPENAT, AT_FDCWD, string(scratch, "/f"), 0, 0);
        long s = scratch + 512;
        assertEquals(-Errno.EINVAL, call(FCNTL, fd, FileLockSyscalls.F_OFD_SETLK, flock(s, 0, 0, 0, 0, 7)));
        assertEquals(-Errno.EINVAL, call(FCNTL, fd, FileLockSyscalls.F_SETLK, flock(s, 0, 9, 0, 0, 0)));
        assertEquals(-Errno.EINVAL, call(FCNTL, fd, FileLockSyscalls.F_SETLK, flock(s, 5, 0, 0, 0, 0)));
        assertEquals(-Errno.EINVAL, call(FCNTL, fd, FileLockSyscalls.F_SETLK, flock(s, 0, 0, -1, 0, 0)));
        assertEquals(-Errno.EINVAL, call(FCNTL, fd, FileLockSyscalls.F_GETLK, flock(s, 2, 0, 0, 0, 0)));
        assertEquals(-Errno.EOVERFLOW, call(FCNTL, fd, FileLockSyscalls.F_SETLK, flock(s, 0, 2, Long.MAX_VALUE, 0, 0)));
        assertEquals(-Errno.EBADF, call(FCNTL, ro, FileLockSyscalls.F_SETLK, flock(s, 1, 0, 0, 0, 0)));
        assertEquals(0, call(FCNTL, fd, FileLockSyscalls.F_SETLK, flock(s, 0, 0, 5, -3, 0)), "a negative length ends before start");
        assertEquals(-Errno.EFAULT, call(FCNTL, fd, FileLockSyscalls.F_SETLK, 0));
        assertEquals(-Errno.EBADF, call(FLOCK, 99, FileLockSyscalls.LOCK_SH));
        assertEquals(-Errno.EINVAL, call(FLOCK, fd, 0));
        assertEquals(0, call(FLOCK, fd, FileLockSyscalls.LOCK_MAND | FileLockSyscalls.LOCK_SH), "LOCK_MAND is ignored");
    }

    @Test
    void statxWritesTheStructAndRefusesAReservedMask() throws Exception {
        long st = scratch + 1024;
        assertEquals(0, call(STATX, AT_FDCWD, string(scratch, "/f"), 0, 0x7FF, st));
        ByteBuffer b = read(st, 256);
        assertEquals(0x7FF, b.getInt(0));
        assertEquals(10, b.getLong(40));
        assertEquals(-Errno.EINVAL, call(STATX, AT_FDCWD, string(scratch, "/f"), 0, 0x8000_0000L, st));
    }

    @Test
    void utimensatReadsTwoTimespecs() throws Exception {
        long ts = scratch + 2048;
        m.user.write64(ts, 100);
        m.user.write64(ts + 8, 5);
        m.user.write64(ts + 16, 200);
        m.user.write64(ts + 24, 6);
        assertEquals(0, call(UTIMENSAT, AT_FDCWD, string(scratch, "/f"), ts, 0));
        assertEquals(java.time.Instant.ofEpochSecond(200, 6), Files.getLastModifiedTime(dir.resolve("f")).toInstant());
    }

    @Test
    void memfdCreateChecksFlagsAndNameLength() throws Exception {
        assertEquals(-Errno.EINVAL, call(MEMFD_CREATE, string(scratch, "x"), 0x100));
        assertEquals(-Errno.EINVAL, call(MEMFD_CREATE, string(scratch, "n".repeat(250)), 0));
        assertEquals(-Errno.ENOSYS, call(MEMFD_CREATE, string(scratch, "huge"), 4), "no hugetlbfs");
        long fd = call(MEMFD_CREATE, string(scratch, "n".repeat(249)), 3);
        assertTrue(fd >= 3);
        assertEquals(1, call(FCNTL, fd, 1 /* F_GETFD */, 0), "MFD_CLOEXEC");
        assertEquals(0, call(FCNTL, fd, MemFdSyscalls.F_GET_SEALS, 0), "MFD_ALLOW_SEALING");
        assertEquals(-Errno.EINVAL, call(FCNTL, fd, MemFdSyscalls.F_ADD_SEALS, 1L << 32));
        int plain = (int) call(OPENAT, AT_FDCWD, string(scratch, "/f"), 2, 0);
        assertEquals(-Errno.EINVAL, call(FCNTL, plain, MemFdSyscalls.F_GET_SEALS, 0));
    }

    @Test
    void offsetPointersAreReadAndWrittenBack() throws Exception {
        int in = (int) call(OPENAT, AT_FDCWD, string(scratch, "/f"), 0, 0);
        int out = (int) call(OPENAT, AT_FDCWD, string(scratch, "/g"), 0101 /* O_WRONLY|O_CREAT */, 0644);
        long off = scratch + 3072;
        m.user.write64(off, 3);
        assertEquals(4, call(SENDFILE, out, in, off, 4));
        assertEquals(7, m.user.read64(off));
        assertEquals("3456", Files.readString(dir.resolve("g")));
        assertEquals(-Errno.EFAULT, call(SENDFILE, out, in, 0x10, 4));
    }
}
