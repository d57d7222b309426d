package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.loader.LoadedImage;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /proc/pid/stat and /proc/pid/task/tid/stat: do_task_stat's 52 fields, as Linux 6.1 prints them. */
class StatTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final LoadedImage IMAGE = new LoadedImage(0x400100, 0x400040, 6, 0, 0x500000, false);
    private final TestMachine m = new TestMachine(39);
    private final TestProcess p = new TestProcess(4242, m.mm);

    /** The fields after "pid (comm)", numbered from 3 as proc(5) numbers them: index 0 is field 3. */
    private static String[] fieldsAfterComm(byte[] stat) {
        String s = new String(stat, StandardCharsets.UTF_8);
        assertTrue(s.endsWith("\n"), s);
        // proc(5): comm may hold spaces and parentheses; it ends at the last ')'.
        return s.substring(s.lastIndexOf(')') + 2, s.length() - 1).split(" ", -1);
    }

    private static long field(String[] rest, int number) {
        return Long.parseUnsignedLong(rest[number - 3]);
    }

    private byte[] stat(boolean permitted) {
        return Array.stat(p, p.pid, true, permitted);
    }

    @Test
    void statHasFiftyTwoFieldsAndCommInParenthesesMayHoldSpacesAndParentheses() {
        p.comm = "a b) (c";
        byte[] stat = stat(true);
        String s = new String(stat, StandardCharsets.UTF_8);
        assertTrue(s.startsWith("4242 (a b) (c) R "), s);
        assertEquals(50, fieldsAfterComm(stat).length, s);
    }

    @Test
    void identityFieldsAreThoseOfTheProcessWithoutAControllingTerminal() {
        p.ppid = 4000;
        p.taskFlags = Array.PF_RANDOMIZE | Array.PF_FORKNOEXEC;
        p.state = 'S';
        String s = new String(stat(true), StandardCharsets.UTF_8);
        // pid, comm, state, ppid, pgrp, session, tty_nr 0, tpgid -1, flags (PF_RANDOMIZE | PF_FORKNOEXEC).
        assertTrue(s.startsWith("4242 (prog) S 4000 4242 4242 0 -1 4194368 "), s);
        String[] f = fieldsAfterComm(stat(true));
        assertEquals("20", f[18 - 3], "priority: a SCHED_NORMAL task at nice 0");
        assertEquals("0", f[19 - 3], "nice");
        assertEquals("1", f[20 - 3], "num_threads");
        assertEquals("18446744073709551615", f[25 - 3], "rsslim: RLIM_INFINITY");
        assertEquals("1", f[35 - 3], "wchan: a sleeping task has one");
        assertEquals("17", f[38 - 3], "exit_signal SIGCHLD");
    }

    @Test
    void tgidStatSumsTheGroupsFaultsAndTimesAndTaskStatShowsTheThreadsOwn() {
        p.tids.add(4250);
        p.usage(4242).minorFaults = 10;
        p.usage(4242).majorFaults = 2;
        p.usage(4242).userNanos = 1_234_000_000L;
        p.usage(4250).minorFaults = 5;
        p.usage(4250).systemNanos = 70_000_000L;
        p.exitedUsage.minorFaults = 1;
        String[] group = fieldsAfterComm(Array.stat(p, 4242, true, true));
        assertEquals(16, field(group, 10), "minflt: both threads and one gone");
        assertEquals(2, field(group, 12), "majflt");
        assertEquals(123, field(group, 14), "utime in 1/100 s, truncated");
        assertEquals(7, field(group, 15), "stime");
        assertEquals(2, field(group, 20), "num_threads");
        assertEquals(0, field(group, 35), "wchan is not shown for a group of several threads");

        String[] thread = fieldsAfterComm(Array.stat(p, 4250, false, true));
        assertTrue(new String(Array.stat(p, 4250, false, true), StandardCharsets.UTF_8).startsWith("4250 (prog) "));
        assertEquals(5, field(thread, 10));
        assertEquals(0, field(thread, 12));
        assertEquals(0, field(thread, 14));
        assertEquals(7, field(thread, 15));
        assertEquals("-1", thread[38 - 3], "a thread other than the leader has exit_signal -1");
    }

    @Test
    void childrenFieldsAreWhatReapedChildrenUsed() {
        p.childrenUsage.minorFaults = 300;
        p.childrenUsage.majorFaults = 4;
        p.childrenUsage.userNanos = 2_500_000_000L;
        p.childrenUsage.systemNanos = 990_000_000L;
        String[] f = fieldsAfterComm(stat(true));
        assertEquals(300, field(f, 11));
        assertEquals(4, field(f, 13));
        assertEquals(250, field(f, 16));
        assertEquals(99, field(f, 17));
    }

    @Test
    void starttimeIsTheForkTimeSinceBootInClockTicks() {
        p.startBoottimeNanos = 3_456_789_000L;
        assertEquals(345, field(fieldsAfterComm(stat(true)), 22));
    }

    @Test
    void memoryFieldsAreVsizeInBytesRssInPagesAndTheLayoutsAddresses() throws BadUserAddressException {
        long text = 0x400000;
        m.mm.insert(Vma.anonymous(text, text + 0x3000, Mman.PROT_READ | Mman.PROT_EXEC, 0, null));
        m.mm.setCode(text, text + 0x2800);
        m.mm.setData(0x413000, 0x413400);
        m.mm.setStartBrk(0x414000);
        InitialStack.Layout l = InitialStack.build(m.mm, m.user, IMAGE, List.of("prog", "-v"), List.of("A=1"),
                "prog", new byte[16], new InitialStack.Credentials(1000, 1000, 1000, 1000));
        long heap = 0x10000000L;
        m.mm.insert(Vma.anonymous(heap, heap + 0x4000, RW, 0, null));
        assertTrue(m.faults.pageFault(heap, AccessType.WRITE).resolved());
        TaskMmu.MmCounters c = TaskMmu.counters(p);

        String[] f = fieldsAfterComm(stat(true));
        assertEquals(c.totalVm() * 4096, field(f, 23), "vsize in bytes");
        assertEquals(c.rss(), field(f, 24), "rss in pages");
        assertTrue(c.rss() >= 2, "the stack pages exec wrote and the heap page");
        assertEquals(text, field(f, 26));
        assertEquals(text + 0x2800, field(f, 27));
        assertEquals(l.sp(), field(f, 28), "start_stack");
        assertEquals(0, field(f, 29), "kstkesp");
        assertEquals(0, field(f, 30), "kstkeip");
        assertEquals(0x413000, field(f, 45));
        assertEquals(0x413400, field(f, 46));
        assertEquals(0x414000, field(f, 47));
        long argStart = m.user.read64(l.argvAddr());
        assertEquals(argStart, field(f, 48));
        assertEquals(argStart + "prog\0-v\0".length(), field(f, 49), "arg_end");
        assertEquals(argStart + "prog\0-v\0".length(), field(f, 50), "env_start");
        assertEquals(argStart + "prog\0-v\0A=1\0".length(), field(f, 51), "env_end");
        assertEquals(0, field(f, 52), "exit_code of a live process");
    }

    @Test
    void aReaderWithoutPtraceAccessSeesOneForTheCodeAndZeroForTheOtherAddresses() {
        m.mm.setCode(0x400000, 0x402000);
        m.mm.setStartStack(0x7ff000);
        p.state = 'S';
        String[] f = fieldsAfterComm(stat(false));
        assertEquals(1, field(f, 26));
        assertEquals(1, field(f, 27));
        assertEquals(0, field(f, 28));
        assertEquals(0, field(f, 35), "wchan");
        for (int n = 45; n <= 52; n++) {
            assertEquals(0, field(f, n), "field " + n);
        }
    }

    @Test
    void zombieHasNoMemoryFieldsAndShowsItsWaitStatus() {
        p.mm = null;
        p.state = 'Z';
        p.exitCode = 3 << 8;
        p.taskFlags = Array.PF_EXITING;
        byte[] stat = stat(true);
        String s = new String(stat, StandardCharsets.UTF_8);
        assertTrue(s.startsWith("4242 (prog) Z 1 4242 4242 0 -1 4 "), s);
        String[] f = fieldsAfterComm(stat);
        for (int n : new int[] {23, 24, 26, 27, 28, 45, 46, 47, 48, 49, 50, 51}) {
            assertEquals(0, field(f, n), "field " + n);
        }
        assertEquals(768, field(f, 52), "exit_code: exit(3) as wait reports it");
    }

    @Test
    void obsoleteSignalFieldsShowTheFirst31SignalsInDecimal() {
        p.pending = 1L << (10 - 1);
        p.blocked = (1L << (2 - 1)) | (1L << (40 - 1));
        p.ignored = 1L << (13 - 1);
        p.caught = 1L << (17 - 1);
        String[] f = fieldsAfterComm(stat(true));
        assertEquals(512, field(f, 31));
        assertEquals(2, field(f, 32), "signal 40 is beyond the 31 shown");
        assertEquals(4096, field(f, 33));
        assertEquals(65536, field(f, 34));
    }
}
