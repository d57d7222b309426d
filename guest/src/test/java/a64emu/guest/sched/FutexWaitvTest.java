package a64emu.guest.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** futex_waitv's sleep on several words at once, woken through the ordinary futex queues. */
class FutexWaitvTest {
    private final TestMachine m = new TestMachine(48);
    private final Scheduler scheduler = new Scheduler();
    private final Futex futex = new Futex(scheduler);
    private final Process process;
    private final Task main;
    private final long word;

    FutexWaitvTest() {
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

    private long waitv(Task t, long... offsets) throws BadUserAddressException {
        long[] uaddrs = new long[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            uaddrs[i] = word + offsets[i];
        }
        return futex.waitMultiple(t, uaddrs, new int[offsets.length], new boolean[offsets.length], -1);
    }

    private static long wokenIndex(Task t) {
        return t.cpu.x[0];
    }

    @Test
    void theSleepIsARetriedCallThatASignalCanRestart() throws BadUserAddressException {
        Task a = thread(101);
        waitv(a, 0);
        assertTrue(a.waitingFor().retry, "-ERESTARTSYS: an SA_RESTART handler runs the call again");
        a.cpu.pc = 0x1000; // past the SVC; ExceptionEntry moves it back to the SVC for a retried call
        futex.wake(main, word, 1, -1, true);
        assertEquals(0, a.cpu.x[0], "the index of the word woken");
        assertEquals(0x1004, a.cpu.pc, "the call completes instead of running again");
    }

    @Test
    void aWakeOfAnyWordEndsTheWaitWithThatWordsIndex() throws BadUserAddressException {
        Task a = thread(101);
        assertEquals(0, waitv(a, 0, 8, 16));
        assertEquals(Task.State.BLOCKED, a.state());
        assertEquals(1, futex.wake(main, word + 8, 1, -1, true));
        assertEquals(Task.State.RUNNABLE, a.state());
        assertEquals(1, wokenIndex(a), "the call returns the index");
        assertEquals(0, futex.wake(main, word, 1, -1, true), "it left the other words' queues too");
        assertEquals(0, futex.wake(main, word + 16, 1, -1, true));
    }

    @Test
    void aWordThatChangedIsEagainAndAMisalignedOneEinvalBeforeAnyValueIsRead() throws BadUserAddressException {
        m.user.write32(word + 4, 9);
        assertEquals(-Errno.EAGAIN, waitv(main, 0, 4));
        assertEquals(-Errno.EINVAL, waitv(main, 4, 2), "keys first: the misaligned word wins over the changed one");
        assertEquals(Task.State.RUNNABLE, main.state());
    }

    @Test
    void aPastTimeoutIsEtimedoutOnlyWhenTheValuesMatch() throws BadUserAddressException {
        assertEquals(-Errno.ETIMEDOUT, futex.waitMultiple(main, new long[] {word}, new int[] {0}, new boolean[] {true}, 0));
        assertEquals(-Errno.EAGAIN, futex.waitMultiple(main, new long[] {word}, new int[] {1}, new boolean[] {true}, 0));
    }

    @Test
    void aRequeuedSleeperStillReportsItsOwnIndex() throws BadUserAddressException {
        Task a = thread(101);
        waitv(a, 0, 8);
        assertEquals(0, futex.requeue(main, word + 8, word + 32, 0, 1, null, true));
        assertEquals(1, futex.wake(main, word + 32, 1, -1, true));
        assertEquals(1, wokenIndex(a));
    }

    @Test
    void forgettingASleeperTakesItOffEveryWord() throws BadUserAddressException {
        Task a = thread(101);
        waitv(a, 0, 8);
        futex.forget(a);
        a.timeOut();
        assertEquals(0, futex.wake(main, word, 1, -1, true));
        assertEquals(0, futex.wake(main, word + 8, 1, -1, true));
    }
}
