package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import org.junit.jupiter.api.Test;

class BranchExceptionSystemTest {
    private static final long CODE = CpuHarness.CODE;
    private final CpuHarness h = new CpuHarness();

    @Test
    void unconditionalBranchesForwardAndBackward() {
        h.run(0x14000040); // b .+0x100
        assertEquals(CODE + 0x100, h.pc());
        h.run(0x17fffffe); // b .-8
        assertEquals(CODE - 8, h.pc());
    }

    @Test
    void blSetsTheLinkRegisterAndRetReturnsThroughIt() {
        h.load(CODE + 0x40, 0xd65f03c0); // ret
        h.run(0x94000010); // bl .+0x40
        assertEquals(CODE + 0x40, h.pc());
        assertEquals(CODE + 4, h.x(30));
        h.step();
        assertEquals(CODE + 4, h.pc());
    }

    @Test
    void registerBranches() {
        h.x(5, 0x4444).run(0xd61f00a0); // br x5
        assertEquals(0x4444, h.pc());
        h.x(3, 0x8888).run(0xd65f0060); // ret x3
        assertEquals(0x8888, h.pc());
        h.x(30, 0x2000).run(0xd63f03c0); // blr x30: target read before the link is written
        assertEquals(0x2000, h.pc());
        assertEquals(CODE + 4, h.x(30));
    }

    /** Which of the 16 conditions hold for the flags, written out per ARM ARM table C1-1. */
    private static boolean expected(int cond, int flags) {
        boolean n = (flags & 8) != 0;
        boolean z = (flags & 4) != 0;
        boolean c = (flags & 2) != 0;
        boolean v = (flags & 1) != 0;
        return switch (cond) {
            case 0x0 -> z;               // EQ
            case 0x1 -> !z;              // NE
            case 0x2 -> c;               // CS
            case 0x3 -> !c;              // CC
            case 0x4 -> n;               // MI
            case 0x5 -> !n;              // PL
            case 0x6 -> v;               // VS
            case 0x7 -> !v;              // VC
            case 0x8 -> c && !z;         // HI
            case 0x9 -> !c || z;         // LS
            case 0xA -> n == v;          // GE
            case 0xB -> n != v;          // LT
            case 0xC -> !z && n == v;    // GT
            case 0xD -> z || n != v;     // LE
            default -> true;             // AL, NV
        };
    }

    @Test
    void conditionalBranchOverAllConditionsAndFlags() {
        for (int cond = 0; cond < 16; cond++) {
            for (int flags = 0; flags < 16; flags++) {
                h.nzcv(flags).run(0x54000100 | cond); // b.<cond> .+0x20
                long want = expected(cond, flags) ? CODE + 0x20 : CODE + 4;
                assertEquals(want, h.pc(), "cond " + cond + " flags " + flags);
                assertEquals(flags, h.nzcv());
            }
        }
    }

    @Test
    void compareAndBranch() {
        h.x(1, 0).run(0xb4000081); // cbz x1, .+0x10
        assertEquals(CODE + 0x10, h.pc());
        h.x(1, 1L << 40).run(0xb4000081);
        assertEquals(CODE + 4, h.pc());
        h.x(1, 1L << 40).run(0x35ffff81); // cbnz w1, .-0x10 : W1 is zero
        assertEquals(CODE + 4, h.pc());
        h.x(1, 7).run(0x35ffff81);
        assertEquals(CODE - 0x10, h.pc());
    }

    @Test
    void testBitAndBranch() {
        h.x(1, Long.MIN_VALUE).run(0xb6f80101); // tbz x1, #63, .+0x20
        assertEquals(CODE + 4, h.pc());
        h.x(1, Long.MAX_VALUE).run(0xb6f80101);
        assertEquals(CODE + 0x20, h.pc());
        h.x(1, 8).run(0x37180101); // tbnz w1, #3, .+0x20
        assertEquals(CODE + 0x20, h.pc());
        h.x(1, 7).run(0x37180101);
        assertEquals(CODE + 4, h.pc());
    }

    @Test
    void svcReportsEc15WithTheNextInstructionAsReturnAddress() {
        ExceptionInfo e = h.runExpectingException(0xd4024681); // svc #0x1234
        assertEquals(Esr.EC_SVC64, e.ec());
        assertEquals(0x1234, e.iss());
        assertEquals(CODE + 4, e.elr());
        assertEquals(CODE + 4, h.pc());
    }

    @Test
    void brkReportsItsImmediateAndStaysOnTheInstruction() {
        ExceptionInfo e = h.runExpectingException(0xd4207d00); // brk #0x3e8
        assertEquals(Esr.EC_BRK64, e.ec());
        assertEquals(0x3e8, e.iss());
        assertEquals(CODE, e.elr());
    }

    @Test
    void unallocatedWordIsUndefinedWithTheWordRecorded() {
        ExceptionInfo e = h.runExpectingException(0x00000000); // udf #0
        assertEquals(Esr.EC_UNKNOWN, e.ec());
        assertEquals(0x00000000, e.insnWord());
        assertEquals(CODE, e.elr());
        e = h.runExpectingException(0xd4400000); // hlt #0
        assertEquals(0xd4400000, e.insnWord());
    }

    @Test
    void hypervisorSecureMonitorAndPointerAuthBranchesAreUndefinedAtEl0() {
        h.assertUndefined(0xd4000002); // hvc #0
        h.assertUndefined(0xd4000003); // smc #0
        h.assertUndefined(0xd4400000); // hlt #0
        h.assertUndefined(0xd71f0822); // braa x1, x2
        h.assertUndefined(0xd65f0bff); // retaa
        h.assertUndefined(0xd69f03e0); // eret
    }

    @Test
    void everyHintIsANop() {
        int[] hints = {
            0xd503201f, // nop
            0xd503203f, // yield
            0xd503205f, // wfe
            0xd503207f, // wfi
            0xd503209f, // sev
            0xd50320bf, // sevl
            0xd503245f, // bti c
            0xd503233f, // paciasp
            0xd50323bf, // autiasp
            0xd503237f, // pacibsp
            0xd50323ff, // autibsp
            0xd50320ff, // xpaclri
            0xd503221f, // esb
            0xd503229f, // csdb
            0xd5032fff, // hint #0x7f
        };
        h.x(30, 0x1234_5678L);
        for (int hint : hints) {
            h.run(hint);
            assertEquals(CODE + 4, h.pc());
        }
        assertEquals(0x1234_5678L, h.x(30)); // PAC hints leave LR untouched without PAuth
    }

    @Test
    void barriersAdvanceThePc() {
        for (int barrier : new int[] {0xd5033bbf, 0xd5033f9f, 0xd5033fdf, 0xd50330ff}) { // dmb ish, dsb sy, isb, sb
            h.run(barrier);
            assertEquals(CODE + 4, h.pc());
        }
    }

    @Test
    void clrexClearsTheExclusiveMonitor() {
        h.cpu.exclusiveAddress = 0x1000;
        h.run(0xd5033f5f); // clrex
        assertEquals(-1, h.cpu.exclusiveAddress);
    }

    @Test
    void interpreterRunsASmallLoop() {
        // x0 = sum of 1..10:  mov x0,#0; mov x1,#10; loop: add x0,x0,x1; subs x1,x1,#1; b.ne loop; brk #0
        h.load(CODE, 0xd2800000, 0xd2800141, 0x8b010000, 0xf1000421, 0x54ffffc1, 0xd4200000);
        h.pc(CODE);
        ExceptionInfo e = h.cpu.run(1000);
        assertEquals(Esr.EC_BRK64, e.ec());
        assertEquals(55, h.x(0));
        assertEquals(CODE + 20, h.pc());
    }
}
