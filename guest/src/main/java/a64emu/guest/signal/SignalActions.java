package a64emu.guest.signal;

/**
 * A process's signal dispositions, as rt_sigaction sets them (Linux {@code sighand_struct},
 * shared by the threads of a process). The blocked mask and the alternate stack are per
 * thread and live in {@link a64emu.guest.Task}.
 */
public final class SignalActions {
    /** sa_handler values. */
    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;

    /** struct sigaction as arm64 user space passes it: handler, flags, restorer, mask. */
    public record Action(long handler, long flags, long restorer, long mask) {
        public static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);
    }

    /** sa_flags (UAPI asm-generic/signal.h). */
    public static final long SA_NOCLDSTOP = 0x0000_0001L;
    public static final long SA_NOCLDWAIT = 0x0000_0002L;
    public static final long SA_SIGINFO = 0x0000_0004L;
    public static final long SA_RESTORER = 0x0400_0000L;
    public static final long SA_ONSTACK = 0x0800_0000L;
    public static final long SA_RESTART = 0x1000_0000L;
    public static final long SA_NODEFER = 0x4000_0000L;
    public static final long SA_RESETHAND = 0x8000_0000L;

    /** sigaltstack flags (UAPI signal.h). */
    public static final int SS_ONSTACK = 1;
    public static final int SS_DISABLE = 2;
    public static final int SS_AUTODISARM = 1 << 31;

    /** The alternate signal stack: stack_t's ss_sp, ss_flags, ss_size. */
    public record AltStack(long sp, int flags, long size) {
        public static final AltStack DISABLED = new AltStack(0, SS_DISABLE, 0);
    }

    private final Action[] actions = new Action[Signal.NSIG + 1];

    /**
     * The signalfd readers and pollers of the processes sharing these handlers (Linux
     * {@code sighand->signalfd_wqh}), woken by every signal queued.
     */
    public final a64emu.guest.fs.WaitQueue signalfdWait = new a64emu.guest.fs.WaitQueue();

    public SignalActions() {
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    public Action get(int signo) {
        return actions[signo];
    }

    public void set(int signo, Action action) {
        actions[signo] = action;
    }

    /** A copy for a child that does not share handlers (fork without CLONE_SIGHAND). */
    public SignalActions copy() {
        SignalActions c = new SignalActions();
        System.arraycopy(actions, 0, c.actions, 0, actions.length);
        return c;
    }

    /**
     * The handlers after execve (Linux flush_signal_handlers): caught signals return to
     * the default action; ignored ones stay ignored.
     */
    public SignalActions forExec() {
        SignalActions c = new SignalActions();
        for (int s = 1; s <= Signal.NSIG; s++) {
            if (actions[s].handler() == SIG_IGN) {
                c.actions[s] = new Action(SIG_IGN, 0, 0, 0);
            }
        }
        return c;
    }

    /** Whether a signal sent now would be dropped: ignored explicitly, or by default (sig_ignored). */
    public boolean ignores(int signo) {
        long h = actions[signo].handler();
        if (signo == Signal.SIGKILL || signo == Signal.SIGSTOP) {
            return false;
        }
        return h == SIG_IGN || (h == SIG_DFL && Signal.defaultAction(signo) == Signal.DefaultAction.IGNORE);
    }

    /** The handler address if the program installed one for {@code signo}, else 0. */
    public long userHandler(int signo) {
        long h = actions[signo].handler();
        return h == SIG_DFL || h == SIG_IGN ? 0 : h;
    }

    public static long bit(int signo) {
        return 1L << (signo - 1);
    }
}
