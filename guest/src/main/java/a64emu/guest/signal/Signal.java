package a64emu.guest.signal;

/** Linux signal numbers and si_code values (UAPI {@code asm-generic/signal.h}, {@code siginfo.h}). */
public final class Signal {
    private Signal() {}

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGSTKFLT = 16;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGURG = 23;
    public static final int SIGXCPU = 24;
    public static final int SIGXFSZ = 25;
    public static final int SIGVTALRM = 26;
    public static final int SIGPROF = 27;
    public static final int SIGWINCH = 28;
    public static final int SIGIO = 29;
    public static final int SIGPWR = 30;
    public static final int SIGSYS = 31;
    /** Signals 1..64 (_NSIG). */
    public static final int NSIG = 64;

    // si_code values
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_TKILL = -6;
    /** sigqueue(3): rt_sigqueueinfo with a value. */
    public static final int SI_QUEUE = -1;
    /** A POSIX or interval timer expired. */
    public static final int SI_TIMER = -2;
    /** A message arrived on an empty POSIX message queue (mq_notify). */
    public static final int SI_MESGQ = -3;
    public static final int ILL_ILLOPC = 1;
    public static final int SEGV_MAPERR = 1;
    public static final int SEGV_ACCERR = 2;
    public static final int BUS_ADRALN = 1;
    public static final int BUS_ADRERR = 2;
    public static final int BUS_OBJERR = 3;
    public static final int TRAP_BRKPT = 1;
    /** SIGSYS si_code: a seccomp filter returned SECCOMP_RET_TRAP or a kill action. */
    public static final int SYS_SECCOMP = 1;
    public static final int FPE_INTDIV = 1;
    /** SIGCHLD si_code: the child exited, was killed, or was killed and dumped core. */
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int CLD_STOPPED = 5;
    public static final int CLD_CONTINUED = 6;

    /** What the kernel does with a signal nobody handles (Linux {@code sig_kernel_*} sets). */
    public enum DefaultAction { TERMINATE, CORE, IGNORE, STOP, CONTINUE }

    /** The default action of {@code signo}, as the table in signal(7) and kernel/signal.c give it. */
    public static DefaultAction defaultAction(int signo) {
        return switch (signo) {
            case SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS ->
                    DefaultAction.CORE;
            case SIGCHLD, SIGURG, SIGWINCH -> DefaultAction.IGNORE;
            case SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU -> DefaultAction.STOP;
            case SIGCONT -> DefaultAction.CONTINUE;
            default -> DefaultAction.TERMINATE;
        };
    }

    /** Signals that a fault or trap raises synchronously (Linux SYNCHRONOUS_MASK). */
    public static boolean isSynchronous(int signo) {
        return signo == SIGSEGV || signo == SIGBUS || signo == SIGILL || signo == SIGTRAP || signo == SIGFPE
                || signo == SIGSYS;
    }

    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
    };

    public static String name(int signo) {
        if (signo > 0 && signo < NAMES.length) {
            return NAMES[signo];
        }
        return signo >= 32 && signo <= NSIG ? "SIGRT" + (signo - 32) : "signal " + signo;
    }

    /** The si_code's name for a signal, e.g. SEGV_MAPERR. */
    public static String codeName(int signo, int code) {
        if (code == SI_USER) {
            return "SI_USER";
        }
        if (code == SI_KERNEL) {
            return "SI_KERNEL";
        }
        if (code == SI_TKILL) {
            return "SI_TKILL";
        }
        if (code == SI_QUEUE) {
            return "SI_QUEUE";
        }
        if (code == SI_TIMER) {
            return "SI_TIMER";
        }
        return switch (signo) {
            case SIGSEGV -> code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "code " + code;
            case SIGBUS -> switch (code) {
                case BUS_ADRALN -> "BUS_ADRALN";
                case BUS_ADRERR -> "BUS_ADRERR";
                case BUS_OBJERR -> "BUS_OBJERR";
                default -> "code " + code;
            };
            case SIGILL -> code == ILL_ILLOPC ? "ILL_ILLOPC" : "code " + code;
            case SIGTRAP -> code == TRAP_BRKPT ? "TRAP_BRKPT" : "code " + code;
            case SIGSYS -> code == SYS_SECCOMP ? "SYS_SECCOMP" : "code " + code;
            case SIGCHLD -> switch (code) {
                case CLD_EXITED -> "CLD_EXITED";
                case CLD_KILLED -> "CLD_KILLED";
                case CLD_DUMPED -> "CLD_DUMPED";
                case CLD_STOPPED -> "CLD_STOPPED";
                case CLD_CONTINUED -> "CLD_CONTINUED";
                default -> "code " + code;
            };
            default -> "code " + code;
        };
    }

}
