package a64emu.guest.syscall;

import a64emu.guest.Errno;
import a64emu.guest.Kernel;
import a64emu.guest.Process;
import a64emu.guest.Task;
import java.util.Collection;
import java.util.List;

/**
 * Process groups and sessions (Linux {@code kernel/sys.c}: setpgid, getpgid, getsid,
 * setsid). kill(0), kill(-pgid) and wait(0) select by the groups kept here.
 */
final class ProcessGroupSyscalls {
    private final Process process;

    ProcessGroupSyscalls(Process process) {
        this.process = process;
    }

    private Kernel kernel() {
        return process.kernel;
    }

    private Collection<Process> processes() {
        return kernel() == null ? List.of(process) : kernel().processes();
    }

    /** The process a pid names: 0 the caller, otherwise any of its threads' ids (find_task_by_vpid). */
    private Process lookup(int pid) {
        if (pid == 0 || pid == process.pid) {
            return process;
        }
        if (kernel() == null) {
            return null;
        }
        Task t = kernel().task(pid);
        if (t != null) {
            return t.process;
        }
        Process p = kernel().process(pid);
        return p; // a zombie keeps its pid until it is reaped
    }

    private boolean groupExists(int pgid) {
        for (Process p : processes()) {
            if (p.pgid == pgid && !p.isReaped()) {
                return true;
            }
        }
        return false;
    }

    long getpgid(int pid) {
        Process p = lookup(pid);
        return p == null ? -Errno.ESRCH : p.pgid;
    }

    long getsid(int pid) {
        Process p = lookup(pid);
        return p == null ? -Errno.ESRCH : p.sid;
    }

    /** setsid(2): EPERM for a process whose pid already names a process group (a group leader). */
    long setsid() {
        if (process.sid == process.pid || groupExists(process.pid)) {
            return -Errno.EPERM;
        }
        process.sid = process.pid;
        process.pgid = process.pid;
        return process.pid;
    }

    /**
     * setpgid(pid, pgid): the caller or a child of it that has not exec'd, in the caller's
     * session; a session leader cannot move; the group joined must exist in the same session
     * unless it is the process's own new group.
     */
    long setpgid(int pid, int pgid) {
        if (pgid < 0) {
            return -Errno.EINVAL;
        }
        Process p = lookup(pid);
        if (p == null) {
            return -Errno.ESRCH;
        }
        if (pid != 0 && pid != p.pid) {
            return -Errno.EINVAL; // a thread other than the group leader
        }
        if (pgid == 0) {
            pgid = p.pid;
        }
        if (p != process) {
            if (p.parent() != process) {
                return -Errno.ESRCH;
            }
            if (p.sid != process.sid) {
                return -Errno.EPERM;
            }
            if (!p.forkedWithoutExec) {
                return -Errno.EACCES;
            }
        }
        if (p.sid == p.pid) {
            return -Errno.EPERM;
        }
        if (pgid != p.pid) {
            boolean found = false;
            for (Process g : processes()) {
                if (g.pgid == pgid && g.sid == process.sid && !g.isReaped()) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return -Errno.EPERM;
            }
        }
        p.pgid = pgid;
        return 0;
    }
}
