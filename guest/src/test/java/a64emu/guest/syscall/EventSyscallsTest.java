package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.EventPoll;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.fs.OpenFlags;
import a64emu.guest.fs.PollTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event system calls through the dispatcher, as a guest makes them: argument checks in
 * Linux's order and errno values, and the sleeps of epoll_pwait, ppoll and pselect6.
 */
class EventSyscallsTest {
    private static final long NANOS = 1_000_000_000L;
    private final TestMachine m = new TestMachine(48, 16L << 20);
    private final Process process;
    private final long scratch;

    EventSyscallsTest() {
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/prog");
        process = new Process(4242, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        process.syscalls = new Syscalls(process, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        process.kernel = new Kernel(KernelConfig.defaults());
        scratch = m.memoryMap.mmap(0, 4 * 4096, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
    }

    private long call(int nr, long... args) {
        Cpu cpu = process.cpu;
        for (int i = 0; i < 6; i++) {
            cpu.x[i] = i < args.length ? args[i] : 0;
        }
        cpu.x[8] = nr;
        process.syscalls.handle(cpu);
        return cpu.x[0];
    }

    private int[] pipe() throws BadUserAddressException {
        assertEquals(0, call(PIPE2, scratch + 4000, 0));
        return new int[] {m.user.read32(scratch + 4000), m.user.read32(scratch + 4004)};
    }

    private long epollCtl(long ep, int op, long fd, int events, long data) throws BadUserAddressException {
        m.user.write32(scratch + 3000, events);
        m.user.write64(scratch + 3008, data);
        return call(EPOLL_CTL, ep, op, fd, scratch + 3000);
    }

    private void writeTimespec(long va, long nanos) throws BadUserAddressException {
        m.user.write64(va, nanos / NANOS);
        m.user.write64(va + 8, nanos % NANOS);
    }

    private Task thread() {
        return process.current;
    }

    @Test
    void eventfd2RefusesUnknownFlagsAndHonoursCloexec() {
        assertEquals(-Errno.EINVAL, call(EVENTFD2, 0, 0x40));
        long fd = call(EVENTFD2, 3, OpenFlags.O_CLOEXEC | OpenFlags.O_NONBLOCK);
        assertTrue(fd >= 3);
        assertEquals(OpenFlags.FD_CLOEXEC, process.files.fcntl((int) fd, OpenFlags.F_GETFD, 0));
        assertEquals(OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK, process.files.fcntl((int) fd, OpenFlags.F_GETFL, 0));
    }

    @Test
    void timerfdCreateTakesOnlyTheWallMonotonicAndBootClocks() {
        assertEquals(-Errno.EINVAL, call(TIMERFD_CREATE, TimeSyscalls.CLOCK_PROCESS_CPUTIME_ID, 0));
        assertEquals(-Errno.EINVAL, call(TIMERFD_CREATE, TimeSyscalls.CLOCK_MONOTONIC, 1));
        assertEquals(-Errno.EPERM, call(TIMERFD_CREATE, TimeSyscalls.CLOCK_BOOTTIME_ALARM, 0),
                "an unprivileged user lacks CAP_WAKE_ALARM");
        assertTrue(call(TIMERFD_CREATE, TimeSyscalls.CLOCK_BOOTTIME, 0) >= 0);
        assertTrue(call(TIMERFD_CREATE, TimeSyscalls.CLOCK_REALTIME, 0) >= 0);
    }

    @Test
    void timerfdSettimeChecksFlagsAndTimesBeforeTheDescriptor() throws BadUserAddressException {
        long spec = scratch + 100;
        writeTimespec(spec, 0);
        m.user.write64(spec + 16, 1);
        m.user.write64(spec + 24, NANOS); // it_value.tv_nsec out of range
        assertEquals(-Errno.EINVAL, call(TIMERFD_SETTIME, 999, 0, spec, 0));
        m.user.write64(spec + 24, 0);
        assertEquals(-Errno.EINVAL, call(TIMERFD_SETTIME, 999, 4, spec, 0));
        assertEquals(-Errno.EBADF, call(TIMERFD_SETTIME, 999, 0, spec, 0));
        long efd = call(EVENTFD2, 0, 0);
        assertEquals(-Errno.EINVAL, call(TIMERFD_SETTIME, efd, 0, spec, 0));
        assertEquals(-Errno.EINVAL, call(TIMERFD_GETTIME, efd, spec));
        long tfd = call(TIMERFD_CREATE, TimeSyscalls.CLOCK_MONOTONIC, 0);
        assertEquals(0, call(TIMERFD_SETTIME, tfd, 0, spec, 0));
        assertEquals(0, call(TIMERFD_GETTIME, tfd, scratch + 200));
        long left = m.user.read64(scratch + 216) * NANOS + m.user.read64(scratch + 224);
        assertTrue(left > 0 && left <= NANOS, "1 s armed: " + left);
    }

    @Test
    void anAbsoluteDeadlineInThePastExpiresAtOnce() throws BadUserAddressException {
        long tfd = call(TIMERFD_CREATE, TimeSyscalls.CLOCK_REALTIME, OpenFlags.O_NONBLOCK);
        long spec = scratch + 100;
        writeTimespec(spec, 0);
        writeTimespec(spec + 16, 1); // 1970
        assertEquals(0, call(TIMERFD_SETTIME, tfd, 1, spec, 0));
        assertEquals(8, call(READ, tfd, scratch + 300, 8));
        assertEquals(1, m.user.read64(scratch + 300));
    }

    @Test
    void signalfd4ChecksItsSizeMaskThenItsFlagsThenTheDescriptor() throws BadUserAddressException {
        long mask = scratch + 100;
        m.user.write64(mask, SignalActions.bit(Signal.SIGUSR1));
        assertEquals(-Errno.EINVAL, call(SIGNALFD4, -1, mask, 4, 0));
        assertEquals(-Errno.EINVAL, call(SIGNALFD4, -1, mask, 8, 1));
        assertEquals(-Errno.EBADF, call(SIGNALFD4, 999, mask, 8, 0));
        long efd = call(EVENTFD2, 0, 0);
        assertEquals(-Errno.EINVAL, call(SIGNALFD4, efd, mask, 8, 0));
        long sfd = call(SIGNALFD4, -1, mask, 8, OpenFlags.O_NONBLOCK);
        assertEquals(sfd, call(SIGNALFD4, sfd, mask, 8, 0), "an update answers the descriptor");
    }

    @Test
    void aSignalfdReadTakesThePendingSignalsOfItsMaskAsSiginfoRecords() throws BadUserAddressException {
        long mask = scratch + 100;
        m.user.write64(mask, SignalActions.bit(Signal.SIGUSR1) | SignalActions.bit(Signal.SIGKILL));
        long sfd = call(SIGNALFD4, -1, mask, 8, OpenFlags.O_NONBLOCK);
        assertEquals(-Errno.EAGAIN, call(READ, sfd, scratch + 1000, 256));
        thread().pending.add(SignalInfo.fromProcess(Signal.SIGUSR1, Signal.SI_TKILL, 77, 1000, "tgkill"));
        thread().pending.add(SignalInfo.fromProcess(Signal.SIGUSR2, Signal.SI_USER, 77, 1000, "kill"));
        assertEquals(-Errno.EINVAL, call(READ, sfd, scratch + 1000, 127));
        assertEquals(128, call(READ, sfd, scratch + 1000, 256), "SIGUSR2 is not in the mask");
        assertEquals(Signal.SIGUSR1, m.user.read32(scratch + 1000));
        assertEquals(Signal.SI_TKILL, m.user.read32(scratch + 1008));
        assertEquals(77, m.user.read32(scratch + 1012));
        assertEquals(1000, m.user.read32(scratch + 1016));
        assertEquals(1, thread().pending.size(), "SIGUSR2 stays pending");
    }

    @Test
    void epollCtlAnswersLinuxsErrorsInItsOrder(@TempDir Path dir) throws Exception {
        long ep = call(EPOLL_CREATE1, 0);
        assertEquals(-Errno.EINVAL, call(EPOLL_CREATE1, 1));
        int[] p = pipe();
        Path file = Files.writeString(dir.resolve("f"), "x");
        int reg = process.files.openat(OpenFlags.AT_FDCWD, file.toString(), OpenFlags.O_RDONLY, 0);
        assertEquals(-Errno.EFAULT, call(EPOLL_CTL, ep, EventPoll.EPOLL_CTL_ADD, p[0], 0));
        assertEquals(-Errno.EBADF, epollCtl(999, EventPoll.EPOLL_CTL_ADD, p[0], PollTable.POLLIN, 0));
        assertEquals(-Errno.EBADF, epollCtl(ep, EventPoll.EPOLL_CTL_ADD, 999, PollTable.POLLIN, 0));
        assertEquals(-Errno.EPERM, epollCtl(ep, EventPoll.EPOLL_CTL_ADD, reg, PollTable.POLLIN, 0));
        assertEquals(-Errno.EINVAL, epollCtl(ep, EventPoll.EPOLL_CTL_ADD, ep, PollTable.POLLIN, 0));
        assertEquals(-Errno.EINVAL, epollCtl(p[1], EventPoll.EPOLL_CTL_ADD, p[0], PollTable.POLLIN, 0));
        assertEquals(-Errno.EINVAL, epollCtl(ep, EventPoll.EPOLL_CTL_ADD, p[0],
                PollTable.POLLIN | EventPoll.EPOLLEXCLUSIVE | EventPoll.EPOLLONESHOT, 0));
        assertEquals(0, epollCtl(ep, EventPoll.EPOLL_CTL_ADD, p[0], PollTable.POLLIN | EventPoll.EPOLLEXCLUSIVE, 0));
        assertEquals(-Errno.EINVAL, epollCtl(ep, EventPoll.EPOLL_CTL_MOD, p[0], PollTable.POLLIN, 0),
                "an EPOLLEXCLUSIVE item cannot be modified");
        assertEquals(-Errno.EEXIST, epollCtl(ep, EventPoll.EPOLL_CTL_ADD, p[0], PollTable.POLLIN, 0));
        assertEquals(-Errno.ENOENT, call(EPOLL_CTL, ep, EventPoll.EPOLL_CTL_DEL, p[1], 0), "DEL reads no event");
        assertEquals(-Errno.EINVAL, epollCtl(ep, 9, p[1], PollTable.POLLIN, 0));
    }

    @Test
    void epollWaitChecksItsArgumentsAndAZeroTimeoutDoesNotSleep() throws BadUserAddressException {
        long ep = call(EPOLL_CREATE1, 0);
        long efd = call(EVENTFD2, 0, 0);
        assertEquals(-Errno.EINVAL, call(EPOLL_PWAIT, ep, scratch, 0, 0, 0, 8));
        assertEquals(-Errno.EINVAL, call(EPOLL_PWAIT, ep, scratch, EventSyscalls.EP_MAX_EVENTS + 1L, 0, 0, 8));
        assertEquals(-Errno.EFAULT, call(EPOLL_PWAIT, ep, 1L << 48, 1, 0, 0, 8));
        assertEquals(-Errno.EBADF, call(EPOLL_PWAIT, 999, scratch, 1, 0, 0, 8));
        assertEquals(-Errno.EINVAL, call(EPOLL_PWAIT, efd, scratch, 1, 0, 0, 8));
        assertEquals(-Errno.EINVAL, call(EPOLL_PWAIT, ep, scratch, 1, 0, scratch + 500, 4), "sigsetsize");
        assertEquals(0, call(EPOLL_PWAIT, ep, scratch, 1, 0, 0, 8));
        writeTimespec(scratch + 600, 0);
        assertEquals(0, call(EPOLL_PWAIT2, ep, scratch, 1, scratch + 600, 0, 8));
        m.user.write64(scratch + 608, NANOS);
        assertEquals(-Errno.EINVAL, call(EPOLL_PWAIT2, ep, scratch, 1, scratch + 600, 0, 8));
        assertEquals(Task.State.RUNNABLE, thread().state());
    }

    @Test
    void epollPwaitSleepsUntilAWriteMakesAnItemReadyThenReportsItWhenItRunsAgain() throws BadUserAddressException {
        long ep = call(EPOLL_CREATE1, 0);
        int[] p = pipe();
        assertEquals(0, epollCtl(ep, EventPoll.EPOLL_CTL_ADD, p[0], PollTable.POLLIN, 0xabcdefL));
        call(EPOLL_PWAIT, ep, scratch, 4, -1, 0, 8);
        Task t = thread();
        assertEquals(Task.State.BLOCKED, t.state());
        assertFalse(t.waitingFor().restartable, "a signal ends it with EINTR, SA_RESTART or not");
        assertEquals(-1, t.waitingFor().deadlineNanos);
        process.kernel.scheduler().add(t);
        assertEquals(1, process.files.write(p[1], new byte[] {'x'}, 0, 1));
        assertEquals(Task.State.RUNNABLE, t.state(), "the write woke it");
        assertEquals(1, call(EPOLL_PWAIT, ep, scratch, 4, -1, 0, 8));
        assertEquals(PollTable.POLLIN, m.user.read32(scratch));
        assertEquals(0xabcdefL, m.user.read64(scratch + 8));
    }

    @Test
    void aTimedOutEpollWaitRunsAgainAndAnswersZeroWithTheDeadlineItSleptWith() throws BadUserAddressException {
        long ep = call(EPOLL_CREATE1, 0);
        call(EPOLL_PWAIT, ep, scratch, 4, 5, 0, 8);
        Task t = thread();
        assertEquals(Task.State.BLOCKED, t.state());
        long deadline = t.waitingFor().deadlineNanos;
        assertTrue(deadline > 0);
        t.timeOut();
        assertEquals(Task.State.RUNNABLE, t.state());
        while (process.kernel.scheduler().now() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, call(EPOLL_PWAIT, ep, scratch, 4, 5, 0, 8), "not a fresh 5 ms");
    }

    @Test
    void ppollOnAnEmptyPipeSleepsAndAWriteWakesIt() throws BadUserAddressException {
        int[] p = pipe();
        m.user.write32(scratch, p[0]);
        m.user.write32(scratch + 4, PollTable.POLLIN);
        call(PPOLL, scratch, 1, 0, 0, 0);
        Task t = thread();
        assertEquals(Task.State.BLOCKED, t.state());
        assertSame(t, t.waitingFor().channel);
        process.kernel.scheduler().add(t);
        process.files.write(p[1], new byte[] {'x'}, 0, 1);
        assertEquals(Task.State.RUNNABLE, t.state());
        assertEquals(1, call(PPOLL, scratch, 1, 0, 0, 0));
        assertEquals(PollTable.POLLIN, m.user.read32(scratch + 4) >>> 16);
    }

    @Test
    void ppollWritesBackTheTimeLeftAndPipesHangUp() throws BadUserAddressException {
        int[] p = pipe();
        process.files.close(p[1]);
        m.user.write32(scratch, p[0]);
        m.user.write32(scratch + 4, PollTable.POLLIN);
        writeTimespec(scratch + 100, 3 * NANOS);
        assertEquals(1, call(PPOLL, scratch, 1, scratch + 100, 0, 0));
        assertEquals(PollTable.POLLHUP, m.user.read32(scratch + 4) >>> 16);
        long left = m.user.read64(scratch + 100) * NANOS + m.user.read64(scratch + 108);
        assertTrue(left > 2 * NANOS && left <= 3 * NANOS, "time left " + left);
    }

    @Test
    void ppollWithATemporaryMaskRestoresTheOldOneWhenItReturns() throws BadUserAddressException {
        Task t = thread();
        t.setBlocked(SignalActions.bit(Signal.SIGUSR1));
        m.user.write64(scratch + 200, SignalActions.bit(Signal.SIGUSR2));
        writeTimespec(scratch + 100, 0);
        assertEquals(-Errno.EINVAL, call(PPOLL, scratch, 0, scratch + 100, scratch + 200, 4));
        assertEquals(0, call(PPOLL, scratch, 0, scratch + 100, scratch + 200, 8));
        assertEquals(SignalActions.bit(Signal.SIGUSR1), t.blocked());
        assertFalse(t.restoreSigmask);
    }

    @Test
    void pselect6ReportsReadyBitsPerSetAndRefusesDescriptorsNotOpen() throws BadUserAddressException {
        int[] p = pipe();
        process.files.write(p[1], new byte[] {'x'}, 0, 1);
        long in = scratch + 100;
        long out = scratch + 200;
        m.user.write64(in, (1L << p[0]) | (1L << p[1]));
        m.user.write64(out, (1L << p[0]) | (1L << p[1]));
        writeTimespec(scratch + 300, 0);
        assertEquals(2, call(PSELECT6, p[1] + 1, in, out, 0, scratch + 300, 0));
        assertEquals(1L << p[0], m.user.read64(in), "the read end is readable");
        assertEquals(1L << p[1], m.user.read64(out), "the write end is writable");
        m.user.write64(in, 1L << 40);
        assertEquals(-Errno.EBADF, call(PSELECT6, 41, in, 0, 0, scratch + 300, 0));
        assertEquals(-Errno.EINVAL, call(PSELECT6, -1, 0, 0, 0, scratch + 300, 0));
        m.user.write64(scratch + 308, NANOS);
        assertEquals(-Errno.EINVAL, call(PSELECT6, 1, 0, 0, 0, scratch + 300, 0));
    }

    @Test
    void pselect6SleepsOnAnEmptyPipeAndClearsTheSetsAtItsDeadline() throws BadUserAddressException {
        int[] p = pipe();
        long in = scratch + 100;
        m.user.write64(in, 1L << p[0]);
        writeTimespec(scratch + 300, 1_000_000);
        call(PSELECT6, p[0] + 1, in, 0, 0, scratch + 300, 0);
        Task t = thread();
        assertEquals(Task.State.BLOCKED, t.state());
        long deadline = t.waitingFor().deadlineNanos;
        t.timeOut();
        while (process.kernel.scheduler().now() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, call(PSELECT6, p[0] + 1, in, 0, 0, scratch + 300, 0));
        assertEquals(0, m.user.read64(in));
        assertEquals(0, m.user.read64(scratch + 300) + m.user.read64(scratch + 308), "no time left");
    }
}
