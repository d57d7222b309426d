package a64emu.tools.debug.console;

import a64emu.cpu.Cpu;
import a64emu.cpu.DebugHooks;
import a64emu.cpu.disasm.Disassembler;
import a64emu.cpu.disasm.Disassembly;
import a64emu.cpu.disasm.Symbolizer;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.loader.ElfSymbols;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.tools.debug.DebugSession;
import a64emu.tools.debug.DebugSession.Resume;
import a64emu.tools.debug.DebugSession.Stop;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * The console front end of a {@link DebugSession}: at each stop it says why and where, then
 * reads and runs commands until one lets the guest go on. Nothing typed can end the session
 * by accident: bad input is one line of explanation and the next prompt.
 */
public final class Console implements DebugSession.Frontend {
    static final String PROMPT = "(a64emu) ";

    final PrintWriter out;
    private final LineSource input;
    final ElfSymbols symbols;
    final Disassembler disassembler = new Disassembler();
    DebugSession session;
    final Breakpoints breakpoints = new Breakpoints();
    private final Commands commands;

    /** stepi N: steps still to make before the next report. */
    int stepsLeft;
    /**
     * Breakpoints of next, finish and until, not the user's, gone at the next stop; each with the
     * lowest stack pointer it stops at (a hit in a deeper frame, recursion, goes on), 0 for any.
     */
    final Map<Long, Long> internalBreakpoints = new HashMap<>();
    /** Whether the guest was killed from the console (kill, quit, end of input). */
    boolean killed;
    private Task lastReported;
    /** Ctrl-C while the guest runs. */
    private final InterruptKey interruptKey = new InterruptKey();
    /** At a SIGNAL stop, the signal about to be delivered (no longer pending), else null. */
    SignalInfo delivering;

    public Console(PrintWriter out, LineSource input, ElfSymbols symbols) {
        this.out = out;
        this.input = input;
        this.symbols = symbols;
        this.commands = new Commands(this);
    }

    /** The session this console drives; call before the kernel runs. */
    public void attach(DebugSession s) {
        session = s;
    }

    // ---- the stops -------------------------------------------------------------------------

    @Override
    public Resume stopped(Stop stop) {
        Task t = stop.thread();
        if (stop.reason() == DebugSession.Reason.STEPPED && stepsLeft > 0) {
            stepsLeft--;
            return Resume.step();
        }
        stepsLeft = 0;
        Long lowestSp = internalBreakpoints.get(t.cpu.pc);
        if (stop.reason() == DebugSession.Reason.BREAKPOINT && lowestSp != null
                && !breakpoints.hasBreakpointAt(t.cpu.pc) && Long.compareUnsigned(t.cpu.sp, lowestSp) < 0) {
            return Resume.proceed();
        }
        interruptKey.disarm();
        clearInternalBreakpoints();
        delivering = stop.signal();
        report(stop);
        Resume r = readCommands();
        if (r.action() == DebugSession.Action.CONTINUE || r.action() == DebugSession.Action.STEP) {
            interruptKey.arm(session);
        }
        return r;
    }

    private Resume readCommands() {
        while (true) {
            if (input.interactive()) {
                out.print(PROMPT);
                out.flush();
            }
            LineSource.Line line = input.next();
            if (line == null) {
                killed = true;
                out.flush();
                return new Resume(DebugSession.Action.KILL, 0, Resume.DELIVER);
            }
            if (line.echo()) {
                out.println(PROMPT + line.text());
            }
            Resume r = commands.execute(line.text());
            out.flush();
            if (r != null) {
                return r;
            }
        }
    }

    private void report(Stop stop) {
        Task t = stop.thread();
        if (lastReported != null && lastReported != t && session.threads().size() > 1) {
            out.printf("[Switching to thread %d (pid %d)]%n", t.tid, t.process.pid);
        }
        lastReported = t;
        switch (stop.reason()) {
            case STARTED -> out.printf("Process %d (%s) stopped before its first instruction.%n", t.process.pid,
                    t.process.comm());
            case BREAKPOINT -> {
                Breakpoints.Entry b = breakpoints.breakpointAt(t.cpu.pc);
                if (b != null) {
                    b.hits++;
                    out.printf("%n%s %d, %s%n", b.temporary ? "Temporary breakpoint" : "Breakpoint", b.number,
                            frameText(t.cpu.pc));
                    if (b.temporary) {
                        breakpoints.remove(b);
                        if (!breakpoints.hasBreakpointAt(b.address)) {
                            session.removeBreakpoint(b.address);
                        }
                    }
                }
            }
            case STEPPED, INTERRUPTED -> {
                if (stop.reason() == DebugSession.Reason.INTERRUPTED) {
                    out.println("\nProgram interrupted.");
                }
            }
            case WATCHPOINT -> reportWatch(stop.watch());
            case SIGNAL -> {
                SignalInfo si = stop.signal();
                out.printf("%nProgram received signal %s, %s%s.%n", Signal.name(si.signo()),
                        Signal.codeName(si.signo(), si.code()),
                        si.detail() == null || si.detail().isEmpty() ? "" : " (" + si.detail() + ")");
            }
            case PAGE_FAULT -> {
                var f = stop.exception().fault();
                var vma = t.process.mm.find(f.va());
                out.printf("%nPage fault: %s%n  VMA %s%n", f, vma == null ? "none" : vma.describe());
            }
        }
        out.println(instructionLine(t, t.cpu.pc, true));
    }

    private void reportWatch(DebugSession.WatchReport w) {
        Breakpoints.Entry b = breakpoints.watchpoint(w.watchpoint());
        if (b != null) {
            b.hits++;
        }
        String kind = switch (w.watchpoint().kind()) {
            case WRITE -> "Hardware watchpoint";
            case READ -> "Hardware read watchpoint";
            case ACCESS -> "Hardware access (read/write) watchpoint";
        };
        out.printf("%n%s %d: %s%n%n", kind, b == null ? 0 : b.number, b == null ? "?" : b.what);
        if (w.write()) {
            out.printf("Old value = %s%nNew value = %s%n", valueText(w.oldValue()), valueText(w.newValue()));
        } else {
            out.printf("Value = %s%n", valueText(w.newValue()));
        }
        Task t = session.selected();
        long at = w.pc(); // the accessing instruction; the thread stands at the next one
        out.printf("%s at 0x%x by the instruction at %s%n", w.write() ? "Written" : "Read", w.address(),
                instructionLine(t, at, false).substring(3));
    }

    private static String valueText(long v) {
        return v + " (0x" + Long.toHexString(v) + ")";
    }

    // ---- the events between stops ----------------------------------------------------------

    @Override
    public void created(Task parent, Task child) {
        if (child.process != parent.process) {
            out.printf("[New process %d (%s), forked by %d]%n", child.process.pid, child.process.comm(),
                    parent.process.pid);
        } else {
            out.printf("[New Thread %d (pid %d)]%n", child.tid, child.process.pid);
        }
        out.flush();
    }

    @Override
    public void execed(Process before, Process after) {
        out.printf("[process %d is executing a new program: %s]%n", after.pid, after.comm());
        out.flush();
    }

    @Override
    public void exited(Process process) {
        Process.Termination term = process.termination();
        if (term == null) {
            out.printf("[process %d exited]%n", process.pid);
        } else if (term.signal() != null) {
            out.printf("[process %d exited: killed by %s]%n", process.pid, Signal.name(term.signal().signo()));
        } else {
            out.printf("[process %d exited with code %d]%n", process.pid, term.exitCode() & 0xFF);
        }
        out.flush();
    }

    /** The run is over with the status {@code run} would report. */
    public void finished(int status) {
        interruptKey.disarm();
        Process first = session == null ? null : session.firstProcess();
        String who = first == null ? "Inferior 1" : "Inferior 1 (process " + first.pid + ")";
        if (killed) {
            out.printf("[%s killed]%n", who);
        } else if (status == 0) {
            out.printf("[%s exited normally]%n", who);
        } else if (status > 128 && status < 128 + 65) {
            out.printf("[%s terminated with signal %s]%n", who, Signal.name(status - 128));
        } else {
            out.printf("[%s exited with code %d]%n", who, status);
        }
        out.flush();
    }

    // ---- shared by the commands ------------------------------------------------------------

    void clearInternalBreakpoints() {
        for (long a : internalBreakpoints.keySet()) {
            if (!breakpoints.hasBreakpointAt(a)) {
                session.removeBreakpoint(a);
            }
        }
        internalBreakpoints.clear();
    }

    /** A breakpoint of next/finish/until at {@code va} that stops with a stack pointer of at least {@code lowestSp}. */
    void addInternalBreakpoint(long va, long lowestSp) {
        internalBreakpoints.merge(va, lowestSp, (a, b) -> Long.compareUnsigned(a, b) < 0 ? a : b);
        session.addBreakpoint(va);
    }

    /** {@code 0x0000000000400580 in main ()}: gdb's frame line without source. */
    String frameText(long pc) {
        return String.format("0x%016x in %s ()", pc, symbols.containing(pc).map(ElfSymbols.Symbol::name)
                .orElse("??"));
    }

    /** {@code 0x400580 <main+4>} or {@code 0x400580}. */
    String addressText(long va) {
        String s = symbols.describe(va);
        return s.isEmpty() ? String.format("0x%x", va) : String.format("0x%x %s", va, s);
    }

    /** {@code => 0x0000000000400580 <main+4>:\tsub\tsp, sp, #0x10}, or why it cannot be read. */
    String instructionLine(Task t, long va, boolean current) {
        String where = String.format("0x%016x", va);
        String sym = symbols.describe(va);
        if (!sym.isEmpty()) {
            where += " " + sym;
        }
        String mark = current ? "=> " : "   ";
        try {
            int word = Frames.readWord(session, t, va);
            return mark + where + ":\t" + disassemble(va, word).text(Symbolizer.withSymbols(symbols::describe));
        } catch (BadUserAddressException e) {
            return mark + where + ":\tCannot access memory at address 0x" + Long.toHexString(e.address);
        }
    }

    Disassembly disassemble(long va, int word) {
        return disassembler.disassemble(va, word);
    }

    /** The value of an address expression in the selected thread. */
    long evaluate(String text) {
        Cpu cpu = session.selected().cpu;
        return Expressions.evaluate(text, new Expressions.Scope() {
            @Override
            public java.util.OptionalLong register(String name) {
                return Registers.value(cpu, name);
            }

            @Override
            public java.util.OptionalLong symbol(String name) {
                return symbols.find(name).map(s -> java.util.OptionalLong.of(s.value()))
                        .orElse(java.util.OptionalLong.empty());
            }
        });
    }

    /** A watchpoint's kind as the table shows it. */
    static String watchType(DebugHooks.WatchKind kind) {
        return switch (kind) {
            case WRITE -> "hw watchpoint";
            case READ -> "read watchpoint";
            case ACCESS -> "acc watchpoint";
        };
    }
}
