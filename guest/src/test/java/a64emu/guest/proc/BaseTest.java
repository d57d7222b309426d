package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.Errno;
import a64emu.guest.TestMachine;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** oom_score_adj's parser and checks, comm writes (fs/proc/base.c). */
class BaseTest {
    private final TestMachine m = new TestMachine(39, 64L << 20);
    private final TestProcess p = new TestProcess(4242, m.mm);
    /** Who writes: root (with CAP_SYS_RESOURCE) or not, as each test says. */
    private final TestProcess writer = new TestProcess(4300, null);

    private long write(String s, boolean privileged) {
        writer.uid = privileged ? 0 : 1000;
        ProcFs proc = new ProcFs(TestProcess.table(writer, p), new TestProcess.Kernel(), m.frames);
        return Base.oomScoreAdjWrite(proc, p, s.getBytes(StandardCharsets.ISO_8859_1));
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
    void commWriteKeepsFifteenBytes() {
        Base.commWrite(p, "a-very-long-command-name".getBytes(StandardCharsets.UTF_8));
        assertEquals("a-very-long-com", p.comm());
    }
}
