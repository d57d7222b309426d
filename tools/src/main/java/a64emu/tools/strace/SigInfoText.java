package a64emu.tools.strace;

import a64emu.guest.security.SeccompFilter;
import a64emu.guest.signal.Signal;
import a64emu.guest.signal.SignalInfo;
import a64emu.guest.syscall.SyscallNumbers;

/**
 * A delivered signal's line, as strace prints it:
 * {@code --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---}; the fields
 * shown depend on who sent it, as in strace's {@code printsiginfo}.
 */
final class SigInfoText {
    private SigInfoText() {}

    /** {@code pc} stands for si_addr when the signal carries no address (an undefined instruction's). */
    static String of(SignalInfo s, long pc) {
        int signo = s.signo();
        StringBuilder b = new StringBuilder("--- ").append(Signal.name(signo)).append(" {si_signo=")
                .append(Signal.name(signo)).append(", si_code=").append(Signal.codeName(signo, s.code()));
        if (s.isSeccomp()) {
            // strace's printsigsys_fields; si_errno (the filter's data) when it is not 0.
            if (s.status() != 0) {
                b.append(", si_errno=").append(s.status());
            }
            String name = SyscallNumbers.name(s.pid());
            b.append(", si_call_addr=").append(ArgumentDecoder.pointer(s.addr())).append(", si_syscall=")
                    .append(name == null ? Integer.toString(s.pid()) : "__NR_" + name).append(", si_arch=")
                    .append(s.uid() == SeccompFilter.AUDIT_ARCH_AARCH64 ? "AUDIT_ARCH_AARCH64"
                            : String.format("%#x /* AUDIT_ARCH_??? */", s.uid()));
        } else if (s.code() == Signal.SI_KERNEL) {
            // Nothing more: the kernel sent it (an OOM kill, a fatal group exit).
        } else if (s.code() <= 0) {
            b.append(", si_pid=").append(s.pid()).append(", si_uid=").append(s.uid());
            if (s.code() == Signal.SI_QUEUE || s.code() == Signal.SI_TIMER) {
                b.append(", si_int=").append((int) s.status());
            }
        } else if (signo == Signal.SIGCHLD) {
            boolean bySignal = s.code() == Signal.CLD_KILLED || s.code() == Signal.CLD_DUMPED;
            b.append(", si_pid=").append(s.pid()).append(", si_uid=").append(s.uid()).append(", si_status=")
                    .append(bySignal ? Signal.name((int) s.status()) : Long.toString(s.status()))
                    .append(", si_utime=0, si_stime=0");
        } else if (Signal.isSynchronous(signo)) {
            long addr = s.addr() == SignalInfo.NO_ADDRESS ? pc : s.addr();
            b.append(", si_addr=").append(ArgumentDecoder.pointer(addr));
        }
        return b.append("} ---").toString();
    }
}
