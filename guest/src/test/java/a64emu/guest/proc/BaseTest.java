package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import a64emu.guest.mm.Mman;
import a64emu.guest.mm.Vma;
import a64emu.mmu.AccessType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** oom_score_adj's parser and checks, oom_score's scale, comm writes (fs/proc/base.c). */
class BaseTest {
    private final TestMachine m = new TestMachine(39, 64L << 20);
    private final TestProcess p = new TestProcess(4242, m.mm);

    private long write(String s, boolean privileged) {
        return Base.oomScoreAdjWrite(p, s.getBytes(StandardCharsets.ISO_8859_1), privileged);
    }

    @Test
    void writeOfANumberInRangeSetsItAndReturnsTheCount() {
        assertEquals(4, write("500\n", false));
        assertEquals(500, p.oomScoreAdj());
        assertEquals(4, write("1000", false));
        assertEquals(1000, p.oomScoreAdj());
    }

    @Test
    void valuesOutsideMinus1000To1000AreEinval() {
        p.oomScoreAdj = 7;
        assertEquals(-Errno.EINVAL, write("1001", true));
        assertEquals(-Errno.EINVAL, write("-1001", true));
        assertEquals(7, p.oomScoreAdj());
    }

    @Test
    void textThatIsNoNumberIsEinvalAndIntOverflowIsErange() {
        assertEquals(-Errno.EINVAL, write("abc", true));
        assertEquals(-Errno.EINVAL, write("", true));
        assertEquals(-Errno.EINVAL, write("12x", true));
        assertEquals(-Errno.EINVAL, write("1 2", true));
        assertEquals(-Errno.EINVAL, write("-+5", true));
        assertEquals(-Errno.ERANGE, write("99999999999", true));
    }

    @Test
    void trailingNewlinesAndBlanksAreStrippedBeforeParsing() {
        assertEquals(4, write("1\n\n\n", false));
        assertEquals(1, p.oomScoreAdj());
    }

    @Test
    void kstrtointAcceptsHexOctalSignAndSurroundingBlanks() {
        assertEquals(4, write("0x10", false));
        assertEquals(16, p.oomScoreAdj());
        assertEquals(3, write("010", false));
        assertEquals(8, p.oomScoreAdj());
        assertEquals(6, write("  +42 ", false));
        assertEquals(42, p.oomScoreAdj());
        assertEquals(-Errno.EINVAL, write("08", false));
    }

    @Test
    void onlyTheFirstTwelveBytesOfAWriteAreRead() {
        // PROC_NUMBUF - 1 = 12 bytes: "000000000100" is read, the rest is not looked at.
        assertEquals(12, write("000000000100junk", false));
        assertEquals(64, p.oomScoreAdj()); // octal 100
    }

    @Test
    void loweringBelowZeroNeedsCapSysResource() {
        assertEquals(-Errno.EACCES, write("-100", false));
        assertEquals(0, p.oomScoreAdj());
        assertEquals(5, write("-1000", true));
        assertEquals(-1000, p.oomScoreAdj());
    }

    @Test
    void oomScoreScalesRssIntoTwoThirdsOfAThousandAndZeroForExempt() {
        long va = 0x10000000L;
        m.mm.insert(Vma.anonymous(va, va + 0x100000, Mman.PROT_READ | Mman.PROT_WRITE, 0, null));
        for (long a = va; a < va + 0x100000; a += 0x1000) {
            m.faults.pageFault(a, AccessType.WRITE);
        }
        long total = m.frames.totalFrames();
        long tables = m.pt.tableFrames() - 1;
        long badness = 256 + tables;
        assertEquals((1000 + badness * 1000 / total) * 2 / 3, Base.oomScore(p, total));
        p.oomScoreAdj = 500;
        assertEquals((1000 + (badness + 500 * (total / 1000)) * 1000 / total) * 2 / 3, Base.oomScore(p, total));
        p.oomScoreAdj = -1000;
        assertEquals(0, Base.oomScore(p, total));
    }

    @Test
    void commWriteKeepsFifteenBytes() {
        Base.commWrite(p, "a-very-long-command-name".getBytes(StandardCharsets.UTF_8));
        assertEquals("a-very-long-com", p.comm());
    }
}
