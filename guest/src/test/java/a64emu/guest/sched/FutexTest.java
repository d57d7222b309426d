package a64emu.guest.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.Task;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The futex operations glibc uses, on threads of one process, with their Linux results. */
class FutexTest {
    private final TestMachine m = new TestMachine(48);
    private final Scheduler scheduler = new Scheduler();
    private final Futex futex = new Futex(scheduler);
    private final Process process;
    private final Task main;
    private final long word;

    FutexTest() {
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/prog");
        process = new Process(100, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        main = process.leader();
        scheduler.add(main);
        word = m.memoryMap.mmap(0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS,
                null, 0);
    }

    private Task thread(int tid) {
        Task t = new Task(tid, process, new Cpu(m.mmu));
        process.addThread(t);
        scheduler.add(t);
        return t;
    }

    @Test
    void waitOnAChangedWordIsEagainAndOnAMisalignedOneEinval() throws BadUserAddressException {
        m.user.write32(word, 5);
        assertEquals(-Errno.EAGAIN, futex.waitOn(main, word, 6, -1, -1, true));
        assertEquals(-Errno.EINVAL, futex.waitOn(main, word + 2, 5, -1, -1, true));
        assertEquals(-Errno.EINVAL, futex.waitOn(main, word, 5, -1, 0, true), "empty bitset");
        assertEquals(Task.State.RUNNABLE, main.state());
    }

    @Test
    void wakeWakesAtMostTheCountInArrivalOrderWithResultZero() throws BadUserAddressException {
        Task a = thread(101);
        Task b = thread(102);
        futex.waitOn(a, word, 0, -1, -1, true);
        futex.waitOn(b, word, 0, -1, -1, true);
        a.cpu.x[0] = 77;
        assertEquals(1, futex.wake(main, word, 1, -1, true));
        assertEquals(Task.State.RUNNABLE, a.state());
        assertEquals(0, a.cpu.x[0]);
        assertEquals(Task.State.BLOCKED, b.state());
        assertEquals(1, futex.wake(main, word, Integer.MAX_VALUE, -1, true));
        assertEquals(0, futex.wake(main, word, 1, -1, true), "no one left");
    }

    @Test
    void bitsetWakeReachesOnlyWaitersWithACommonBit() throws BadUserAddressException {
        Task a = thread(101);
        Task b = thread(102);
        futex.waitOn(a, word, 0, -1, 0b01, true);
        futex.waitOn(b, word, 0, -1, 0b10, true);
        assertEquals(1, futex.wake(main, word, 2, 0b10, true));
        assertEquals(Task.State.BLOCKED, a.state());
        assertEquals(Task.State.RUNNABLE, b.state());
    }

    @Test
    void cmpRequeueChecksTheWordThenWakesSomeAndMovesTheRest() throws BadUserAddressException {
        Task a = thread(101);
        Task b = thread(102);
        Task c = thread(103);
        for (Task t : new Task[] {a, b, c}) {
            futex.waitOn(t, word, 0, -1, -1, true);
        }
        assertEquals(-Errno.EAGAIN, futex.requeue(main, word, word + 8, 1, 1, 9, true));
        assertEquals(2, futex.requeue(main, word, word + 8, 1, 1, 0, true), "one woken + one requeued");
        assertEquals(Task.State.RUNNABLE, a.state());
        assertEquals(1, futex.wake(main, word + 8, 5, -1, true), "b now waits on the second word");
        assertEquals(Task.State.RUNNABLE, b.state());
        assertEquals(1, futex.wake(main, word, 5, -1, true), "c stayed");
    }

    @Test
    void wakeOpUpdatesTheSecondWordAndWakesItsWaitersWhenTheOldValuePasses() throws BadUserAddressException {
        Task a = thread(101);
        Task b = thread(102);
        futex.waitOn(a, word, 0, -1, -1, true);
        m.user.write32(word + 8, 1);
        futex.waitOn(b, word + 8, 1, -1, -1, true);
        // FUTEX_OP(FUTEX_OP_ADD, 2, FUTEX_OP_CMP_EQ, 1): *uaddr2 += 2; wake uaddr2 if old == 1.
        int val3 = (1 << 28) | (0 << 24) | (2 << 12) | 1;
        assertEquals(2, futex.wakeOp(main, word, word + 8, 1, 1, val3, true));
        assertEquals(3, m.user.read32(word + 8));
        assertEquals(Task.State.RUNNABLE, b.state());
    }

    @Test
    void timedWaitEndsWithEtimedoutWhenTheClockPassesTheDeadline() throws BadUserAddressException {
        futex.waitOn(main, word, 0, 1_000_000_000L, -1, true);
        long before = scheduler.now();
        assertEquals(main, scheduler.pickNext(null), "the only thread wakes at its deadline");
        assertEquals(-Errno.ETIMEDOUT, main.cpu.x[0]);
        assertEquals(true, scheduler.now() - before >= 1_000_000_000L - 10_000_000L);
        assertEquals(0, futex.wake(main, word, 1, -1, true), "the timed-out waiter is gone from the queue");
    }

    @Test
    void everyThreadWaitingWithoutDeadlineIsADeadlock() throws BadUserAddressException {
        futex.waitOn(main, word, 0, -1, -1, true);
        assertEquals(null, scheduler.pickNext(null));
        assertEquals(1, scheduler.blocked().size());
    }
}
