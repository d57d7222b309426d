package a64emu.guest.ipc;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The POSIX message queue file system of the IPC namespace (Linux {@code ipc/mqueue.c}):
 * queue names, the limits of /proc/sys/fs/mqueue at their defaults (msg_max 10,
 * msgsize_max 8192, msg_default 10, msgsize_default 8192, queues_max 256), each user's
 * RLIMIT_MSGQUEUE charge, and the lifetime of a queue: its name and its open descriptors.
 */
public final class Mqueue {
    public static final long MSG_MAX = 10;
    public static final long MSGSIZE_MAX = 8192;
    public static final long MSG_DEFAULT = 10;
    public static final long MSGSIZE_DEFAULT = 8192;
    public static final int QUEUES_MAX = 256;
    public static final long HARD_MSGMAX = 65536;
    public static final long HARD_MSGSIZEMAX = 16L << 20;
    /** NAME_MAX: a longer name is ENAMETOOLONG. */
    public static final int NAME_MAX = 255;
    /** sizeof(struct msg_msg) and sizeof(struct posix_msg_tree_node) on a 64-bit kernel: the charge per message. */
    private static final long MSG_MSG_SIZE = 48;
    private static final long TREE_NODE_SIZE = 48;
    /** The device of the kernel's internal mqueue mount. */
    public static final long DEVICE = 0x12;

    /**
     * Sends a notification's signal: the owner thread group and the image it registered from
     * (none is sent if it has exec'd since), the signal, sigev_value, the sender's pid and uid.
     */
    public interface SignalSender {
        void send(int ownerTgid, Object ownerImage, int signo, long value, int senderTgid, int senderUid);
    }

    private final Consumer<Object> wake;
    private SignalSender signals = (owner, image, signo, value, pid, uid) -> { };
    private final Map<String, MessageQueue> names = new HashMap<>();
    /** Open descriptions of each queue; a queue lives while it has a name or one of these. */
    private final Map<MessageQueue, Integer> opens = new IdentityHashMap<>();
    private final Map<Long, Long> chargedBytes = new HashMap<>();
    private int queuesCount;
    private long nextInode = 1;

    Mqueue(Consumer<Object> wake) {
        this.wake = wake;
    }

    public void setSignalSender(SignalSender sender) {
        this.signals = sender;
    }

    void signal(int owner, Object image, int signo, long value, int senderTgid, int senderUid) {
        signals.send(owner, image, signo, value, senderTgid, senderUid);
    }

    void wake(MessageQueue q) {
        wake.accept(q);
    }

    /**
     * {@code lookup_one_len}'s checks of a queue name (glibc has stripped the leading '/'):
     * "." and ".." and names with a '/' are EACCES, longer than NAME_MAX ENAMETOOLONG.
     */
    static void checkName(String name) throws ErrnoException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
            throw new ErrnoException(Errno.EACCES);
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
    }

    /**
     * {@code do_mq_open} after the name was copied in and a descriptor reserved:
     * ENOENT without O_CREAT; a new queue (mode already less the umask) counted against
     * queues_max (ENOSPC), its attributes checked ({@code mqueue_get_inode}: EINVAL, EOVERFLOW)
     * and charged to RLIMIT_MSGQUEUE (EMFILE); an existing one is EEXIST with O_CREAT|O_EXCL,
     * EINVAL for O_WRONLY|O_RDWR, else checked for the access asked (EACCES).
     *
     * @param attr          mq_maxmsg and mq_msgsize, or null for the defaults
     * @param msgqueueLimit RLIMIT_MSGQUEUE in bytes (negative: unlimited)
     */
    public synchronized MessageQueue open(IpcCaller c, String name, boolean create, boolean exclusive,
                                          int accMode, int mode, long[] attr, long msgqueueLimit, long nowNanos)
            throws ErrnoException {
        checkName(name);
        MessageQueue q = names.get(name);
        if (q == null) {
            if (!create) {
                throw new ErrnoException(Errno.ENOENT);
            }
            if (queuesCount >= QUEUES_MAX && !c.capable(IpcCaller.CAP_SYS_RESOURCE)) {
                throw new ErrnoException(Errno.ENOSPC);
            }
            long maxmsg = attr == null ? Math.min(MSG_MAX, MSG_DEFAULT) : attr[0];
            long msgsize = attr == null ? Math.min(MSGSIZE_MAX, MSGSIZE_DEFAULT) : attr[1];
            if (maxmsg <= 0 || msgsize <= 0) {
                throw new ErrnoException(Errno.EINVAL);
            }
            if (c.capable(IpcCaller.CAP_SYS_RESOURCE)
                    ? maxmsg > HARD_MSGMAX || msgsize > HARD_MSGSIZEMAX
                    : maxmsg > MSG_MAX || msgsize > MSGSIZE_MAX) {
                throw new ErrnoException(Errno.EINVAL);
            }
            long bytes = maxmsg * msgsize + maxmsg * MSG_MSG_SIZE
                    + Math.min(maxmsg, MessageQueue.MQ_PRIO_MAX) * TREE_NODE_SIZE;
            long charged = chargedBytes.getOrDefault(c.euid(), 0L) + bytes;
            if (msgqueueLimit >= 0 && charged > msgqueueLimit) {
                throw new ErrnoException(Errno.EMFILE);
            }
            chargedBytes.put(c.euid(), charged);
            queuesCount++;
            q = new MessageQueue(this, name, nextInode++, c.euid(), c.egid(), mode & 07777, maxmsg, msgsize, bytes,
                    nowNanos);
            names.put(name, q);
        } else {
            if (create && exclusive) {
                throw new ErrnoException(Errno.EEXIST);
            }
            if (accMode == 3) {
                throw new ErrnoException(Errno.EINVAL);
            }
            int want = switch (accMode) {
                case 0 -> 4;
                case 1 -> 2;
                default -> 6;
            };
            if (!mayAccess(c, q, want)) {
                throw new ErrnoException(Errno.EACCES);
            }
        }
        opens.merge(q, 1, Integer::sum);
        return q;
    }

    /** generic_permission: the owner's, group's or others' bits, or CAP_DAC_OVERRIDE. */
    private static boolean mayAccess(IpcCaller c, MessageQueue q, int want) {
        int bits = c.euid() == q.uid ? q.mode >> 6 : c.inGroup(q.gid) ? q.mode >> 3 : q.mode;
        return (want & ~bits & 7) == 0 || c.capable(IpcCaller.CAP_DAC_OVERRIDE);
    }

    /**
     * mq_unlink(2): the name goes (ENOENT if none); the queue lives on while descriptors
     * are open. The root directory is sticky (01777): only the queue's owner (or CAP_FOWNER)
     * may remove it, else EPERM.
     */
    public synchronized long unlink(IpcCaller c, String name) throws ErrnoException {
        checkName(name);
        MessageQueue q = names.get(name);
        if (q == null) {
            return -Errno.ENOENT;
        }
        if (c.euid() != q.uid && !c.capable(IpcCaller.CAP_FOWNER)) {
            return -Errno.EPERM;
        }
        names.remove(name);
        if (!opens.containsKey(q)) {
            free(q);
        }
        return 0;
    }

    /** Another description of {@code q} (fork and dup share one; this is for a second open). */
    synchronized void released(MessageQueue q) {
        Integer n = opens.get(q);
        if (n == null) {
            return;
        }
        if (n > 1) {
            opens.put(q, n - 1);
            return;
        }
        opens.remove(q);
        if (names.get(q.name) != q) {
            free(q);
        }
    }

    /** {@code mqueue_evict_inode}: the queue count and the creator's charge go down. */
    private void free(MessageQueue q) {
        queuesCount--;
        chargedBytes.merge(q.uid, -q.charged, Long::sum);
    }

    synchronized int queuesCount() {
        return queuesCount;
    }
}
