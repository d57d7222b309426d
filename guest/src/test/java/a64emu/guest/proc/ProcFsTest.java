package a64emu.guest.proc;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_DIRECTORY;
import static a64emu.guest.fs.OpenFlags.O_RDONLY;
import static a64emu.guest.fs.OpenFlags.O_WRONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.KernelStat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc mounted in the guest's file system: reached by path walks, the *at calls and readdir. */
class ProcFsTest {
    @TempDir
    Path root;

    private final TestMachine m = new TestMachine(39);
    private final TestProcess self = new TestProcess(4242, m.mm);
    private final TestProcess other = new TestProcess(4300, new TestMachine(39).mm);
    private final TestProcess.Kernel kernel = new TestProcess.Kernel();

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private FileTable table(Path rootOrNull) {
        FileSystem fs = new FileSystem(rootOrNull, "/");
        fs.mount(new ProcFs(TestProcess.table(self, other), kernel, m.frames));
        return new FileTable(fs, new ByteArrayInputStream(new byte[0]), stdout,
                new ByteArrayOutputStream(), "/bin/prog");
    }

    private static String read(FileTable t, int dirfd, String path) {
        int fd = t.openat(dirfd, path, O_RDONLY, 0);
        if (fd < 0) return "errno " + -fd;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[100];
        long n;
        while ((n = t.read(fd, buf, 0, buf.length)) > 0) out.write(buf, 0, (int) n);
        t.close(fd);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String readlink(FileTable t, String path) {
        byte[] buf = new byte[256];
        long n = t.readlinkat(AT_FDCWD, path, buf);
        return n < 0 ? "errno " + -n : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    private static List<String> names(FileTable t, String dir) {
        int fd = t.openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY, 0);
        assertTrue(fd >= 0, "open " + dir + ": " + fd);
        byte[] buf = new byte[8192];
        long n = t.getdents64(fd, buf);
        t.close(fd);
        List<String> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < n; at += b.getShort(at + 16)) {
            int end = at + 19;
            while (buf[end] != 0) end++;
            out.add(new String(buf, at + 19, end - at - 19, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void selfIsALinkToTheCallersPidDirectory() {
        FileTable t = table(root);
        assertEquals("4242", readlink(t, "/proc/self"));
        assertTrue(read(t, AT_FDCWD, "/proc/self/status").contains("\nPid:\t4242\n"));
        assertEquals("4242/task/4242", readlink(t, "/proc/thread-self"));
    }

    @Test
    void anotherProcessIsReadThroughItsPid() {
        FileTable t = table(root);
        assertTrue(read(t, AT_FDCWD, "/proc/4300/status").contains("\nPid:\t4300\n"));
        assertEquals("errno " + Errno.ENOENT, read(t, AT_FDCWD, "/proc/4301/status"));
        assertEquals("errno " + Errno.ENOENT, read(t, AT_FDCWD, "/proc/04300/status"));
    }

    @Test
    void hostModeSeesTheGuestsProcNotTheJvms() {
        FileTable t = table(null);
        String status = read(t, AT_FDCWD, "/proc/self/status");
        assertTrue(status.startsWith("Name:\tprog\n"), status);
        // The guest's environment (none was set up), not the JVM's.
        assertEquals("", read(t, AT_FDCWD, "/proc/self/environ"));
        assertEquals("errno " + Errno.ENOENT, read(t, AT_FDCWD, "/proc/self/mountinfo"));
        assertTrue(names(t, "/proc").contains("4300"));
    }

    @Test
    void rootListsFilesByNameLengthThenSelfThreadSelfAndPids() {
        FileTable t = table(root);
        assertEquals(List.of(".", "..", "sys", "swaps", "uptime", "vmstat", "cpuinfo", "loadavg", "meminfo", "zoneinfo",
                "buddyinfo", "self", "thread-self",
                "4242", "4300"), names(t, "/proc"));
    }

    @Test
    void pidDirectoryListsItsFilesInLinuxOrder() {
        FileTable t = table(root);
        assertEquals(List.of(".", "..", "task", "fd", "environ", "auxv", "status", "comm", "cmdline", "stat", "statm",
                "maps", "cwd", "root", "exe", "smaps", "smaps_rollup", "pagemap", "oom_score", "oom_adj", "oom_score_adj"),
                names(t, "/proc/self"));
        assertEquals(List.of(".", "..", "fd", "environ", "auxv", "status", "comm", "cmdline", "stat", "statm", "maps",
                "cwd", "root", "exe", "smaps", "pagemap", "oom_score", "oom_adj", "oom_score_adj"), names(t, "/proc/self/task/4242"));
        assertEquals(List.of(".", "..", "0", "1", "2"), names(t, "/proc/self/fd"));
        assertEquals(List.of(".", "..", "4242"), names(t, "/proc/self/task"));
    }

    @Test
    void threadDirectoryShowsTheThreadsIdAsPid() {
        self.tids.add(4250);
        FileTable t = table(root);
        assertEquals(List.of(".", "..", "4242", "4250"), names(t, "/proc/self/task"));
        String status = read(t, AT_FDCWD, "/proc/self/task/4250/status");
        assertTrue(status.contains("\nTgid:\t4242\nNgid:\t0\nPid:\t4250\n"), status);
        assertTrue(status.contains("\nThreads:\t2\n"), status);
        assertEquals("4242/task/4250", readlink(t, "/proc/thread-self"));
        assertEquals("errno " + Errno.ENOENT, read(t, AT_FDCWD, "/proc/self/task/4251/status"));
        assertEquals("errno " + Errno.ENOENT, read(t, AT_FDCWD, "/proc/self/task/4250/smaps_rollup"));
    }

    @Test
    void linksReadAsTheProcessesPaths() {
        FileTable t = table(root);
        assertEquals("/bin/prog", readlink(t, "/proc/4242/exe"));
        assertEquals("/home", readlink(t, "/proc/self/cwd"));
        assertEquals("/", readlink(t, "/proc/self/root"), "the one root every process shares");
        assertEquals("/dev/pts/0", readlink(t, "/proc/self/fd/1"));
        assertEquals("errno " + Errno.ENOENT, readlink(t, "/proc/self/fd/7"));
    }

    @Test
    void relativeLookupsFromAProcDirectoryWork() {
        FileTable t = table(root);
        int dir = t.openat(AT_FDCWD, "/proc/self", O_RDONLY | O_DIRECTORY, 0);
        assertTrue(dir >= 0);
        assertEquals("0\n", read(t, dir, "oom_score_adj"));
        assertEquals("prog\n", read(t, dir, "task/4242/comm"));
        assertEquals("prog\0", read(t, dir, "../4242/cmdline"));
        assertEquals(0, t.chdir("/proc/4300"));
        assertTrue(read(t, AT_FDCWD, "status").contains("\nPid:\t4300\n"));
    }

    @Test
    void oomScoreAdjIsWritableAndRejectsOutOfRange() {
        FileTable t = table(root);
        int fd = t.openat(AT_FDCWD, "/proc/self/oom_score_adj", O_WRONLY, 0);
        assertTrue(fd >= 0);
        assertEquals(4, t.write(fd, "900\n".getBytes(StandardCharsets.US_ASCII), 0, 4));
        assertEquals(-Errno.EINVAL, t.write(fd, "2000".getBytes(StandardCharsets.US_ASCII), 0, 4));
        t.close(fd);
        assertEquals("900\n", read(t, AT_FDCWD, "/proc/self/oom_score_adj"));
        assertEquals(900, self.oomScoreAdj());
    }

    @Test
    void readOnlyFilesRefuseWritersAndDirectoriesReportNoSize() {
        FileTable t = table(root);
        assertEquals(-Errno.EACCES, t.openat(AT_FDCWD, "/proc/self/maps", O_WRONLY, 0));
        byte[] st = new byte[KernelStat.SIZE];
        assertEquals(0, t.newfstatat(AT_FDCWD, "/proc/self/maps", st, 0));
        ByteBuffer b = ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0100444, b.getInt(16));
        assertEquals(0, b.getLong(48));
        assertEquals(0, t.newfstatat(AT_FDCWD, "/proc/self", st, 0x100 /* AT_SYMLINK_NOFOLLOW */));
        assertEquals(0120777, b.getInt(16));
        assertEquals(-Errno.EACCES, t.unlinkat(AT_FDCWD, "/proc/self/maps", 0));
    }

    @Test
    void rootWithDacOverrideOpensReadOnlyFilesForWritingButTheWriteIsEinval() {
        self.uid = 0;
        FileTable t = table(root);
        int fd = t.openat(AT_FDCWD, "/proc/self/maps", O_WRONLY, 0);
        assertTrue(fd >= 0, "fd " + fd);
        assertEquals(-Errno.EINVAL, t.write(fd, "x".getBytes(StandardCharsets.US_ASCII), 0, 1));
    }

    @Test
    void anotherUsersFdDirectoryIsClosedToAnUnprivilegedCaller() {
        other.uid = 2000;
        FileTable t = table(root);
        assertEquals("errno " + Errno.EACCES, read(t, AT_FDCWD, "/proc/4300/fd/0"));
        assertTrue(read(t, AT_FDCWD, "/proc/4300/status").contains("Pid:\t4300"));
    }

    @Test
    void aReaderSeesOneSnapshotEvenIfTheProcessChanges() {
        FileTable t = table(root);
        int fd = t.openat(AT_FDCWD, "/proc/self/comm", O_RDONLY, 0);
        self.comm = "renamed";
        byte[] buf = new byte[64];
        long n = t.read(fd, buf, 0, buf.length);
        assertEquals("prog\n", new String(buf, 0, (int) n, StandardCharsets.UTF_8));
        assertEquals(0, t.read(fd, buf, 0, buf.length));
        assertEquals(0, t.lseek(fd, 0, 0));
        assertEquals(5, t.read(fd, buf, 0, buf.length));
        t.close(fd);
        assertEquals("renamed\n", read(t, AT_FDCWD, "/proc/self/comm"));
    }

    @Test
    void openingFdLinkOfAPipeReachesTheProcesssOwnDescriptor() {
        FileTable t = table(root);
        self.fdTable = t;
        assertEquals("pipe:[stdout]", readlink(t, "/proc/self/fd/1"));
        int fd = t.openat(AT_FDCWD, "/proc/self/fd/1", O_WRONLY, 0);
        assertTrue(fd > 2, "fd " + fd);
        assertEquals(3, t.write(fd, "hi\n".getBytes(StandardCharsets.US_ASCII), 0, 3));
        assertEquals("hi\n", stdout.toString(StandardCharsets.UTF_8));
        assertEquals(-Errno.ELOOP, t.openat(AT_FDCWD, "/proc/self/fd/1", O_WRONLY | a64emu.guest.fs.OpenFlags.O_NOFOLLOW, 0));
    }

    @Test
    void hostDevStdoutLeadsThroughTheGuestsProcToItsOwnStdout() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isSymbolicLink(Path.of("/dev/stdout")),
                "the host has no /dev/stdout link into /proc");
        FileTable t = table(null);
        self.fdTable = t;
        int fd = t.openat(AT_FDCWD, "/dev/stdout", O_WRONLY, 0);
        assertTrue(fd > 2, "fd " + fd);
        assertEquals(2, t.write(fd, "ok".getBytes(StandardCharsets.US_ASCII), 0, 2));
        assertEquals("ok", stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void meminfoIsThere() {
        FileTable t = table(root);
        assertTrue(read(t, AT_FDCWD, "/proc/meminfo").startsWith("MemTotal:          65532 kB\n"));
    }

    @Test
    void cpuinfoAndVmstatAreReadableByAnyone() {
        self.uid = 2000;
        FileTable t = table(root);
        assertTrue(read(t, AT_FDCWD, "/proc/cpuinfo").startsWith("processor\t: 0\nBogoMIPS\t: 125.00\n"));
        assertTrue(read(t, AT_FDCWD, "/proc/vmstat").startsWith("nr_free_pages " + m.frames.freeFrames() + "\n"));
    }

    @Test
    void statOfAnotherUsersProcessHidesItsAddressesFromTheCaller() {
        m.mm.setCode(0x400000, 0x401000);
        other.mm.setCode(0x400000, 0x401000);
        other.uid = 2000;
        FileTable t = table(root);
        String own = read(t, AT_FDCWD, "/proc/self/stat");
        String theirs = read(t, AT_FDCWD, "/proc/4300/stat");
        assertTrue(own.startsWith("4242 (prog) R "), own);
        assertEquals("4194304 4198400", own.split(" ")[25] + " " + own.split(" ")[26], "start_code end_code");
        assertEquals("1 1", theirs.split(" ")[25] + " " + theirs.split(" ")[26], "hidden: 1 and 1");
        assertEquals(own, read(t, AT_FDCWD, "/proc/self/task/4242/stat"), "one thread: the same fields");
    }
}
