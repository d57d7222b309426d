package a64emu.tools;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.loader.ElfFormatException;
import a64emu.guest.loader.ElfSymbols;
import a64emu.guest.mm.TranslationRegime;
import a64emu.guest.events.GuestEvents;
import a64emu.mmu.Mmu;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs a program to the point the user asked for (its exit, or the first time the PC
 * reaches an ELF symbol) and hands its address space, intact, to a tool such as
 * {@code walk} or {@code ptdump}. Stopping at a symbol single-steps the CPU; at the stop
 * the process is ended with status 0 once the tool has looked.
 */
final class Inspection {
    /**
     * The stopped process.
     *
     * @param process the program's process; its page tables, VMAs and frames are live
     * @param mmu     the MMU with the process's tables installed (TTBR0, ASID, TCR, MAIR)
     * @param where   where it stopped, in words: "at exit (status 0)", "at main (pc 0x400580)"
     * @param symbols the program's symbol table
     */
    record Stop(Process process, Mmu mmu, String where, ElfSymbols symbols) {}

    /** The program cannot be inspected as asked (no such symbol, never reached). */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    private Inspection() {}

    /** Where PROGRAM is on the host: as given, or inside the guest's --root. */
    static Path hostPath(String program, Path root) {
        return root == null ? Path.of(program) : root.resolve(program.replaceFirst("^/+", ""));
    }

    /** The symbol table of the program file on the host; none if it cannot be read as ELF. */
    static ElfSymbols symbols(Path program) {
        try {
            return ElfSymbols.read(Files.readAllBytes(program));
        } catch (IOException | ElfFormatException e) {
            return ElfSymbols.none();
        }
    }

    /**
     * {@link #run} on the machine {@code machine} describes, for the command {@code spec}: its exit
     * status is what {@code inspect} answers, or 1 with the failure on the command's stderr
     * ("a64emu walk: no symbol ...").
     */
    static int command(CommandSpec spec, A64emu a64emu, MachineOptions machine, String program, List<String> args,
                       String atSymbol, ToIntFunction<Stop> inspect) {
        int[] status = {1};
        try {
            KernelConfig.Memory memory;
            try {
                memory = machine.memory();
            } catch (IllegalArgumentException e) {
                throw new Failure(e.getMessage());
            }
            run(a64emu, program, args, atSymbol, machine.ramBytes, machine.vaBits, machine.root, memory,
                    stop -> status[0] = inspect.applyAsInt(stop));
        } catch (Failure e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("a64emu " + spec.name() + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        spec.commandLine().getOut().flush();
        return status[0];
    }

    /**
     * Runs {@code program} (a host path, or inside {@code root}) and calls {@code inspect}
     * once, at {@code atSymbol} or at exit when it is null. The guest's own output goes to
     * {@code a64emu}'s stderr so that the tool's output on stdout stays clean. Returns the
     * kernel's exit status of the run.
     */
    static int run(A64emu a64emu, String program, List<String> args, String atSymbol, long ramBytes, int vaBits,
                   Path root, KernelConfig.Memory memory, Consumer<Stop> inspect) throws Failure {
        ElfSymbols symbols = symbols(hostPath(program, root));
        long target = -1;
        if (atSymbol != null) {
            target = symbols.find(atSymbol).orElseThrow(() -> new Failure("no symbol '" + atSymbol + "' in "
                    + program + (symbols.symbols().isEmpty() ? " (it has no symbol table: stripped?)" : ""))).value();
        }
        KernelConfig config = KernelConfig.defaults().withRam(ramBytes).withVaBits(vaBits).withRoot(root)
                .withStreams(a64emu.stdin, a64emu.stderr, a64emu.stderr).withMemory(memory);
        Kernel kernel = new Kernel(config);
        StopTracer tracer = new StopTracer(target, atSymbol, symbols, inspect);
        kernel.setEvents(tracer);
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(args);
        int status = kernel.run(Path.of(program), argv, a64emu.environment);
        if (!tracer.inspected) {
            throw new Failure(atSymbol != null && tracer.started
                    ? program + " ended (status " + status + ") without reaching " + atSymbol
                    : "cannot inspect " + program + ": it did not run (status " + status + ")");
        }
        return status;
    }

    private static final class StopTracer implements GuestEvents {
        private final long target;
        private final String symbol;
        private final ElfSymbols symbols;
        private final Consumer<Stop> inspect;
        private Process first;
        boolean started;
        boolean inspected;

        StopTracer(long target, String symbol, ElfSymbols symbols, Consumer<Stop> inspect) {
            this.target = target;
            this.symbol = symbol;
            this.symbols = symbols;
            this.inspect = inspect;
        }

        @Override
        public void processStarted(Process process) {
            first = process;
            started = true;
        }

        @Override
        public ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
        Process process = thread.process;
            if (target < 0 || inspected || process != first) {
                return cpu.run(quantum);
            }
            for (long done = 0; done < quantum; done++) {
                if (cpu.pc == target) {
                    stop(process, String.format("at %s (pc 0x%x, %d instructions)", symbol, cpu.pc,
                            cpu.instructions));
                    process.kernel.groupExit(process, new Process.Termination(0, null, cpu.pc));
                    return null;
                }
                ExceptionInfo ex = cpu.run(1);
                if (ex != null) {
                    return ex;
                }
            }
            return null;
        }

        @Override
        public void processExiting(Process process) {
            // By pid: after execve the process that exits is a new Process object; the old
            // one is released at the exec, without a termination.
            Process.Termination t = process.termination();
            if (target < 0 && !inspected && first != null && process.pid == first.pid && t != null) {
                stop(process, t.signal() != null ? "at exit (killed by signal " + t.signal().signo() + ")"
                        : "at exit (status " + (t.exitCode() & 0xFF) + ")");
            }
        }

        private void stop(Process process, String where) {
            inspected = true;
            Mmu mmu = process.mm.pageTables().mmu();
            // Another process may have been installed last; look at this one's tables.
            TranslationRegime.install(mmu, process.mm.pageTables());
            inspect.accept(new Stop(process, mmu, where, symbols));
        }
    }
}
