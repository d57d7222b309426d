package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import a64emu.guest.signal.Signal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyscallsTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
    private static final int AT_FDCWD = -100;

    private final TestMachine m = new TestMachine(48);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream notices = new ByteArrayOutputStream();
    private final Process process;
    private final Syscalls syscalls;
    /** A page of scratch guest memory for arguments. */
    private final long scratch;

    SyscallsTest() {
        FileSystem fs = new FileSystem(null, "/");
        FileTable files = new FileTable(fs, new ByteArrayInputStream("abc".getBytes()), out, err, "/bin/prog");
        process = new Process(4242, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        m.mm.setStartBrk(0x500000);
        syscalls = new Syscalls(process, new PrintStream(notices, true, StandardCharsets.UTF_8));
        scratch = m.memoryMap.mmap(0, 4 * 4096, RW, ANON, null, 0);
    }

    /** Makes the call as the CPU does: number in x8, arguments in x0-x5, result from x0. */
    private long call(int nr, long... args) {
        Cpu cpu = process.cpu;
        for (int i = 0; i < 6; i++) {
            cpu.x[i] = i < args.length ? args[i] : 0;
        }
        cpu.x[8] = nr;
        syscalls.handle(cpu);
        return cpu.x[0];
    }

    private long putString(long va, String s) throws BadUserAddressException {
        m.user.write(va, (s + "\0").getBytes(StandardCharsets.UTF_8));
        return va;
    }

    @Test
    void unknownSyscallIsEnosysWithOneNoticePerNumber() throws BadUserAddressException {
        assertEquals(-Errno.ENOSYS, call(ADD_KEY));
        assertEquals(-Errno.ENOSYS, call(ADD_KEY));
        assertEquals(-Errno.ENOSYS, call(999));
        assertEquals("a64emu: syscall 217 (add_key) not implemented, returning -ENOSYS\n"
                + "a64emu: syscall 999 not implemented, returning -ENOSYS\n", notices.toString());
    }

    @Test
    void writeCopiesTheGuestBufferToTheDescriptor() throws BadUserAddressException {
        putString(scratch, "hello");
        assertEquals(5, call(WRITE, 1, scratch, 5));
        assertEquals("hello", out.toString());
    }

    @Test
    void writeFromAnUnmappedBufferIsEfault() throws BadUserAddressException {
        assertEquals(-Errno.EFAULT, call(WRITE, 1, 0x1000, 5));
        assertEquals(0, out.size());
    }

    @Test
    void writevGathersItsPiecesInOrder() throws BadUserAddressException {
        putString(scratch + 100, "ab");
        putString(scratch + 200, "cde");
        m.user.write64(scratch, scratch + 100);
        m.user.write64(scratch + 8, 2);
        m.user.write64(scratch + 16, scratch + 200);
        m.user.write64(scratch + 24, 3);
        assertEquals(5, call(WRITEV, 1, scratch, 2));
        assertEquals("abcde", out.toString());
        assertEquals(-Errno.EINVAL, call(WRITEV, 1, scratch, -1));
    }

    @Test
    void readFillsGuestMemory() throws BadUserAddressException {
        assertEquals(3, call(READ, 0, scratch, 100));
        assertArrayEquals("abc".getBytes(), m.user.read(scratch, 3));
        assertEquals(0, call(READ, 0, scratch, 100), "end of input");
        assertEquals(-Errno.EBADF, call(READ, 77, scratch, 1));
    }

    @Test
    void badPathPointerIsEfault() throws BadUserAddressException {
        assertEquals(-Errno.EFAULT, call(OPENAT, AT_FDCWD, 0x2000, 0, 0));
    }

    @Test
    void brkThatCannotBeSatisfiedReturnsTheCurrentBreak() throws BadUserAddressException {
        assertEquals(0x500000, call(BRK, 0));
        assertEquals(0x500000, call(BRK, 0x100));
        assertEquals(0x501234, call(BRK, 0x501234));
    }

    @Test
    void mmapChecksTheOffsetBeforeTheDescriptor() throws BadUserAddressException {
        assertEquals(-Errno.EINVAL, call(MMAP, 0, 4096, RW, Mman.MAP_PRIVATE, -1, 100));
        assertEquals(-Errno.EBADF, call(MMAP, 0, 4096, RW, Mman.MAP_PRIVATE, -1, 0));
        assertEquals(-Errno.EBADF, call(MMAP, 0, 4096, RW, Mman.MAP_PRIVATE, 55, 0));
    }

    @Test
    void mapPopulateFaultsEveryPageInAtOnce() {
        long resident = m.pt.residentPages();
        long a = call(MMAP, 0, 5 * 4096, RW, ANON | Mman.MAP_POPULATE, -1, 0);
        assertTrue(a > 0);
        assertEquals(resident + 5, m.pt.residentPages());
        assertTrue(a64emu.guest.mm.ProtectionMap.isDirty(m.pt.pte(a + 4 * 4096)), "populated for writing");
    }

    @Test
    void mmapOfAStreamIsEnodev() throws BadUserAddressException {
        assertEquals(-Errno.ENODEV, call(MMAP, 0, 4096, Mman.PROT_READ, Mman.MAP_PRIVATE, 1, 0));
    }

    @Test
    void mappedFileIsReadOnFirstTouchAndOutlivesItsDescriptor(@TempDir Path dir) throws IOException,
            BadUserAddressException {
        byte[] content = new byte[6000];
        content[0] = 'F';
        content[5999] = 'Z';
        Path file = dir.resolve("data.bin");
        Files.write(file, content);
        int fd = (int) call(OPENAT, AT_FDCWD, putString(scratch, file.toString()), 0, 0);
        assertTrue(fd >= 3, "fd " + fd);
        long a = call(MMAP, 0, 8192, Mman.PROT_READ, Mman.MAP_PRIVATE, fd, 0);
        assertTrue(a > 0);
        assertEquals(0, call(CLOSE, fd));
        assertEquals('F', m.user.read(a, 1)[0]);
        assertEquals('Z', m.user.read(a + 5999, 1)[0]);
        assertEquals(0, m.user.read(a + 6000, 1)[0], "the rest of the last page is zero");
        assertEquals(2, m.faults.fileFaults());
    }

    @Test
    void rseqRegistersTheCallingThreadsArea() throws BadUserAddressException {
        // glibc's start-up registration (Linux kernel/rseq.c); a second one is EBUSY.
        long area = (scratch + 256 + 31) & ~31L;
        assertEquals(0, call(RSEQ, area, 32, 0, 0xd428bc00L));
        assertEquals(-Errno.EBUSY, call(RSEQ, area, 32, 0, 0xd428bc00L));
        assertEquals("", notices.toString());
    }

    @Test
    void anUnimplementedCallIsEnosysAndSaysSoOnce() {
        assertEquals(-Errno.ENOSYS, call(ADD_KEY, 1, 0));
        assertEquals(-Errno.ENOSYS, call(ADD_KEY, 1, 0));
        assertEquals("a64emu: syscall 217 (add_key) not implemented, returning -ENOSYS\n",
                notices.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void unameSaysLinuxOnAarch64() throws BadUserAddressException {
        assertEquals(0, call(UNAME, scratch));
        assertEquals("Linux", m.user.readCString(scratch, 64));
        assertEquals("a64emu", m.user.readCString(scratch + 65, 64));
        assertTrue(m.user.readCString(scratch + 130, 64).startsWith("6."));
        assertEquals("aarch64", m.user.readCString(scratch + 4 * 65, 64));
    }

    @Test
    void clockGettimeFillsATimespecAndRefusesUnknownClocks() throws BadUserAddressException {
        assertEquals(0, call(CLOCK_GETTIME, TimeSyscalls.CLOCK_REALTIME, scratch));
        long seconds = m.user.read64(scratch);
        assertTrue(seconds > 1_600_000_000L, "epoch seconds " + seconds);
        long nanos = m.user.read64(scratch + 8);
        assertTrue(nanos >= 0 && nanos < 1_000_000_000L);
        assertEquals(-Errno.EINVAL, call(CLOCK_GETTIME, 99, scratch));
    }

    @Test
    void nanosleepRejectsAnInvalidTimespec() throws BadUserAddressException {
        m.user.write64(scratch, 0);
        m.user.write64(scratch + 8, 1_000_000_000L);
        assertEquals(-Errno.EINVAL, call(NANOSLEEP, scratch, 0));
        m.user.write64(scratch + 8, 1000);
        assertEquals(0, call(NANOSLEEP, scratch, 0));
    }

    @Test
    void rtSigactionStoresTheHandlerAndReturnsThePreviousAction() throws BadUserAddressException {
        m.user.write64(scratch, 0x400abc);
        m.user.write64(scratch + 8, 0x04000000);
        m.user.write64(scratch + 16, 0x400def);
        m.user.write64(scratch + 24, 0);
        assertEquals(0, call(RT_SIGACTION, Signal.SIGSEGV, scratch, 0, 8));
        assertEquals(0, call(RT_SIGACTION, Signal.SIGSEGV, 0, scratch + 64, 8));
        assertEquals(0x400abc, m.user.read64(scratch + 64));
        assertEquals(0x400def, m.user.read64(scratch + 80));
        assertEquals(0x400abc, process.signals.userHandler(Signal.SIGSEGV));
        assertEquals(-Errno.EINVAL, call(RT_SIGACTION, Signal.SIGKILL, scratch, 0, 8));
        assertEquals(-Errno.EINVAL, call(RT_SIGACTION, Signal.SIGSEGV, scratch, 0, 16));
    }

    @Test
    void signalSentToItselfWhileBlockedStaysPendingUntilUnblocked() throws BadUserAddressException {
        m.user.write64(scratch, 1L << (Signal.SIGABRT - 1));
        assertEquals(0, call(RT_SIGPROCMASK, 0 /* SIG_BLOCK */, scratch, 0, 8));
        assertEquals(0, call(TGKILL, 4242, 4242, Signal.SIGABRT));
        assertFalse(process.hasExited());
        assertEquals(0, call(RT_SIGPENDING, scratch + 16, 8));
        assertEquals(1L << (Signal.SIGABRT - 1), m.user.read64(scratch + 16), "rt_sigpending");
        assertFalse(a64emu.guest.signal.SignalDelivery.hasDeliverable(process.current));
        assertEquals(0, call(RT_SIGPROCMASK, 1 /* SIG_UNBLOCK */, scratch, scratch + 8, 8));
        assertEquals(1L << (Signal.SIGABRT - 1), m.user.read64(scratch + 8), "old mask");
        // Delivered by the kernel on the way back to user space (KernelTest runs that).
        assertTrue(a64emu.guest.signal.SignalDelivery.hasDeliverable(process.current));
    }

    @Test
    void ignoredSignalIsDiscardedAndOtherProcessesDoNotExist() throws BadUserAddressException {
        m.user.write64(scratch, 1 /* SIG_IGN */);
        m.user.write64(scratch + 8, 0);
        m.user.write64(scratch + 16, 0);
        m.user.write64(scratch + 24, 0);
        call(RT_SIGACTION, Signal.SIGTERM, scratch, 0, 8);
        assertEquals(0, call(KILL, 4242, Signal.SIGTERM));
        assertFalse(process.hasExited());
        assertEquals(-Errno.ESRCH, call(KILL, 999, Signal.SIGTERM));
        assertEquals(0, call(KILL, 4242, Signal.SIGCHLD), "default action: ignore");
        assertFalse(process.hasExited());
        assertEquals(0, a64emu.guest.signal.SignalDelivery.pendingSet(process.current), "nothing queued");
    }

    @Test
    void futexWithOneThread() throws BadUserAddressException {
        m.user.write32(scratch, 5);
        assertEquals(-Errno.EAGAIN, call(FUTEX, scratch, 128 /* FUTEX_WAIT_PRIVATE */, 6, 0));
        assertEquals(0, call(FUTEX, scratch, 129 /* FUTEX_WAKE_PRIVATE */, 1));
        assertEquals(-Errno.ETIMEDOUT, call(FUTEX, scratch, 128, 5, scratch + 64));
    }

    @Test
    void prlimitReportsAnEightMiBStackAndAcceptsLowering() throws BadUserAddressException {
        assertEquals(0, call(PRLIMIT64, 0, 3 /* RLIMIT_STACK */, 0, scratch));
        assertEquals(8L << 20, m.user.read64(scratch));
        assertEquals(-1L, m.user.read64(scratch + 8));
        m.user.write64(scratch + 32, 1 << 20);
        m.user.write64(scratch + 40, -1L);
        assertEquals(0, call(PRLIMIT64, 0, 3, scratch + 32, 0));
        call(PRLIMIT64, 0, 3, 0, scratch);
        assertEquals(1L << 20, m.user.read64(scratch));
        assertEquals(-Errno.EINVAL, call(PRLIMIT64, 0, 99, 0, scratch));
        assertEquals(-Errno.ESRCH, call(PRLIMIT64, 777, 3, 0, scratch));
    }

    @Test
    void renameatRenameat2AndFchownatAreDispatched(@TempDir Path dir) throws IOException, BadUserAddressException {
        Files.writeString(dir.resolve("a"), "x");
        long a = putString(scratch, dir.resolve("a").toString());
        long b = putString(scratch + 1024, dir.resolve("b").toString());
        assertEquals(0, call(RENAMEAT, AT_FDCWD, a, AT_FDCWD, b));
        assertEquals("x", Files.readString(dir.resolve("b")));
        assertEquals(-Errno.ENOENT, call(RENAMEAT2, AT_FDCWD, a, AT_FDCWD, b, 0));
        assertEquals(-Errno.EINVAL, call(RENAMEAT2, AT_FDCWD, b, AT_FDCWD, a, 8));
        assertEquals(0, call(FCHOWNAT, AT_FDCWD, b, -1, -1, 0), "-1, -1 changes nothing");
        assertEquals(-Errno.EPERM, call(FCHOWNAT, AT_FDCWD, b, 4242, -1, 0), "uid 1000 has no CAP_CHOWN");
        assertEquals(-Errno.EBADF, call(FCHOWN, 77, -1, -1));
        assertEquals("", notices.toString());
    }

    @Test
    void prctlSetsAndGetsTheNameCutToFifteenBytes() throws BadUserAddressException {
        putString(scratch, "worker/with-a-long-name");
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_SET_NAME, scratch));
        assertEquals("worker/with-a-l", process.comm());
        m.user.write(scratch + 64, new byte[16]);
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_GET_NAME, scratch + 64));
        assertEquals("worker/with-a-l\0", new String(m.user.read(scratch + 64, 16), StandardCharsets.UTF_8));
        assertEquals(-Errno.EFAULT, call(PRCTL, PrctlSyscalls.PR_GET_NAME, 0));
    }

    @Test
    void prctlStoresDeathSignalDumpableAndNoNewPrivsAndRefusesUnknownOptions() throws BadUserAddressException {
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_SET_PDEATHSIG, Signal.SIGTERM));
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_GET_PDEATHSIG, scratch));
        assertEquals(Signal.SIGTERM, m.user.read32(scratch));
        assertEquals(-Errno.EINVAL, call(PRCTL, PrctlSyscalls.PR_SET_PDEATHSIG, 65));
        assertEquals(1, call(PRCTL, PrctlSyscalls.PR_GET_DUMPABLE));
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_SET_DUMPABLE, 0));
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_GET_DUMPABLE));
        assertEquals(-Errno.EINVAL, call(PRCTL, PrctlSyscalls.PR_SET_DUMPABLE, 2));
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_GET_NO_NEW_PRIVS));
        assertEquals(-Errno.EINVAL, call(PRCTL, PrctlSyscalls.PR_SET_NO_NEW_PRIVS, 1, 1));
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_SET_NO_NEW_PRIVS, 1));
        assertEquals(1, call(PRCTL, PrctlSyscalls.PR_GET_NO_NEW_PRIVS));
        call(SET_TID_ADDRESS, scratch + 256);
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_GET_TID_ADDRESS, scratch + 8));
        assertEquals(scratch + 256, m.user.read64(scratch + 8));
        assertEquals(-Errno.EINVAL, call(PRCTL, 0x7fff));
        assertEquals("", notices.toString(), "prctl is implemented: no notice");
    }

    @Test
    void getrandomFillsTheWholeBuffer() throws BadUserAddressException {
        assertEquals(64, call(GETRANDOM, scratch, 64, 0));
        assertNotEquals(0, m.user.read64(scratch) | m.user.read64(scratch + 56));
        assertEquals(-Errno.EINVAL, call(GETRANDOM, scratch, 8, 0x40));
    }

    /** Found by SyscallFuzzTest: a size_t above 2^63 made a negative array size (status 134). */
    @Test
    void getrandomOfAHugeLengthIsCappedNotAnEmulatorBug() throws BadUserAddressException {
        assertEquals(-Errno.EFAULT, call(GETRANDOM, scratch, -18805591L, 0), "32 MiB do not fit the scratch area");
        assertEquals(-Errno.EFAULT, call(GETRANDOM, 0, Long.MAX_VALUE, 0));
    }

    @Test
    void idsAndThreadSetupCalls() throws BadUserAddressException {
        assertEquals(4242, call(GETPID));
        assertEquals(4242, call(GETTID));
        assertEquals(4242, call(SET_TID_ADDRESS, scratch));
        assertEquals(0, call(SET_ROBUST_LIST, scratch, 24));
        assertEquals(-Errno.EINVAL, call(SET_ROBUST_LIST, scratch, 16));
        assertEquals(1000, call(GETUID));
    }

    @Test
    void getcwdNeedsRoomForTheTerminatingNul() throws BadUserAddressException {
        assertEquals(2, call(GETCWD, scratch, 100));
        assertEquals("/", m.user.readCString(scratch, 10));
        assertEquals(-Errno.ERANGE, call(GETCWD, scratch, 1));
    }

    @Test
    void exitGroupEndsTheProcessWithItsStatus() throws BadUserAddressException {
        call(EXIT_GROUP, 300);
        assertTrue(process.hasExited());
        assertEquals(300 & 0xFF, process.termination().shellStatus());
    }

    @Test
    void syscallResultGoesToX0AndOtherRegistersArePreserved() {
        Cpu cpu = process.cpu;
        for (int i = 0; i < 31; i++) {
            cpu.x[i] = 1000 + i;
        }
        cpu.x[8] = GETPID;
        syscalls.handle(cpu);
        assertEquals(4242, cpu.x[0]);
        for (int i = 1; i < 31; i++) {
            assertEquals(i == 8 ? GETPID : 1000 + i, cpu.x[i], "x" + i);
        }
        assertEquals(1, syscalls.count());
    }
}
