package a64emu.guest.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The arm64 rt_sigframe as arch/arm64/kernel/signal.c writes and checks it. */
class SignalFrameTest {
    private final TestMachine m = new TestMachine(48);
    private final Task task;
    private final long stackTop;

    SignalFrameTest() {
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/prog");
        Process p = new Process(100, 1, new InitialStack.Credentials(0, 0, 0, 0), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        task = p.leader();
        long stack = m.memoryMap.mmap(0, 4 * 4096, Mman.PROT_READ | Mman.PROT_WRITE,
                Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS, null, 0);
        stackTop = stack + 4 * 4096;
    }

    @Test
    void layoutMatchesTheKernelStructs() {
        // offsetof/sizeof from aarch64-linux-gnu-gcc with the UAPI headers.
        assertEquals(4688, SignalFrame.FRAME_SIZE);
        assertEquals(128 + 40, SignalFrame.UC_SIGMASK);
        assertEquals(128 + 176, SignalFrame.UC_MCONTEXT);
        assertEquals(128 + 176 + 288, SignalFrame.SC_RESERVED);
        assertEquals(128 + 176 + 256, SignalFrame.SC_SP);
    }

    @Test
    void handlerEntryRegistersPointAtTheFrameAndTheTrampoline() throws BadUserAddressException {
        Cpu cpu = task.cpu;
        for (int i = 0; i < 31; i++) {
            cpu.x[i] = 0x1000 + i;
        }
        cpu.sp = stackTop - 0x40;
        cpu.pc = 0x400123 & ~3L;
        cpu.nzcv = 0x6000_0000;
        cpu.v[5] = 0x5555;
        SignalActions.Action a = new SignalActions.Action(0x401000, SignalActions.SA_SIGINFO, 0, 0);
        SignalInfo info = SignalInfo.fault(Signal.SIGSEGV, Signal.SEGV_ACCERR, 0x7000, "write")
                .withEsr(SignalFrame.sanitizedEsr(Esr.EC_DABT_LOWER, Esr.ISS_DA_WNR | 0x0F));
        SignalFrame.setup(task, m.user, info, a, cpu.sp, 0x4, 0x9000);
        long frame = cpu.sp;
        assertEquals(0, frame & 15, "SP 16-byte aligned");
        assertEquals(11, cpu.x[0]);
        assertEquals(frame, cpu.x[1]);
        assertEquals(frame + 128, cpu.x[2]);
        assertEquals(0x9000, cpu.x[30], "vdso __kernel_rt_sigreturn without SA_RESTORER");
        assertEquals(0x401000, cpu.pc);
        assertEquals(frame + SignalFrame.FRAME_SIZE, cpu.x[29], "frame record just above the frame");
        assertEquals(0x1000 + 29, m.user.read64(cpu.x[29]), "record's fp is the old x29");
        assertEquals(0x1000 + 30, m.user.read64(cpu.x[29] + 8), "record's lr is the old x30");
        assertEquals(Signal.SIGSEGV, m.user.read32(frame));
        assertEquals(Signal.SEGV_ACCERR, m.user.read32(frame + 8));
        assertEquals(0x7000, m.user.read64(frame + 16), "si_addr");
        assertEquals(0x7000, m.user.read64(frame + SignalFrame.SC_FAULT_ADDRESS));
        assertEquals(0x4, m.user.read64(frame + SignalFrame.UC_SIGMASK));
        assertEquals(SignalFrame.FPSIMD_MAGIC, m.user.read32(frame + SignalFrame.SC_RESERVED));
        long esr = frame + SignalFrame.SC_RESERVED + SignalFrame.FPSIMD_CONTEXT_SIZE;
        assertEquals(SignalFrame.ESR_MAGIC, m.user.read32(esr));
        assertEquals(0x9200_0044L, m.user.read64(esr + 8), "EC 0x24, IL, WnR, FSC reported as level 0 translation");
        assertEquals(0, m.user.read64(esr + 16), "terminator");
    }

    @Test
    void sigreturnRestoresWhatTheHandlerLeftInTheFrame() throws Exception {
        Cpu cpu = task.cpu;
        cpu.sp = stackTop - 0x100;
        cpu.pc = 0x400200;
        cpu.v[63] = 0x1234;
        long[] before = cpu.x.clone();
        SignalFrame.setup(task, m.user, SignalInfo.atPc(Signal.SIGILL, Signal.ILL_ILLOPC, "x"),
                new SignalActions.Action(0x401000, 0, 0, 0), cpu.sp, 0x8, 0x9000);
        long frame = cpu.sp;
        m.user.write64(frame + SignalFrame.SC_PC, 0x400204); // the handler skips the instruction
        m.user.write64(frame + SignalFrame.SC_REGS + 8 * 3, 42);
        cpu.v[63] = 0;
        SignalFrame.Restored r = SignalFrame.restore(task, m.user);
        assertEquals(0x400204, cpu.pc);
        assertEquals(42, cpu.x[3]);
        assertEquals(stackTop - 0x100, cpu.sp);
        assertEquals(0x1234, cpu.v[63]);
        assertEquals(0x8, r.sigmask());
        before[3] = 42;
        assertArrayEquals(java.util.Arrays.copyOf(before, 31), java.util.Arrays.copyOf(cpu.x, 31));
    }

    @Test
    void sigreturnRejectsAMisalignedSpAMissingFpsimdRecordAndAPrivilegedPstate() throws Exception {
        Cpu cpu = task.cpu;
        cpu.sp = stackTop - 0x100;
        SignalFrame.setup(task, m.user, SignalInfo.atPc(Signal.SIGILL, Signal.ILL_ILLOPC, "x"),
                new SignalActions.Action(0x401000, 0, 0, 0), cpu.sp, 0, 0x9000);
        long frame = cpu.sp;
        cpu.sp = frame + 8;
        assertThrows(SignalFrame.BadFrameException.class, () -> SignalFrame.restore(task, m.user));
        cpu.sp = frame;
        m.user.write64(frame + SignalFrame.SC_PSTATE, 0x3C5);
        assertThrows(SignalFrame.BadFrameException.class, () -> SignalFrame.restore(task, m.user));
        cpu.sp = frame;
        m.user.write64(frame + SignalFrame.SC_PSTATE, 0);
        m.user.write32(frame + SignalFrame.SC_RESERVED, 0x1234);
        assertThrows(SignalFrame.BadFrameException.class, () -> SignalFrame.restore(task, m.user));
    }
}
