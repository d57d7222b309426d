package a64emu.guest.syscall;

import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.Process;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import a64emu.guest.sched.PosixTimers;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalDelivery;
import a64emu.guest.signal.SignalInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** timer_create and friends through the dispatcher, on a kernel's clock and signal path. */
class PosixTimerSyscallsTest {
    private static final long NANOS = 1_000_000_000L;
    private final TestMachine m = new TestMachine(48, 16L << 20);
    private final Process process;
    private final long scratch;

    PosixTimerSyscallsTest() {
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

    private long sigevent(long value, int signo, int notify) throws BadUserAddressException {
        long at = scratch + 1024;
        m.user.write(at, new byte[PosixTimerSyscalls.SIGEVENT_SIZE]);
        m.user.write64(at, value);
        m.user.write32(at + 8, signo);
        m.user.write32(at + 12, notify);
        return at;
    }

    private int create(int clock, long sevp) throws BadUserAddressException {
        assertEquals(0, call(TIMER_CREATE, clock, sevp, scratch));
        return m.user.read32(scratch);
    }

    private void settime(int id, int flags, long interval, long value) throws BadUserAddressException {
        long at = scratch + 2048;
        m.user.write64(at, interval / NANOS);
        m.user.write64(at + 8, interval % NANOS);
        m.user.write64(at + 16, value / NANOS);
        m.user.write64(at + 24, value % NANOS);
        assertEquals(0, call(TIMER_SETTIME, id, flags, at, 0));
    }

    private long[] gettime(int id) throws BadUserAddressException {
        long at = scratch + 3072;
        assertEquals(0, call(TIMER_GETTIME, id, at));
        return new long[] {m.user.read64(at + 16) * NANOS + m.user.read64(at + 24),
                m.user.read64(at) * NANOS + m.user.read64(at + 8)};
    }

    @Test
    void timersAreNumberedFromZeroPerProcessAndIdsAreNotReused() throws BadUserAddressException {
        assertEquals(0, create(TimeSyscalls.CLOCK_MONOTONIC, 0));
        assertEquals(1, create(TimeSyscalls.CLOCK_REALTIME, 0));
        assertEquals(0, call(TIMER_DELETE, 0));
        assertEquals(2, create(TimeSyscalls.CLOCK_BOOTTIME, 0), "the cursor moves on, as posix_timer_add's");
        assertEquals(-Errno.EINVAL, call(TIMER_DELETE, 0));
    }

    @Test
    void anExpiredTimerQueuesSiTimerWithItsIdAndValue() throws BadUserAddressException {
        int id = create(TimeSyscalls.CLOCK_MONOTONIC, sigevent(77, Signal.SIGUSR1, PosixTimers.SIGEV_SIGNAL));
        settime(id, PosixTimers.TIMER_ABSTIME, 0, 1); // long past: fires at once
        SignalInfo s = SignalDelivery.dequeue(process.current, 0);
        assertEquals(Signal.SIGUSR1, s.signo());
        assertEquals(Signal.SI_TIMER, s.code());
        assertEquals(id, s.timerId());
        assertEquals(77, s.status(), "si_value");
        assertEquals(0, s.overrun());
        assertEquals(0, gettime(id)[0], "a one-shot timer that fired is disarmed");
    }

    @Test
    void noSigeventMeansSigalrmWithTheIdAsSivalInt() throws BadUserAddressException {
        create(TimeSyscalls.CLOCK_MONOTONIC, 0);
        int id = create(TimeSyscalls.CLOCK_MONOTONIC, 0);
        settime(id, PosixTimers.TIMER_ABSTIME, 0, 1);
        SignalInfo s = SignalDelivery.dequeue(process.current, 0);
        assertEquals(Signal.SIGALRM, s.signo());
        assertEquals(id, s.status());
    }

    @Test
    void anIntervalTimerCountsTheIntervalsMissedBeforeItsSignalWasTaken() throws Exception {
        Thread.sleep(15); // the kernel's clock has run 10 ms since its boot at least
        int id = create(TimeSyscalls.CLOCK_MONOTONIC, sigevent(0, Signal.SIGUSR2, PosixTimers.SIGEV_SIGNAL));
        long now = process.kernel.monotonicNanos();
        // First expiry 10 intervals of 1 ms ago: it fires now and is re-armed only when its signal is taken.
        settime(id, PosixTimers.TIMER_ABSTIME, 1_000_000, now - 10_000_000);
        SignalInfo s = SignalDelivery.dequeue(process.current, 0);
        assertTrue(s.overrun() >= 10, "overrun " + s.overrun());
        assertEquals(s.overrun(), call(TIMER_GETOVERRUN, id));
        long[] cur = gettime(id);
        assertEquals(1_000_000, cur[1]);
        assertTrue(cur[0] > 0 && cur[0] <= 1_000_000, "re-armed within one interval: " + cur[0]);
        assertNull(SignalDelivery.dequeue(process.current, 0), "one signal, however many expiries");
    }

    @Test
    void sigevNoneTimersSendNothingButCountDown() throws BadUserAddressException {
        int id = create(TimeSyscalls.CLOCK_MONOTONIC, sigevent(0, 0, PosixTimers.SIGEV_NONE));
        settime(id, 0, 0, 10 * NANOS);
        long left = gettime(id)[0];
        assertTrue(left > 9 * NANOS && left <= 10 * NANOS, "left " + left);
        assertNull(SignalDelivery.dequeue(process.current, 0));
    }

    @Test
    void theChecksComeInLinuxsOrder() throws BadUserAddressException {
        assertEquals(-Errno.EFAULT, call(TIMER_CREATE, 100, 8, scratch), "the sigevent is copied first");
        assertEquals(-Errno.EINVAL, call(TIMER_CREATE, 100, 0, scratch));
        assertEquals(-Errno.ENOTSUP, call(TIMER_CREATE, TimeSyscalls.CLOCK_MONOTONIC_RAW, 0, scratch));
        assertEquals(-Errno.EINVAL, call(TIMER_CREATE, TimeSyscalls.CLOCK_MONOTONIC,
                sigevent(0, 65, PosixTimers.SIGEV_SIGNAL), scratch));
        assertEquals(-Errno.EINVAL, call(TIMER_CREATE, TimeSyscalls.CLOCK_MONOTONIC, sigevent(0, 1, 99), scratch));
        assertEquals(-Errno.EINVAL, call(TIMER_CREATE, TimeSyscalls.CLOCK_MONOTONIC,
                sigevent(0, Signal.SIGUSR1, PosixTimers.SIGEV_THREAD_ID), scratch), "no thread 0");
        assertEquals(-Errno.EFAULT, call(TIMER_CREATE, TimeSyscalls.CLOCK_MONOTONIC, 0, 8));
        assertEquals(-Errno.EPERM, call(TIMER_CREATE, TimeSyscalls.CLOCK_REALTIME_ALARM, 0, scratch),
                "CAP_WAKE_ALARM, after the id is written");
        assertEquals(4, m.user.read32(scratch), "every attempt past the clock check took an id");
        int id = create(TimeSyscalls.CLOCK_MONOTONIC, 0);
        assertEquals(-Errno.EINVAL, call(TIMER_SETTIME, id, 0, 0, 0));
        assertEquals(-Errno.EFAULT, call(TIMER_SETTIME, 999, 0, 8, 0), "the itimerspec before the id");
        m.user.write64(scratch + 2048, -1);
        assertEquals(-Errno.EINVAL, call(TIMER_SETTIME, id, 0, scratch + 2048, 0));
        assertEquals(-Errno.EINVAL, call(TIMER_GETTIME, -1, scratch));
        assertEquals(-Errno.EINVAL, call(TIMER_GETOVERRUN, 999));
    }

    @Test
    void exitAndExecDeleteEveryTimerAndDisarmIt() throws BadUserAddressException {
        int id = create(TimeSyscalls.CLOCK_MONOTONIC, 0);
        settime(id, 0, NANOS, 100 * NANOS);
        assertTrue(process.kernel.hrtimers().earliest() < Long.MAX_VALUE);
        process.posixTimers.deleteAll();
        assertEquals(Long.MAX_VALUE, process.kernel.hrtimers().earliest());
        assertEquals(-Errno.EINVAL, call(TIMER_GETTIME, id, scratch));
    }
}
