package a64emu.guest.syscall;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.loader.InitialStack.Credentials;
import java.util.ArrayList;
import java.util.List;

/**
 * The setuid family, getgroups and setgroups (Linux {@code kernel/sys.c}, {@code
 * kernel/groups.c}): a process changes its ids among the ones it already holds, any of them
 * with CAP_SETUID (CAP_SETGID for groups); the capability sets follow a change of user as
 * {@code security/commoncap.c cap_task_fix_setuid} has them, and a change of effective or
 * filesystem id makes the process non-dumpable and clears its parent-death signal, as
 * {@code commit_creds} does.
 */
final class IdentitySyscalls {
    /** (uid_t) -1: "leave this id alone", never a valid id. */
    private static final long NO_ID = 0xFFFF_FFFFL;
    /** NGROUPS_MAX. */
    static final int NGROUPS_MAX = 65536;
    /** The capabilities an fsuid of 0 carries (CAP_FS_MASK): chown, dac_*, fowner, fsetid, linux_immutable, mknod, mac_override. */
    private static final long CAP_FS_MASK = (1L << 0) | (1L << 1) | (1L << 2) | (1L << 3) | (1L << 4) | (1L << 9)
            | (1L << 27) | (1L << 32);
    /** fs.suid_dumpable's default: what commit_creds sets dumpable to. */
    private static final int SUID_DUMPABLE = Process.SUID_DUMP_DISABLE;

    private final Process process;

    IdentitySyscalls(Process process) {
        this.process = process;
    }

    private Credentials cred() {
        return process.credentials;
    }

    private static long id(long arg) {
        return arg & NO_ID;
    }

    /** setuid(2): with CAP_SETUID every uid; without, the effective (and fs) uid to the real or saved one. */
    long setuid(long uidArg) {
        long uid = id(uidArg);
        if (uid == NO_ID) {
            return -Errno.EINVAL;
        }
        Credentials o = cred();
        if (process.capable(Process.CAP_SETUID)) {
            return commit(withUids(o, uid, uid, uid, uid));
        }
        if (uid != o.uid() && uid != o.suid()) {
            return -Errno.EPERM;
        }
        return commit(withUids(o, o.uid(), uid, o.suid(), uid));
    }

    /** setreuid(2). */
    long setreuid(long ruidArg, long euidArg) {
        long ruid = id(ruidArg);
        long euid = id(euidArg);
        Credentials o = cred();
        boolean privileged = process.capable(Process.CAP_SETUID);
        long r = o.uid();
        long e = o.euid();
        if (ruid != NO_ID) {
            r = ruid;
            if (ruid != o.uid() && ruid != o.euid() && !privileged) {
                return -Errno.EPERM;
            }
        }
        if (euid != NO_ID) {
            e = euid;
            if (euid != o.uid() && euid != o.euid() && euid != o.suid() && !privileged) {
                return -Errno.EPERM;
            }
        }
        long s = ruid != NO_ID || (euid != NO_ID && euid != o.uid()) ? e : o.suid();
        return commit(withUids(o, r, e, s, e));
    }

    /** setresuid(2): each id -1 or one the process holds, unless it has CAP_SETUID. */
    long setresuid(long ruidArg, long euidArg, long suidArg) {
        long ruid = id(ruidArg);
        long euid = id(euidArg);
        long suid = id(suidArg);
        Credentials o = cred();
        if ((ruid == NO_ID || ruid == o.uid()) && (euid == NO_ID || (euid == o.euid() && euid == o.fsuid()))
                && (suid == NO_ID || suid == o.suid())) {
            return 0;
        }
        if ((isNew(ruid, o.uid(), o.euid(), o.suid()) || isNew(euid, o.uid(), o.euid(), o.suid())
                || isNew(suid, o.uid(), o.euid(), o.suid())) && !process.capable(Process.CAP_SETUID)) {
            return -Errno.EPERM;
        }
        long e = euid == NO_ID ? o.euid() : euid;
        return commit(withUids(o, ruid == NO_ID ? o.uid() : ruid, e, suid == NO_ID ? o.suid() : suid, e));
    }

    long getresuid(long ruid, long euid, long suid) throws BadUserAddressException {
        Credentials c = cred();
        process.user.write32(ruid, (int) c.uid());
        process.user.write32(euid, (int) c.euid());
        process.user.write32(suid, (int) c.suid());
        return 0;
    }

    /** setfsuid(2): answers the old fsuid whether or not the change is allowed. */
    long setfsuid(long uidArg) {
        long uid = id(uidArg);
        Credentials o = cred();
        long old = o.fsuid();
        if (uid != NO_ID && (uid == o.uid() || uid == o.euid() || uid == o.suid() || uid == o.fsuid()
                || process.capable(Process.CAP_SETUID)) && uid != old) {
            commit(withUids(o, o.uid(), o.euid(), o.suid(), uid));
        }
        return old;
    }

    long setgid(long gidArg) {
        long gid = id(gidArg);
        if (gid == NO_ID) {
            return -Errno.EINVAL;
        }
        Credentials o = cred();
        if (process.capable(Process.CAP_SETGID)) {
            return commit(withGids(o, gid, gid, gid, gid));
        }
        if (gid != o.gid() && gid != o.sgid()) {
            return -Errno.EPERM;
        }
        return commit(withGids(o, o.gid(), gid, o.sgid(), gid));
    }

    long setregid(long rgidArg, long egidArg) {
        long rgid = id(rgidArg);
        long egid = id(egidArg);
        Credentials o = cred();
        boolean privileged = process.capable(Process.CAP_SETGID);
        long r = o.gid();
        long e = o.egid();
        if (rgid != NO_ID) {
            r = rgid;
            if (rgid != o.gid() && rgid != o.egid() && !privileged) {
                return -Errno.EPERM;
            }
        }
        if (egid != NO_ID) {
            e = egid;
            if (egid != o.gid() && egid != o.egid() && egid != o.sgid() && !privileged) {
                return -Errno.EPERM;
            }
        }
        long s = rgid != NO_ID || (egid != NO_ID && egid != o.gid()) ? e : o.sgid();
        return commit(withGids(o, r, e, s, e));
    }

    long setresgid(long rgidArg, long egidArg, long sgidArg) {
        long rgid = id(rgidArg);
        long egid = id(egidArg);
        long sgid = id(sgidArg);
        Credentials o = cred();
        if ((rgid == NO_ID || rgid == o.gid()) && (egid == NO_ID || (egid == o.egid() && egid == o.fsgid()))
                && (sgid == NO_ID || sgid == o.sgid())) {
            return 0;
        }
        if ((isNew(rgid, o.gid(), o.egid(), o.sgid()) || isNew(egid, o.gid(), o.egid(), o.sgid())
                || isNew(sgid, o.gid(), o.egid(), o.sgid())) && !process.capable(Process.CAP_SETGID)) {
            return -Errno.EPERM;
        }
        long e = egid == NO_ID ? o.egid() : egid;
        return commit(withGids(o, rgid == NO_ID ? o.gid() : rgid, e, sgid == NO_ID ? o.sgid() : sgid, e));
    }

    long getresgid(long rgid, long egid, long sgid) throws BadUserAddressException {
        Credentials c = cred();
        process.user.write32(rgid, (int) c.gid());
        process.user.write32(egid, (int) c.egid());
        process.user.write32(sgid, (int) c.sgid());
        return 0;
    }

    long setfsgid(long gidArg) {
        long gid = id(gidArg);
        Credentials o = cred();
        long old = o.fsgid();
        if (gid != NO_ID && (gid == o.gid() || gid == o.egid() || gid == o.sgid() || gid == o.fsgid()
                || process.capable(Process.CAP_SETGID)) && gid != old) {
            commit(withGids(o, o.gid(), o.egid(), o.sgid(), gid));
        }
        return old;
    }

    /** getgroups(size, list): size 0 asks how many; a smaller list than that is EINVAL. */
    long getgroups(int size, long list) throws BadUserAddressException {
        List<Long> groups = cred().groups();
        if (size < 0) {
            return -Errno.EINVAL;
        }
        if (size == 0) {
            return groups.size();
        }
        if (size < groups.size()) {
            return -Errno.EINVAL;
        }
        for (int i = 0; i < groups.size(); i++) {
            process.user.write32(list + 4L * i, (int) (long) groups.get(i));
        }
        return groups.size();
    }

    /** setgroups(size, list): CAP_SETGID first, then the size; the list is kept sorted (groups_sort). */
    long setgroups(long size, long list) throws BadUserAddressException {
        if (!process.capable(Process.CAP_SETGID)) {
            return -Errno.EPERM;
        }
        if (Long.compareUnsigned(size & NO_ID, NGROUPS_MAX) > 0) {
            return -Errno.EINVAL;
        }
        int n = (int) (size & NO_ID);
        List<Long> groups = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long gid = process.user.read32(list + 4L * i) & NO_ID;
            if (gid == NO_ID) {
                return -Errno.EINVAL;
            }
            groups.add(gid);
        }
        groups.sort(null);
        Credentials o = cred();
        return commit(new Credentials(o.uid(), o.euid(), o.suid(), o.fsuid(), o.gid(), o.egid(), o.sgid(), o.fsgid(),
                groups));
    }

    private static boolean isNew(long id, long a, long b, long c) {
        return id != NO_ID && id != a && id != b && id != c;
    }

    private static Credentials withUids(Credentials o, long uid, long euid, long suid, long fsuid) {
        return new Credentials(uid, euid, suid, fsuid, o.gid(), o.egid(), o.sgid(), o.fsgid(), o.groups());
    }

    private static Credentials withGids(Credentials o, long gid, long egid, long sgid, long fsgid) {
        return new Credentials(o.uid(), o.euid(), o.suid(), o.fsuid(), gid, egid, sgid, fsgid, o.groups());
    }

    /** Linux commit_creds with cap_task_fix_setuid before it. */
    private long commit(Credentials next) {
        Credentials old = cred();
        long effective = process.capEffective;
        long permitted = process.capPermitted;
        boolean wasRoot = old.uid() == 0 || old.euid() == 0 || old.suid() == 0;
        if (wasRoot && next.uid() != 0 && next.euid() != 0 && next.suid() != 0) {
            permitted = 0; // cap_emulate_setxuid, without SECBIT_KEEP_CAPS
            effective = 0;
        }
        if (old.euid() == 0 && next.euid() != 0) {
            effective = 0;
        } else if (old.euid() != 0 && next.euid() == 0) {
            effective = permitted;
        }
        if (old.fsuid() == 0 && next.fsuid() != 0) {
            effective &= ~CAP_FS_MASK;
        } else if (old.fsuid() != 0 && next.fsuid() == 0) {
            effective |= permitted & CAP_FS_MASK;
        }
        boolean gainsCapabilities = (effective & ~process.capEffective) != 0 || (permitted & ~process.capPermitted) != 0;
        if (old.euid() != next.euid() || old.egid() != next.egid() || old.fsuid() != next.fsuid()
                || old.fsgid() != next.fsgid() || gainsCapabilities) {
            process.setDumpable(SUID_DUMPABLE);
            process.setPdeathSignal(0);
        }
        process.capEffective = effective;
        process.capPermitted = permitted;
        process.credentials = next;
        return 0;
    }
}
