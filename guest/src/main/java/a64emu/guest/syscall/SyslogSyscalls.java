package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.printk.Caller;
import a64emu.guest.printk.Printk;
import a64emu.guest.printk.Syslog;

/**
 * syslog(2), klogctl in C libraries (Linux {@code SYSCALL_DEFINE3(syslog)}): the actions are
 * {@link Syslog}'s; this copies what a reading action read to the caller's buffer and puts a
 * SYSLOG_ACTION_READ with nothing unread to sleep until the kernel logs a message (an
 * interruptible wait: a signal ends it with EINTR, or restarts it after an SA_RESTART handler).
 */
final class SyslogSyscalls {
    private final Process process;

    SyslogSyscalls(Process process) {
        this.process = process;
    }

    long syslog(int type, long buf, int len) throws BadUserAddressException {
        if (process.kernel == null) {
            return -Errno.ENOSYS; // a process built alone has no kernel log
        }
        Printk printk = Printk.of(process.kernel);
        Syslog.Result r = printk.syslog().doSyslog(type, buf != 0, len, Caller.of(process));
        if (r == Syslog.Result.WAIT) {
            Task.Wait w = new Task.Wait("syslog(SYSLOG_ACTION_READ)", -1, 0, true);
            w.channel = printk;
            process.current.block(w);
            return 0;
        }
        if (r.data().length > 0) {
            process.user.write(buf, r.data());
        }
        return r.value();
    }
}
