package a64emu.guest.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MsgTest {
    private final List<Object> woken = new ArrayList<>();
    private final Msg msg = new Msg(woken::add);
    private final IpcCaller root = Callers.root(10);
    private final int id = (int) msg.get(root, 0, 0600);

    private long send(long type, String text, int flg) {
        Outcome o = msg.send(root, id, type, text.getBytes(StandardCharsets.US_ASCII), flg, null);
        return o.blocks() ? Long.MIN_VALUE : o.value();
    }

    private String receive(long bufsz, long type, int flg) {
        Msg.Received[] got = new Msg.Received[1];
        Outcome o = msg.receive(root, id, bufsz, type, flg, null, "w", () -> true, got);
        if (o.blocks()) return "sleeps";
        if (o.value() < 0) return Errno.name(o.value());
        return got[0].type() + ":" + new String(got[0].text(), StandardCharsets.US_ASCII);
    }

    @Test
    void sendChecksTypeAndSizeBeforeTheQueue() {
        assertEquals(-Errno.EINVAL, Msg.checkSend(id, 0, 1));
        assertEquals(-Errno.EINVAL, Msg.checkSend(id, 1, 8193));
        assertEquals(-Errno.EINVAL, Msg.checkSend(-1, 1, 1));
        assertEquals(0, Msg.checkSend(id, 1, 8192));
    }

    @Test
    void receiveSelectsByTypeAsFindMsgDoes() {
        send(1, "one", 0);
        send(3, "three", 0);
        send(2, "two", 0);
        send(5, "five", 0);
        send(1, "uno", 0);
        assertEquals("1:one", receive(64, 0, 0));
        assertEquals("2:two", receive(64, 2, 0));
        assertEquals("1:uno", receive(64, -4, 0), "the lowest type up to 4");
        assertEquals("5:five", receive(64, 3, Msg.MSG_EXCEPT));
        assertEquals("ENOMSG", receive(64, 1, Ipc.IPC_NOWAIT));
        assertEquals("sleeps", receive(64, 1, 0));
        assertEquals("3:three", receive(64, 0, 0));
    }

    @Test
    void aLongMessageIsE2bigUnlessMsgNoerrorCutsIt() {
        send(4, "abcdef", 0);
        assertEquals("E2BIG", receive(3, 0, 0));
        assertEquals("4:abc", receive(3, 0, Msg.MSG_NOERROR));
        assertEquals("ENOMSG", receive(64, 0, Ipc.IPC_NOWAIT), "the rest is gone");
    }

    @Test
    void msgCopyLeavesTheMessageAndNeedsIpcNowait() {
        send(1, "a", 0);
        send(2, "b", 0);
        assertEquals(-Errno.EINVAL, Msg.checkReceive(id, 64, Msg.MSG_COPY));
        assertEquals(-Errno.EINVAL, Msg.checkReceive(id, 64, Msg.MSG_COPY | Msg.MSG_EXCEPT | Ipc.IPC_NOWAIT));
        assertEquals("2:b", receive(64, 1, Msg.MSG_COPY | Ipc.IPC_NOWAIT));
        assertEquals("ENOMSG", receive(64, 2, Msg.MSG_COPY | Ipc.IPC_NOWAIT));
        assertEquals("1:a", receive(64, 0, 0));
    }

    @Test
    void aFullQueueMakesSendersSleepOrAnswerEagain() {
        ByteBuffer b = ByteBuffer.allocate(Msg.MSQID64_DS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        msg.ctl(root, id, Ipc.IPC_STAT, b);
        b.putLong(88, 6);
        assertEquals(0, msg.ctl(root, id, Ipc.IPC_SET, b));
        assertEquals(0, send(1, "12345", 0));
        assertEquals(-Errno.EAGAIN, send(1, "xy", Ipc.IPC_NOWAIT), "7 bytes above msg_qbytes 6");
        assertEquals(Long.MIN_VALUE, send(1, "xy", 0), "a sender without IPC_NOWAIT sleeps");
        assertEquals("1:12345", receive(64, 0, 0));
        assertEquals(0, send(1, "xy", 0));
    }

    @Test
    void queueRemovalEndsSleepersWithEidrm() {
        Outcome o = msg.receive(root, id, 64, 0, 0, null, "w", () -> true, new Msg.Received[1]);
        assertTrue(o.blocks());
        MsgQueue q = (MsgQueue) o.sleepOn();
        assertEquals(0, msg.ctl(root, id, Ipc.IPC_RMID, null));
        assertTrue(woken.contains(q));
        assertEquals(-Errno.EIDRM, msg.receive(root, id, 64, 0, 0, q, "w", () -> true, new Msg.Received[1]).value());
        assertEquals(-Errno.EINVAL, msg.receive(root, id, 64, 0, 0, null, "w", () -> true, new Msg.Received[1]).value());
    }

    @Test
    void ipcSetWakesTheSleepersToLookAgain() {
        Outcome o = msg.receive(root, id, 64, 0, 0, null, "w", () -> true, new Msg.Received[1]);
        MsgQueue q = (MsgQueue) o.sleepOn();
        woken.clear();
        ByteBuffer b = ByteBuffer.allocate(Msg.MSQID64_DS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        msg.ctl(root, id, Ipc.IPC_STAT, b);
        assertEquals(0, msg.ctl(root, id, Ipc.IPC_SET, b));
        assertEquals(List.of(q), woken, "expunge_all(-EAGAIN) makes a receiver run its loop again");
        assertTrue(msg.receive(root, id, 64, 0, 0, q, "w", () -> true, new Msg.Received[1]).blocks());
    }

    @Test
    void aSuitingSleepingReceiverIsHandedTheMessageAndATooSmallOneGetsE2big() {
        IpcCaller small = Callers.root(20);
        IpcCaller big = Callers.root(21);
        assertTrue(msg.receive(small, id, 2, 7, 0, null, "small", () -> true, new Msg.Received[1]).blocks());
        Outcome o = msg.receive(big, id, 64, 7, 0, null, "big", () -> true, new Msg.Received[1]);
        MsgQueue q = (MsgQueue) o.sleepOn();
        send(6, "six", 0);
        send(7, "seven", 0);
        ByteBuffer b = ByteBuffer.allocate(Msg.MSQID64_DS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        msg.ctl(root, id, Ipc.IPC_STAT, b);
        assertEquals(1, b.getLong(80), "only the type 6 message is queued");
        assertEquals(21, b.getInt(100), "lrpid: the receiver it was handed to");
        assertEquals(-Errno.E2BIG, msg.receive(small, id, 2, 7, 0, q, "small", () -> true, new Msg.Received[1]).value());
        Msg.Received[] got = new Msg.Received[1];
        assertEquals(5, msg.receive(big, id, 64, 7, 0, q, "big", () -> true, got).value());
        assertEquals(7, got[0].type());
    }

    @Test
    void raisingQbytesAboveMsgmnbNeedsCapSysResource() {
        ByteBuffer b = ByteBuffer.allocate(Msg.MSQID64_DS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        IpcCaller owner = Callers.user(3, 1000, 1000);
        int q = (int) msg.get(owner, 0, 0600);
        msg.ctl(owner, q, Ipc.IPC_STAT, b);
        b.putLong(88, Msg.MSGMNB + 1);
        assertEquals(-Errno.EPERM, msg.ctl(owner, q, Ipc.IPC_SET, b));
        assertEquals(0, msg.ctl(root, q, Ipc.IPC_SET, b));
        assertEquals(-Errno.EPERM, msg.ctl(Callers.user(4, 2000, 2000), q, Ipc.IPC_RMID, b));
    }

    @Test
    void infoReportsTheDefaultsAndMsgInfoTheUse() {
        send(1, "abc", 0);
        ByteBuffer b = ByteBuffer.allocate(Msg.MSGINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        msg.ctl(root, 0, Ipc.IPC_INFO, b);
        assertEquals(512000, b.getInt(0));
        assertEquals(8192, b.getInt(8));
        assertEquals(16384, b.getInt(12));
        assertEquals(0xffff, Short.toUnsignedInt(b.getShort(28)));
        msg.ctl(root, 0, Msg.MSG_INFO, b);
        assertEquals(1, b.getInt(0), "queues");
        assertEquals(1, b.getInt(4), "messages");
        assertEquals(3, b.getInt(24), "bytes");
    }
}
