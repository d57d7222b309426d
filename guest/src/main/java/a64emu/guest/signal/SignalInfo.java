package a64emu.guest.signal;

/**
 * A signal with its Linux {@code siginfo} (why it was raised), and a human account of why.
 *
 * @param signo   signal number
 * @param code    si_code
 * @param addr    si_addr: the faulting address, or -1 when the signal has none to report
 * @param detail  what happened, in words: "read, no mapping", "undefined instruction 0x00000000"
 * @param pid     si_pid of the sender (kill, SIGCHLD), 0 for the kernel
 * @param uid     si_uid of the sender
 * @param status  si_status of SIGCHLD (exit code or signal), or si_value of sigqueue
 * @param esr     the ESR_EL1 value of a fault, for the signal frame's esr_context; 0 for none
 */
public record SignalInfo(int signo, int code, long addr, String detail, int pid, int uid, long status, long esr) {
    public static final long NO_ADDRESS = -1;

    public SignalInfo(int signo, int code, long addr, String detail) {
        this(signo, code, addr, detail, 0, 0, 0, 0);
    }

    public static SignalInfo fault(int signo, int code, long addr, String detail) {
        return new SignalInfo(signo, code, addr, detail);
    }

    public static SignalInfo atPc(int signo, int code, String detail) {
        return new SignalInfo(signo, code, NO_ADDRESS, detail);
    }

    /**
     * A signal the kernel raises for its own reasons (Linux SEND_SIG_PRIV: interval timers),
     * with si_code SI_KERNEL and no sender.
     */
    public static SignalInfo fromKernel(int signo, String detail) {
        return new SignalInfo(signo, Signal.SI_KERNEL, NO_ADDRESS, detail, 0, 0, 0, 0);
    }

    /** A signal sent by a process (kill, tgkill): si_pid and si_uid name the sender. */
    public static SignalInfo fromProcess(int signo, int code, int pid, int uid, String detail) {
        return new SignalInfo(signo, code, NO_ADDRESS, detail, pid, uid, 0, 0);
    }

    /**
     * A POSIX timer's signal (si_code SI_TIMER): the union's _timer holds si_tid and si_overrun
     * where _kill holds si_pid and si_uid, and si_value after them, as sigqueue's.
     */
    public static SignalInfo timer(int signo, int timerId, int overrun, long value) {
        return new SignalInfo(signo, Signal.SI_TIMER, NO_ADDRESS, "POSIX timer " + timerId + " expired",
                timerId, overrun, value, 0);
    }

    /**
     * A seccomp SIGSYS (force_sig_seccomp, si_code SYS_SECCOMP): the union's _sigsys holds
     * si_call_addr (the address after the SVC), si_syscall and si_arch where a fault's si_addr,
     * si_pid and si_uid would be; si_errno carries the filter's SECCOMP_RET_DATA.
     */
    public static SignalInfo seccomp(int syscall, long callAddr, int arch, int data, String detail) {
        return new SignalInfo(Signal.SIGSYS, Signal.SYS_SECCOMP, callAddr, detail, syscall, arch, data, 0);
    }

    /** Whether this is a seccomp SIGSYS, whose siginfo is {@link #seccomp}'s. */
    public boolean isSeccomp() {
        return signo == Signal.SIGSYS && code == Signal.SYS_SECCOMP;
    }

    /** si_tid of an SI_TIMER signal: the timer's id. */
    public int timerId() {
        return pid;
    }

    /** si_overrun of an SI_TIMER signal. */
    public int overrun() {
        return uid;
    }

    /** The same signal with {@code more} appended to its detail. */
    public SignalInfo withDetailAppended(String more) {
        return new SignalInfo(signo, code, addr, detail + more, pid, uid, status, esr);
    }

    /** The same signal with the fault's ESR attached. */
    public SignalInfo withEsr(long value) {
        return new SignalInfo(signo, code, addr, detail, pid, uid, status, value);
    }

    /**
     * The one-line diagnosis, without the "a64emu: " prefix:
     * {@code SIGSEGV (SEGV_MAPERR) at 0x0 pc=0x400a3c: read, no mapping}, or for
     * signals with no data address {@code SIGILL (ILL_ILLOPC) at pc=0x400a3c: ...}.
     */
    public String diagnosis(long pc) {
        String where = addr == NO_ADDRESS
                ? String.format("at pc=0x%x", pc)
                : String.format("at 0x%x pc=0x%x", addr, pc);
        return Signal.name(signo) + " (" + Signal.codeName(signo, code) + ") " + where + ": " + detail;
    }
}
