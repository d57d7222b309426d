package a64emu.guest;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.cpu.disasm.Disassembler;
import a64emu.guest.fs.HostInput;
import a64emu.guest.fs.OpenFile;
import a64emu.guest.mm.FaultHandler;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalFrame;
import a64emu.guest.signal.SignalInfo;
import a64emu.guest.syscall.SyscallNumbers;

/**
 * Exception entry from EL0 (Linux's el0_sync): each exception a thread takes goes by its
 * class to the system calls, the page-fault handler, a signal, or the debugger (the debug
 * exceptions of its hooks). The run loop calls it between the CPU's stop and the return to
 * user space, with the kernel's "current" set.
 */
final class ExceptionEntry {
    /** A fault that stays unresolved after this many handled retries is a kernel/MMU bug. */
    private static final int MAX_REPEATED_FAULTS = 8;

    /** Built on first use (a guest fault worth describing), not at start-up: its tables cost ~30 ms. */
    private static final class Disasm {
        static final Disassembler INSTANCE = new Disassembler();
    }

    private final Kernel kernel;

    ExceptionEntry(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The exception's handling by its class (Linux el0_sync's dispatch). */
    void dispatch(Task t, ExceptionInfo ex) {
        Process p = t.process;
        Cpu cpu = t.cpu;
        switch (ex.ec()) {
            case Esr.EC_SVC64 -> {
                // A system call between two faults at one place may have changed the mapping
                // (fork write-protects, mprotect): the fault recurring then is no kernel bug.
                t.faultRepeats = 0;
                long arg0 = cpu.x[0];
                int nr = (int) cpu.x[8];
                p.current = t;
                kernel.events().syscallEntry(t, nr);
                p.syscalls.handle(cpu);
                if (!p.syscalls.stoppedBySeccomp()) {
                    pipeWaits(t, nr, arg0, cpu.x[0]);
                }
                kernel.events().syscallExit(t, nr, cpu.x[0]);
                if (t.state() == Task.State.BLOCKED && t.waitingFor().retry) {
                    // The call runs again when the thread wakes: back to the SVC, x0 as it was.
                    cpu.x[0] = arg0;
                    cpu.pc -= 4;
                }
                SignalInfo kill = p.user.takePendingKill();
                if (kill != null) {
                    kernel.groupExit(p, new Process.Termination(0, kill, ex.elr()));
                }
            }
            case Esr.EC_DABT_LOWER, Esr.EC_IABT_LOWER, Esr.EC_DABT_CUR, Esr.EC_IABT_CUR -> {
                if (ex.fault() == null) {
                    throw new IllegalStateException("abort without a fault record: " + ex);
                }
                FaultHandler.Result r = p.faults.handle(ex.fault());
                if (r.userfault() != null) {
                    userfaultWait(t, r.userfault());
                } else if (r.resolved()) {
                    noteResolvedFault(t, ex);
                } else {
                    t.faultRepeats = 0;
                    String insn = ex.insnWord() == 0 ? null : Disasm.INSTANCE.oneLine(ex.elr(), ex.insnWord());
                    SignalInfo s = r.signal().withEsr(SignalFrame.sanitizedEsr(ex.ec(), ex.iss()));
                    fault(t, insn == null ? s : s.withDetailAppended(" (instruction: " + insn + ")"));
                }
                // The OOM killer may have chosen this process while its fault was handled.
                SignalInfo kill = p.user.takePendingKill();
                if (kill != null && r.resolved()) {
                    kernel.groupExit(p, new Process.Termination(0, kill, ex.elr()));
                }
            }
            case Esr.EC_UNKNOWN -> fault(t, SignalInfo.atPc(Signal.SIGILL, Signal.ILL_ILLOPC,
                    "undefined instruction " + instruction(ex)).withEsr(esr(ex)));
            case Esr.EC_SYS64 -> fault(t, SignalInfo.atPc(Signal.SIGILL, Signal.ILL_ILLOPC,
                    "system register access not allowed at EL0, instruction " + instruction(ex)).withEsr(esr(ex)));
            case Esr.EC_PC_ALIGN -> fault(t, SignalInfo.fault(Signal.SIGBUS, Signal.BUS_ADRALN, ex.far(),
                    "instruction fetch, misaligned PC").withEsr(esr(ex)));
            case Esr.EC_SP_ALIGN -> fault(t, SignalInfo.fault(Signal.SIGBUS, Signal.BUS_ADRALN, cpu.sp,
                    "stack pointer not 16-byte aligned").withEsr(esr(ex)));
            // The debugger's own exceptions (its DebugHooks raised them): the guest never sees them.
            case Esr.EC_BREAKPT_LOWER, Esr.EC_SOFTSTP_LOWER, Esr.EC_WATCHPT_LOWER -> kernel.events().debugException(t, ex);
            case Esr.EC_BRK64 -> fault(t, SignalInfo.atPc(Signal.SIGTRAP, Signal.TRAP_BRKPT,
                    String.format("brk #0x%x", ex.iss() & 0xFFFF)).withEsr(esr(ex)));
            default -> throw new IllegalStateException("unexpected exception from the CPU: " + ex);
        }
    }

    /** The word, and its disassembly when an instruction owns it: {@code 0xd5381000 (mrs x0, sctlr_el1)}. */
    private static String instruction(ExceptionInfo ex) {
        String text = Disasm.INSTANCE.oneLine(ex.elr(), ex.insnWord());
        return String.format("0x%08x", ex.insnWord()) + (text == null ? "" : " (" + text + ")");
    }

    /**
     * read/write on a pipe end or the host's standard input: Linux's pipe_read and
     * pipe_write sleep on the pipe's wait queue where the end answered EAGAIN (an empty or
     * full pipe) unless it is O_NONBLOCK, and so does a read of standard input before the
     * host has delivered anything; the call then runs again when the channel changes. A
     * write with no reader raises SIGPIPE, the host's pipe behind standard output included.
     */
    private void pipeWaits(Task t, int nr, long fd, long result) {
        boolean read = nr == SyscallNumbers.READ || nr == SyscallNumbers.READV;
        boolean write = nr == SyscallNumbers.WRITE || nr == SyscallNumbers.WRITEV;
        if (!(read || write) || t.state() != Task.State.RUNNABLE) {
            return;
        }
        OpenFile f = t.process.files.file((int) fd);
        if (f == null) {
            return;
        }
        Object channel = f.sleepChannel();
        if (result == -Errno.EAGAIN && channel != null) {
            String reason = channel instanceof HostInput ? "read from the host's standard input"
                    : a64emu.guest.fs.Pipe.of(f) == null ? (read ? "read from " : "write to ") + f.guestPath()
                    : read ? "read from an empty pipe" : "write to a full pipe";
            Task.Wait w = new Task.Wait(reason, -1, 0, true);
            w.channel = channel;
            t.block(w);
        } else if (result == -Errno.EPIPE && write && f.writeEpipeRaisesSigpipe()) {
            kernel.signals().sendToThread(t, SignalInfo.fromProcess(Signal.SIGPIPE, Signal.SI_USER, t.process.pid,
                    (int) t.process.credentials.uid(), "write to a pipe with no reader"));
        }
    }

    /**
     * Linux {@code handle_userfault}: the thread posts its fault to the userfaultfd and
     * sleeps (TASK_INTERRUPTIBLE) until the handler fills or wakes the page's range; then the
     * faulting instruction, where the PC still is, runs again. A signal ends the sleep too:
     * the handler runs and the access faults anew.
     */
    private void userfaultWait(Task t, a64emu.guest.mm.Userfaultfd.Wait uw) {
        t.faultRepeats = 0;
        Task.Wait w = new Task.Wait("page fault at 0x" + Long.toHexString(uw.address()) + " for userfaultfd",
                -1, 0, true);
        w.pageFault = true;
        a64emu.guest.mm.Userfaultfd.Fault f = uw.post(t.tid);
        f.setStillWaiting(() -> t.state() == Task.State.BLOCKED && t.waitingFor() == w);
        w.channel = f;
        t.block(w);
    }

    private static long esr(ExceptionInfo ex) {
        return Esr.value(ex.ec(), ex.iss()) & 0xFFFF_FFFFL;
    }

    /** A fault the handler resolved: the instruction retries; the same one forever is a bug. */
    private void noteResolvedFault(Task t, ExceptionInfo ex) {
        if (ex.elr() == t.lastFaultPc && ex.far() == t.lastFaultVa) {
            if (++t.faultRepeats > MAX_REPEATED_FAULTS) {
                throw new IllegalStateException("the same fault recurs after being resolved "
                        + t.faultRepeats + " times: " + ex);
            }
        } else {
            t.faultRepeats = 0;
            t.lastFaultPc = ex.elr();
            t.lastFaultVa = ex.far();
        }
    }

    /** A synchronous signal for the faulting thread (delivered before it returns to user space). */
    private void fault(Task t, SignalInfo info) {
        kernel.signals().forceFault(t, info);
    }
}
