package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.SystemIds;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.guest.loader.AuxVector;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.loader.LoadedImage;
import a64emu.guest.sched.Scheduler;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /proc/cpuinfo in arm64's format, its Features the very bits of AT_HWCAP and AT_HWCAP2. */
class CpuInfoTest {
    private static String show(SystemIds ids) {
        return new String(CpuInfo.show(ids, AuxVector.HWCAP, AuxVector.HWCAP2), StandardCharsets.UTF_8);
    }

    /** The auxiliary vector entry {@code type} that exec writes on a new program's stack. */
    private static long auxvEntry(long type) throws BadUserAddressException {
        TestMachine m = new TestMachine(48);
        InitialStack.Layout l = InitialStack.build(m.mm, m.user, new LoadedImage(0x400100, 0x400040, 6, 0, 0x500000,
                false), List.of("prog"), List.of(), "prog", new byte[16], new InitialStack.Credentials(0, 0, 0, 0));
        for (long at = l.auxvAddr(); ; at += 16) {
            long t = m.user.read64(at);
            if (t == type) return m.user.read64(at + 8);
            if (t == AuxVector.AT_NULL) throw new AssertionError("no auxv entry " + type);
        }
    }

    @Test
    void featuresNameExactlyTheBitsExecGivesInAtHwcapAndAtHwcap2() throws BadUserAddressException {
        String features = show(SystemIds.DEFAULT).lines().filter(l -> l.startsWith("Features\t:")).findFirst()
                .orElseThrow().substring("Features\t:".length());
        assertTrue(features.startsWith(" "), features);
        long hwcap = 0;
        long hwcap2 = 0;
        for (String name : features.substring(1).split(" ")) {
            int bit = Arrays.asList(CpuInfo.HWCAP_NAMES).indexOf(name);
            if (bit >= 0) {
                hwcap |= 1L << bit;
            } else {
                bit = Arrays.asList(CpuInfo.HWCAP2_NAMES).indexOf(name);
                assertTrue(bit >= 0, "no hwcap is called " + name);
                hwcap2 |= 1L << bit;
            }
        }
        assertEquals(auxvEntry(AuxVector.AT_HWCAP), hwcap);
        assertEquals(auxvEntry(AuxVector.AT_HWCAP2), hwcap2);
        assertTrue(hwcap != 0 && hwcap2 != 0);
    }

    @Test
    void featuresAreInHwcapStrOrderAtHwcapBeforeAtHwcap2() {
        // fp, asimd, aes, cpuid (AT_HWCAP bits 0, 1, 3, 11) then dcpodp, frint (AT_HWCAP2 bits 0, 8).
        assertEquals(" fp asimd aes cpuid dcpodp frint",
                CpuInfo.features((1L << 11) | (1L << 3) | 0b11, (1L << 8) | 1));
    }

    @Test
    void aCortexA53BlockShowsItsMidrFieldsAndEndsInABlankLine() {
        String[] lines = show(new SystemIds(0x410F_D034L, 0, 0, 62_500_000L)).split("\n", -1);
        assertEquals("processor\t: 0", lines[0]);
        assertEquals("BogoMIPS\t: 125.00", lines[1]);
        assertTrue(lines[2].startsWith("Features\t: fp asimd "), lines[2]);
        assertEquals("CPU implementer\t: 0x41", lines[3]);
        assertEquals("CPU architecture: 8", lines[4]);
        assertEquals("CPU variant\t: 0x0", lines[5]);
        assertEquals("CPU part\t: 0xd03", lines[6]);
        assertEquals("CPU revision\t: 4", lines[7]);
        assertEquals("", lines[8]);
        assertEquals(Scheduler.NR_CPUS * 9 + 1, lines.length, "eight lines and a blank one per CPU, then the end");
    }

    @Test
    void variantAndPartComeFromTheirMidrFields() {
        // Neoverse-N1 r3p1: implementer 0x41, variant 3, part 0xd0c, revision 1.
        String s = show(new SystemIds(0x413F_D0C1L, 0, 0, 25_000_000L));
        assertTrue(s.contains("\nCPU variant\t: 0x3\nCPU part\t: 0xd0c\nCPU revision\t: 1\n\n"), s);
    }

    @Test
    void bogoMipsIsTheTimersLoopsPerJiffyAtHzScaledAsLinuxDoes() {
        assertTrue(show(new SystemIds(0x410F_D034L, 0, 0, 24_000_000L)).contains("BogoMIPS\t: 48.00\n"));
        assertTrue(show(new SystemIds(0x410F_D034L, 0, 0, 19_200_000L)).contains("BogoMIPS\t: 38.40\n"));
        // 1 GHz: loops_per_jiffy 4000000.
        assertTrue(show(new SystemIds(0x410F_D034L, 0, 0, 1_000_000_000L)).contains("BogoMIPS\t: 2000.00\n"));
    }

    @Test
    void aHwcapBitWithoutALinuxNameIsAnEmulatorBug() {
        assertThrows(IllegalStateException.class, () -> CpuInfo.features(1L << 40, 0));
        assertThrows(IllegalStateException.class, () -> CpuInfo.features(0, 1L << 34));
    }
}
