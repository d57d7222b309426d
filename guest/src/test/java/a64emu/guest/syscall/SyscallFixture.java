package a64emu.guest.syscall;

import a64emu.cpu.Cpu;
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

/** A process built alone (no kernel) with a page of scratch memory, for system call tests. */
final class SyscallFixture {
    static final int PID = 4242;
    final TestMachine m = new TestMachine(48);
    final ByteArrayOutputStream notices = new ByteArrayOutputStream();
    final Process process;
    final Syscalls syscalls;
    /** Four pages of scratch guest memory for arguments. */
    final long scratch;

    SyscallFixture(long uid, long gid) {
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/prog");
        process = new Process(PID, 1, new InitialStack.Credentials(uid, uid, gid, gid), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        syscalls = new Syscalls(process, new PrintStream(notices, true, StandardCharsets.UTF_8));
        scratch = m.memoryMap.mmap(0, 4 * 4096, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
    }

    /** Makes the call as the CPU does: number in x8, arguments in x0-x5, result from x0. */
    long call(int nr, long... args) {
        Cpu cpu = process.cpu;
        for (int i = 0; i < 6; i++) {
            cpu.x[i] = i < args.length ? args[i] : 0;
        }
        cpu.x[8] = nr;
        syscalls.handle(cpu);
        return cpu.x[0];
    }
}
