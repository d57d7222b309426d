package a64emu.guest.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.KernelLog;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import a64emu.guest.printk.Printk;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** syslog(2) (arm64 nr 116, klogctl): the actions on the kernel's log, as a guest makes the call. */
class SyslogSyscallsTest {
    private final TestMachine m = new TestMachine(48, 16L << 20);
    private final Kernel kernel = new Kernel(KernelConfig.defaults());

    private Process process(int uid) {
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/dmesg");
        Process p = new Process(4242, 1, new InitialStack.Credentials(uid, uid, uid, uid), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        p.kernel = kernel;
        p.setComm("dmesg");
        p.syscalls = new Syscalls(p, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return p;
    }

    private static long call(Process p, long... args) {
        Cpu cpu = p.cpu;
        for (int i = 0; i < 6; i++) cpu.x[i] = i < args.length ? args[i] : 0;
        cpu.x[8] = SyscallNumbers.SYSLOG;
        p.syscalls.handle(cpu);
        return cpu.x[0];
    }

    private long buffer() {
        return m.memoryMap.mmap(0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
    }

    @Test
    void syslogIsNumber116() {
        assertEquals(116, SyscallNumbers.SYSLOG);
        assertEquals("syslog", SyscallNumbers.name(116));
    }

    @Test
    void readAllCopiesTheLinesDmesgPrintsIntoTheBuffer() throws BadUserAddressException {
        kernel.kernelLog().log(KernelLog.ERR, "Out of memory: Killed process 4300 (prog)");
        Process p = process(1000);
        long buf = buffer();
        long n = call(p, 3, buf, 4096);
        String text = new String(m.user.read(buf, (int) n), StandardCharsets.UTF_8);
        assertEquals("<3>[    0.000000] Out of memory: Killed process 4300 (prog)\n".length(), n);
        assertEquals("<3>[", text.substring(0, 4));
        assertEquals("] Out of memory: Killed process 4300 (prog)\n", text.substring(16));
    }

    @Test
    void sizeBufferIsAnyonesAndClearNeedsCapSyslog() {
        Process user = process(1000);
        assertEquals(131072, call(user, 10, 0, 0));
        assertEquals(-Errno.EPERM, call(user, 5, 0, 0));
        assertEquals(-Errno.EPERM, call(user, 9, 0, 0));
        assertEquals(0, call(process(0), 5, 0, 0));
    }

    @Test
    void aNullBufferForReadAllIsEinvalAndAnUnmappedOneEfault() {
        kernel.kernelLog().log(KernelLog.INFO, "x");
        Process p = process(1000);
        assertEquals(-Errno.EINVAL, call(p, 3, 0, 100));
        assertEquals(-Errno.EFAULT, call(p, 3, 0x7000_0000L, 100));
    }

    @Test
    void readWithNothingUnreadSleepsOnThePrintkStateUntilAMessageComes() {
        Process root = process(0);
        long buf = buffer();
        call(root, 2, buf, 100);
        Task t = root.current;
        assertEquals(Task.State.BLOCKED, t.state());
        assertSame(Printk.of(kernel), t.waitingFor().channel);
        assertEquals(true, t.waitingFor().retry);
    }

    @Test
    void readTakesWhatItReadAndLeavesTheRestUnread() throws BadUserAddressException {
        kernel.kernelLog().log(KernelLog.INFO, "one");
        kernel.kernelLog().log(KernelLog.INFO, "two");
        Process root = process(0);
        long buf = buffer();
        long first = call(root, 2, buf, 30);
        assertEquals("one\n", new String(m.user.read(buf + first - 4, 4), StandardCharsets.UTF_8));
        assertEquals(first, call(root, 9, 0, 0), "SIZE_UNREAD: the line that is left");
    }
}
