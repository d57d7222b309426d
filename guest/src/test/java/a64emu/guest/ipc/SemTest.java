package a64emu.guest.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemTest {
    private final List<Object> woken = new ArrayList<>();
    private final Sem sem = new Sem(woken::add, () -> 1000);
    private final IpcCaller root = Callers.root(10);
    private final int id = (int) sem.get(root, 0, 2, 0600);

    private static List<Sem.SemBuf> ops(int... triples) {
        List<Sem.SemBuf> l = new ArrayList<>();
        for (int i = 0; i < triples.length; i += 3) {
            l.add(new Sem.SemBuf(triples[i], (short) triples[i + 1], (short) triples[i + 2]));
        }
        return l;
    }

    private long semop(IpcCaller c, List<Sem.SemBuf> l) {
        Outcome o = sem.semop(c, id, l, null, c, () -> true);
        return o.blocks() ? Long.MIN_VALUE : o.value();
    }

    @Test
    void semgetChecksNsemsAgainstSemmslAndTheExistingSet() {
        assertEquals(-Errno.EINVAL, sem.get(root, 3, 32001, Ipc.IPC_CREAT));
        assertEquals(-Errno.EINVAL, sem.get(root, 3, 0, Ipc.IPC_CREAT));
        long s = sem.get(root, 3, 4, Ipc.IPC_CREAT | 0600);
        assertEquals(-Errno.EINVAL, sem.get(root, 3, 5, 0));
        assertEquals(s, sem.get(root, 3, 0, 0));
    }

    @Test
    void operationsAreAllOrNothingAndApplyInOrder() {
        assertEquals(-Errno.EAGAIN, semop(root, ops(0, 1, 0, 1, -1, Ipc.IPC_NOWAIT)));
        assertEquals(0, sem.getOne(root, id, 0, Sem.GETVAL), "the first operation was not done");
        assertEquals(0, semop(root, ops(0, 2, 0, 0, -1, 0)));
        assertEquals(1, sem.getOne(root, id, 0, Sem.GETVAL));
        assertEquals(10, sem.getOne(root, id, 0, Sem.GETPID));
        assertEquals(-Errno.EFBIG, semop(root, ops(2, 1, 0)));
        assertEquals(-Errno.ERANGE, semop(root, ops(0, 32767, 0)));
    }

    @Test
    void aBlockedOperationSleepsOnTheSetIsCountedAndSeesEidrmAfterRemoval() {
        Outcome o = sem.semop(root, id, ops(1, -1, 0), null, "waiter", () -> true);
        assertTrue(o.blocks());
        SemSet set = (SemSet) o.sleepOn();
        assertEquals(1, sem.getOne(root, id, 1, Sem.GETNCNT));
        assertEquals(0, sem.getOne(root, id, 1, Sem.GETZCNT));
        assertEquals(0, sem.down(root, id, Ipc.IPC_RMID, null));
        assertSame(set, woken.get(woken.size() - 1), "removal wakes the sleepers");
        assertEquals(-Errno.EIDRM, sem.semop(root, id, ops(1, -1, 0), set, "waiter", () -> true).value());
    }

    @Test
    void aSleeperNoLongerAsleepIsNotCounted() {
        sem.semop(root, id, ops(0, 0, 0), null, "w", () -> false);
        assertEquals(0, sem.setval(root, id, 0, 1));
        sem.semop(root, id, ops(0, 0, 0), null, "z", () -> true);
        assertEquals(1, sem.getOne(root, id, 0, Sem.GETZCNT));
    }

    @Test
    void theWakerServesSleepersInTheOrderTheySleptAndTheRestKeepTheirPlace() {
        IpcCaller first = Callers.root(21);
        IpcCaller second = Callers.root(22);
        SemSet set = (SemSet) sem.semop(first, id, ops(0, -1, 0), null, "first", () -> true).sleepOn();
        assertTrue(sem.semop(second, id, ops(0, -1, 0), null, "second", () -> true).blocks());
        assertEquals(2, sem.getOne(root, id, 0, Sem.GETNCNT));
        woken.clear();
        assertEquals(0, semop(root, ops(0, 1, 0)));
        assertEquals(List.of(set), woken);
        assertEquals(0, sem.getOne(root, id, 0, Sem.GETVAL), "the first sleeper's decrement is done");
        assertEquals(21, sem.getOne(root, id, 0, Sem.GETPID));
        assertTrue(sem.semop(second, id, ops(0, -1, 0), set, "second", () -> true).blocks(), "still queued");
        assertEquals(0, sem.semop(first, id, ops(0, -1, 0), set, "first", () -> true).value());
        assertEquals(1, sem.getOne(root, id, 0, Sem.GETNCNT));
        assertEquals(0, sem.setval(root, id, 0, 1));
        assertEquals(0, sem.semop(second, id, ops(0, -1, 0), set, "second", () -> true).value());
    }

    @Test
    void undoIsAppliedAtExitClampedToZeroAndClearedBySetval() {
        IpcCaller child = Callers.root(11);
        assertEquals(0, semop(child, ops(0, 3, Sem.SEM_UNDO)));
        assertEquals(0, semop(root, ops(0, -2, 0)));
        sem.exit(11);
        assertEquals(0, sem.getOne(root, id, 0, Sem.GETVAL), "1 - 3 clamped at 0");
        assertEquals(11, sem.getOne(root, id, 0, Sem.GETPID));
        assertEquals(0, semop(child, ops(1, 4, Sem.SEM_UNDO)));
        assertEquals(0, sem.setval(root, id, 1, 9));
        sem.exit(11);
        assertEquals(9, sem.getOne(root, id, 1, Sem.GETVAL));
    }

    @Test
    void undoOutsideTheAdjustmentRangeIsErange() {
        assertEquals(0, sem.setval(root, id, 0, 32767));
        assertEquals(0, semop(root, ops(0, -32767, Sem.SEM_UNDO)));
        assertEquals(0, semop(root, ops(0, 32767, 0)));
        assertEquals(-Errno.ERANGE, semop(root, ops(0, -2, Sem.SEM_UNDO)), "the adjustment would pass SEMAEM");
        assertEquals(-Errno.ERANGE, sem.setval(root, id, 0, 32768));
        assertEquals(-Errno.ERANGE, sem.setval(root, id, 0, -1));
        assertEquals(-Errno.ERANGE, sem.setAll(root, id, new int[] {1, 32768}));
    }

    @Test
    void statAndInfoUseTheSemid64DsAndSeminfoLayouts() {
        ByteBuffer b = ByteBuffer.allocate(Sem.SEMID64_DS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, sem.stat(root, id, Ipc.IPC_STAT, b));
        assertEquals(0600, b.getInt(20));
        assertEquals(0, b.getLong(48), "no operation yet");
        assertEquals(2, b.getLong(64));
        assertEquals(-Errno.EACCES, sem.stat(Callers.user(3, 1000, 1000), id, Ipc.IPC_STAT, b));
        ByteBuffer i = ByteBuffer.allocate(Sem.SEMINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, sem.info(Sem.SEM_INFO, i));
        assertEquals(32000, i.getInt(16));
        assertEquals(500, i.getInt(20));
        assertEquals(1, i.getInt(28), "sets in use");
        assertEquals(2, i.getInt(36), "semaphores in use");
    }
}
