package a64emu.tools.strace;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.events.GuestEvents;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.guest.syscall.SyscallNumbers;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run --strace}: each system call the guest makes, as strace(1) prints it,
 * {@code openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3}, with the signals delivered
 * ({@code --- SIGSEGV {...} ---}) and how each process ended ({@code +++ exited with 0 +++}).
 * While more than one thread is traced each line starts {@code [pid  N] }, as with
 * {@code strace -f}.
 *
 * <p>A call is printed when it returns, whole, unless another thread prints in between (a
 * call that blocks, a vfork parent): then, as strace does, what it had at entry is printed
 * first, {@code read(3,  <unfinished ...>}, and the rest when it returns, {@code <... read
 * resumed>"x", 1) = 1}. A call that runs again on wake-up is one call; one a signal
 * interrupts before the handler ends, as strace shows it, {@code = ? ERESTARTSYS}.
 * Calls that do not return (exit, exit_group) are printed when entered, with {@code = ?}.
 * Arguments the call reads are decoded on entry, what it wrote on return. A listener: it
 * forwards every event to {@code next}.
 */
public final class Strace implements GuestEvents {
    /** strace's column for {@code = result} (its default -a 40). */
    private static final int RESULT_COLUMN = 40;

    private final Kernel kernel;
    private final PrintWriter out;
    private final GuestEvents next;
    /** A call entered and not yet returned, per thread. */
    private final Map<Integer, Entered> entered = new HashMap<>();
    /** The traced threads alive: tid to its process's pid. */
    private final Map<Integer, Integer> live = new HashMap<>();

    /** A call's line so far; {@code prefix} is fixed when it is entered, where strace starts the line. */
    private record Entered(int tid, String prefix, SyscallSignature signature, long[] args, String[] texts) {}

    /**
     * A call that blocked. One that {@code restarts} goes back to its SVC when woken and is
     * entered again (printed then); if it times out instead it returns from {@code resumePc}
     * with its result in x0, as a call that does not restart always does.
     */
    private record Blocked(Entered call, boolean restarts, long resumePc) {}

    /** Blocked calls, per thread: printed when the thread runs on, or when a signal interrupts them. */
    private final Map<Integer, Blocked> blocked = new HashMap<>();
    /** Calls whose {@code <unfinished ...>} line is out: they end with {@code <... NAME resumed>}. */
    private final java.util.Set<Entered> unfinished =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    public Strace(Kernel kernel, PrintWriter out, GuestEvents next) {
        this.kernel = kernel;
        this.out = out;
        this.next = next;
    }

    /**
     * strace's first line is the execve that started the program; here the kernel loaded it
     * itself, so the line is made from what the loader put on the stack: argc, argv[], NULL,
     * envp[] (the ELF ABI's initial stack), with the program named as argv[0] names it.
     */
    @Override
    public void processStarted(Process process) {
        live.put(process.leader().tid, process.pid);
        long sp = process.cpu.sp;
        ArgumentDecoder decoder = new ArgumentDecoder(process.user);
        kernel.withAddressSpace(process, () -> {
            try {
                long argc = process.user.read64(sp);
                long[] args = {process.user.read64(sp + 8), sp + 8, sp + 8 * (argc + 2), 0, 0, 0};
                SyscallSignature execve = SyscallTable.of(SyscallNumbers.EXECVE);
                String[] texts = new String[execve.args().size()];
                for (int i = 0; i < texts.length; i++) {
                    texts[i] = decoder.decode(execve.args().get(i), i, args, 0);
                }
                print(new Entered(process.leader().tid, prefix(process.leader().tid), execve, args, texts), "0");
            } catch (BadUserAddressException e) {
                throw new IllegalStateException("the initial stack at 0x" + Long.toHexString(sp)
                        + " is not readable", e);
            }
        });
        next.processStarted(process);
    }

    @Override
    public ExceptionInfo run(Task thread, Cpu cpu, long quantum) {
        Blocked b = blocked.get(thread.tid);
        if (b != null && (!b.restarts() || cpu.pc == b.resumePc())) {
            blocked.remove(thread.tid);
            finish(thread, b.call(), cpu.x[0]);
        }
        return next.run(thread, cpu, quantum);
    }

    @Override
    public void exceptionTaken(Task thread, ExceptionInfo ex) {
        next.exceptionTaken(thread, ex);
    }

    @Override
    public void exceptionHandled(Task thread, ExceptionInfo ex) {
        next.exceptionHandled(thread, ex);
    }

    @Override
    public void debugException(Task thread, ExceptionInfo ex) {
        next.debugException(thread, ex);
    }

    @Override
    public void syscallEntry(Task thread, int nr) {
        // A blocked call entered again: this entry is its line (still unfinished, if it was).
        Blocked again = blocked.remove(thread.tid);
        SyscallSignature signature = SyscallTable.of(nr);
        long[] args = new long[6];
        System.arraycopy(thread.cpu.x, 0, args, 0, 6);
        String[] texts = new String[signature.args().size()];
        ArgumentDecoder decoder = new ArgumentDecoder(thread.process.user);
        kernel.withAddressSpace(thread.process, () -> {
            for (int i = 0; i < texts.length; i++) {
                Arg kind = signature.args().get(i);
                if (!kind.atExit) {
                    texts[i] = decoder.decode(kind, i, args, 0);
                }
            }
        });
        Entered call = new Entered(thread.tid, prefix(thread.tid), signature, args, texts);
        if (again != null && unfinished.remove(again.call())) {
            unfinished.add(call);
        }
        if (signature.result() == SyscallSignature.Result.NONE) {
            print(call, "?");
            if (nr == SyscallNumbers.EXIT) {
                live.remove(thread.tid);
            }
        } else {
            entered.put(thread.tid, call);
        }
        next.syscallEntry(thread, nr);
    }

    @Override
    public void syscallExit(Task thread, int nr, long result) {
        next.syscallExit(thread, nr, result);
        Entered call = entered.remove(thread.tid);
        if (call == null) {
            return;
        }
        if (thread.state() == Task.State.BLOCKED) {
            blocked.put(thread.tid, new Blocked(call, thread.waitingFor().retry, thread.cpu.pc));
            return;
        }
        finish(thread, call, result);
    }

    /** The call returned {@code result}: what it wrote, then its line. */
    private void finish(Task thread, Entered call, long result) {
        boolean failed = ErrnoText.isError(result);
        List<Arg> kinds = call.signature().args();
        ArgumentDecoder decoder = new ArgumentDecoder(thread.process.user);
        kernel.withAddressSpace(thread.process, () -> {
            for (int i = 0; i < kinds.size(); i++) {
                if (kinds.get(i).atExit) {
                    call.texts()[i] = failed ? ArgumentDecoder.pointer(call.args()[i])
                            : decoder.decode(kinds.get(i), i, call.args(), result);
                }
            }
        });
        print(call, failed ? ErrnoText.of(result) : switch (call.signature().result()) {
            case HEX -> "0x" + Long.toHexString(result);
            case OCTAL -> String.format("0%o", result);
            default -> Long.toString(result);
        });
    }

    @Override
    public SignalInfo signalDelivering(Task thread, SignalInfo signal) {
        SignalInfo delivered = next.signalDelivering(thread, signal);
        Blocked b = blocked.remove(thread.tid);
        if (b != null) {
            if (b.restarts() && thread.cpu.pc != b.resumePc()) {
                // Back at its SVC: it runs again after the handler (unless SA_RESTART is off).
                print(b.call(), "? ERESTARTSYS (To be restarted if SA_RESTART is set)");
            } else {
                finish(thread, b.call(), thread.cpu.x[0]);
            }
        }
        if (delivered != null) {
            line(thread.tid, SigInfoText.of(delivered, thread.cpu.pc));
        }
        return delivered;
    }

    @Override
    public void threadSwitched(Task from, Task to) {
        next.threadSwitched(from, to);
    }

    @Override
    public void threadCreated(Task parent, Task child) {
        live.put(child.tid, child.process.pid);
        next.threadCreated(parent, child);
    }

    @Override
    public void execed(Process before, Process after) {
        next.execed(before, after);
    }

    @Override
    public void processExiting(Process process) {
        // Also called for the image execve replaces: that process goes on.
        if (process.hasExited()) {
            blocked.entrySet().removeIf(e -> {
                if (!Integer.valueOf(process.pid).equals(live.get(e.getKey()))) {
                    return false;
                }
                print(e.getValue().call(), "?");
                return true;
            });
            Process.Termination t = process.termination();
            SignalInfo killer = t.signal();
            line(process.pid, killer == null ? "+++ exited with " + (t.exitCode() & 0xff) + " +++"
                    : "+++ killed by " + Signal.name(killer.signo()) + (t.coreDumped() ? " (core dumped)" : "")
                    + " +++");
            live.values().removeIf(pid -> pid == process.pid);
        }
        next.processExiting(process);
    }

    /**
     * {@code name(args...)}, padded to the result column, then {@code = result}; for a call
     * already shown {@code <unfinished ...>}, {@code <... name resumed>} and the arguments it
     * did not show then.
     */
    private void print(Entered call, String result) {
        int firstAtExit = firstAtExit(call);
        boolean resumed = unfinished.remove(call);
        suspendOthers(call.tid());
        // strace starts a line with the pid while several are traced: a resumed call's second
        // line is started now, its first was started at entry.
        StringBuilder b = new StringBuilder(resumed ? prefix(call.tid()) : call.prefix());
        if (resumed) {
            b.append("<... ").append(call.signature().name()).append(" resumed>");
            if (result.equals("?")) {
                // Killed in the call: strace has nothing more to show of it.
                b.append(" <unfinished ...>");
                firstAtExit = call.texts().length;
            }
        } else {
            b.append(call.signature().name()).append('(');
        }
        appendArgs(b, call, resumed ? firstAtExit : 0, call.texts().length);
        b.append(')');
        if (b.length() < RESULT_COLUMN) {
            b.append(" ".repeat(RESULT_COLUMN - b.length()));
        } else {
            b.append(' ');
        }
        out.println(b.append("= ").append(result));
        out.flush();
    }

    private void line(int tid, String text) {
        suspendOthers(tid);
        out.println(prefix(tid) + text);
        out.flush();
    }

    /** Appends the texts of arguments [from, to), comma-separated, skipping those not shown. */
    private static void appendArgs(StringBuilder b, Entered call, int from, int to) {
        boolean first = true;
        for (int i = from; i < to; i++) {
            String text = call.texts()[i];
            if (text == null) {
                continue;
            }
            b.append(first ? "" : ", ").append(text);
            first = false;
        }
    }

    /** The first argument decoded at exit (strace prints none after it at entry), or the count. */
    private static int firstAtExit(Entered call) {
        List<Arg> kinds = call.signature().args();
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i).atExit) {
                return i;
            }
        }
        return kinds.size();
    }

    /**
     * Another thread is about to print a line: every call still in progress on some other
     * thread first shows what it had at entry, {@code name(args <unfinished ...>}, once.
     */
    private void suspendOthers(int tid) {
        for (Map.Entry<Integer, Entered> e : entered.entrySet()) {
            if (e.getKey() != tid) {
                showUnfinished(e.getValue());
            }
        }
        for (Map.Entry<Integer, Blocked> e : blocked.entrySet()) {
            if (e.getKey() != tid) {
                showUnfinished(e.getValue().call());
            }
        }
    }

    private void showUnfinished(Entered call) {
        if (!unfinished.add(call)) {
            return;
        }
        int firstAtExit = firstAtExit(call);
        StringBuilder b = new StringBuilder(call.prefix()).append(call.signature().name()).append('(');
        appendArgs(b, call, 0, firstAtExit);
        if (firstAtExit < call.texts().length && b.charAt(b.length() - 1) != '(') {
            b.append(", ");
        }
        out.println(b.append(" <unfinished ...>"));
        out.flush();
    }

    /** {@code [pid  1235] } while several threads are traced, as strace -f. */
    private String prefix(int tid) {
        return live.size() > 1 ? String.format("[pid %5d] ", tid) : "";
    }
}
