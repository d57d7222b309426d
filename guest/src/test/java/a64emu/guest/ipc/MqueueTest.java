package a64emu.guest.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import a64emu.guest.fs.ErrnoException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqueueTest {
    private final List<Object> woken = new ArrayList<>();
    private final Mqueue mq = new Mqueue(woken::add);
    private final IpcCaller user = Callers.user(5, 1000, 1000);
    private static final long LIMIT = 819200;

    private MessageQueue create(String name, long[] attr) throws ErrnoException {
        return mq.open(user, name, true, false, 2, 0600, attr, LIMIT, 0);
    }

    private static int errno(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ErrnoException.class, e).errno();
    }

    @Test
    void namesAndOpenFlagsAreCheckedAsDoMqOpenDoes() throws Exception {
        assertEquals(Errno.ENOENT, errno(() -> mq.open(user, "q", false, false, 2, 0, null, LIMIT, 0)));
        assertEquals(Errno.EACCES, errno(() -> create("a/b", null)));
        assertEquals(Errno.EACCES, errno(() -> create("..", null)));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> create("n".repeat(256), null)));
        create("q", null);
        assertEquals(Errno.EEXIST, errno(() -> mq.open(user, "q", true, true, 2, 0600, null, LIMIT, 0)));
        assertEquals(Errno.EINVAL, errno(() -> mq.open(user, "q", false, false, 3, 0, null, LIMIT, 0)));
        assertEquals(Errno.EACCES, errno(() -> mq.open(Callers.user(6, 2000, 2000), "q", false, false, 0, 0, null,
                LIMIT, 0)));
    }

    @Test
    void attributesAreLimitedByFsMqueueDefaultsAndChargedToRlimitMsgqueue() throws Exception {
        assertEquals(Errno.EINVAL, errno(() -> create("q", new long[] {0, 64})));
        assertEquals(Errno.EINVAL, errno(() -> create("q", new long[] {11, 64})));
        assertEquals(Errno.EINVAL, errno(() -> create("q", new long[] {10, 8193})));
        // A default queue charges 10 * 8192 + 10 * 48 + 10 * 48 = 82880 bytes: nine fit in 819200.
        List<MessageQueue> open = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            open.add(create("q" + i, null));
        }
        assertEquals(Errno.EMFILE, errno(() -> create("q9", null)));
        assertEquals(0, mq.unlink(user, "q0"));
        assertEquals(Errno.EMFILE, errno(() -> create("q9", null)), "an unlinked queue lives while it is open");
        open.get(0).lastClose();
        create("q9", null);
        assertEquals(-Errno.EPERM, mq.unlink(Callers.user(6, 2000, 2000), "q1"), "the sticky root directory");
        assertEquals(-Errno.ENOENT, mq.unlink(user, "nope"));
    }

    @Test
    void messagesComeOutHighestPriorityFirstInArrivalOrder() throws Exception {
        MessageQueue q = create("q", new long[] {4, 16});
        q.send(bytes("low"), 1, false, 5, 1000, 0);
        q.send(bytes("a"), 5, false, 5, 1000, 0);
        q.send(bytes("b"), 5, false, 5, 1000, 0);
        assertEquals(-Errno.EMSGSIZE, q.checkSendSize(17));
        assertEquals(-Errno.EMSGSIZE, q.checkReceiveSize(15));
        assertEquals("QSIZE:5          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     \n", q.status());
        assertEquals("5a", take(q));
        assertEquals("5b", take(q));
        assertEquals("1low", take(q));
        assertEquals(-Errno.EAGAIN, q.receive(true, "r", () -> true, 0, new MessageQueue.Received[1]).value());
        Outcome o = q.receive(false, "r", () -> true, 0, new MessageQueue.Received[1]);
        assertSame(q, o.sleepOn());
    }

    @Test
    void aFullQueueSleepsOrAnswersEagainAndPollSeesRoom() throws Exception {
        MessageQueue q = create("q", new long[] {1, 16});
        assertTrue((q.pollMask() & a64emu.guest.fs.PollTable.POLLOUT) != 0);
        q.send(bytes("x"), 0, false, 5, 1000, 0);
        assertEquals(a64emu.guest.fs.PollTable.POLLIN | a64emu.guest.fs.PollTable.POLLRDNORM, q.pollMask());
        assertEquals(-Errno.EAGAIN, q.send(bytes("y"), 0, true, 5, 1000, 0).value());
        assertTrue(q.send(bytes("y"), 0, false, 5, 1000, 0).blocks());
        assertTrue(woken.contains(q));
    }

    @Test
    void aNotificationFiresOnceForTheFirstMessageIntoAnEmptyQueue() throws Exception {
        List<String> signals = new ArrayList<>();
        mq.setSignalSender((owner, image, signo, value, pid, uid) -> signals.add(owner + ":" + image + ":" + signo + ":" + value + ":" + pid));
        MessageQueue q = create("q", null);
        assertEquals(0, q.notify(5, "image5", MessageQueue.SIGEV_SIGNAL, 10, 42, false));
        assertEquals(-Errno.EBUSY, q.notify(6, "image6", MessageQueue.SIGEV_SIGNAL, 10, 42, false));
        assertEquals("QSIZE:0          NOTIFY:0     SIGNO:10    NOTIFY_PID:5     \n", q.status());
        q.send(bytes("m"), 0, false, 7, 1000, 0);
        q.send(bytes("n"), 0, false, 7, 1000, 0);
        assertEquals(List.of("5:image5:10:42:7"), signals);
        assertEquals(0, q.notify(6, "image6", MessageQueue.SIGEV_NONE, 0, 0, false), "unregistered after firing");
        q.flush(5);
        assertEquals(-Errno.EBUSY, q.notify(5, "image5", MessageQueue.SIGEV_NONE, 0, 0, false),
                "another owner's close keeps it");
        q.flush(6);
        assertEquals(0, q.notify(5, "image5", MessageQueue.SIGEV_NONE, 0, 0, false));
    }

    @Test
    void aMessageForAWaitingReceiverIsHandedOverWithoutQueueingOrNotifying() throws Exception {
        List<String> signals = new ArrayList<>();
        mq.setSignalSender((owner, image, signo, value, pid, uid) -> signals.add("sent"));
        MessageQueue q = create("q", new long[] {2, 16});
        q.notify(5, "image5", MessageQueue.SIGEV_SIGNAL, 10, 0, false);
        boolean[] asleep = {true};
        assertTrue(q.receive(false, "r", () -> asleep[0], 0, new MessageQueue.Received[1]).blocks());
        q.send(bytes("low"), 1, false, 7, 1000, 0);
        q.send(bytes("high"), 9, false, 7, 1000, 0);
        assertEquals(1, q.attr()[2], "the first message went to the receiver, the second is queued");
        assertEquals(List.of("sent"), signals, "the queue became non-empty with the second message");
        MessageQueue.Received[] got = new MessageQueue.Received[1];
        assertEquals(3, q.receive(false, "r", () -> true, 0, got).value());
        assertEquals(1, got[0].priority());
        asleep[0] = false;
        assertEquals("9high", take(q));
        assertTrue(q.receive(false, "gone", () -> false, 0, new MessageQueue.Received[1]).blocks());
        q.send(bytes("x"), 0, false, 7, 1000, 0);
        assertEquals(1, q.attr()[2], "a receiver no longer waiting gets nothing handed");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String take(MessageQueue q) {
        MessageQueue.Received[] got = new MessageQueue.Received[1];
        q.receive(true, "t", () -> true, 0, got);
        return got[0].priority() + new String(got[0].text(), StandardCharsets.US_ASCII);
    }
}
