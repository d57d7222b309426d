package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.cpu.SystemIds;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import org.junit.jupiter.api.Test;

class SystemRegisterAccessTest {
    private static final long CODE = CpuHarness.CODE;
    private final CpuHarness h = new CpuHarness();

    @Test
    void tpidrEl0RoundTrips() {
        h.x(1, 0xDEAD_BEEF_0BAD_F00DL).run(0xd51bd041); // msr tpidr_el0, x1
        assertEquals(0xDEAD_BEEF_0BAD_F00DL, h.cpu.tpidrEl0);
        h.run(0xd53bd040); // mrs x0, tpidr_el0
        assertEquals(0xDEAD_BEEF_0BAD_F00DL, h.x(0));
        assertEquals(CODE + 4, h.pc());
    }

    @Test
    void tpidrroEl0IsReadOnlyAtEl0() {
        h.cpu.tpidrroEl0 = 0x42;
        h.run(0xd53bd060); // mrs x0, tpidrro_el0
        assertEquals(0x42, h.x(0));
        h.assertUndefined(0xd51bd061); // msr tpidrro_el0, x1
    }

    @Test
    void nzcvReadsAndWritesTheFlags() {
        h.nzcv(0b1010).run(0xd53b4200); // mrs x0, nzcv
        assertEquals(0xA000_0000L, h.x(0));
        h.x(1, 0xFFFF_FFFF_5FFF_FFFFL).run(0xd51b4201); // msr nzcv, x1
        assertEquals(0b0101, h.nzcv());
        assertEquals(0x5000_0000, h.cpu.nzcv); // only bits 31:28 exist
    }

    @Test
    void fpcrAndFpsrKeepOnlyTheirDefinedBits() {
        h.x(1, -1L).run(0xd51b4401); // msr fpcr, x1
        h.run(0xd53b4400); // mrs x0, fpcr
        assertEquals(0x07C8_0000L, h.x(0)); // AHP, DN, FZ, RMode, FZ16 (FEAT_FP16)
        h.x(1, 0x0800_0001L).run(0xd51b4421); // msr fpsr, x1 (QC, IOC)
        h.run(0xd53b4420); // mrs x0, fpsr
        assertEquals(0x0800_0001L, h.x(0));
    }

    @Test
    void identificationRegisters() {
        SystemIds ids = h.cpu.ids();
        h.run(0xd53b0020); // mrs x0, ctr_el0
        assertEquals(ids.ctr(), h.x(0));
        h.run(0xd53b00e0); // mrs x0, dczid_el0
        assertEquals(ids.dczid(), h.x(0));
        h.run(0xd53be000); // mrs x0, cntfrq_el0
        assertEquals(ids.cntfrq(), h.x(0));
        h.run(0xd5380000); // mrs x0, midr_el1
        assertEquals(ids.midr(), h.x(0));
        h.run(0xd53800a0); // mrs x0, mpidr_el1
        assertEquals(0x8000_0000L, h.x(0));
        h.run(0xd53800c0); // mrs x0, revidr_el1
        assertEquals(0, h.x(0));
    }

    @Test
    void idAa64RegistersAdvertiseWhatIsImplemented() {
        h.run(0xd5380400); // mrs x0, id_aa64pfr0_el1
        assertEquals(0x11_0011, h.x(0)); // EL0, EL1 AArch64; FP and AdvSIMD 1 = with half precision
        h.run(0xd5380600); // mrs x0, id_aa64isar0_el1
        assertEquals(1, (h.x(0) >>> 16) & 0xF, "CRC32");
        assertEquals(2, (h.x(0) >>> 20) & 0xF, "LSE atomics");
        assertEquals(a64emu.cpu.CpuFeatures.idAa64Isar0(), h.x(0), "ISAR0 from the one feature list");
        h.run(0xd5380620); // mrs x0, id_aa64isar1_el1
        assertEquals(2, (h.x(0) >>> 20) & 0xF, "LRCPC2");
        assertEquals(0, (h.x(0) >>> 4) & 0xFF, "no PAuth");
        h.x(0, 123).run(0xd5380700); // mrs x0, id_aa64mmfr0_el1: untracked, reads as zero
        assertEquals(0, h.x(0));
    }

    @Test
    void registersEl0CannotAccessAreUndefined() {
        h.assertUndefined(0xd5380100); // mrs x0, id_pfr0_el1 (CRm=1: not emulated by Linux)
        h.assertUndefined(0xd53b4220); // mrs x0, daif (SCTLR_EL1.UMA=0)
        h.assertUndefined(0xd51b4220); // msr daif, x0
        h.assertUndefined(0xd50342df); // msr daifset, #2
        h.assertUndefined(0xd5381000); // mrs x0, sctlr_el1
        h.assertUndefined(0xd53be020); // mrs x0, cntpct_el0
        h.assertUndefined(0xd5087621); // dc ivac, x1
        h.assertUndefined(0xd508751f); // ic iallu
        h.assertUndefined(0xd508871f); // tlbi vmalle1
        h.assertUndefined(0xd5280000); // sysl x0, #0, c0, c0, #0
    }

    @Test
    void virtualCounterIsMonotonic() {
        h.run(0xd53be040); // mrs x0, cntvct_el0
        long first = h.x(0);
        h.run(0xd53be0c0); // mrs x0, cntvctss_el0
        long second = h.x(0);
        assertTrue(first >= 0 && second >= first, first + " then " + second);
    }

    @Test
    void dcZvaZeroesTheAlignedBlock() {
        long block = CpuHarness.DATA + 0x40;
        for (int i = -8; i < 72; i += 8) {
            h.mem64(block + i, 0x1111_1111_1111_1111L);
        }
        h.x(1, block + 0x13).run(0xd50b7421); // dc zva, x1
        assertEquals(0x1111_1111_1111_1111L, h.mem64(block - 8));
        for (int i = 0; i < 64; i += 8) {
            assertEquals(0, h.mem64(block + i), "offset " + i);
        }
        assertEquals(0x1111_1111_1111_1111L, h.mem64(block + 64));
    }

    @Test
    void dcZvaFaultsAsAWrite() {
        h.x(1, CpuHarness.RAM_SIZE + 0x1000);
        ExceptionInfo e = h.runExpectingException(0xd50b7421); // dc zva, x1
        assertTrue(e.isAbort(), e.toString());
        assertEquals(AccessType.WRITE, e.fault().access());
        assertEquals(0, e.iss() & Esr.ISS_DA_CM);
    }

    @Test
    void cacheMaintenanceIsANopThatChecksTheAddress() {
        int[] ops = {0xd50b7e21, 0xd50b7b21, 0xd50b7521, 0xd50b7a21, 0xd50b7c21, 0xd50b7d21}; // dc civac/cvau, ic ivau, dc cvac/cvap/cvadp
        for (int op : ops) {
            h.mem64(CpuHarness.DATA, 77);
            h.x(1, CpuHarness.DATA).run(op);
            assertEquals(CODE + 4, h.pc());
            assertEquals(77, h.mem64(CpuHarness.DATA));
            h.x(1, CpuHarness.RAM_SIZE + PhysicalMemory.FRAME_SIZE);
            ExceptionInfo e = h.runExpectingException(op);
            assertTrue(e.isAbort(), e.toString());
            assertEquals(Esr.ISS_DA_CM | Esr.ISS_DA_WNR, e.iss() & (Esr.ISS_DA_CM | Esr.ISS_DA_WNR));
            assertEquals(CpuHarness.RAM_SIZE + PhysicalMemory.FRAME_SIZE, e.far());
        }
    }
}
