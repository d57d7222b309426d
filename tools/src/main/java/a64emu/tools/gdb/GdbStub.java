package a64emu.tools.gdb;

import a64emu.cpu.DebugHooks;
import a64emu.guest.BadUserAddressException;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p>A disconnect, while stopped or running, detaches: breakpoints go, the guest runs on to
 * its end, and the run's status is a64emu's as without a debugger. That is what
 * qemu-aarch64 does, and a program that a debugger merely lost is not killed.
 */
public final class GdbStub implements DebugSession.Frontend {
    /** The largest packet GDB may send us, {@code $#cs} included (qemu's size). */
    static final int PACKET_SIZE = 0x1000;
    /** The most bytes an {@code m} reply holds: two hex digits each, within a packet. */
    private static final int MAX_MEMORY_REPLY = (PACKET_SIZE - 16) / 2;
    /** The most bytes a {@code qXfer} reply holds (escaping may double some). */
    private static final int MAX_XFER_REPLY = (PACKET_SIZE - 16) / 2;
    private static final long PAGE_SIZE = 4096;

    /** Error replies; GDB ignores the number, qemu's are kept. */
    static final String E_FAULT = "E14";
    static final String E_INVALID = "E22";
    static final String E_FAILED = "E01";

    /** Z/z types: software and hardware breakpoints, write, read and access watchpoints. */
    private static final int Z_SOFTWARE = 0;
    private static final int Z_HARDWARE = 1;
    private static final int Z_WRITE = 2;
    private static final int Z_READ = 3;
    private static final int Z_ACCESS = 4;

    private final PacketChannel channel;
    private final PrintWriter err;
    private final String executable;
    private DebugSession session;

    private Stop stop;
    /** The thread the current stop is shown in (a thread of the followed process). */
    private Task stopThread;
    /** The current stop as a stop reply: what {@code ?} answers. */
    private String stopReply;
    /** GDB resumed the guest and waits for a stop reply. */
    private volatile boolean resumed;
    /** Detached, killed, disconnected or the followed process's end reported: GDB is done. */
    private boolean finished;
    /** Hg: the thread whose registers and memory g, p, m... read (null: the stopped one). */
    private Task generalThread;
    /** Hc: the thread c and s apply to (0 or -1: any). */
    private int continueTid;
    private boolean gdbSwbreak;
    private boolean gdbHwbreak;
    private final Set<Long> hardwareBreakpoints = new HashSet<>();
    private final Map<String, DebugHooks.Watchpoint> watchpoints = new HashMap<>();
    private final Map<DebugHooks.Watchpoint, Integer> watchTypes = new HashMap<>();
    /**
     * The thread whose watchpoint stop came after the access ({@link DebugHooks} reports it
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
     * {@code err}; {@code executable} is the program's host path, for GDB's exec-file.
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
        channel.close();
    }

    // ---- the session's calls ---------------------------------------------------------------

    @Override
    public Resume stopped(Stop s) {
        if (channel.isClosed() || finished) {
            return detachQuietly();
        }
        Task shown = followedThread(s.thread(), s.reason() == Reason.INTERRUPTED);
        if (shown == null) {
            return Resume.proceed();
        }
        stop = s;
        stopThread = shown;
        generalThread = null;
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

    /**
     * The thread to show a stop in: {@code t} if it belongs to the followed process; for an
     * interrupt taken in another process, the followed process's first live thread; else null.
     */
    private Task followedThread(Task t, boolean interrupt) {
        Process followed = session.firstProcess();
        if (t.process == followed) {
            return t;
        }
        if (interrupt && followed != null) {
            for (Task candidate : followed.threads()) {
                if (candidate.isAlive()) {
                    return candidate;
                }
            }
        }
        return null;
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
            case 'g' -> channel.send(Registers.readAll(generalThread().cpu));
            case 'G' -> {
                Registers.writeAll(generalThread().cpu, args);
                channel.send("OK");
            }
            case 'p' -> {
                String value = Registers.read(generalThread().cpu, Hex.count(args));
                channel.send(value == null ? E_FAULT : value);
            }
            case 'P' -> {
                int eq = args.indexOf('=');
                boolean ok = Registers.write(generalThread().cpu, Hex.count(args.substring(0, eq)),
                        args.substring(eq + 1));
                channel.send(ok ? "OK" : E_FAULT);
            }
            case 'm' -> readMemory(args);
            case 'M' -> {
                int colon = args.indexOf(':');
                writeMemory(args.substring(0, colon), Hex.decode(args.substring(colon + 1)));
            }
            case 'X' -> {
                int colon = args.indexOf(':');
                writeMemory(args.substring(0, colon), PacketChannel.unescape(args.substring(colon + 1)));
            }
            case 'c', 's' -> {
                setPcIfGiven(args);
                return resume(List.of(new ResumeAction(kind, 0, continueTid)));
            }
            case 'C', 'S' -> {
                int semi = args.indexOf(';');
                int signal = Hex.count(semi < 0 ? args : args.substring(0, semi));
                setPcIfGiven(semi < 0 ? "" : args.substring(semi + 1));
                return resume(List.of(new ResumeAction(Character.toLowerCase(kind), signal, continueTid)));
            }
            case 'H' -> setThread(args);
            case 'T' -> channel.send(followedTask(ThreadIds.parse(args)) != null ? "OK" : E_FAILED);
            case 'Z', 'z' -> breakpoint(kind == 'Z', args);
            case 'D' -> {
                channel.send("OK");
                finished = true;
                return new Resume(Action.DETACH, 0, Resume.DELIVER);
            }
            case 'k' -> {
                finished = true;
                return new Resume(Action.KILL, 0, 0);
            }
            case 'q', 'Q' -> query(packet);
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
        } else {
            channel.send(""); // vMustReplyEmpty, vFile:..., vRun...: not supported
        }
        return null;
    }

    private void query(String packet) {
        if (packet.startsWith("qSupported")) {
            gdbSwbreak = packet.contains("swbreak+");
            gdbHwbreak = packet.contains("hwbreak+");
            channel.send("PacketSize=" + Integer.toHexString(PACKET_SIZE)
                    + ";qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+;qXfer:threads:read+"
                    + ";vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+");
        } else if (packet.equals("QStartNoAckMode")) {
            channel.send("OK");
            channel.stopAcknowledging();
        } else if (packet.startsWith("qXfer:")) {
            xfer(packet.substring("qXfer:".length()));
        } else if (packet.equals("qfThreadInfo")) {
            StringBuilder sb = new StringBuilder("m");
            for (Task t : followedThreads()) {
                sb.append(sb.length() > 1 ? "," : "").append(Integer.toHexString(t.tid));
            }
            channel.send(sb.toString());
        } else if (packet.equals("qsThreadInfo")) {
            channel.send("l");
        } else if (packet.equals("qC")) {
            channel.send("QC" + Integer.toHexString(stopThread.tid));
        } else if (packet.startsWith("qAttached")) {
            // 1: GDB detaches at its end (batch mode, quit) rather than kill, and the program runs on.
            channel.send("1");
        } else if (packet.startsWith("qThreadExtraInfo,")) {
            Task t = followedTask(ThreadIds.parse(packet.substring("qThreadExtraInfo,".length())));
            channel.send(t == null ? E_FAILED : Hex.encode(t.process.comm()));
        } else if (packet.startsWith("qRcmd,")) {
            monitor(new String(Hex.decode(packet.substring("qRcmd,".length())), StandardCharsets.UTF_8));
        } else {
            channel.send(""); // qTStatus, qOffsets (a static executable is where it is linked), qSymbol...
        }
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
        int tid = stopThread.tid;
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
            stopThread.cpu.pc = Hex.number(addr);
        }
    }

    // ---- stop replies ----------------------------------------------------------------------

    private String stopReply(Stop s, Task shown) {
        String thread = "thread:" + Integer.toHexString(shown.tid) + ";";
        return switch (s.reason()) {
            case SIGNAL -> String.format("T%02x", GdbSignals.fromLinux(s.signal().signo())) + thread;
            case INTERRUPTED -> String.format("T%02x", GdbSignals.INT) + thread;
            case BREAKPOINT -> {
                boolean hardware = hardwareBreakpoints.contains(shown.cpu.pc);
                String why = hardware ? (gdbHwbreak ? "hwbreak:;" : "") : (gdbSwbreak ? "swbreak:;" : "");
                yield String.format("T%02x", GdbSignals.TRAP) + thread + why;
            }
            case WATCHPOINT -> {
                watchAccessDone = shown.tid;
                DebugSession.WatchReport w = s.watch();
                String key = switch (watchTypes.getOrDefault(w.watchpoint(), Z_WRITE)) {
                    case Z_READ -> "rwatch";
                    case Z_ACCESS -> "awatch";
                    default -> "watch";
                };
                yield String.format("T%02x", GdbSignals.TRAP) + thread + key + ":" + Long.toHexString(w.address())
                        + ";";
            }
            case STARTED, STEPPED, PAGE_FAULT -> String.format("T%02x", GdbSignals.TRAP) + thread;
        };
    }

    /** W (exit status) or X (killed by a signal, GDB's number). */
    private static String exitReply(Process.Termination t) {
        return t.signal() == null ? String.format("W%02x", t.exitCode() & 0xFF)
                : String.format("X%02x", GdbSignals.fromLinux(t.signal().signo()));
    }

    // ---- threads ---------------------------------------------------------------------------

    private void setThread(String args) {
        char which = args.isEmpty() ? ' ' : args.charAt(0);
        int tid = ThreadIds.parse(args.substring(1));
        Task t = tid <= 0 ? null : followedTask(tid);
        if (tid > 0 && t == null) {
            channel.send(E_FAILED);
            return;
        }
        switch (which) {
            case 'g' -> generalThread = t;
            case 'c' -> continueTid = tid;
            default -> {
                channel.send(E_INVALID);
                return;
            }
        }
        channel.send("OK");
    }

    private Task generalThread() {
        return generalThread != null && generalThread.isAlive() ? generalThread : stopThread;
    }

    private List<Task> followedThreads() {
        List<Task> all = new ArrayList<>();
        for (Task t : session.threads()) {
            if (t.process == session.firstProcess()) {
                all.add(t);
            }
        }
        return all;
    }

    /** Live thread {@code tid} of the followed process, or null; 0 and -1 name the stopped one. */
    private Task followedTask(int tid) {
        if (tid <= 0) {
            return stopThread;
        }
        for (Task t : followedThreads()) {
            if (t.tid == tid) {
                return t;
            }
        }
        return null;
    }

    // ---- memory ----------------------------------------------------------------------------

    /** m ADDR,LEN: what is readable from ADDR on (GDB accepts a short read), or E14. */
    private void readMemory(String args) {
        int comma = args.indexOf(',');
        long addr = Hex.number(args.substring(0, comma));
        int len = Math.min(Hex.count(args.substring(comma + 1)), MAX_MEMORY_REPLY);
        Process p = generalThread().process;
        try {
            channel.send(Hex.encode(session.read(p, addr, len)));
        } catch (BadUserAddressException e) {
            // The range may start readable and run into an unmapped page: send what there is.
            long toPageEnd = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
            if (toPageEnd < len) {
                try {
                    channel.send(Hex.encode(session.read(p, addr, (int) toPageEnd)));
                    return;
                } catch (BadUserAddressException again) {
                    // Not even the first page: an error.
                }
            }
            channel.send(E_FAULT);
        }
    }

    /** M/X ADDR,LEN:DATA. */
    private void writeMemory(String range, byte[] data) {
        int comma = range.indexOf(',');
        long addr = Hex.number(range.substring(0, comma));
        int len = Hex.count(range.substring(comma + 1));
        if (len != data.length) {
            channel.send(E_INVALID);
            return;
        }
        if (len == 0) {
            channel.send("OK"); // GDB's probe for X support
            return;
        }
        try {
            session.write(generalThread().process, addr, data);
            channel.send("OK");
        } catch (BadUserAddressException e) {
            channel.send(E_FAULT);
        }
    }

    // ---- breakpoints and watchpoints -------------------------------------------------------

    /** Z/z TYPE,ADDR,KIND[;conditions]: conditions are not supported and ignored. */
    private void breakpoint(boolean insert, String args) {
        int semi = args.indexOf(';');
        String[] f = (semi < 0 ? args : args.substring(0, semi)).split(",");
        if (f.length != 3) {
            throw new IllegalArgumentException("Z packet needs TYPE,ADDR,KIND");
        }
        int type = Hex.count(f[0]);
        long addr = Hex.number(f[1]);
        int kind = Hex.count(f[2]);
        switch (type) {
            case Z_SOFTWARE, Z_HARDWARE -> {
                if (insert) {
                    session.addBreakpoint(addr);
                    if (type == Z_HARDWARE) {
                        hardwareBreakpoints.add(addr);
                    } else {
                        hardwareBreakpoints.remove(addr);
                    }
                } else {
                    session.removeBreakpoint(addr);
                    hardwareBreakpoints.remove(addr);
                }
            }
            case Z_WRITE, Z_READ, Z_ACCESS -> {
                if (kind <= 0) {
                    throw new IllegalArgumentException("watchpoint length " + kind);
                }
                String key = type + ":" + addr + ":" + kind;
                DebugHooks.Watchpoint existing = watchpoints.remove(key);
                if (existing != null) {
                    session.removeWatchpoint(existing);
                    watchTypes.remove(existing);
                }
                if (insert) {
                    DebugHooks.WatchKind watchKind = type == Z_WRITE ? DebugHooks.WatchKind.WRITE
                            : type == Z_READ ? DebugHooks.WatchKind.READ : DebugHooks.WatchKind.ACCESS;
                    DebugHooks.Watchpoint w = session.addWatchpoint(session.firstProcess(), addr, kind, watchKind);
                    watchpoints.put(key, w);
                    watchTypes.put(w, type);
                }
            }
            default -> {
                channel.send("");
                return;
            }
        }
        channel.send("OK");
    }

    // ---- qXfer objects ---------------------------------------------------------------------

    /** OBJECT:read:ANNEX:OFFSET,LENGTH. */
    private void xfer(String request) {
        String[] f = request.split(":", 4);
        if (f.length != 4 || !f[1].equals("read")) {
            channel.send("");
            return;
        }
        int comma = f[3].indexOf(',');
        long offset = Hex.number(f[3].substring(0, comma));
        int length = Math.min(Hex.count(f[3].substring(comma + 1)), MAX_XFER_REPLY);
        byte[] object = switch (f[0]) {
            case "features" -> {
                String doc = TargetXml.document(f[2]);
                yield doc == null ? null : doc.getBytes(StandardCharsets.UTF_8);
            }
            case "auxv" -> auxv();
            case "exec-file" -> executable().getBytes(StandardCharsets.UTF_8);
            case "threads" -> threadsXml().getBytes(StandardCharsets.UTF_8);
            default -> null;
        };
        if (object == null) {
            channel.send(f[0].equals("features") ? "E00" : "");
            return;
        }
        if (offset > object.length) {
            channel.send("E00");
            return;
        }
        int from = (int) offset;
        int to = (int) Math.min(object.length, offset + length);
        channel.send((to == object.length ? "l" : "m") + PacketChannel.escape(object, from, to));
    }

    /** The auxiliary vector exec gave the followed process: (type, value) pairs, little-endian. */
    private byte[] auxv() {
        long[] pairs = session.firstProcess().mm.savedAuxv();
        ByteBuffer b = ByteBuffer.allocate(8 * pairs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : pairs) {
            b.putLong(v);
        }
        return b.array();
    }

    /** The program GDB should read symbols from: the host path given to run, until an execve. */
    private String executable() {
        Process p = session.firstProcess();
        String exe = executedImages == 0 || p == null || p.isReleased() ? null : p.files.exePath();
        return exe != null ? exe : executable;
    }

    /** How many times the followed process has execve'd a new image. */
    private int executedImages;

    @Override
    public void execed(Process before, Process after) {
        if (after == session.firstProcess()) {
            executedImages++;
        }
    }

    private String threadsXml() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?>\n<threads>\n");
        for (Task t : followedThreads()) {
            sb.append("<thread id=\"").append(Integer.toHexString(t.tid)).append("\" core=\"0\" name=\"")
                    .append(xmlEscape(t.process.comm())).append("\"/>\n");
        }
        return sb.append("</threads>\n").toString();
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    // ---- monitor ---------------------------------------------------------------------------

    /** qRcmd: the command's text goes back in O packets, then OK. */
    private void monitor(String command) {
        String text = MonitorCommands.run(session, generalThread().process, command);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int chunk = (PACKET_SIZE - 16) / 2;
        for (int at = 0; at < bytes.length; at += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk));
            channel.send("O" + Hex.encode(part));
        }
        channel.send("OK");
    }

    private static String printable(String packet) {
        StringBuilder sb = new StringBuilder();
        for (char c : packet.substring(0, Math.min(packet.length(), 80)).toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
