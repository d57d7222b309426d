package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import a64emu.cpu.Cpu;
import a64emu.guest.Errno;
import a64emu.guest.KernelLog;
import a64emu.guest.OomKiller;
import a64emu.guest.Process;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc/PID/oom_score, oom_adj and oom_score_adj as Linux 6.1 fs/proc/base.c reads and writes them. */
class OomFilesTest {
    @TempDir Path root;

    private final TestMachine m = new TestMachine(39, 16L << 20);
    /** The writer, pid 4242: root (CAP_SYS_RESOURCE) or user 1000 as each test sets. */
    private final TestProcess writer = new TestProcess(4242, null);
    private final TestProcess target = new TestProcess(4300, m.mm);
    private final TestProcess sharer = new TestProcess(4301, m.mm);
    private final TestProcess other = new TestProcess(4302, null);
    private final TestProcess.Kernel kernel = new TestProcess.Kernel();

    private GuestFiles files(long writerUid) {
        writer.uid = writerUid;
        writer.gid = writerUid;
        target.uid = 1000;
        return new GuestFiles(root, new ProcFs(TestProcess.table(writer, target, sharer, other), kernel, m.frames));
    }

    @Test
    void oomScoreIsWhatTheOomKillerMakesOfTheProcess() {
        target.oomScore = 723;
        assertEquals("723\n", files(1000).read("/proc/4300/oom_score"));
    }

    @Test
    void oomAdjReadsOomScoreAdjOnTheLegacyScale() {
        GuestFiles f = files(1000);
        int[][] cases = {{0, 0}, {1000, 15}, {999, 16}, {-1000, -17}, {500, 8}, {-941, -15}, {58, 0}, {59, 1}};
        for (int[] c : cases) {
            target.oomScoreAdj = c[0];
            assertEquals(c[1] + "\n", f.read("/proc/4300/oom_adj"), "oom_score_adj " + c[0]);
        }
    }

    @Test
    void oomAdjWritesScaleToOomScoreAdj() {
        GuestFiles f = files(0);
        String[][] cases = {{"15", "1000"}, {"-17", "-1000"}, {"-16", "-941"}, {"3", "176"}, {"0", "0"}, {"14\n", "823"}};
        for (String[] c : cases) {
            assertEquals(c[0].length(), f.write("/proc/4300/oom_adj", c[0]));
            assertEquals(c[1] + "\n", f.read("/proc/4300/oom_score_adj"), "oom_adj " + c[0]);
        }
    }

    @Test
    void oomAdjOutsideMinus17To15IsEinval() {
        GuestFiles f = files(0);
        assertEquals(-Errno.EINVAL, f.write("/proc/4300/oom_adj", "16"));
        assertEquals(-Errno.EINVAL, f.write("/proc/4300/oom_adj", "-18"));
        assertEquals(-Errno.EINVAL, f.write("/proc/4300/oom_adj", "x"));
        assertEquals(0, target.oomScoreAdj);
    }

    @Test
    void aLegacyWriteMayNotLowerOomScoreAdjAtAllWithoutCapSysResource() {
        target.oomScoreAdj = 100;
        GuestFiles f = files(1000);
        assertEquals(-Errno.EACCES, f.write("/proc/4300/oom_adj", "1"), "58 < 100");
        assertEquals(1, f.write("/proc/4300/oom_adj", "2"));
        assertEquals(117, target.oomScoreAdj);
    }

    @Test
    void theFirstLegacyWriteOfTheBootLogsThatOomAdjIsDeprecated() {
        GuestFiles f = files(0);
        writer.comm = "lmkd";
        f.write("/proc/4300/oom_adj", "1");
        f.write("/proc/4301/oom_adj", "2");
        List<KernelLog.Message> log = kernel.log.messages();
        assertEquals(1, log.size());
        assertEquals("lmkd (4242): /proc/4300/oom_adj is deprecated, please use /proc/4300/oom_score_adj instead.",
                log.get(0).text());
        assertEquals(KernelLog.WARNING, log.get(0).level());
    }

    @Test
    void oomScoreAdjBelowOomScoreAdjMinIsEaccesWithoutCapSysResource() {
        target.oomScoreAdjMin = -500;
        GuestFiles f = files(1000);
        assertEquals(4, f.write("/proc/4300/oom_score_adj", "-400"));
        assertEquals(-400, target.oomScoreAdj);
        assertEquals(-Errno.EACCES, f.write("/proc/4300/oom_score_adj", "-600"));
        assertEquals(-400, target.oomScoreAdj);
    }

    @Test
    void aPrivilegedOomScoreAdjWriteSetsTheMinimumTooButAPrivilegedOomAdjWriteDoesNot() {
        GuestFiles root = files(0);
        assertEquals(4, root.write("/proc/4300/oom_score_adj", "-800"));
        assertEquals(-800, target.oomScoreAdjMin);
        assertEquals(2, root.write("/proc/4300/oom_adj", "15"));
        assertEquals(1000, target.oomScoreAdj);
        assertEquals(-800, target.oomScoreAdjMin);
        GuestFiles user = files(1000);
        assertEquals(4, user.write("/proc/4300/oom_score_adj", "-800"));
        assertEquals(-Errno.EACCES, user.write("/proc/4300/oom_score_adj", "-801"));
    }

    @Test
    void processesSharingTheTargetsMemoryGetTheSameValues() {
        GuestFiles f = files(0);
        assertEquals(3, f.write("/proc/4300/oom_score_adj", "300"));
        assertEquals(300, sharer.oomScoreAdj);
        assertEquals(300, sharer.oomScoreAdjMin);
        assertEquals(0, other.oomScoreAdj, "its own memory");
        assertEquals(0, writer.oomScoreAdj);
    }

    @Test
    void aVforkChildHasItsOwnValueAndIsNotChangedThroughItsParent() {
        GuestFiles f = files(0);
        sharer.inVfork = true;
        f.write("/proc/4300/oom_score_adj", "300");
        assertEquals(0, sharer.oomScoreAdj);
        f.write("/proc/4301/oom_score_adj", "-5");
        assertEquals(-5, sharer.oomScoreAdj);
        assertEquals(300, target.oomScoreAdj);
    }

    @Test
    void theKernelsProcessesAdapterAsksTheOomKiller() {
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/prog");
        Process p = new Process(4242, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu), m.mm,
                m.frames, m.faults, m.user, files, 1);
        long va = 0x10000000L;
        m.mm.insert(Vma.anonymous(va, va + 0x40000, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        for (long a = va; a < va + 0x40000; a += 0x1000) m.faults.pageFault(a, AccessType.WRITE);
        ProcessAdapter view = new ProcessAdapter(p, new ShmemInodes());
        assertEquals(OomKiller.oomScore(p, m.frames), view.oomScore());
        assertFalse(view.inVfork());
        view.setOomScoreAdjMin(-200);
        assertEquals(-200, p.oomScoreAdjMin());
        p.setOomScoreAdj(-1000);
        assertEquals(0, view.oomScore(), "never chosen");
    }
}
