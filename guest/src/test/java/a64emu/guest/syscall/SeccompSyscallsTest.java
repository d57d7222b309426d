package a64emu.guest.syscall;

import static a64emu.guest.security.Bpf.*;
import static a64emu.guest.syscall.SyscallNumbers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import a64emu.guest.security.Seccomp;
import a64emu.guest.signal.Signal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** seccomp(2) and PR_SET_SECCOMP as an ordinary user (uid 1000, no capabilities) makes them. */
class SeccompSyscallsTest {
    private final TestMachine m = new TestMachine(48);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Process process;
    private final Syscalls syscalls;
    private final long scratch;

    SeccompSyscallsTest() {
        FileSystem fs = new FileSystem(null, "/");
        FileTable files = new FileTable(fs, new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream(),
                "/bin/prog");
        process = new Process(4242, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        syscalls = new Syscalls(process, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        scratch = m.memoryMap.mmap(0, 4 * 4096, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
    }

    private long call(int nr, long... args) {
        Cpu cpu = process.cpu;
        for (int i = 0; i < 6; i++) {
            cpu.x[i] = i < args.length ? args[i] : 0;
        }
        cpu.x[8] = nr;
        syscalls.handle(cpu);
        return cpu.x[0];
    }

    /** A struct sock_fprog at scratch, its program (nr answers ret, the rest ALLOW) at scratch + 64. */
    private long fprog(int nr, int ret) throws BadUserAddressException {
        int[][] insns = {{LD | W | ABS, 0, 0, 0}, {JMP | JEQ | K, 0, 1, nr}, {RET | K, 0, 0, ret},
            {RET | K, 0, 0, Seccomp.RET_ALLOW}};
        ByteBuffer b = ByteBuffer.allocate(insns.length * INSN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] i : insns) {
            b.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt(i[3]);
        }
        m.user.write(scratch + 64, b.array());
        m.user.write64(scratch, insns.length);
        m.user.write64(scratch + 8, scratch + 64);
        return scratch;
    }

    private long install(int nr, int ret, int flags) throws BadUserAddressException {
        return call(SECCOMP, SeccompSyscalls.SET_MODE_FILTER, flags, fprog(nr, ret));
    }

    @Test
    void aFilterNeedsNoNewPrivsWithoutCapSysAdmin() throws BadUserAddressException {
        assertEquals(-Errno.EACCES, install(GETPPID, Seccomp.RET_ERRNO | 1, 0));
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_GET_SECCOMP));
    }

    @Test
    void flagsAndTheFprogAreCheckedBeforeThePrivilege() throws BadUserAddressException {
        assertEquals(-Errno.EINVAL, install(GETPPID, Seccomp.RET_ALLOW, 1 << 10));
        assertEquals(-Errno.EFAULT, call(SECCOMP, SeccompSyscalls.SET_MODE_FILTER, 0, 8));
        m.user.write64(scratch, 0);
        assertEquals(-Errno.EINVAL, call(SECCOMP, SeccompSyscalls.SET_MODE_FILTER, 0, scratch), "len 0");
    }

    @Test
    void errnoActionsAnswerTheFilteredCallOnly() throws BadUserAddressException {
        call(PRCTL, PrctlSyscalls.PR_SET_NO_NEW_PRIVS, 1);
        assertEquals(0, install(GETPPID, Seccomp.RET_ERRNO | Errno.EPERM, 0));
        assertEquals(0, install(UNAME, Seccomp.RET_ERRNO | 5000, SeccompSyscalls.FLAG_TSYNC));
        assertEquals(0, install(GETUID, Seccomp.RET_TRACE, SeccompSyscalls.FLAG_LOG));
        assertEquals(0, install(GETGID, Seccomp.RET_USER_NOTIF, SeccompSyscalls.FLAG_SPEC_ALLOW));
        assertEquals(-Errno.EPERM, call(GETPPID));
        assertEquals(-4095, call(UNAME, scratch + 2048), "capped at MAX_ERRNO");
        assertEquals(-Errno.ENOSYS, call(GETUID), "TRACE with no tracer");
        assertEquals(-Errno.ENOSYS, call(GETGID), "USER_NOTIF with no listener");
        assertEquals(4242, call(GETPID));
        assertEquals(Seccomp.MODE_FILTER, call(PRCTL, PrctlSyscalls.PR_GET_SECCOMP));
        assertEquals(4, process.current.seccomp.filterCount());
        assertEquals(-Errno.EINVAL, call(PRCTL, PrctlSyscalls.PR_SET_SECCOMP, Seccomp.MODE_STRICT), "no way back");
    }

    @Test
    void noListenerCanBeCreated() throws BadUserAddressException {
        call(PRCTL, PrctlSyscalls.PR_SET_NO_NEW_PRIVS, 1);
        assertEquals(-Errno.EINVAL, install(GETPPID, Seccomp.RET_ALLOW,
                SeccompSyscalls.FLAG_TSYNC | SeccompSyscalls.FLAG_NEW_LISTENER));
        assertEquals(-Errno.EINVAL, install(GETPPID, Seccomp.RET_ALLOW, SeccompSyscalls.FLAG_WAIT_KILLABLE_RECV));
        assertEquals(-Errno.EINVAL, install(GETPPID, Seccomp.RET_ALLOW, SeccompSyscalls.FLAG_NEW_LISTENER));
        assertEquals(0, process.current.seccomp.filterCount());
    }

    @Test
    void strictModeAllowsWriteAndKillsOnAnythingElse() throws BadUserAddressException {
        assertEquals(-Errno.EINVAL, call(SECCOMP, SeccompSyscalls.SET_MODE_STRICT, 0, 8), "uargs must be NULL");
        assertEquals(0, call(PRCTL, PrctlSyscalls.PR_SET_SECCOMP, Seccomp.MODE_STRICT, 12345));
        m.user.write(scratch, "ok".getBytes(StandardCharsets.UTF_8));
        assertEquals(2, call(WRITE, 1, scratch, 2));
        assertNull(process.termination());
        call(GETPPID);
        assertEquals(Signal.SIGKILL, process.termination().signal().signo());
    }

    @Test
    void queriesReportTheActionsAndTheNotificationSizes() throws BadUserAddressException {
        m.user.write32(scratch, Seccomp.RET_LOG);
        assertEquals(0, call(SECCOMP, SeccompSyscalls.GET_ACTION_AVAIL, 0, scratch));
        m.user.write32(scratch, 0x0001_0000);
        assertEquals(-Errno.ENOTSUP, call(SECCOMP, SeccompSyscalls.GET_ACTION_AVAIL, 0, scratch));
        assertEquals(-Errno.EINVAL, call(SECCOMP, SeccompSyscalls.GET_ACTION_AVAIL, 1, scratch));
        assertEquals(0, call(SECCOMP, SeccompSyscalls.GET_NOTIF_SIZES, 0, scratch));
        assertEquals(80 | 24 << 16, m.user.read32(scratch));
        assertEquals(64, m.user.read32(scratch + 4) & 0xFFFF);
        assertEquals(-Errno.EINVAL, call(SECCOMP, 4, 0, scratch));
    }
}
