package a64emu.guest.ipc;

import a64emu.guest.Errno;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One kind's objects, Linux {@code struct ipc_ids} ({@code ipc/util.c}): an index table
 * (the idr, lowest free index first), the key table, and the sequence number that makes a
 * reused index a new id: an index at or below the last one handed out bumps it
 * ({@code ipc_idr_alloc}), so id = seq * 32768 + index.
 */
final class IpcIds<T extends IpcObject> {
    /** What {@code ipcget} asks of the kind: {@code getnew}, {@code more_checks}, {@code associate}. */
    interface Ops<T> {
        long create();

        default int moreChecks(T object) {
            return 0;
        }
    }

    private final TreeMap<Integer, T> byIndex = new TreeMap<>();
    private final Map<Integer, T> byKey = new HashMap<>();
    private int seq;
    private int lastIdx = -1;

    int inUse() {
        return byIndex.size();
    }

    Collection<T> all() {
        return byIndex.values();
    }

    /**
     * {@code ipc_addid}: ENOSPC once {@code limit} objects exist; the owner and creator are the
     * caller's effective ids. Returns the new id.
     */
    int add(T object, int limit, IpcCaller c) {
        if (byIndex.size() >= Math.min(limit, Ipc.IPCMNI)) {
            return -Errno.ENOSPC;
        }
        int idx = 0;
        while (byIndex.containsKey(idx)) {
            idx++;
        }
        if (idx <= lastIdx) {
            seq++;
            if (seq >= Ipc.SEQ_MAX) {
                seq = 0;
            }
        }
        lastIdx = idx;
        object.seq = seq;
        object.id = (seq << Ipc.IPCMNI_SHIFT) + idx;
        object.uid = object.cuid = c.euid();
        object.gid = object.cgid = c.egid();
        byIndex.put(idx, object);
        if (object.key != Ipc.IPC_PRIVATE) {
            byKey.put(object.key, object);
        }
        return object.id;
    }

    /** {@code ipc_obtain_object_idr}: by the index part of {@code id} only; null for none (EINVAL). */
    T byIndex(int id) {
        return byIndex.get(id & (Ipc.IPCMNI - 1));
    }

    /** {@code ipc_obtain_object_check}: the object whose id is exactly {@code id}; null for none (EINVAL). */
    T check(int id) {
        T o = byIndex(id);
        return o == null || (id >>> Ipc.IPCMNI_SHIFT) != o.seq ? null : o;
    }

    /** {@code ipc_set_key_private}: a key lookup no longer finds it. */
    void setKeyPrivate(T object) {
        byKey.remove(object.key, object);
        object.key = Ipc.IPC_PRIVATE;
    }

    /** {@code ipc_rmid}: gone from both tables, marked deleted. */
    void remove(T object) {
        byIndex.remove(object.id & (Ipc.IPCMNI - 1), object);
        byKey.remove(object.key, object);
        object.deleted = true;
    }

    /** {@code ipc_get_maxidx}: the highest index in use, -1 when there is none. */
    int maxIdx() {
        return byIndex.isEmpty() ? -1 : byIndex.lastKey();
    }

    /**
     * {@code ipcget}: IPC_PRIVATE always makes a new object; a key not found is ENOENT
     * without IPC_CREAT; a key found is EEXIST with IPC_CREAT|IPC_EXCL, else the kind's
     * checks, then {@code ipcperms} against the flag's mode bits (EACCES), then its id.
     */
    long get(int key, int flg, IpcCaller c, Ops<T> ops) {
        if (key == Ipc.IPC_PRIVATE) {
            return ops.create();
        }
        T found = byKey.get(key);
        if (found == null) {
            return (flg & Ipc.IPC_CREAT) == 0 ? -Errno.ENOENT : ops.create();
        }
        if ((flg & Ipc.IPC_CREAT) != 0 && (flg & Ipc.IPC_EXCL) != 0) {
            return -Errno.EEXIST;
        }
        int err = ops.moreChecks(found);
        if (err != 0) {
            return err;
        }
        if (!found.permits(c, flg)) {
            return -Errno.EACCES;
        }
        return found.id;
    }
}
