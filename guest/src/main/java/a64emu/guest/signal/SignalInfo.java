package a64emu.guest.signal;

/**
 * A synchronous signal the kernel raises at the process (Linux's {@code siginfo}, with a
 * human account of why).
 *
 * @param signo   signal number
 * @param code    si_code
 * @param addr    si_addr: the faulting address, or -1 when the signal has none to report
 * @param detail  what happened, in words: "read, no mapping", "undefined instruction 0x00000000"
 */
public record SignalInfo(int signo, int code, long addr, String detail) {
    public static final long NO_ADDRESS = -1;

    public static SignalInfo fault(int signo, int code, long addr, String detail) {
        return new SignalInfo(signo, code, addr, detail);
    }

    public static SignalInfo atPc(int signo, int code, String detail) {
        return new SignalInfo(signo, code, NO_ADDRESS, detail);
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
