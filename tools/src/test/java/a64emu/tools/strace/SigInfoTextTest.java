package a64emu.tools.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.security.SeccompFilter;
import a64emu.guest.signal.SignalInfo;
import org.junit.jupiter.api.Test;

class SigInfoTextTest {
    @Test
    void aSeccompTrapShowsTheCallTheArchitectureAndTheFilterData() {
        SignalInfo s = SignalInfo.seccomp(173, 0x41d5a8, SeccompFilter.AUDIT_ARCH_AARCH64, 0x42, "trap");
        assertEquals("--- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=66, si_call_addr=0x41d5a8, "
                + "si_syscall=__NR_getppid, si_arch=AUDIT_ARCH_AARCH64} ---", SigInfoText.of(s, 0));
    }

    @Test
    void aSeccompKillWithoutDataHasNoErrno() {
        SignalInfo s = SignalInfo.seccomp(64, 0x400000, SeccompFilter.AUDIT_ARCH_AARCH64, 0, "kill");
        assertEquals("--- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x400000, "
                + "si_syscall=__NR_write, si_arch=AUDIT_ARCH_AARCH64} ---", SigInfoText.of(s, 0));
    }
}
