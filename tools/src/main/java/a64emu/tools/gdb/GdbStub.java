package a64emu.tools.gdb;

import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.tools.debug.DebugSession;
import a64emu.tools.debug.DebugSession.Action;
import a64emu.tools.debug.DebugSession.Reason;
import a64emu.tools.debug.DebugSession.Resume;
import a64emu.tools.debug.DebugSession.Stop;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code run --gdb}: a GDB remote stub, the front end of a {@link DebugSession} that
 * gdb-multiarch drives as it drives {@code qemu-aarch64 -g}. Each stop of the guest is
 * served here, on the emulator's thread: the stop reply goes out (if GDB resumed the guest
 * and waits for it), then packets are answered until one resumes the guest again.
 *
 * <p>What is followed: the run's first process (after execve, its new image), as qemu-aarch64
 * follows the parent of a fork. Other processes share the breakpoints but run on unobserved:
 * their stops are passed over at once.
 *
 * <p>This class is the run control: stops, stop replies, resuming, and the dispatch of each
 * packet to its kind's class ({@link QueryPackets}, {@link MemoryPackets}, {@link Registers},
 * {@link BreakpointPackets}, {@link ThreadSelection}, {@link HostIo}).
 *
 * <p>A disconnect, while stopped or running, detaches: breakpoints go, the guest runs on to
 * its end, and the run's status is a64emu's as without a debugger. That is what
 * qemu-aarch64 does, and a program that a debugger merely lost is not killed.
 */
public final class GdbStub implements DebugSession.Frontend {
    /** The largest packet GDB may send us, {@code $#cs} included (qemu's size). */
    static final int PACKET_SIZE = 0x1000;

    /** Error replies; GDB ignores the number, qemu's are kept. */
    static final String E_FAULT = "E14";
    static final String E_INVALID = "E22";
    static final String E_FAILED = "E01";

    private final PacketChannel channel;
    private final PrintWriter err;
    private final String executable;
    private DebugSession session;

    private ThreadSelection threads;
    private QueryPackets queries;
    private MemoryPackets memory;
    private BreakpointPackets breakpoints;
    /** GDB's target: files (vFile), read through the guest's file system. */
    private HostIo hostIo;

    private Stop stop;
    /** The current stop as a stop reply: what {@code ?} answers. */
    private String stopReply;
    /** GDB resumed the guest and waits for a stop reply. */
    private volatile boolean resumed;
    /** Detached, killed, disconnected or the followed process's end reported: GDB is done. */
    private boolean finished;
    /**
     * The thread whose watchpoint stop came after the access ({@link a64emu.cpu.DebugHooks} reports it
     * done). GDB on AArch64 expects the stop before it (its watchpoints are non-steppable) and
     * steps that thread once over the access: that step has already happened, and is
     * answered without running the guest. 0: none.
     */
    private int watchAccessDone;

    GdbStub(PacketChannel channel, PrintWriter err, String executable) {
        this.channel = channel;
        this.err = err;
        this.executable = executable;
    }

    /**
     * Waits for GDB on {@code endpoint} (a TCP port, or {@code unix:PATH}), saying so on
     * {@code err}; {@code executable} is the program's host path, GDB's exec-file only while
     * no process can name its own.
     */
    public static GdbStub accept(String endpoint, PrintWriter err, String executable) throws IOException {
        PacketChannel channel = GdbEndpoint.parse(endpoint).accept(err);
        return new GdbStub(channel, err, executable);
    }

    /**
     * Puts the stub in front of {@code kernel}'s next run (whose other listeners keep hearing
     * every event): call before {@link Kernel#run}, which then waits at the first instruction
     * for GDB.
     */
    public void attach(Kernel kernel) {
        session = new DebugSession(kernel, this, kernel.events());
        hostIo = new HostIo(pid -> {
            Process p = pid == 0 ? session.firstProcess() : kernel.process(pid);
            return p == null || p.isReleased() ? null : p.files.fileSystem();
        }, QueryPackets.MAX_XFER_REPLY);
        threads = new ThreadSelection(session);
        queries = new QueryPackets(channel, session, threads, executable);
        memory = new MemoryPackets(session, threads);
        breakpoints = new BreakpointPackets(session);
        // GDB decides itself which signals stop, print and pass (its "handle" table), so it
        // sees every one, as from qemu-aarch64.
        session.setStopOnSignal(s -> true);
        channel.start(this::breakReceived, this::disconnected);
    }

    /** After the run: the exit stop reply if GDB still waits for one, then the connection closes. */
    public void finish(int status) {
        if (!finished && resumed) {
            Process first = session.firstProcess();
            Process.Termination t = first == null ? null : first.termination();
            channel.send(t != null ? exitReply(t) : String.format("W%02x", status & 0xFF));
        }
        finished = true;
        hostIo.close();
        channel.close();
    }

    // ---- the session's calls ---------------------------------------------------------------

    @Override
    public Resume stopped(Stop s) {
        if (channel.isClosed() || finished) {
            return detachQuietly();
        }
        Task shown = threads.shownFor(s.thread(), s.reason() == Reason.INTERRUPTED);
        if (shown == null) {
            return Resume.proceed();
        }
        stop = s;
        threads.stoppedIn(shown);
        stopReply = stopReply(s, shown);
        if (resumed) {
            resumed = false;
            channel.send(stopReply);
        }
        return serve();
    }

    @Override
    public void exited(Process process) {
        if (finished || process != session.firstProcess() || !process.hasExited()) {
            return;
        }
        Process.Termination t = process.termination();
        if (resumed && t != null) {
            resumed = false;
            finished = true;
            channel.send(exitReply(t));
        }
    }

    /** A 0x03 from GDB: a stop at the next chance, if the guest runs (stopped, it means nothing). */
    private void breakReceived() {
        if (resumed) {
            session.interrupt();
        }
    }

    /** The connection ended: if the guest runs, stop it so that the stop detaches. */
    private void disconnected() {
        if (resumed) {
            session.interrupt();
        }
    }

    private Resume detachQuietly() {
        if (!finished) {
            finished = true;
            err.println("a64emu: gdb disconnected; the guest runs on without the debugger");
            err.flush();
        }
        return new Resume(Action.DETACH, 0, Resume.DELIVER);
    }

    // ---- serving packets -------------------------------------------------------------------

    /** Answers packets until one resumes the guest. */
    private Resume serve() {
        while (true) {
            PacketChannel.Incoming in = channel.next();
            if (!(in instanceof PacketChannel.Packet packet)) {
                return detachQuietly();
            }
            Resume r = handleSafely(packet.payload());
            if (r != null) {
                resumed = r.action() == Action.CONTINUE || r.action() == Action.STEP;
                return r;
            }
        }
    }

    /** One packet; a bad argument is an error reply, a bug in the stub too (and said on stderr). */
    private Resume handleSafely(String packet) {
        try {
            return handle(packet);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            channel.send(E_INVALID);
        } catch (RuntimeException e) {
            err.println("a64emu: gdb stub: failed on packet '" + printable(packet) + "': " + e);
            e.printStackTrace(err);
            err.flush();
            channel.send(E_FAILED);
        }
        return null;
    }

    /** Answers {@code packet}; returns how to resume, or null to serve the next packet. */
    private Resume handle(String packet) {
        if (packet.isEmpty()) {
            channel.send("");
            return null;
        }
        char kind = packet.charAt(0);
        String args = packet.substring(1);
        switch (kind) {
            case '?' -> channel.send(stopReply);
            case 'g' -> channel.send(Registers.readAll(threads.general().cpu));
            case 'G' -> {
                Registers.writeAll(threads.general().cpu, args);
                channel.send("OK");
            }
            case 'p' -> {
                String value = Registers.read(threads.general().cpu, Hex.count(args));
                channel.send(value == null ? E_FAULT : value);
            }
            case 'P' -> {
                int eq = args.indexOf('=');
                boolean ok = Registers.write(threads.general().cpu, Hex.count(args.substring(0, eq)),
                        args.substring(eq + 1));
                channel.send(ok ? "OK" : E_FAULT);
            }
            case 'm' -> channel.send(memory.read(args));
            case 'M' -> channel.send(memory.writeHex(args));
            case 'X' -> channel.send(memory.writeBinary(args));
            case 'c', 's' -> {
                setPcIfGiven(args);
                return resume(List.of(new ResumeAction(kind, 0, threads.continueTid())));
            }
            case 'C', 'S' -> {
                int semi = args.indexOf(';');
                int signal = Hex.count(semi < 0 ? args : args.substring(0, semi));
                setPcIfGiven(semi < 0 ? "" : args.substring(semi + 1));
                return resume(List.of(new ResumeAction(Character.toLowerCase(kind), signal, threads.continueTid())));
            }
            case 'H' -> channel.send(threads.set(args));
            case 'T' -> channel.send(threads.followed(ThreadIds.parse(args)) != null ? "OK" : E_FAILED);
            case 'Z', 'z' -> channel.send(breakpoints.handle(kind == 'Z', args));
            case 'D' -> {
                channel.send("OK");
                finished = true;
                return new Resume(Action.DETACH, 0, Resume.DELIVER);
            }
            case 'k' -> {
                finished = true;
                return new Resume(Action.KILL, 0, 0);
            }
            case 'q', 'Q' -> queries.answer(packet);
            case 'v' -> {
                return vPacket(packet);
            }
            default -> channel.send("");
        }
        return null;
    }

    private Resume vPacket(String packet) {
        if (packet.equals("vCont?")) {
            channel.send("vCont;c;C;s;S");
        } else if (packet.startsWith("vCont;")) {
            List<ResumeAction> actions = new ArrayList<>();
            for (String a : packet.substring("vCont;".length()).split(";")) {
                actions.add(ResumeAction.parse(a));
            }
            return resume(actions);
        } else if (packet.startsWith("vKill")) {
            channel.send("OK");
            finished = true;
            return new Resume(Action.KILL, 0, 0);
        } else if (packet.startsWith("vFile:")) {
            channel.send(hostIo.reply(packet.substring("vFile:".length())));
        } else {
            channel.send(""); // vMustReplyEmpty, vRun...: not supported
        }
        return null;
    }

    // ---- running ---------------------------------------------------------------------------

    /** One action of a vCont (or a c/s/C/S): kind c or s, a GDB signal, the thread (0/-1: all). */
    record ResumeAction(char kind, int signal, int tid) {
        static ResumeAction parse(String text) {
            int colon = text.indexOf(':');
            String action = colon < 0 ? text : text.substring(0, colon);
            int tid = colon < 0 ? -1 : ThreadIds.parse(text.substring(colon + 1));
            return switch (action.isEmpty() ? ' ' : action.charAt(0)) {
                case 'c', 's' -> {
                    if (action.length() != 1) {
                        throw new IllegalArgumentException("vCont action " + text);
                    }
                    yield new ResumeAction(action.charAt(0), 0, tid);
                }
                case 'C', 'S' -> new ResumeAction(Character.toLowerCase(action.charAt(0)),
                        Hex.count(action.substring(1)), tid);
                default -> throw new IllegalArgumentException("unsupported vCont action " + text);
            };
        }

        boolean appliesTo(int thread) {
            return tid <= 0 || tid == thread;
        }
    }

    /**
     * The guest goes on as {@code actions} say: the first step action steps its thread (the
     * others run, as the session's threads share one CPU); the signal the stopped thread
     * stopped for is delivered only if its action passes one (C/S).
     */
    private Resume resume(List<ResumeAction> actions) {
        int tid = threads.stopped().tid;
        int gdbSignal = 0;
        for (ResumeAction a : actions) {
            if (a.appliesTo(tid)) {
                gdbSignal = a.signal();
                break;
            }
        }
        int signal = gdbSignal == 0 ? 0 : GdbSignals.toLinux(gdbSignal);
        if (signal < 0) {
            throw new IllegalArgumentException("GDB signal " + gdbSignal + " has no Linux number");
        }
        if (signal != 0 && stop.reason() != Reason.SIGNAL) {
            // Sending a new signal at a breakpoint or step stop: the session cannot inject one.
            err.println("a64emu: gdb stub: cannot send " + a64emu.guest.signal.Signal.name(signal)
                    + " at a " + stop.reason().name().toLowerCase() + " stop; resuming without it");
            err.flush();
            signal = 0;
        }
        for (ResumeAction a : actions) {
            if (a.kind() == 's') {
                int stepTid = a.tid() > 0 ? a.tid() : tid;
                if (stepTid == watchAccessDone) {
                    watchAccessDone = 0;
                    stopReply = "T05thread:" + Integer.toHexString(stepTid) + ";";
                    channel.send(stopReply);
                    return null;
                }
                watchAccessDone = 0;
                return new Resume(Action.STEP, stepTid, signal);
            }
        }
        watchAccessDone = 0;
        return new Resume(Action.CONTINUE, 0, signal);
    }

    /** c ADDR / s ADDR: resume at ADDR. */
    private void setPcIfGiven(String addr) {
        if (!addr.isEmpty()) {
            threads.stopped().cpu.pc = Hex.number(addr);
        }
    }

    // ---- stop replies ----------------------------------------------------------------------

    private String stopReply(Stop s, Task shown) {
        String thread = "thread:" + Integer.toHexString(shown.tid) + ";";
        return switch (s.reason()) {
            case SIGNAL -> String.format("T%02x", GdbSignals.fromLinux(s.signal().signo())) + thread;
            case INTERRUPTED -> String.format("T%02x", GdbSignals.INT) + thread;
            case BREAKPOINT -> {
                boolean hardware = breakpoints.isHardware(shown.cpu.pc);
                String why = hardware ? (queries.gdbHwbreak() ? "hwbreak:;" : "")
                        : (queries.gdbSwbreak() ? "swbreak:;" : "");
                yield String.format("T%02x", GdbSignals.TRAP) + thread + why;
            }
            case WATCHPOINT -> {
                watchAccessDone = shown.tid;
                DebugSession.WatchReport w = s.watch();
                yield String.format("T%02x", GdbSignals.TRAP) + thread + breakpoints.stopKey(w.watchpoint()) + ":"
                        + Long.toHexString(w.address()) + ";";
            }
            case STARTED, STEPPED, PAGE_FAULT -> String.format("T%02x", GdbSignals.TRAP) + thread;
        };
    }

    /** W (exit status) or X (killed by a signal, GDB's number). */
    private static String exitReply(Process.Termination t) {
        return t.signal() == null ? String.format("W%02x", t.exitCode() & 0xFF)
                : String.format("X%02x", GdbSignals.fromLinux(t.signal().signo()));
    }

    private static String printable(String packet) {
        StringBuilder sb = new StringBuilder();
        for (char c : packet.substring(0, Math.min(packet.length(), 80)).toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
