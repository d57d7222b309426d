package a64emu.guest.fuzz;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.events.GuestEvents;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.jit.JitOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One whole run of a guest program for the fuzz tests, as {@code a64emu run} makes it
 * ({@link Kernel#run}: exec, the run loop, the kernel's exception handling, the status a
 * shell sees), confined to a root directory, with a budget of instructions: when the guest
 * has run that many (all threads together), every process is killed with SIGKILL, so that a
 * loop in fuzzed code ends the run as a watchdog would. A Java exception inside the
 * emulator is the kernel's "emulator bug" (status 134, one line on stderr).
 */
public final class GuestRun {
    /** What a hook sees after each system call. */
    @FunctionalInterface
    public interface SyscallCheck {
        void afterSyscall(Kernel kernel, Task thread, int nr, long result);
    }

    /**
     * How the run went.
     *
     * @param status      the status a shell sees (exit code, or 128 + signal)
     * @param budgetSpent the harness killed the guest because its budget ran out
     * @param stdout      what the guest wrote to its standard output
     * @param stderr      what the guest and the kernel wrote to standard error
     * @param instructions instructions the guest ran
     */
    public record Result(int status, boolean budgetSpent, String stdout, String stderr, long instructions) {
        /** Status 134 with the kernel's report line (the guest shares stderr, and SIGABRT is 134 too). */
        public boolean emulatorBug() {
            return status == Kernel.STATUS_EMULATOR_BUG
                    && stderr.lines().anyMatch(l -> l.startsWith("a64emu: emulator bug "));
        }
    }

    /** The JIT translating every block on its first arrival (threshold 0), on the guest's thread. */
    public static final JitOptions JIT_AT_ONCE = new JitOptions(0, 200, false);

    private GuestRun() {}

    /** Runs {@code program} (a path inside {@code root}) with the interpreter. */
    public static Result run(Path root, String program, long budget, SyscallCheck check) {
        return run(root, program, budget, null, check);
    }

    /**
     * Runs {@code program} under {@code jit} (null: the interpreter) with 32 MiB of RAM, no
     * ASLR, stdin empty; {@code check} (may be null) is called after every system call.
     */
    public static Result run(Path root, String program, long budget, JitOptions jit, SyscallCheck check) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KernelConfig config = KernelConfig.defaults()
                .withRam(32L << 20)
                .withAslr(false)
                .withRoot(root)
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err);
        if (jit != null) {
            config = config.withJit(jit);
        }
        Kernel kernel = new Kernel(config);
        Budget events = new Budget(kernel, budget, check);
        kernel.setEvents(events);
        int status = kernel.run(Path.of(program), List.of(program), List.of("A64EMU_FUZZ=1"));
        return new Result(status, events.spent, out.toString(StandardCharsets.ISO_8859_1),
                err.toString(StandardCharsets.ISO_8859_1), events.used);
    }

    /** The listener that counts instructions and ends the run when the budget is gone. */
    private static final class Budget implements GuestEvents {
        private final Kernel kernel;
        private final long budget;
        private final SyscallCheck check;
        long used;
        boolean spent;

        Budget(Kernel kernel, long budget, SyscallCheck check) {
            this.kernel = kernel;
            this.budget = budget;
            this.check = check;
        }

        @Override
        public void processStarted(Process process) {
            if (budget == 0) {
                killAll();
            }
        }

        @Override
        public ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
            long left = budget - used;
            if (left <= 0) {
                killAll();
                return null;
            }
            long before = cpu.instructions;
            ExceptionInfo ex = cpu.run(Math.min(quantum, left));
            used += cpu.instructions - before;
            return ex;
        }

        @Override
        public void syscallExit(Task thread, int nr, long result) {
            if (check != null) {
                check.afterSyscall(kernel, thread, nr, result);
            }
        }

        private void killAll() {
            spent = true;
            for (Process p : List.copyOf(kernel.processes())) {
                if (!p.hasExited()) {
                    kernel.groupExit(p, new Process.Termination(0,
                            SignalInfo.fromKernel(Signal.SIGKILL, "fuzz budget spent"), p.leader().cpu.pc));
                }
            }
        }
    }
}
