package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.TestMachine;
import a64emu.guest.mm.FileBacking;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** /proc/pid/status in Linux 6.1's layout, its memory lines from the real page tables. */
class ArrayTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private final TestMachine m = new TestMachine(39);
    private final TestProcess p = new TestProcess(4242, m.mm);

    private String status() {
        return new String(Array.status(p), StandardCharsets.UTF_8);
    }

    @Test
    void identityLinesComeFirstInLinuxOrderWithTabs() {
        p.ppid = 4000;
        String s = status();
        assertTrue(s.startsWith("Name:\tprog\nUmask:\t0022\nState:\tR (running)\nTgid:\t4242\nNgid:\t0\nPid:\t4242\n"
                + "PPid:\t4000\nTracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\n"
                + "FDSize:\t64\nGroups:\t \nNStgid:\t4242\nNSpid:\t4242\nKthread:\t0\nVmPeak:\t"), s);
    }

    @Test
    void memoryLinesAreRightAlignedKilobytesFromThePageWalk() {
        long text = 0x400000;
        m.mm.insert(Vma.file(text, text + 0x2000, Mman.PROT_READ | Mman.PROT_EXEC, 0,
                new FileBacking(TestMachine.bytes(new byte[0x2000]), 0, Long.MAX_VALUE, "/bin/prog")));
        m.mm.setCode(text, text + 0x1800);
        long data = 0x500000;
        m.mm.insert(Vma.anonymous(data, data + 0x5000, RW, 0, null));
        long stack = 0x7f0000000L;
        m.mm.insert(Vma.anonymous(stack, stack + 0x3000, RW, Vma.VM_GROWSDOWN, null));
        assertTrue(m.faults.pageFault(text, AccessType.EXECUTE).resolved());
        assertTrue(m.faults.pageFault(data, AccessType.WRITE).resolved());
        assertTrue(m.faults.pageFault(data + 0x1000, AccessType.WRITE).resolved());
        assertTrue(m.faults.pageFault(stack + 0x2000, AccessType.WRITE).resolved());
        long tableKb = (m.pt.tableFrames() - 1) * 4L;
        String expected = "VmPeak:\t      40 kB\n"
                + "VmSize:\t      40 kB\n"
                + "VmLck:\t       0 kB\n"
                + "VmPin:\t       0 kB\n"
                + "VmHWM:\t      16 kB\n"
                + "VmRSS:\t      16 kB\n"
                + "RssAnon:\t      12 kB\n"
                + "RssFile:\t       4 kB\n"
                + "RssShmem:\t       0 kB\n"
                + "VmData:\t      20 kB\n"
                + "VmStk:\t      12 kB\n"
                + "VmExe:\t       8 kB\n"
                + "VmLib:\t       0 kB\n"
                + String.format("VmPTE:\t%8d kB\n", tableKb)
                + "VmSwap:\t       0 kB\n"
                + "HugetlbPages:\t       0 kB\n"
                + "CoreDumping:\t0\n"
                + "THP_enabled:\t0\n"
                + "Threads:\t1\n";
        String s = status();
        assertTrue(s.contains(expected), s);
        assertTrue(tableKb > 0, "a level 2 and a level 3 table at least");
    }

    @Test
    void signalLinesRenderSixtyFourBitMasksInHex() {
        p.blocked = 1L << (10 - 1);
        p.ignored = 1L << (13 - 1);
        p.caught = (1L << (2 - 1)) | (1L << (11 - 1));
        String s = status();
        assertTrue(s.contains("SigQ:\t0/127431\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
                + "SigBlk:\t0000000000000200\nSigIgn:\t0000000000001000\nSigCgt:\t0000000000000402\n"), s);
    }

    @Test
    void capabilitiesAreTheFullSetForRootOnly() {
        assertTrue(status().contains("CapEff:\t0000000000000000\nCapBnd:\t000001ffffffffff\n"));
        p.uid = 0;
        assertTrue(status().contains("CapEff:\t000001ffffffffff\n"));
    }

    @Test
    void zombieHasNoMemoryLines() {
        p.mm = null;
        p.state = 'Z';
        String s = status();
        assertTrue(s.contains("State:\tZ (zombie)\n"), s);
        assertTrue(!s.contains("VmRSS"), s);
        assertTrue(s.contains("NSpid:\t4242\nKthread:\t0\nThreads:\t1\n"), s);
    }

    @Test
    void nameEscapesNewlineAndBackslash() {
        p.comm = "a\\b\nc";
        assertTrue(status().startsWith("Name:\ta\\\\b\\nc\n"));
    }
}
