package a64emu.guest.syscall;

import static a64emu.guest.fs.OpenFlags.AT_FDCWD;
import static a64emu.guest.fs.OpenFlags.O_RDWR;
import static a64emu.guest.fs.PollTable.POLLERR;
import static a64emu.guest.fs.PollTable.POLLIN;
import static a64emu.guest.fs.PollTable.POLLNVAL;
import static a64emu.guest.fs.PollTable.POLLOUT;
import static a64emu.guest.fs.PollTable.POLLPRI;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import a64emu.cpu.Cpu;
import a64emu.cpu.SystemIds;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.KernelLog;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.FaultCounts;
import a64emu.guest.mm.Mman;
import a64emu.guest.proc.KernelState;
import a64emu.guest.proc.ProcFs;
import a64emu.guest.proc.TestCallers;
import a64emu.guest.sched.Psi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** ppoll(2) over files with a poll method of their own: a /proc/pressure/memory trigger's POLLPRI. */
class PollSyscallsTest {
    private final TestMachine m = new TestMachine(48, 16L << 20);
    private long now;
    private final Psi psi = new Psi(() -> now);
    private final Process process;
    private final long scratch;
    private final int psiFd;

    PollSyscallsTest() {
        KernelState state = new KernelState() {
            @Override public long uptimeNanos() { return now; }
            @Override public long idleNanos() { return 0; }
            @Override public long[] loadAverages() { return new long[3]; }
            @Override public int lastPid() { return 4242; }
            @Override public SystemIds cpuIds() { return SystemIds.DEFAULT; }
            @Override public FaultCounts faultCounts() { return FaultCounts.ZERO; }
            @Override public Psi psi() { return psi; }
            @Override public KernelLog kernelLog() { return new KernelLog(() -> now); }
        };
        FileSystem fs = new FileSystem(null, "/");
        fs.mount(new ProcFs(TestCallers.callerWithUid(m.mm, 0), state, m.frames));
        FileTable files = new FileTable(fs, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), "/bin/lmkd");
        process = new Process(4242, 1, new InitialStack.Credentials(0, 0, 0, 0), new Cpu(m.mmu), m.mm, m.frames,
                m.faults, m.user, files, 1);
        process.syscalls = new Syscalls(process, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        scratch = m.memoryMap.mmap(0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS,
                null, 0);
        psiFd = files.openat(AT_FDCWD, "/proc/pressure/memory", O_RDWR, 0);
    }

    private long ppoll(int fd, int events, long timeoutNanos) throws BadUserAddressException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(fd).putShort((short) events);
        m.user.write(scratch, b.array());
        long tmo = scratch + 64;
        if (timeoutNanos >= 0) {
            m.user.write64(tmo, timeoutNanos / 1_000_000_000L);
            m.user.write64(tmo + 8, timeoutNanos % 1_000_000_000L);
        }
        Cpu cpu = process.cpu;
        cpu.x[0] = scratch;
        cpu.x[1] = 1;
        cpu.x[2] = timeoutNanos >= 0 ? tmo : 0;
        cpu.x[3] = 0;
        cpu.x[4] = 0;
        cpu.x[8] = SyscallNumbers.PPOLL;
        process.syscalls.handle(cpu);
        return cpu.x[0];
    }

    private int revents() throws BadUserAddressException {
        return Short.toUnsignedInt(ByteBuffer.wrap(m.user.read(scratch + 6, 2)).order(ByteOrder.LITTLE_ENDIAN).getShort());
    }

    private void trigger() {
        byte[] line = "some 150000 1000000\0".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(line.length, process.files.write(psiFd, line, 0, line.length));
    }

    @Test
    void aTriggersDescriptorIsReadyForPriOnlyAfterItFired() throws BadUserAddressException {
        trigger();
        assertEquals(0, ppoll(psiFd, POLLPRI, 0));
        assertEquals(0, revents());
        now = 1_000_000_000L;
        psi.stalled(200_000_000L, false);
        assertEquals(1, ppoll(psiFd, POLLPRI, 0));
        assertEquals(POLLPRI, revents());
        assertEquals(0, ppoll(psiFd, POLLPRI, 0), "one event, one POLLPRI");
    }

    @Test
    void errorsAreReportedUnaskedAndAClosedDescriptorIsNval() throws BadUserAddressException {
        assertEquals(1, ppoll(psiFd, POLLIN, 0));
        assertEquals(POLLIN | POLLERR, revents(), "no trigger: POLLERR");
        assertEquals(1, ppoll(99, POLLIN, 0));
        assertEquals(POLLNVAL, revents());
        assertEquals(1, ppoll(1, POLLOUT, 0));
        assertEquals(POLLOUT, revents(), "a file without a poll method is ready");
    }

    @Test
    void aSleepingPollIsWokenByTheTriggerAndFindsPriWhenItRunsAgain() throws BadUserAddressException {
        process.kernel = new Kernel(KernelConfig.defaults());
        trigger();
        ppoll(psiFd, POLLPRI, 5_000_000_000L);
        Task t = process.current;
        assertEquals(Task.State.BLOCKED, t.state());
        assertSame(t, t.waitingFor().channel);
        assertFalse(t.waitingFor().restartable, "a signal ends it with EINTR, SA_RESTART or not");
        now = 1_000_000_000L;
        psi.stalled(200_000_000L, false); // fires: the thread is woken and its ppoll runs again
        t.wake(0);
        assertEquals(1, ppoll(psiFd, POLLPRI, 5_000_000_000L));
        assertEquals(POLLPRI, revents());
    }
}
