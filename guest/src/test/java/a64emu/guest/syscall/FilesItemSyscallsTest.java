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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calls of issue 15's "Files" item as an unprivileged process makes them: the register
 * and memory side of preadv/pwritev(2), vmsplice, openat2's struct open_how, ioprio, and the
 * mount, quota, handle and fanotify calls that end in Linux's refusal after their own checks.
 */
class FilesItemSyscallsTest {
    private static final int AT_FDCWD = -100;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private final TestMachine m = new TestMachine(48);
    @TempDir Path dir;
    private Process process;
    private Syscalls syscalls;
    private long scratch;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("f"), "0123456789");
        FileTable files = new FileTable(new FileSystem(dir, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/prog");
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
        process.user.write(va, (s + "\0").getBytes(StandardCharsets.UTF_8));
        return va;
    }

    /** One iovec at {@code iov} naming {@code len} bytes at {@code buf}. */
    private long iovec(long iov, long buf, long len) throws BadUserAddressException {
        process.user.write64(iov, buf);
        process.user.write64(iov + 8, len);
        return iov;
    }

    private int open(String path) throws BadUserAddressException {
        return (int) call(OPENAT, AT_FDCWD, string(scratch + 3000, path), O_RDWR);
    }

    @Test
    void preadvTakesPosLAsTheWholeOffsetAndLeavesTheFileOffset() throws Exception {
        int fd = open("/f");
        long iov = iovec(scratch, scratch + 64, 4);
        assertEquals(4, call(PREADV, fd, iov, 1, 3, 0x7777));
        assertEquals("3456", new String(process.user.read(scratch + 64, 4), StandardCharsets.US_ASCII));
        assertEquals(0, call(LSEEK, fd, 0, 1));
        assertEquals(-Errno.EINVAL, call(PREADV, fd, iov, 1, -1, 0));
    }

    @Test
    void preadv2ChecksFlagsOnlyWhenThereIsSomethingToRead() throws Exception {
        int fd = open("/f");
        long iov = iovec(scratch, scratch + 64, 4);
        assertEquals(-Errno.ENOTSUP, call(PREADV2, fd, iov, 1, 0, 0, 0x20));
        assertEquals(0, call(PREADV2, fd, iovec(scratch + 32, scratch + 64, 0), 1, 0, 0, 0x20));
        assertEquals(4, call(PREADV2, fd, iov, 1, -1, 0, PositionalIoSyscalls.RWF_NOWAIT | PositionalIoSyscalls.RWF_HIPRI));
        assertEquals(4, call(LSEEK, fd, 0, 1), "position -1 reads at the file offset and moves it");
        assertEquals(-Errno.EINVAL, call(PREADV2, fd, iov, 1, -2, 0, 0));
        assertEquals(-Errno.EINVAL, call(PREADV2, fd, iov, 1025, 0, 0, 0));
    }

    @Test
    void pwritev2AppendsWithRwfAppendAndRefusesNowaitOnARegularFile() throws Exception {
        int fd = open("/f");
        process.user.write(scratch + 64, "XY".getBytes(StandardCharsets.US_ASCII));
        long iov = iovec(scratch, scratch + 64, 2);
        assertEquals(2, call(PWRITEV2, fd, iov, 1, 0, 0, PositionalIoSyscalls.RWF_APPEND | PositionalIoSyscalls.RWF_DSYNC));
        assertEquals("0123456789XY", Files.readString(dir.resolve("f")));
        assertEquals(-Errno.ENOTSUP, call(PWRITEV2, fd, iov, 1, 0, 0, PositionalIoSyscalls.RWF_NOWAIT));
        assertEquals(2, call(PWRITEV, fd, iov, 1, 1, 0));
        assertEquals("0XY3456789XY", Files.readString(dir.resolve("f")));
    }

    @Test
    void vmspliceCopiesUserMemoryIntoAPipeAndBack() throws Exception {
        assertEquals(0, call(PIPE2, scratch + 2048, 0));
        int r = process.user.read32(scratch + 2048);
        int w = process.user.read32(scratch + 2052);
        process.user.write(scratch + 64, "spliced".getBytes(StandardCharsets.US_ASCII));
        assertEquals(7, call(VMSPLICE, w, iovec(scratch, scratch + 64, 7), 1, 8 /* SPLICE_F_GIFT */));
        assertEquals(7, call(VMSPLICE, r, iovec(scratch + 16, scratch + 128, 16), 1, 0));
        assertEquals("spliced", new String(process.user.read(scratch + 128, 7), StandardCharsets.US_ASCII));
        assertEquals(-Errno.EAGAIN, call(VMSPLICE, r, scratch + 16, 1, 2 /* SPLICE_F_NONBLOCK */));
        assertEquals(-Errno.EINVAL, call(VMSPLICE, r, scratch + 16, 1, 16));
        assertEquals(-Errno.EBADF, call(VMSPLICE, open("/f"), scratch + 16, 1, 0), "not a pipe");
    }

    private long how(long flags, long mode, long resolve) throws BadUserAddressException {
        long va = scratch + 1024;
        process.user.write64(va, flags);
        process.user.write64(va + 8, mode);
        process.user.write64(va + 16, resolve);
        process.user.write64(va + 24, 0);
        return va;
    }

    @Test
    void openat2ChecksTheSizeTheTailAndTheFlagsOfOpenHow() throws Exception {
        long path = string(scratch + 3000, "/f");
        long h = how(O_RDWR, 0, 0);
        assertEquals(-Errno.EINVAL, call(OPENAT2, AT_FDCWD, path, h, 16));
        assertTrue(call(OPENAT2, AT_FDCWD, path, h, 32) >= 0, "a zero tail is fine");
        process.user.write64(h + 24, 1);
        assertEquals(-Errno.E2BIG, call(OPENAT2, AT_FDCWD, path, h, 32));
        assertEquals(-Errno.EINVAL, call(OPENAT2, AT_FDCWD, path, how(O_RDWR, 0600, 0), 24));
        assertEquals(-Errno.EINVAL, call(OPENAT2, AT_FDCWD, path, how(1L << 40, 0, 0), 24));
        assertEquals(-Errno.EINVAL, call(OPENAT2, AT_FDCWD, path, how(O_RDWR, 0, 0x40), 24));
        assertEquals(-Errno.EINVAL, call(OPENAT2, AT_FDCWD, path, how(O_RDWR, 0, 0x18), 24));
        assertEquals(-Errno.EAGAIN, call(OPENAT2, AT_FDCWD, path, how(O_RDWR | O_CREAT, 0600, 0x20), 24));
        assertTrue(call(OPENAT2, AT_FDCWD, path, how(O_RDWR, 0, 0x20), 24) >= 0, "RESOLVE_CACHED may walk");
    }

    private static int ioprio(int cls, int level) {
        return cls << 13 | level;
    }

    @Test
    void ioprioDefaultsToTheLevelTheNiceValueGivesAndRefusesRealTime() {
        assertEquals(ioprio(2, 4), call(IOPRIO_GET, 1, 0), "6.1: best effort, (nice + 20) / 5");
        process.current.sched.nice = 19;
        assertEquals(ioprio(2, 7), call(IOPRIO_GET, 1, 0));
        assertEquals(-Errno.EPERM, call(IOPRIO_SET, 1, 0, ioprio(1, 0)), "RT needs CAP_SYS_ADMIN or CAP_SYS_NICE");
        assertEquals(-Errno.EINVAL, call(IOPRIO_SET, 1, 0, ioprio(2, 8)));
        assertEquals(-Errno.EINVAL, call(IOPRIO_SET, 1, 0, ioprio(0, 1)));
        assertEquals(-Errno.EINVAL, call(IOPRIO_SET, 4, 0, ioprio(2, 1)));
        assertEquals(0, call(IOPRIO_SET, 1, 0, ioprio(3, 5)), "IDLE takes any level");
        assertEquals(ioprio(3, 5), call(IOPRIO_GET, 1, 0));
        assertEquals(-Errno.ESRCH, call(IOPRIO_GET, 1, 9999));
    }

    @Test
    void fanotifyInitIsEpermWithoutFileHandlesAndItsChecksComeFirst() {
        assertEquals(-Errno.EPERM, call(FANOTIFY_INIT, 0, 0));
        assertEquals(-Errno.EPERM, call(FANOTIFY_INIT, 0x200 | 0x4, 0), "a permission class is the admin's");
        assertEquals(-Errno.EINVAL, call(FANOTIFY_INIT, 0x200 | 0x800, 0), "FAN_REPORT_NAME needs DIR_FID");
        assertEquals(-Errno.EINVAL, call(FANOTIFY_INIT, 0x200, 3), "access mode 3");
        assertEquals(-Errno.ENOSYS, call(FANOTIFY_INIT, 0x200, 0), "a file-handle group: not modelled");
        assertEquals(-Errno.EINVAL, call(FANOTIFY_MARK, 0, 1, 1L << 32));
        assertEquals(-Errno.EINVAL, call(FANOTIFY_MARK, 0, 1, 0), "FAN_MARK_ADD with no events");
        assertEquals(-Errno.EBADF, call(FANOTIFY_MARK, 77, 1, 2));
        assertEquals(-Errno.EINVAL, call(FANOTIFY_MARK, 1, 1, 2), "not an fanotify group");
    }

    @Test
    void mountCallsCheckTheirArgumentsThenRefuse() throws Exception {
        assertEquals(-Errno.EINVAL, call(MOUNT_SETATTR, AT_FDCWD, 0, 1, 0, 32));
        assertEquals(-Errno.E2BIG, call(MOUNT_SETATTR, AT_FDCWD, 0, 0, 0, 4097));
        assertEquals(-Errno.EINVAL, call(MOUNT_SETATTR, AT_FDCWD, 0, 0, 0, 16));
        assertEquals(-Errno.EPERM, call(MOUNT_SETATTR, AT_FDCWD, 0, 0, 0, 32));
        assertEquals(-Errno.EINVAL, call(FSCONFIG, -1, 0, 0, 0, 0));
        assertEquals(-Errno.ENOTSUP, call(FSCONFIG, 0, 8, 0, 0, 0));
        assertEquals(-Errno.EINVAL, call(FSCONFIG, 0, 0, 0, 0, 0), "SET_FLAG needs a key");
        assertEquals(-Errno.EBADF, call(FSCONFIG, 77, 6, 0, 0, 0));
        assertEquals(-Errno.EINVAL, call(FSCONFIG, 1, 6, 0, 0, 0), "not an fs context");
        long path = string(scratch + 3000, "/f");
        assertEquals(-Errno.EPERM, call(OPEN_TREE, AT_FDCWD, path, 1));
        assertEquals(-Errno.EINVAL, call(OPEN_TREE, AT_FDCWD, path, 0x8000));
        long fd = call(OPEN_TREE, AT_FDCWD, path, 0);
        assertTrue(fd >= 0);
        assertEquals(010000000 | 0, call(FCNTL, fd, 3, 0) & 010000000, "an O_PATH descriptor");
        assertEquals(-Errno.EINVAL, call(NAME_TO_HANDLE_AT, AT_FDCWD, path, scratch, scratch + 512, 0x1));
        assertEquals(-Errno.ENOENT, call(NAME_TO_HANDLE_AT, AT_FDCWD, string(scratch + 3500, "/none"), scratch,
                scratch + 512, 0));
        assertEquals(-Errno.ENOTSUP, call(NAME_TO_HANDLE_AT, AT_FDCWD, path, scratch, scratch + 512, 0));
    }

    @Test
    void quotaCallsCheckTheirArgumentsThenFindNoQuotas() throws Exception {
        assertEquals(-Errno.EINVAL, call(QUOTACTL, 0x800001L << 8 | 3, 0, 0, 0));
        assertEquals(0, call(QUOTACTL, 0x800001L << 8, 0, 0, 0), "Q_SYNC of every file system with quotas");
        assertEquals(-Errno.ENODEV, call(QUOTACTL, 0x800007L << 8, 0, 0, 0));
        assertEquals(-Errno.ENOTBLK, call(QUOTACTL, 0x800007L << 8, string(scratch + 3000, "/f"), 0, 0));
        assertEquals(-Errno.EBADF, call(QUOTACTL_FD, 77, 0x800007L << 8, 0, 0));
        assertEquals(-Errno.EINVAL, call(QUOTACTL_FD, 1, 0x800007L << 8 | 3, 0, 0));
        assertEquals(-Errno.ENOSYS, call(QUOTACTL_FD, open("/f"), 0x800007L << 8, 0, 0));
    }

    @Test
    void readaheadWantsAReadableRegularFile() throws Exception {
        assertEquals(0, call(READAHEAD, open("/f"), 0, 4096));
        assertEquals(-Errno.EINVAL, call(READAHEAD, open("/f"), 0, -1));
        assertEquals(-Errno.EBADF, call(READAHEAD, 77, 0, 1));
    }
}
