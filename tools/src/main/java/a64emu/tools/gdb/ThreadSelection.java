package a64emu.tools.gdb;

import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.tools.debug.DebugSession;
import java.util.ArrayList;
import java.util.List;

/**
 * The threads GDB sees, those of the followed process (the run's first), and which of them
 * the packets name: the one the stop is shown in, Hg's for registers and memory, Hc's for
 * c and s.
 */
final class ThreadSelection {
    private final DebugSession session;
    /** The thread the current stop is shown in (a thread of the followed process). */
    private Task stopThread;
    /** Hg: the thread whose registers and memory g, p, m... read (null: the stopped one). */
    private Task generalThread;
    /** Hc: the thread c and s apply to (0 or -1: any). */
    private int continueTid;

    ThreadSelection(DebugSession session) {
        this.session = session;
    }

    /** A new stop, shown in {@code t}: Hg's choice ends with it. */
    void stoppedIn(Task t) {
        stopThread = t;
        generalThread = null;
    }

    Task stopped() {
        return stopThread;
    }

    /** The thread g, p, m... apply to: Hg's while it lives, else the stopped one. */
    Task general() {
        return generalThread != null && generalThread.isAlive() ? generalThread : stopThread;
    }

    int continueTid() {
        return continueTid;
    }

    /**
     * The thread to show a stop in: {@code t} if it belongs to the followed process; for an
     * interrupt taken in another process, the followed process's first live thread; else null.
     */
    Task shownFor(Task t, boolean interrupt) {
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

    List<Task> followed() {
        List<Task> all = new ArrayList<>();
        for (Task t : session.threads()) {
            if (t.process == session.firstProcess()) {
                all.add(t);
            }
        }
        return all;
    }

    /** Live thread {@code tid} of the followed process, or null; 0 and -1 name the stopped one. */
    Task followed(int tid) {
        if (tid <= 0) {
            return stopThread;
        }
        for (Task t : followed()) {
            if (t.tid == tid) {
                return t;
            }
        }
        return null;
    }

    /** H{g|c}THREAD: the reply. */
    String set(String args) {
        char which = args.isEmpty() ? ' ' : args.charAt(0);
        int tid = ThreadIds.parse(args.substring(1));
        Task t = tid <= 0 ? null : followed(tid);
        if (tid > 0 && t == null) {
            return GdbStub.E_FAILED;
        }
        switch (which) {
            case 'g' -> generalThread = t;
            case 'c' -> continueTid = tid;
            default -> {
                return GdbStub.E_INVALID;
            }
        }
        return "OK";
    }
}
