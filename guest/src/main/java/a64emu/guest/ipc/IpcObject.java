package a64emu.guest.ipc;

import java.nio.ByteBuffer;

/**
 * What every System V IPC object starts with, Linux {@code struct kern_ipc_perm}: key, id,
 * owner and creator, mode and sequence number, and whether it has been removed. Also
 * {@code ipcperms} and the user layout {@code struct ipc64_perm} (asm-generic, as arm64 has
 * it: key, uid, gid, cuid, cgid, mode as 32-bit words, seq as a 16-bit one, two unused longs;
 * 48 bytes).
 */
public abstract class IpcObject {
    /** sizeof(struct ipc64_perm). */
    public static final int IPC64_PERM_SIZE = 48;
    /** S_IRWXUGO: the permission bits of a mode. */
    public static final int S_IRWXUGO = 0777;

    int key;
    int id;
    int seq;
    long uid;
    long gid;
    long cuid;
    long cgid;
    /** Permission bits, and for shm SHM_DEST and SHM_LOCKED. */
    int mode;
    boolean deleted;

    public final int key() {
        return key;
    }

    public final int id() {
        return id;
    }

    public final int mode() {
        return mode;
    }

    public final long uid() {
        return uid;
    }

    public final long gid() {
        return gid;
    }

    public final long cuid() {
        return cuid;
    }

    public final long cgid() {
        return cgid;
    }

    /** Removed (IPC_RMID, or its last user gone): a sleeper on it wakes to EIDRM. */
    public final boolean isDeleted() {
        return deleted;
    }

    /**
     * Linux {@code ipcperms}: the access {@code flag}'s rwx bits ask for, against the owner's,
     * the group's or the others' bits of the mode; CAP_IPC_OWNER grants everything.
     */
    final boolean permits(IpcCaller c, int flag) {
        int requested = ((flag >> 6) | (flag >> 3) | flag) & 7;
        int granted = mode;
        if (c.euid() == cuid || c.euid() == uid) {
            granted >>= 6;
        } else if (c.inGroup(cgid) || c.inGroup(gid)) {
            granted >>= 3;
        }
        return (requested & ~granted & 7) == 0 || c.capable(IpcCaller.CAP_IPC_OWNER);
    }

    /** The owner or creator, or CAP_SYS_ADMIN: who may IPC_SET and IPC_RMID ({@code ipcctl_obtain_check}). */
    final boolean mayControl(IpcCaller c) {
        return c.euid() == cuid || c.euid() == uid || c.capable(IpcCaller.CAP_SYS_ADMIN);
    }

    /**
     * Linux {@code ipc_update_perm} for IPC_SET: new owner and permission bits; EINVAL for
     * an id that maps to no user or group ((uid_t)-1).
     */
    final int updatePerm(long newUid, long newGid, int newMode) {
        if (newUid == 0xFFFF_FFFFL || newGid == 0xFFFF_FFFFL) {
            return -a64emu.guest.Errno.EINVAL;
        }
        uid = newUid;
        gid = newGid;
        mode = (mode & ~S_IRWXUGO) | (newMode & S_IRWXUGO);
        return 0;
    }

    /** {@code kernel_to_ipc64_perm}: the struct ipc64_perm at {@code at}. */
    final void putIpc64Perm(ByteBuffer b, int at) {
        b.putInt(at, key);
        b.putInt(at + 4, (int) uid);
        b.putInt(at + 8, (int) gid);
        b.putInt(at + 12, (int) cuid);
        b.putInt(at + 16, (int) cgid);
        b.putInt(at + 20, mode);
        b.putShort(at + 24, (short) seq);
    }

    /** The uid, gid and mode of a struct ipc64_perm at {@code at}, as IPC_SET reads them. */
    record PermSet(long uid, long gid, int mode) {
        static PermSet of(ByteBuffer b, int at) {
            return new PermSet(Integer.toUnsignedLong(b.getInt(at + 4)), Integer.toUnsignedLong(b.getInt(at + 8)),
                    b.getInt(at + 20));
        }
    }
}
