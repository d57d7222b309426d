package a64emu.guest.fs;

import a64emu.guest.Errno;
import a64emu.guest.Task;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalActions;
import a64emu.guest.signal.SignalDelivery;
import a64emu.guest.signal.SignalInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A signalfd (Linux {@code fs/signalfd.c}): reading it takes pending signals of its mask from
 * the reading thread's queue and its process's, blocked or not, as 128-byte
 * {@code struct signalfd_siginfo} records; it waits while none is pending. It belongs to no
 * process: whoever reads or polls it sees their own signals, so a forked child reading an
 * inherited signalfd takes the child's. SIGKILL and SIGSTOP are never in the mask.
 */
public final class SignalFd extends AnonInodeFile {
    public static final int SFD_CLOEXEC = OpenFlags.O_CLOEXEC;
    public static final int SFD_NONBLOCK = OpenFlags.O_NONBLOCK;
    /** sizeof(struct signalfd_siginfo). */
    public static final int SIGINFO_SIZE = 128;

    private final Supplier<Task> current;
    private volatile long mask;

    /**
     * signalfd4 with fd -1: a new signalfd for {@code userMask}.
     *
     * @param current the thread in the system call now (the reader or poller)
     */
    public SignalFd(long userMask, int flags, Supplier<Task> current, Consumer<Object> sleepers) {
        super("signalfd", OpenFlags.O_RDWR | (flags & SFD_NONBLOCK), sleepers);
        this.current = current;
        setMask(userMask);
    }

    /** signalfd4 on an existing signalfd: the new mask, and the current process's readers look again. */
    public void setMask(long userMask) {
        mask = userMask & ~(SignalActions.bit(Signal.SIGKILL) | SignalActions.bit(Signal.SIGSTOP));
        Task t = current.get();
        if (t != null) {
            t.process.signals.signalfdWait.wakeUp(PollTable.POLLIN);
            wakeSleepers(t.process.signals.signalfdWait);
        }
    }

    public long mask() {
        return mask;
    }

    /** Sleepers wait on the reader's own handlers' queue, which every signal queued wakes. */
    @Override
    public Object waitChannel() {
        Task t = current.get();
        return t == null ? this : t.process.signals.signalfdWait;
    }

    @Override
    long read(byte[] buf, int off, int len) {
        if (len < SIGINFO_SIZE) {
            return -Errno.EINVAL;
        }
        Task t = current.get();
        int done = 0;
        while (done + SIGINFO_SIZE <= len) {
            SignalInfo s = SignalDelivery.dequeue(t, ~mask);
            if (s == null) {
                break;
            }
            encode(s, buf, off + done);
            done += SIGINFO_SIZE;
        }
        return done > 0 ? done : -Errno.EAGAIN;
    }

    @Override
    public int poll(PollTable table) {
        Task t = current.get();
        if (t == null) {
            return 0;
        }
        PollTable.wait(table, t.process.signals.signalfdWait);
        return (SignalDelivery.pendingSet(t) & mask) != 0 ? PollTable.POLLIN : 0;
    }

    /** signalfd_copyinfo: the fields of the siginfo's layout (siginfo_layout), the others zero. */
    static void encode(SignalInfo s, byte[] buf, int off) {
        ByteBuffer b = ByteBuffer.wrap(buf, off, SIGINFO_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SIGINFO_SIZE; i++) {
            b.put(i, (byte) 0);
        }
        int signo = s.signo();
        int code = s.code();
        b.putInt(0, signo);
        b.putInt(8, code);
        switch (layout(signo, code)) {
            case KILL -> {
                b.putInt(12, s.pid());
                b.putInt(16, s.uid());
            }
            case RT -> {
                b.putInt(12, s.pid());
                b.putInt(16, s.uid());
                b.putInt(44, (int) s.status()); // ssi_int
                b.putLong(48, s.status()); // ssi_ptr
            }
            case TIMER -> {
                b.putInt(24, s.timerId()); // ssi_tid
                b.putInt(32, s.overrun()); // ssi_overrun
                b.putInt(44, (int) s.status());
                b.putLong(48, s.status());
            }
            case CHLD -> {
                b.putInt(12, s.pid());
                b.putInt(16, s.uid());
                b.putInt(40, (int) s.status());
            }
            case FAULT -> b.putLong(72, s.addr() == SignalInfo.NO_ADDRESS ? 0 : s.addr());
            case POLL, SYS -> { }
        }
    }

    private enum Layout { KILL, RT, TIMER, CHLD, FAULT, POLL, SYS }

    /** Linux siginfo_layout, for the signals and codes this kernel raises. */
    private static Layout layout(int signo, int code) {
        if (code > Signal.SI_USER && code < Signal.SI_KERNEL) {
            return switch (signo) {
                case Signal.SIGILL, Signal.SIGFPE, Signal.SIGSEGV, Signal.SIGBUS, Signal.SIGTRAP -> Layout.FAULT;
                case Signal.SIGCHLD -> Layout.CHLD;
                case Signal.SIGSYS -> Layout.SYS;
                default -> Layout.POLL;
            };
        }
        if (code == Signal.SI_TIMER) {
            return Layout.TIMER;
        }
        if (code == SI_SIGIO) {
            return Layout.POLL;
        }
        return code < 0 ? Layout.RT : Layout.KILL;
    }

    private static final int SI_SIGIO = -5;
}
