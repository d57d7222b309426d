package a64emu.guest.signal;

/**
 * The process's signal dispositions and blocked mask, as rt_sigaction and
 * rt_sigprocmask set them. Delivery to user handlers is issue 5: for now the kernel
 * only records them, so that a fatal signal can say a handler was installed.
 */
public final class SignalActions {
    /** sa_handler values. */
    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;

    /** struct sigaction as arm64 user space passes it: handler, flags, restorer, mask. */
    public record Action(long handler, long flags, long restorer, long mask) {
        public static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);
    }

    /** sigaltstack flags (UAPI signal.h). */
    public static final int SS_ONSTACK = 1;
    public static final int SS_DISABLE = 2;
    public static final int SS_AUTODISARM = 1 << 31;

    /** The alternate signal stack: stack_t's ss_sp, ss_flags, ss_size. */
    public record AltStack(long sp, int flags, long size) {
        public static final AltStack DISABLED = new AltStack(0, SS_DISABLE, 0);
    }

    private AltStack altStack = AltStack.DISABLED;
    private long pending;
    private final Action[] actions = new Action[Signal.NSIG + 1];
    private long blocked;

    public SignalActions() {
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    public Action get(int signo) {
        return actions[signo];
    }

    public void set(int signo, Action action) {
        actions[signo] = action;
    }

    /** The handler address if the program installed one for {@code signo}, else 0. */
    public long userHandler(int signo) {
        long h = actions[signo].handler();
        return h == SIG_DFL || h == SIG_IGN ? 0 : h;
    }

    public long blocked() {
        return blocked;
    }

    /** SIGKILL and SIGSTOP can never be blocked. */
    public void setBlocked(long mask) {
        blocked = mask & ~(bit(Signal.SIGKILL) | bit(Signal.SIGSTOP));
    }

    public AltStack altStack() {
        return altStack;
    }

    public void setAltStack(AltStack s) {
        altStack = s;
    }

    /** Signals raised while blocked, waiting for an unblock. */
    public long pending() {
        return pending;
    }

    public void addPending(int signo) {
        pending |= bit(signo);
    }

    /** The lowest pending signal that is no longer blocked, removed from the set; 0 if none. */
    public int takeDeliverable() {
        long ready = pending & ~blocked;
        if (ready == 0) {
            return 0;
        }
        int signo = Long.numberOfTrailingZeros(ready) + 1;
        pending &= ~bit(signo);
        return signo;
    }

    public static long bit(int signo) {
        return 1L << (signo - 1);
    }
}
