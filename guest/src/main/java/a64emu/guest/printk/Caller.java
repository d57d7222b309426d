package a64emu.guest.printk;

import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;

/**
 * Who makes a syslog(2) call or opens /dev/kmsg, as check_syslog_permissions sees it: its
 * comm and pid (for the warning it may print) and whether it has CAP_SYSLOG, or the
 * CAP_SYS_ADMIN that 6.1 still accepts in its place.
 */
public record Caller(String comm, int pid, boolean capSyslog, boolean capSysAdmin) {
    /** The kernel itself: every check passes. */
    public static final Caller KERNEL = new Caller("swapper/0", 0, true, true);

    /** The process whose thread {@code kernel} is running (current), or the kernel itself when none runs. */
    public static Caller running(Kernel kernel) {
        Task t = kernel.running();
        return t == null ? KERNEL : of(t.process);
    }

    /** {@code p}'s effective capabilities. */
    public static Caller of(Process p) {
        return new Caller(p.comm(), p.pid, p.capable(Process.CAP_SYSLOG), p.capable(Process.CAP_SYS_ADMIN));
    }
}
