package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.mmu.AccessType;
import a64emu.mmu.Fault;
import org.junit.jupiter.api.Test;

class LoadStoreIntegerTest {
    private static final long CODE = CpuHarness.CODE;
    private static final long DATA = CpuHarness.DATA;
    private static final long UNMAPPED = CpuHarness.RAM_SIZE;
    private final CpuHarness h = new CpuHarness();

    LoadStoreIntegerTest() {
        h.mem64(DATA, 0x8877_6655_4433_2211L);
        h.mem64(DATA + 8, 0xF0E0_D0C0_B0A0_9080L);
    }

    // ---- single register ------------------------------------------------------------------------

    @Test
    void unsignedOffsetLoadsZeroExtendEverySize() {
        h.x(1, DATA);
        h.run(0xf9400420); // ldr x0, [x1, #8]
        assertEquals(0xF0E0_D0C0_B0A0_9080L, h.x(0));
        h.run(0xb9400420); // ldr w0, [x1, #4]
        assertEquals(0x8877_6655L, h.x(0));
        h.run(0x39400420); // ldrb w0, [x1, #1]
        assertEquals(0x22, h.x(0));
        h.run(0x79400420); // ldrh w0, [x1, #2]
        assertEquals(0x4433, h.x(0));
        assertEquals(DATA, h.x(1));
    }

    @Test
    void signExtendingLoadsTo64And32Bits() {
        h.x(1, DATA + 8);
        h.run(0x39800020); // ldrsb x0, [x1]
        assertEquals(0xFFFF_FFFF_FFFF_FF80L, h.x(0));
        h.run(0x39c00020); // ldrsb w0, [x1]
        assertEquals(0xFFFF_FF80L, h.x(0));
        h.run(0x79800020); // ldrsh x0, [x1]
        assertEquals(0xFFFF_FFFF_FFFF_9080L, h.x(0));
        h.run(0x79c00020); // ldrsh w0, [x1]
        assertEquals(0xFFFF_9080L, h.x(0));
        h.run(0xb9800020); // ldrsw x0, [x1]
        assertEquals(0xFFFF_FFFF_B0A0_9080L, h.x(0));
        h.x(1, DATA);
        h.run(0x39800020); // ldrsb x0, [x1] of 0x11: positive
        assertEquals(0x11, h.x(0));
    }

    @Test
    void unsignedOffsetStoresEverySize() {
        h.x(1, DATA).x(0, 0x1122_3344_5566_7788L);
        h.run(0xf9000820); // str x0, [x1, #16]
        assertEquals(0x1122_3344_5566_7788L, h.mem64(DATA + 16));
        h.run(0x39000c20); // strb w0, [x1, #3]
        assertEquals(0x88, h.mem8(DATA + 3));
        assertEquals(0x55, h.mem8(DATA + 4));
        h.run(0x79000c20); // strh w0, [x1, #6]
        assertEquals(0x7788, h.mem16(DATA + 6));
        h.run(0xb9000c20); // str w0, [x1, #12]
        assertEquals(0x5566_7788, h.mem32(DATA + 12));
    }

    @Test
    void preAndPostIndexWriteBackTheBase() {
        h.x(1, DATA);
        h.run(0xf8408c20); // ldr x0, [x1, #8]!
        assertEquals(0xF0E0_D0C0_B0A0_9080L, h.x(0));
        assertEquals(DATA + 8, h.x(1));
        h.run(0xf85f8420); // ldr x0, [x1], #-8
        assertEquals(0xF0E0_D0C0_B0A0_9080L, h.x(0));
        assertEquals(DATA, h.x(1));
    }

    @Test
    void pushAndPopThroughSp() {
        long sp = h.sp();
        h.x(0, 0xABCD);
        h.run(0xf81f0fe0); // str x0, [sp, #-16]!
        assertEquals(sp - 16, h.sp());
        assertEquals(0xABCD, h.mem64(sp - 16));
        h.x(0, 0);
        h.run(0xf84107e0); // ldr x0, [sp], #16
        assertEquals(0xABCD, h.x(0));
        assertEquals(sp, h.sp());
    }

    @Test
    void storeWithWritebackOfItsOwnBaseStoresTheOldValue() {
        h.x(3, DATA + 0x100);
        h.run(0xf8008463); // str x3, [x3], #8
        assertEquals(DATA + 0x100, h.mem64(DATA + 0x100));
        assertEquals(DATA + 0x108, h.x(3));
    }

    @Test
    void unscaledOffsets() {
        h.x(1, DATA + 1);
        h.run(0xf85ff020); // ldur x0, [x1, #-1]
        assertEquals(0x8877_6655_4433_2211L, h.x(0));
        h.x(1, DATA + 3).x(0, 0xCAFE_BABEL);
        h.run(0xb81fd020); // stur w0, [x1, #-3]
        assertEquals(0xCAFE_BABEL, h.mem32(DATA) & 0xFFFF_FFFFL);
        h.x(1, DATA + 7);
        h.run(0xb8801020); // ldursw x0, [x1, #1]
        assertEquals(0xFFFF_FFFF_B0A0_9080L, h.x(0));
    }

    @Test
    void unprivilegedAccessesBehaveNormallyAtEl0() {
        h.x(1, DATA);
        h.run(0xf8408820); // ldtr x0, [x1, #8]
        assertEquals(0xF0E0_D0C0_B0A0_9080L, h.x(0));
        h.x(1, DATA + 8).x(0, 0x5A);
        h.run(0x381ff820); // sttrb w0, [x1, #-1]
        assertEquals(0x5A, h.mem8(DATA + 7));
        h.run(0x78800820); // ldtrsh x0, [x1]
        assertEquals(0xFFFF_FFFF_FFFF_9080L, h.x(0));
    }

    @Test
    void registerOffsetsWithExtendAndShift() {
        h.x(1, DATA).x(2, 1);
        h.run(0xf8627820); // ldr x0, [x1, x2, lsl #3]
        assertEquals(0xF0E0_D0C0_B0A0_9080L, h.x(0));
        h.x(1, DATA + 16).x(2, 0x1234_5678_FFFF_FFF8L);
        h.run(0xf862c820); // ldr x0, [x1, w2, sxtw]
        assertEquals(0xF0E0_D0C0_B0A0_9080L, h.x(0));
        h.x(1, DATA).x(2, 0xFFFF_FFFF_0000_0001L);
        h.run(0x38624820); // ldrb w0, [x1, w2, uxtw]
        assertEquals(0x22, h.x(0));
        h.x(0, 0xBEEF).x(2, 3);
        h.run(0x78227820); // strh w0, [x1, x2, lsl #1]
        assertEquals(0xBEEF, h.mem16(DATA + 6));
        h.x(1, DATA + 12).x(2, 0xFFFF_FFFFL);
        h.run(0xb8a2d820); // ldrsw x0, [x1, w2, sxtw #2]
        assertEquals(0xFFFF_FFFF_B0A0_9080L, h.x(0));
        h.assertUndefined(0xf8621820); // ldr x0, [x1, w2, uxtb]: option<1> = 0 is reserved
    }

    @Test
    void literalLoadsArePcRelative() {
        h.load(CODE - 4, 0x8000_0001);
        h.load(CODE + 8, 0x1234_5678);
        h.mem64(CODE + 16, 0x0102_0304_0506_0708L);
        h.run(0x18000040); // ldr w0, .+8
        assertEquals(0x1234_5678L, h.x(0));
        h.run(0x58000080); // ldr x0, .+16
        assertEquals(0x0102_0304_0506_0708L, h.x(0));
        h.run(0x98ffffe0); // ldrsw x0, .-4
        assertEquals(0xFFFF_FFFF_8000_0001L, h.x(0));
    }

    @Test
    void prefetchesAreNopsThatNeverFault() {
        h.x(1, UNMAPPED).x(2, 8);
        for (int prfm : new int[] {0xf9800020, 0xd8000040, 0xf8801020, 0xf8a26820}) {
            h.run(prfm); // prfm [x1]; prfm literal; prfum [x1, #1]; prfm [x1, x2]
            assertEquals(CODE + 4, h.pc());
        }
    }

    @Test
    void unallocatedSizeOpcCombinationsAreUndefined() {
        h.assertUndefined(0xf8800420); // "ldrs x" with size 11, post-index
        h.assertUndefined(0xb9c00020); // "ldrsw w0": opc 11 with size 10
        h.assertUndefined(0xc8a07841); // "cas x0, x1, [x2]" with Rt2 = 11110 (should-be-one)
        h.assertUndefined(0xf820f041); // atomic memory op with o3=1, opc=111
        h.assertUndefined(0xf8200420); // ldraa x0, [x1]: no PAuth
    }

    // ---- faults leave state unchanged -----------------------------------------------------------

    @Test
    void faultingLoadDoesNotWriteBackTheBase() {
        h.x(0, 7).x(1, UNMAPPED);
        ExceptionInfo e = h.runExpectingException(0xf8408c20); // ldr x0, [x1, #8]!
        assertTrue(e.isAbort(), e.toString());
        assertEquals(UNMAPPED + 8, e.far());
        assertEquals(UNMAPPED, h.x(1));
        assertEquals(7, h.x(0));
        assertEquals(CODE, h.pc());
    }

    @Test
    void pairLoadWhoseSecondHalfFaultsWritesNoRegister() {
        h.x(0, 1).x(1, 2).x(2, UNMAPPED + 8);
        ExceptionInfo e = h.runExpectingException(0xa9ff0440); // ldp x0, x1, [x2, #-16]!: second word unmapped
        assertTrue(e.isAbort(), e.toString());
        assertEquals(UNMAPPED, e.far());
        assertEquals(1, h.x(0));
        assertEquals(2, h.x(1));
        assertEquals(UNMAPPED + 8, h.x(2));
    }

    @Test
    void misalignedSpBaseFaultsWhenSa0IsSet() {
        h.mmu.setSctlr(LoadStoreInteger.SCTLR_SA0);
        h.sp(CpuHarness.STACK + 8);
        ExceptionInfo e = h.runExpectingException(0xf84107e0); // ldr x0, [sp], #16
        assertEquals(Esr.EC_SP_ALIGN, e.ec());
        assertEquals(CpuHarness.STACK + 8, h.sp());
        h.mmu.setSctlr(0);
        h.run(0xf84107e0);
        assertEquals(CpuHarness.STACK + 24, h.sp());
    }

    @Test
    void alignedSpBaseIsFineWithSa0() {
        h.mmu.setSctlr(LoadStoreInteger.SCTLR_SA0);
        h.run(0xa9bf07e0); // stp x0, x1, [sp, #-16]!
        assertEquals(CpuHarness.STACK - 16, h.sp());
    }

    // ---- pairs ------------------------------------------------------------------------------------

    @Test
    void storeAndLoadPairsWithWriteback() {
        long sp = h.sp();
        h.x(0, 0xAAAA).x(1, 0xBBBB);
        h.run(0xa9bf07e0); // stp x0, x1, [sp, #-16]!
        assertEquals(sp - 16, h.sp());
        assertEquals(0xAAAA, h.mem64(sp - 16));
        assertEquals(0xBBBB, h.mem64(sp - 8));
        h.x(0, 0).x(1, 0);
        h.run(0xa8c107e0); // ldp x0, x1, [sp], #16
        assertEquals(0xAAAA, h.x(0));
        assertEquals(0xBBBB, h.x(1));
        assertEquals(sp, h.sp());
    }

    @Test
    void wordPairsAndLdpsw() {
        h.x(2, DATA).x(0, 0x1_8000_0000L).x(1, 0x7FFF_FFFFL);
        h.run(0x29010440); // stp w0, w1, [x2, #8]
        assertEquals(0x7FFF_FFFF_8000_0000L, h.mem64(DATA + 8));
        h.run(0x29411043); // ldp w3, w4, [x2, #8]
        assertEquals(0x8000_0000L, h.x(3));
        assertEquals(0x7FFF_FFFFL, h.x(4));
        h.run(0x69411043); // ldpsw x3, x4, [x2, #8]
        assertEquals(0xFFFF_FFFF_8000_0000L, h.x(3));
        assertEquals(0x7FFF_FFFFL, h.x(4));
        h.x(2, DATA + 8).run(0x68ff1043); // ldpsw x3, x4, [x2], #-8
        assertEquals(0xFFFF_FFFF_8000_0000L, h.x(3));
        assertEquals(DATA, h.x(2));
    }

    @Test
    void nonTemporalPairs() {
        h.x(2, DATA).x(0, 5).x(1, 6);
        h.run(0xa8010440); // stnp x0, x1, [x2, #16]
        assertEquals(5, h.mem64(DATA + 16));
        assertEquals(6, h.mem64(DATA + 24));
        h.run(0xa8411043); // ldnp x3, x4, [x2, #16]
        assertEquals(5, h.x(3));
        assertEquals(6, h.x(4));
        assertEquals(DATA, h.x(2));
    }

    @Test
    void reservedPairEncodingsAreUndefined() {
        h.assertUndefined(0x69000440); // stgp x0, x1, [x2]: FEAT_MTE
        h.assertUndefined(0x68411043); // "ldnpsw": no such instruction
        h.assertUndefined(0xe8411043); // opc 11
    }

    // ---- exclusives --------------------------------------------------------------------------------

    @Test
    void storeExclusiveSucceedsOnceAfterLoadExclusive() {
        h.x(1, DATA).x(3, 0x1234);
        h.run(0xc85f7c20); // ldxr x0, [x1]
        assertEquals(0x8877_6655_4433_2211L, h.x(0));
        assertEquals(DATA, h.cpu.exclusiveAddress); // flat mapping: PA = VA
        h.run(0xc8027c23); // stxr w2, x3, [x1]
        assertEquals(0, h.x(2));
        assertEquals(0x1234, h.mem64(DATA));
        assertEquals(-1, h.cpu.exclusiveAddress);
        h.x(3, 0x5678).run(0xc8027c23); // the monitor is gone now
        assertEquals(1, h.x(2));
        assertEquals(0x1234, h.mem64(DATA));
    }

    @Test
    void storeExclusiveFailsAfterClrexOrOnAnotherAddress() {
        h.x(1, DATA).x(3, 0x99);
        h.run(0xc85f7c20, 0xd5033f5f, 0xc8027c23); // ldxr; clrex; stxr
        assertEquals(1, h.x(2));
        assertEquals(0x8877_6655_4433_2211L, h.mem64(DATA));
        h.run(0xc85f7c20); // ldxr x0, [x1]
        h.x(1, DATA + 8).run(0xc8027c23); // stxr to another address fails and clears
        assertEquals(1, h.x(2));
        assertEquals(-1, h.cpu.exclusiveAddress);
    }

    @Test
    void byteAndHalfwordExclusivesWithAcquireRelease() {
        h.x(1, DATA + 1).x(3, 0xFF_FFAB);
        h.run(0x085f7c20); // ldxrb w0, [x1]
        assertEquals(0x22, h.x(0));
        h.run(0x08027c23); // stxrb w2, w3, [x1]
        assertEquals(0, h.x(2));
        assertEquals(0xAB, h.mem8(DATA + 1));
        h.x(1, DATA + 2).x(3, 0xCDEF);
        h.run(0x485ffc20); // ldaxrh w0, [x1]
        assertEquals(0x4433, h.x(0));
        h.run(0x4802fc23); // stlxrh w2, w3, [x1]
        assertEquals(0, h.x(2));
        assertEquals(0xCDEF, h.mem16(DATA + 2));
        h.x(1, DATA + 4).x(3, 0xFEED_FACEL);
        h.run(0x885ffc20, 0x8802fc23); // ldaxr w0, [x1]; stlxr w2, w3, [x1]
        assertEquals(0x8877_6655L, h.x(0));
        assertEquals(0, h.x(2));
        assertEquals(0xFEED_FACEL, h.mem32(DATA + 4) & 0xFFFF_FFFFL);
    }

    @Test
    void exclusiveMonitorComparesTheAddressNotTheSize() {
        h.x(1, DATA).x(3, 0x77);
        h.run(0xc85f7c20, 0x08027c23); // ldxr x0, [x1]; stxrb w2, w3, [x1]
        assertEquals(0, h.x(2));
        assertEquals(0x77, h.mem8(DATA));
        assertEquals(0x8877_6655_4433_2277L, h.mem64(DATA));
    }

    @Test
    void exclusivePairs() {
        h.x(1, DATA);
        h.run(0xc87f1020); // ldxp x0, x4, [x1]
        assertEquals(0x8877_6655_4433_2211L, h.x(0));
        assertEquals(0xF0E0_D0C0_B0A0_9080L, h.x(4));
        h.x(3, 1).x(5, 2).run(0xc8221423); // stxp w2, x3, x5, [x1]
        assertEquals(0, h.x(2));
        assertEquals(1, h.mem64(DATA));
        assertEquals(2, h.mem64(DATA + 8));
        h.x(1, DATA + 8);
        h.run(0x887f9020); // ldaxp w0, w4, [x1]
        assertEquals(2, h.x(0));
        assertEquals(0, h.x(4));
        h.x(3, 0xAAAA_AAAA_3333_3333L).x(5, 0x4444_4444L).run(0x88229423); // stlxp w2, w3, w5, [x1]
        assertEquals(0, h.x(2));
        assertEquals(0x4444_4444_3333_3333L, h.mem64(DATA + 8));
    }

    private static void assertAlignmentFault(ExceptionInfo e, long va, AccessType access) {
        assertEquals(Esr.EC_DABT_LOWER, e.ec(), e.toString());
        assertEquals(Esr.FSC_ALIGNMENT, e.iss() & 0x3F);
        assertEquals(access == AccessType.WRITE ? Esr.ISS_DA_WNR : 0, e.iss() & Esr.ISS_DA_WNR);
        assertEquals(va, e.far());
        assertEquals(Fault.Kind.ALIGNMENT, e.fault().kind());
    }

    @Test
    void misalignedExclusivesRaiseAlignmentFaults() {
        h.x(0, 42).x(1, DATA + 4);
        assertAlignmentFault(h.runExpectingException(0xc85f7c20), DATA + 4, AccessType.READ); // ldxr x0, [x1]
        assertEquals(42, h.x(0));
        h.x(2, 42);
        assertAlignmentFault(h.runExpectingException(0xc8027c23), DATA + 4, AccessType.WRITE); // stxr w2, x3, [x1]
        assertEquals(42, h.x(2));
        h.x(1, DATA + 8);
        assertAlignmentFault(h.runExpectingException(0xc87f1020), DATA + 8, AccessType.READ); // ldxp x: 16-byte
        h.x(1, DATA + 4);
        assertAlignmentFault(h.runExpectingException(0x887f9020), DATA + 4, AccessType.READ); // ldaxp w: 8-byte
        h.x(1, DATA + 1);
        assertAlignmentFault(h.runExpectingException(0x485ffc20), DATA + 1, AccessType.READ); // ldaxrh
        assertAlignmentFault(h.runExpectingException(0xc8dffc20), DATA + 1, AccessType.READ); // ldar x0
        assertAlignmentFault(h.runExpectingException(0x889ffc23), DATA + 1, AccessType.WRITE); // stlr w3
    }

    @Test
    void exclusiveWithMisalignedSpFaultsOnSpFirst() {
        h.mmu.setSctlr(LoadStoreInteger.SCTLR_SA0);
        h.sp(CpuHarness.STACK + 4);
        assertEquals(Esr.EC_SP_ALIGN, h.runExpectingException(0xc85f7fe0).ec()); // ldxr x0, [sp]
    }

    // ---- acquire / release ---------------------------------------------------------------------------

    @Test
    void loadAcquireAndStoreReleaseForms() {
        h.x(1, DATA);
        h.run(0xc8dffc20); // ldar x0, [x1]
        assertEquals(0x8877_6655_4433_2211L, h.x(0));
        h.run(0x08dffc20); // ldarb w0, [x1]
        assertEquals(0x11, h.x(0));
        h.run(0xf8bfc020); // ldapr x0, [x1]
        assertEquals(0x8877_6655_4433_2211L, h.x(0));
        h.run(0x38bfc020); // ldaprb w0, [x1]
        assertEquals(0x11, h.x(0));
        h.run(0xc8df7c20); // ldlar x0, [x1]
        assertEquals(0x8877_6655_4433_2211L, h.x(0));
        h.x(3, 0x0102_0304_0506_0708L);
        h.run(0x889ffc23); // stlr w3, [x1]
        assertEquals(0x8877_6655_0506_0708L, h.mem64(DATA));
        h.run(0x489ffc23); // stlrh w3, [x1]
        assertEquals(0x0708, h.mem16(DATA));
        h.run(0xc89f7c23); // stllr x3, [x1]
        assertEquals(0x0102_0304_0506_0708L, h.mem64(DATA));
    }

    @Test
    void rcpcUnscaledOffsetForms() {
        h.x(1, DATA + 8);
        h.run(0xd95f8020); // ldapur x0, [x1, #-8]
        assertEquals(0x8877_6655_4433_2211L, h.x(0));
        h.run(0x19801020); // ldapursb x0, [x1, #1]
        assertEquals(0xFFFF_FFFF_FFFF_FF90L, h.x(0));
        h.run(0x59c02020); // ldapursh w0, [x1, #2]
        assertEquals(0xFFFF_B0A0L, h.x(0));
        h.run(0x99800020); // ldapursw x0, [x1]
        assertEquals(0xFFFF_FFFF_B0A0_9080L, h.x(0));
        h.x(3, 0x1234_5678L).run(0x99004023); // stlur w3, [x1, #4]
        assertEquals(0x1234_5678, h.mem32(DATA + 12));
        h.x(1, DATA + 1);
        assertAlignmentFault(h.runExpectingException(0x99004023), DATA + 5, AccessType.WRITE);
    }

    @Test
    void prfmRegisterWithReservedOptionIsUndefined() {
        h.assertUndefined(0xf8aa3896); // prfm with option 001
    }
}
