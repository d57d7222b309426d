package a64emu.guest.ipc;

/** The System V IPC user ABI shared by shm, sem and msg: UAPI {@code linux/ipc.h}. */
public final class Ipc {
    private Ipc() {}

    public static final int IPC_PRIVATE = 0;
    public static final int IPC_CREAT = 01000;
    public static final int IPC_EXCL = 02000;
    public static final int IPC_NOWAIT = 04000;

    public static final int IPC_RMID = 0;
    public static final int IPC_SET = 1;
    public static final int IPC_STAT = 2;
    public static final int IPC_INFO = 3;

    /** IPCMNI: ids carry the index in their low 15 bits and the sequence number above (SEQ_MULTIPLIER). */
    public static final int IPCMNI_SHIFT = 15;
    public static final int IPCMNI = 1 << IPCMNI_SHIFT;
    /** ipcid_seq_max(): INT_MAX >> IPCMNI_SHIFT. */
    public static final int SEQ_MAX = Integer.MAX_VALUE >> IPCMNI_SHIFT;

    /** S_IRUGO, S_IWUGO, S_IXUGO: the access ipcperms is asked for. */
    public static final int S_IRUGO = 0444;
    public static final int S_IWUGO = 0222;
    public static final int S_IXUGO = 0111;
}
