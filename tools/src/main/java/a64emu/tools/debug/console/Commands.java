package a64emu.tools.debug.console;

import a64emu.cpu.Cpu;
import a64emu.cpu.DebugHooks;
import a64emu.cpu.disasm.Disassembly;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.loader.ElfSymbols;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalInfo;
import a64emu.mmu.AccessType;
import a64emu.tools.debug.DebugSession;
import a64emu.tools.debug.DebugSession.Resume;
import a64emu.tools.debug.Inspect;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The console's commands: each parses its arguments, looks or acts, and says whether the guest goes on. */
final class Commands {
    private static final int DISAS_DEFAULT = 8;
    private static final int DISAS_FUNCTION_MAX = 512;
    private static final int STRING_MAX = 200;

    private final Console c;
    private final PrintWriter out;
    private ExamineFormat lastFormat = ExamineFormat.DEFAULT;
    private long nextExamine;
    private boolean examined;
    private String lastRepeatable;

    Commands(Console console) {
        this.c = console;
        this.out = console.out;
    }

    /** Runs one line; returns how the guest goes on, or null to read the next line. */
    Resume execute(String line) {
        String text = line.strip();
        if (text.isEmpty()) {
            // As gdb: an empty line repeats a step.
            if (lastRepeatable == null) {
                return null;
            }
            text = lastRepeatable;
        }
        if (text.startsWith("#")) {
            return null;
        }
        String name = text.split("\\s+", 2)[0];
        String rest = text.substring(name.length()).strip();
        String fmt = null;
        int slash = name.indexOf('/');
        if (slash > 0) {
            fmt = name.substring(slash + 1);
            name = name.substring(0, slash);
        }
        lastRepeatable = switch (name) {
            case "s", "step", "si", "stepi", "n", "next", "ni", "nexti" -> text;
            default -> null;
        };
        try {
            return dispatch(name, fmt, rest);
        } catch (CommandError e) {
            out.println(e.getMessage());
        } catch (BadUserAddressException e) {
            out.printf("Cannot access memory at address 0x%x%n", e.address);
        } catch (RuntimeException e) {
            // A bug of the debugger or the emulator, not of the input: said loudly, with the guest pc,
            // and the session goes on, as the console promises.
            out.printf("a64emu: internal error in \"%s\" at guest pc 0x%x: %s%n", text, thread().cpu.pc, e);
        }
        return null;
    }

    private Resume dispatch(String name, String fmt, String rest) throws BadUserAddressException {
        if (fmt != null && !name.equals("x")) {
            throw new CommandError("Undefined command: \"" + name + "/" + fmt + "\".  Try \"help\".");
        }
        switch (name) {
            case "b", "br", "break" -> breakpoint(rest, false);
            case "tb", "tbreak" -> breakpoint(rest, true);
            case "d", "delete" -> delete(rest);
            case "watch" -> watch(rest, DebugHooks.WatchKind.WRITE);
            case "rwatch" -> watch(rest, DebugHooks.WatchKind.READ);
            case "awatch" -> watch(rest, DebugHooks.WatchKind.ACCESS);
            case "s", "step", "si", "stepi" -> {
                return step(rest);
            }
            case "n", "next", "ni", "nexti" -> {
                return next(rest);
            }
            case "fin", "finish" -> {
                return finish(rest);
            }
            case "u", "until", "advance" -> {
                return until(rest);
            }
            case "c", "cont", "continue" -> {
                noArguments(name, rest);
                return Resume.proceed();
            }
            case "regs" -> regs(rest);
            case "x" -> examine(fmt == null ? "" : fmt, rest);
            case "disas", "disassemble" -> disas(rest);
            case "bt", "backtrace", "where" -> backtrace(rest);
            case "i", "info" -> info(rest);
            case "walk" -> walk(rest);
            case "tlb" -> out.print(Inspect.tlb(c.session, rest.isEmpty() ? null : c.evaluate(rest)));
            case "fault" -> {
                noArguments(name, rest);
                out.print(Inspect.fault(c.session));
            }
            case "ptdump" -> {
                noArguments(name, rest);
                out.print(Inspect.ptdump(c.session, thread().process));
            }
            case "thread" -> thread(rest);
            case "signal" -> signal(rest);
            case "p", "print" -> print(rest);
            case "k", "kill" -> {
                noArguments(name, rest);
                c.killed = true;
                return new Resume(DebugSession.Action.KILL, 0, Resume.DELIVER);
            }
            case "q", "quit" -> {
                c.killed = true;
                return new Resume(DebugSession.Action.KILL, 0, Resume.DELIVER);
            }
            case "h", "help" -> help();
            default -> throw new CommandError("Undefined command: \"" + name + "\".  Try \"help\".");
        }
        return null;
    }

    private static void noArguments(String name, String rest) {
        if (!rest.isEmpty()) {
            throw new CommandError("\"" + name + "\" takes no arguments.");
        }
    }

    private Task thread() {
        return c.session.selected();
    }

    // ---- breakpoints and watchpoints -------------------------------------------------------

    private void breakpoint(String rest, boolean temporary) {
        long pc = thread().cpu.pc;
        long address = rest.isEmpty() ? pc : c.evaluate(rest);
        Breakpoints.Entry e = c.breakpoints.addBreakpoint(address, temporary, rest.isEmpty() ? c.addressText(pc) : rest);
        c.session.addBreakpoint(address);
        String sym = c.symbols.describe(address);
        out.printf("%s %d at 0x%x%s%n", temporary ? "Temporary breakpoint" : "Breakpoint", e.number, address,
                sym.isEmpty() ? "" : ": " + sym);
    }

    private void delete(String rest) {
        if (rest.isEmpty()) {
            for (Breakpoints.Entry e : c.breakpoints.all()) {
                remove(e);
            }
            return;
        }
        for (String n : rest.split("\\s+")) {
            Breakpoints.Entry e;
            try {
                e = c.breakpoints.byNumber(Integer.parseInt(n));
            } catch (NumberFormatException ex) {
                throw new CommandError("Convenience variable must have integer value: \"" + n + "\" is not a number.");
            }
            if (e == null) {
                out.printf("No breakpoint number %s.%n", n);
                continue;
            }
            remove(e);
        }
    }

    private void remove(Breakpoints.Entry e) {
        c.breakpoints.remove(e);
        if (e.watch != null) {
            c.session.removeWatchpoint(e.watch);
        } else if (!c.breakpoints.hasBreakpointAt(e.address) && !c.internalBreakpoints.containsKey(e.address)) {
            c.session.removeBreakpoint(e.address);
        }
    }

    private void watch(String rest, DebugHooks.WatchKind kind) throws BadUserAddressException {
        if (rest.isEmpty()) {
            throw new CommandError("Argument required (an address expression, then optionally a length).");
        }
        String expr = rest;
        Long length = null;
        String[] words = rest.split("\\s+");
        if (words.length >= 2) {
            String last = words[words.length - 1];
            String before = words[words.length - 2];
            if (Character.isDigit(last.charAt(0)) && !before.endsWith("+") && !before.endsWith("-")) {
                length = Expressions.evaluate(last, null);
                expr = rest.substring(0, rest.length() - last.length()).strip();
            }
        }
        long address = c.evaluate(expr);
        if (length == null) {
            Optional<ElfSymbols.Symbol> s = c.symbols.find(expr);
            length = s.isPresent() && s.get().value() == address && s.get().size() >= 1 && s.get().size() <= 8
                    ? s.get().size() : 8;
        }
        if (length < 1 || length > 4096) {
            throw new CommandError("A watched range is 1 to 4096 bytes, not " + length + ".");
        }
        Process p = thread().process;
        c.session.read(p, address, (int) Math.min(8, length));
        DebugHooks.Watchpoint w = c.session.addWatchpoint(p, address, length, kind);
        String what = String.format("%s (0x%x, %d byte%s)", expr, address, length, length == 1 ? "" : "s");
        Breakpoints.Entry e = c.breakpoints.addWatchpoint(w, what);
        String title = switch (kind) {
            case WRITE -> "Hardware watchpoint";
            case READ -> "Hardware read watchpoint";
            case ACCESS -> "Hardware access (read/write) watchpoint";
        };
        out.printf("%s %d: %s%n", title, e.number, what);
    }

    // ---- going on --------------------------------------------------------------------------

    private Resume step(String rest) {
        int n = rest.isEmpty() ? 1 : (int) c.evaluate(rest);
        if (n < 1) {
            throw new CommandError("The step count must be at least 1.");
        }
        c.stepsLeft = n - 1;
        return Resume.step();
    }

    private Resume next(String rest) throws BadUserAddressException {
        if (!rest.isEmpty()) {
            throw new CommandError("\"next\" takes no count here: repeat it, or use \"stepi N\".");
        }
        Task t = thread();
        Disassembly d = instructionAt(t, t.cpu.pc);
        if (isCall(d)) {
            c.addInternalBreakpoint(t.cpu.pc + 4, t.cpu.sp);
            return Resume.proceed();
        }
        return Resume.step();
    }

    private static boolean isCall(Disassembly d) {
        return d.mnemonic().equals("bl") || d.mnemonic().startsWith("blr");
    }

    private Resume finish(String rest) throws BadUserAddressException {
        noArguments("finish", rest);
        Task t = thread();
        long ret = Frames.returnAddress(c.session, t, c.symbols, c.disassembler);
        if (ret == 0) {
            throw new CommandError("\"finish\" not meaningful in the outermost frame.");
        }
        out.printf("Run till exit from #0  %s%n", c.frameText(t.cpu.pc));
        c.addInternalBreakpoint(ret, t.cpu.sp);
        return Resume.proceed();
    }

    private Resume until(String rest) throws BadUserAddressException {
        Task t = thread();
        if (!rest.isEmpty()) {
            long target = c.evaluate(rest);
            c.addInternalBreakpoint(target, 0);
            // As gdb's until LOCATION: also stop when the current function returns.
            long ret = Frames.returnAddress(c.session, t, c.symbols, c.disassembler);
            if (ret != 0) {
                c.addInternalBreakpoint(ret, t.cpu.sp);
            }
            return Resume.proceed();
        }
        Disassembly d = instructionAt(t, t.cpu.pc);
        boolean backward = d.target().isPresent() && !isCall(d)
                && Long.compareUnsigned(d.target().getAsLong(), t.cpu.pc) <= 0;
        if (backward || isCall(d)) {
            // Do not go round the loop again (or into the call): run to the instruction after it.
            c.addInternalBreakpoint(t.cpu.pc + 4, t.cpu.sp);
            return Resume.proceed();
        }
        return Resume.step();
    }

    private Disassembly instructionAt(Task t, long va) throws BadUserAddressException {
        return c.disassemble(va, Frames.readWord(c.session, t, va));
    }

    // ---- looking ---------------------------------------------------------------------------

    private void regs(String rest) {
        Cpu cpu = thread().cpu;
        if (rest.equals("v")) {
            for (int n = 0; n < 32; n++) {
                out.printf("v%-13d 0x%016x%016x%n", n, cpu.v[2 * n + 1], cpu.v[2 * n]);
            }
            out.printf("%-15s0x%08x%n", "fpsr", cpu.fpsr);
            out.printf("%-15s0x%08x%n", "fpcr", cpu.fpcr);
            return;
        }
        if (!rest.isEmpty()) {
            throw new CommandError("\"regs\" takes no argument, or \"v\" for the SIMD&FP registers.");
        }
        for (int n = 0; n <= 30; n++) {
            out.printf("%-15s0x%-18x %d%n", "x" + n, cpu.x[n], cpu.x[n]);
        }
        out.println(String.format("%-15s0x%-18x %s", "sp", cpu.sp, c.symbols.describe(cpu.sp)).stripTrailing());
        out.println(String.format("%-15s0x%-18x %s", "pc", cpu.pc, c.symbols.describe(cpu.pc)).stripTrailing());
        out.printf("%-15s0x%-18x [ %s ]%n", "nzcv", cpu.nzcv & 0xFFFF_FFFFL, Registers.flags(cpu.nzcv));
        out.printf("%-15s0x%x%n", "fpsr", cpu.fpsr);
        out.printf("%-15s0x%x%n", "fpcr", cpu.fpcr);
        out.printf("%-15s0x%x%n", "tpidr_el0", cpu.tpidrEl0);
    }

    private void examine(String fmt, String rest) throws BadUserAddressException {
        ExamineFormat f = ExamineFormat.parse(fmt, lastFormat);
        long address;
        if (rest.isEmpty()) {
            if (!examined) {
                throw new CommandError("Argument required (starting display address).");
            }
            address = nextExamine;
        } else {
            address = c.evaluate(rest);
        }
        lastFormat = f;
        examined = true;
        Task t = thread();
        switch (f.format()) {
            case 'i' -> {
                for (int i = 0; i < f.count(); i++) {
                    long va = address + 4L * i;
                    String line = c.instructionLine(t, va, va == t.cpu.pc);
                    out.println(line);
                    if (line.contains("Cannot access memory")) {
                        break;
                    }
                }
                nextExamine = address + 4L * f.count();
            }
            case 's' -> {
                long va = address;
                for (int i = 0; i < f.count(); i++) {
                    StringBuilder sb = new StringBuilder();
                    long start = va;
                    while (sb.length() < STRING_MAX) {
                        int b = c.session.read(t.process, va, 1)[0] & 0xFF;
                        va++;
                        if (b == 0) {
                            break;
                        }
                        sb.append(escape(b));
                    }
                    out.printf("%s:\t\"%s\"%s%n", label(start), sb, sb.length() >= STRING_MAX ? "..." : "");
                }
                nextExamine = va;
            }
            default -> {
                byte[] data = c.session.read(t.process, address, f.count() * f.size());
                int perLine = f.perLine();
                for (int i = 0; i < f.count(); i++) {
                    long va = address + (long) i * f.size();
                    if (i % perLine == 0) {
                        if (i > 0) {
                            out.println();
                        }
                        out.print(label(va) + ":");
                    }
                    byte[] unit = new byte[f.size()];
                    System.arraycopy(data, i * f.size(), unit, 0, f.size());
                    long v = Frames.littleEndian(unit);
                    String s = f.formatUnit(v);
                    if (f.format() == 'a') {
                        String sym = c.symbols.describe(v);
                        s = sym.isEmpty() ? s : s + " " + sym;
                    }
                    out.print("\t" + s);
                }
                out.println();
                nextExamine = address + (long) f.count() * f.size();
            }
        }
    }

    private static String escape(int b) {
        return switch (b) {
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            default -> b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\%03o", b);
        };
    }

    /** {@code 0x4a1230 <counter>} or {@code 0x7ffffff0}. */
    private String label(long va) {
        String sym = c.symbols.describe(va);
        return sym.isEmpty() ? String.format("0x%x", va) : String.format("0x%x %s", va, sym);
    }

    private void disas(String rest) {
        Task t = thread();
        long start;
        int count;
        String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (words.length >= 2 && Character.isDigit(words[words.length - 1].charAt(0))
                && !words[words.length - 2].endsWith("+") && !words[words.length - 2].endsWith("-")) {
            String last = words[words.length - 1];
            start = c.evaluate(rest.substring(0, rest.length() - last.length()));
            count = (int) Expressions.evaluate(last, null);
            if (count < 1) {
                throw new CommandError("The instruction count must be at least 1.");
            }
        } else {
            long at = rest.isEmpty() ? t.cpu.pc : c.evaluate(rest);
            Optional<ElfSymbols.Symbol> fn = c.symbols.containing(at);
            if (fn.isPresent() && fn.get().size() > 0) {
                start = fn.get().value();
                count = (int) Math.min(DISAS_FUNCTION_MAX, fn.get().size() / 4);
                out.printf("Dump of assembler code for function %s:%n", fn.get().name());
            } else {
                start = at;
                count = DISAS_DEFAULT;
                out.printf("Dump of assembler code from 0x%x to 0x%x:%n", start, start + 4L * count);
            }
            for (int i = 0; i < count; i++) {
                String line = c.instructionLine(t, start + 4L * i, start + 4L * i == t.cpu.pc);
                out.println(line);
                if (line.contains("Cannot access memory")) {
                    break;
                }
            }
            out.println("End of assembler dump.");
            return;
        }
        for (int i = 0; i < count; i++) {
            String line = c.instructionLine(t, start + 4L * i, start + 4L * i == t.cpu.pc);
            out.println(line);
            if (line.contains("Cannot access memory")) {
                break;
            }
        }
    }

    private void backtrace(String rest) {
        noArguments("bt", rest);
        List<Long> pcs = Frames.chain(c.session, thread(), c.symbols, c.disassembler);
        for (int i = 0; i < pcs.size(); i++) {
            out.printf("#%-2d %s%n", i, c.frameText(pcs.get(i)));
        }
    }

    private void print(String rest) {
        long v = c.evaluate(rest);
        String sym = c.symbols.describe(v);
        out.printf("0x%x = %d%s%n", v, v, sym.isEmpty() ? "" : " " + sym);
    }

    private void info(String rest) throws BadUserAddressException {
        String what = rest.split("\\s+", 2)[0];
        String args = rest.substring(what.length()).strip();
        switch (what) {
            case "b", "br", "break", "breakpoints", "watchpoints" -> infoBreakpoints();
            case "r", "registers" -> regs(args);
            case "maps", "mappings" -> out.print(Inspect.maps(thread().process));
            case "threads" -> infoThreads();
            case "processes" -> infoProcesses();
            case "signals" -> signal(args);
            case "tlb" -> out.print(Inspect.tlb(c.session, args.isEmpty() ? null : c.evaluate(args)));
            case "" -> throw new CommandError("\"info\" must be followed by what to show: breakpoints, registers, "
                    + "maps, threads, processes, signals.");
            default -> throw new CommandError("Undefined info command: \"" + what + "\".  Try \"help\".");
        }
    }

    private void infoBreakpoints() {
        List<Breakpoints.Entry> all = c.breakpoints.all();
        if (all.isEmpty()) {
            out.println("No breakpoints or watchpoints.");
            return;
        }
        out.printf("%-7s %-15s %-4s %-3s %-18s %s%n", "Num", "Type", "Disp", "Enb", "Address", "What");
        for (Breakpoints.Entry e : all) {
            if (e.watch == null) {
                out.printf("%-7d %-15s %-4s %-3s 0x%016x %s%n", e.number, "breakpoint", e.temporary ? "del" : "keep",
                        "y", e.address, c.symbols.describe(e.address).isEmpty() ? e.what : c.symbols.describe(e.address));
            } else {
                out.printf("%-7d %-15s %-4s %-3s %-18s %s%n", e.number, Console.watchType(e.watch.kind()), "keep", "y",
                        "", e.what);
            }
            if (e.hits > 0) {
                out.printf("\tbreakpoint already hit %d time%s%n", e.hits, e.hits == 1 ? "" : "s");
            }
        }
    }

    private void infoThreads() {
        out.printf("  %-4s %-34s %s%n", "Id", "Target Id", "Frame");
        for (Task t : c.session.threads()) {
            String target = String.format("Thread %d (pid %d) \"%s\"", t.tid, t.process.pid, t.process.comm());
            String state = t.state() == Task.State.BLOCKED && t.waitingFor() != null
                    ? " [blocked: " + t.waitingFor().reason + "]" : "";
            out.printf("%s %-4d %-34s %s%s%n", t == thread() ? "*" : " ", t.tid, target, c.frameText(t.cpu.pc), state);
        }
    }

    private void infoProcesses() {
        out.printf("  %5s %5s %7s  %-22s %s%n", "PID", "PPID", "Threads", "State", "Command");
        Collection<Process> all = c.session.kernel().processes();
        List<Process> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> Integer.compare(a.pid, b.pid));
        for (Process p : sorted) {
            long live = p.threads().stream().filter(Task::isAlive).count();
            String state;
            Process.Termination term = p.termination();
            if (p.hasExited()) {
                state = term == null ? "exited"
                        : term.signal() != null ? "zombie (" + Signal.name(term.signal().signo()) + ")"
                        : "zombie (code " + (term.exitCode() & 0xFF) + ")";
            } else {
                state = live == 0 ? "no threads" : p.threads().stream().anyMatch(t -> t.state() == Task.State.RUNNABLE)
                        ? "running" : "sleeping";
            }
            out.printf("%s %5d %5d %7d  %-22s %s%n", p == thread().process ? "*" : " ", p.pid, p.ppid(), live,
                    state, p.comm());
        }
    }

    private void thread(String rest) {
        if (rest.isEmpty()) {
            Task t = thread();
            out.printf("[Current thread is %d (pid %d)]%n", t.tid, t.process.pid);
            return;
        }
        int tid;
        try {
            tid = Integer.parseInt(rest);
        } catch (NumberFormatException e) {
            throw new CommandError("Invalid thread ID: " + rest);
        }
        if (!c.session.select(tid)) {
            throw new CommandError("Unknown thread " + tid + ".");
        }
        Task t = thread();
        out.printf("[Switching to thread %d (pid %d)]%n", t.tid, t.process.pid);
        out.println(c.instructionLine(t, t.cpu.pc, true));
    }

    private void signal(String rest) {
        if (!rest.isEmpty()) {
            throw new CommandError("\"signal\" shows the selected thread's signals; it takes no argument.");
        }
        Task t = thread();
        out.printf("Thread %d (pid %d, %s):%n", t.tid, t.process.pid, t.process.comm());
        out.printf("  blocked            0x%016x  %s%n", t.blocked(), maskNames(t.blocked()));
        out.printf("  pending (thread)   %s%n", pendingText(t.pending));
        out.printf("  pending (process)  %s%n", pendingText(t.process.sharedPending));
        if (c.delivering != null && c.session.selected() == t) {
            out.printf("  being delivered    %s%n", pendingText(List.of(c.delivering)));
        }
    }

    private static String maskNames(long mask) {
        List<String> names = new ArrayList<>();
        for (int s = 1; s <= Signal.NSIG; s++) {
            if ((mask & SignalActions.bit(s)) != 0) {
                names.add(Signal.name(s));
            }
        }
        return names.isEmpty() ? "(none)" : String.join(" ", names);
    }

    private static String pendingText(Collection<SignalInfo> pending) {
        if (pending.isEmpty()) {
            return "(none)";
        }
        List<String> parts = new ArrayList<>();
        for (SignalInfo s : pending) {
            String addr = s.addr() == SignalInfo.NO_ADDRESS ? "" : String.format(", addr 0x%x", s.addr());
            parts.add(Signal.name(s.signo()) + " (" + Signal.codeName(s.signo(), s.code()) + addr + ")");
        }
        return String.join(", ", parts);
    }

    private void walk(String rest) {
        boolean asVector = rest.startsWith("--as-vector");
        if (asVector) {
            rest = rest.substring("--as-vector".length()).strip();
        }
        if (rest.isEmpty()) {
            DebugSession.LastFault f = c.session.lastFault();
            if (f == null) {
                throw new CommandError("Argument required (a virtual address, then optionally read, write or exec); "
                        + "without one, walk the last fault's address, but there was no fault yet.");
            }
            Process p = f.thread().process;
            out.print(asVector ? Inspect.walkAsVector(c.session, p, f.fault().va(), f.fault().access())
                    : Inspect.walk(c.session, p, f.fault().va(), f.fault().access(), c.symbols));
            return;
        }
        AccessType access = AccessType.READ;
        String expr = rest;
        String[] words = rest.split("\\s+");
        String last = words[words.length - 1];
        if (words.length >= 2) {
            AccessType a = switch (last) {
                case "read", "r" -> AccessType.READ;
                case "write", "w" -> AccessType.WRITE;
                case "exec", "x", "fetch" -> AccessType.EXECUTE;
                default -> null;
            };
            if (a != null) {
                access = a;
                expr = rest.substring(0, rest.length() - last.length()).strip();
            }
        }
        long va = c.evaluate(expr);
        out.print(asVector ? Inspect.walkAsVector(c.session, thread().process, va, access)
                : Inspect.walk(c.session, thread().process, va, access, c.symbols));
    }

    private void help() {
        String[][] rows = {
            {"break LOC, tbreak LOC", "breakpoint (temporary: once) at an address, symbol or symbol+N"},
            {"delete [N...]", "delete breakpoints or watchpoints (all without N)"},
            {"info breakpoints", "list breakpoints and watchpoints"},
            {"watch/rwatch/awatch ADDR [LEN]", "stop after a write/read/any access to ADDR..ADDR+LEN"},
            {"step [N], stepi [N]", "execute N instructions"},
            {"next", "one instruction, over a call (BL/BLR)"},
            {"finish", "run until the current function returns"},
            {"until [LOC]", "run to LOC, or past a backward branch (out of a loop)"},
            {"continue", "go on (a signal stopped for is delivered)"},
            {"regs, regs v", "x0-x30, sp, pc, nzcv; or v0-v31, fpsr, fpcr"},
            {"x/FMT ADDR", "examine memory: count, x d u o t c a i s, sizes b h w g"},
            {"disas [ADDR] [N]", "disassemble the function, or N instructions"},
            {"bt", "backtrace through the x29 frame records"},
            {"print EXPR", "the value of an expression ($reg, symbol, +, -)"},
            {"info maps", "the areas of the process, as /proc/PID/maps"},
            {"walk [--as-vector] [VA [read|write|exec]]",
                "the table walk for VA, level by level (the last fault's); --as-vector: as an mmu-test case"},
            {"ptdump", "the process's translation tables as merged ranges"},
            {"tlb [VA]", "micro and main TLB entries (those translating VA)"},
            {"fault", "the last MMU fault and what the kernel does about it"},
            {"info threads, thread N", "list the threads; look at thread N"},
            {"info processes", "every process of the run"},
            {"signal", "pending and blocked signals of the thread"},
            {"kill, quit", "end the guest (SIGKILL); quit also ends the session"},
        };
        for (String[] r : rows) {
            out.printf("%-32s %s%n", r[0], r[1]);
        }
    }
}
