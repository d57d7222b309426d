package a64emu.guest.ipc;

import java.util.ArrayList;
import java.util.List;

/**
 * One System V message queue, Linux {@code struct msg_queue}: its messages in arrival order,
 * their bytes and count, the byte limit (msg_qbytes), the last sender's and receiver's pids
 * and the send, receive and change times.
 */
public final class MsgQueue extends IpcObject {
    /** One message: its type and text ({@code struct msg_msg}). */
    record Message(long type, byte[] text) {}

    final List<Message> messages = new ArrayList<>();
    /**
     * A receiver asleep in msgrcv: what it asks for ({@code msgtyp} and flags), the most it
     * takes (Integer.MAX_VALUE with MSG_NOERROR), its thread group, and whether it still waits.
     */
    record Receiver(long type, int flg, long maxSize, int tgid, java.util.function.BooleanSupplier asleep) {}

    /** Receivers in the order they went to sleep ({@code q_receivers}). */
    final java.util.LinkedHashMap<Object, Receiver> receivers = new java.util.LinkedHashMap<>();
    /** What {@code pipelined_send} gave a receiver for its next run: a message, or E2BIG. */
    final java.util.Map<Object, Object> handedOver = new java.util.HashMap<>();
    long cbytes;
    long qbytes;
    long stime;
    long rtime;
    long ctime;
    int lspid;
    int lrpid;

    MsgQueue(int key, int mode, long qbytes, long ctime) {
        this.key = key;
        this.mode = mode;
        this.qbytes = qbytes;
        this.ctime = ctime;
    }

    /** {@code msg_fits_inqueue}: the bytes and the count (each message counts as a byte too) within msg_qbytes. */
    boolean fits(long size) {
        return size + cbytes <= qbytes && 1 + messages.size() <= qbytes;
    }
}
