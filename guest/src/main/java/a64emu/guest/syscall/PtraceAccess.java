package a64emu.guest.syscall;

import a64emu.guest.Process;
import a64emu.guest.loader.InitialStack.Credentials;

/**
 * Linux {@code __ptrace_may_access} as the kernel's own checks use it on another process's
 * memory (process_vm_readv/writev, mm_access for process_madvise, migrate_pages and
 * move_pages): the caller itself; or the caller's ids (its real ones, or with
 * PTRACE_MODE_FSCREDS its file-system ones) equal to the target's real, effective and saved
 * ids and a dumpable target; or CAP_SYS_PTRACE.
 */
final class PtraceAccess {
    private PtraceAccess() {}

    static boolean mayAccess(Process caller, Process target, boolean fsCreds) {
        if (target == caller) {
            return true;
        }
        boolean traceCap = caller.capable(Process.CAP_SYS_PTRACE);
        Credentials me = caller.credentials;
        Credentials it = target.credentials;
        long uid = fsCreds ? me.fsuid() : me.uid();
        long gid = fsCreds ? me.fsgid() : me.gid();
        boolean sameIds = uid == it.uid() && uid == it.euid() && uid == it.suid()
                && gid == it.gid() && gid == it.egid() && gid == it.sgid();
        if (!sameIds && !traceCap) {
            return false;
        }
        return target.dumpable() == Process.SUID_DUMP_USER || traceCap;
    }
}
