package a64emu.guest.ipc;

import java.util.List;

/**
 * What the IPC code needs of the calling process: its thread group id (the pids IPC records),
 * the effective ids and groups {@code ipcperms} checks, its effective capabilities, its
 * RLIMIT_MEMLOCK and the time now on CLOCK_REALTIME (IPC's time stamps).
 *
 * @param memlockLimit RLIMIT_MEMLOCK in bytes, negative for RLIM_INFINITY
 */
public record IpcCaller(int tgid, long euid, long egid, List<Long> groups, long capEffective, long memlockLimit,
                        long realtimeSeconds) {
    public static final int CAP_DAC_OVERRIDE = 1;
    public static final int CAP_FOWNER = 3;
    public static final int CAP_IPC_LOCK = 14;
    public static final int CAP_IPC_OWNER = 15;
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_SYS_RESOURCE = 24;

    public IpcCaller {
        groups = List.copyOf(groups);
    }

    public boolean capable(int cap) {
        return (capEffective & (1L << cap)) != 0;
    }

    /** Linux {@code in_group_p}: the effective group or a supplementary one. */
    public boolean inGroup(long gid) {
        return egid == gid || groups.contains(gid);
    }
}
