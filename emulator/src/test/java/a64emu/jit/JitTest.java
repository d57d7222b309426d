package a64emu.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.CpuHarness;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JIT against the interpreter on flat memory: the same program, run in quanta of every
 * size, must leave the same registers, flags, memory, PC and retired-instruction count after
 * every quantum, and raise the same exceptions with the same syndrome and return address.
 */
class JitTest {
    /**
     * A loop of loads and stores with flags, then most kinds of instruction the translator
     * emits itself (and a few it leaves to fallbacks), a call and a return, and last a load
     * from beyond RAM (an address size fault) followed by a BRK. Assembled with GNU as from
     * the listing in the comments.
     */
    static final int[] PROGRAM = {
        0xd2800000, // mov x0, #0
        0xd2a00201, // mov x1, #0x100000
        0xd2800502, // mov x2, #40
        0xf8008422, // 1: str x2, [x1], #8
        0xf85f8023, // ldr x3, [x1, #-8]
        0x8b030000, // add x0, x0, x3
        0xf1000442, // subs x2, x2, #1
        0x54ffff81, // b.ne 1b
        0x93c01c04, // ror x4, x0, #7
        0xf100141f, // cmp x0, #5
        0x9a840005, // csel x5, x0, x4, eq
        0x9a84140d, // csinc x13, x0, x4, ne
        0xa97f1c26, // ldp x6, x7, [x1, #-16]
        0xa9bf1fe6, // stp x6, x7, [sp, #-16]!
        0x3cdf0020, // ldr q0, [x1, #-16]
        0x4ee08401, // add v1.2d, v0.2d, v0.2d (a fallback)
        0x9e670002, // fmov d2, x0 (a fallback)
        0x3d800421, // str q1, [x1, #16]
        0x385f802e, // ldurb w14, [x1, #-8]
        0x789f802f, // ldursh x15, [x1, #-8]
        0xb89f8030, // ldursw x16, [x1, #-8]
        0x2b040011, // adds w17, w0, w4
        0x9a040012, // adc x18, x0, x4
        0x36180040, // tbz x0, #3, 5f
        0x91000652, // add x18, x18, #1
        0xb4000042, // 5: cbz x2, 6f
        0x91000a52, // add x18, x18, #2
        0x94000002, // 6: bl 2f
        0x14000003, // b 3f
        0x91000529, // 2: add x9, x9, #1
        0xd65f03c0, // ret
        0x9ac2080a, // 3: udiv x10, x0, x2
        0x9b047c13, // mul x19, x0, x4
        0x9bc47c14, // umulh x20, x0, x4
        0xdac01015, // clz x21, x0
        0xdac00c16, // rev x22, x0
        0xd3432c17, // ubfx x23, x0, #3, #9
        0x937b1898, // sbfiz x24, x4, #5, #7
        0xf2c24698, // movk x24, #0x1234, lsl #32
        0x10ffff19, // adr x25, 3b
        0x9000001a, // adrp x26, 3b
        0xd2a0400b, // mov x11, #0x2000000 (beyond the 16 MiB of RAM)
        0xf940056c, // ldr x12, [x11, #8]
        0xd4200020, // brk #1
    };

    private static CpuHarness machine(int[] program, boolean jit) {
        CpuHarness h = new CpuHarness();
        h.load(CpuHarness.CODE, program);
        if (jit) {
            h.cpu.setEngine(new Jit(h.mmu, new JitOptions(0, 200)));
        }
        return h;
    }

    /** Everything architectural, and the count: what must match after each quantum. */
    private static String state(CpuHarness h) {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < 31; r++) {
            s.append(String.format("x%d=%x ", r, h.cpu.x[r]));
        }
        for (int r = 0; r < 64; r++) {
            s.append(String.format("v%d=%x ", r, h.cpu.v[r]));
        }
        s.append(String.format("sp=%x pc=%x nzcv=%x retired=%d", h.cpu.sp, h.cpu.pc, h.cpu.nzcv, h.cpu.instructions));
        for (long a = CpuHarness.DATA; a < CpuHarness.DATA + 0x200; a += 8) {
            s.append(String.format(" m%x=%x", a, h.mem64(a)));
        }
        s.append(String.format(" stack=%x,%x", h.mem64(CpuHarness.STACK - 16), h.mem64(CpuHarness.STACK - 8)));
        return s.toString();
    }

    /** Runs quanta of {@code quantum} until an exception (at most {@code limit} quanta); the states seen. */
    private static List<String> trace(int[] program, boolean jit, long quantum, int limit) {
        CpuHarness h = machine(program, jit);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            ExceptionInfo e = h.cpu.run(quantum);
            seen.add(state(h) + (e == null ? "" : " " + e));
            if (e != null) {
                if (e.ec() == Esr.EC_BRK64) {
                    break;
                }
                h.cpu.pc += 4; // skip the faulting load, as a handler would
            }
        }
        return seen;
    }

    @Test
    void everyQuantumSizeRetiresAndLeavesWhatTheInterpreterDoes() {
        for (long quantum : new long[] {1, 2, 3, 5, 7, 8, 13, 40, 100, 1000, 100_000}) {
            List<String> interp = trace(PROGRAM, false, quantum, 1000);
            List<String> jit = trace(PROGRAM, true, quantum, 1000);
            assertEquals(interp.size(), jit.size(), "quantum " + quantum);
            for (int i = 0; i < interp.size(); i++) {
                assertEquals(interp.get(i), jit.get(i), "quantum " + quantum + ", run " + i);
            }
        }
    }

    @Test
    void aFaultInTheMiddleOfAUnitHasTheInterpretersPcSyndromeAndCount() {
        CpuHarness interp = machine(PROGRAM, false);
        CpuHarness jit = machine(PROGRAM, true);
        ExceptionInfo a = interp.cpu.run(1_000_000);
        ExceptionInfo b = jit.cpu.run(1_000_000);
        assertNotNull(b);
        assertEquals(a, b);
        assertEquals(CpuHarness.CODE + 4L * 42, b.elr(), "the ldr from beyond RAM");
        assertEquals(interp.cpu.instructions, jit.cpu.instructions);
        assertEquals(state(interp), state(jit));
        JitStats stats = ((Jit) jit.cpu.engine()).stats();
        assertTrue(stats.unitsTranslated() > 0, "the program ran translated");
        assertTrue(stats.fallbackInstructions() >= 2, "the SIMD add and the FMOV are fallbacks");
    }

    /** The word of {@code mov x0, #42}, which the self-modifying program stores over its next instruction. */
    static final int MOV_X0_42 = 0xd2800540;

    /** A store that rewrites the next instruction of the unit that is running. */
    static final int[] SELF_MODIFYING = {
        0x10000081, // adr x1, 1f
        0x52800000 | ((MOV_X0_42 & 0xFFFF) << 5) | 3, // mov w3, #(low half of MOV_X0_42)
        0x72a00000 | ((MOV_X0_42 >>> 16) << 5) | 3,   // movk w3, #(high half), lsl #16
        0xb9000023, // str w3, [x1]
        0xd2800020, // 1: mov x0, #1 (overwritten)
        0xd4200020, // brk #1
    };

    @Test
    void aStoreIntoTheRunningUnitsCodeIsSeenByTheNextInstruction() {
        int[] program = SELF_MODIFYING;
        CpuHarness interp = machine(program, false);
        CpuHarness jit = machine(program, true);
        ExceptionInfo a = interp.cpu.run(100);
        ExceptionInfo b = jit.cpu.run(100);
        assertEquals(42, interp.cpu.x[0], "the interpreter runs the new instruction");
        assertEquals(a, b);
        assertEquals(state(interp), state(jit));
        assertTrue(((Jit) jit.cpu.engine()).stats().unitsInvalidated() >= 1);
    }

    @Test
    void codeRewrittenBetweenRunsIsTranslatedAgain() {
        int[] loop = {
            0xd2800000, // mov x0, #0
            0x91000400, // 1: add x0, x0, #1
            0xf100101f, // cmp x0, #4
            0x54ffffc1, // b.ne 1b
            0xd4200020, // brk #1
        };
        CpuHarness jit = machine(loop, true);
        jit.cpu.run(1000);
        assertEquals(4, jit.cpu.x[0]);
        jit.load(CpuHarness.CODE + 4, 0x91000800); // add x0, x0, #2
        jit.cpu.pc = CpuHarness.CODE;
        jit.cpu.run(1000);
        assertEquals(4, jit.cpu.x[0], "0, 2, 4: the new add ran");
        assertEquals(1 + 4 * 3 + 1 + 2 * 3, jit.cpu.instructions, "mov and four loops, then mov and two");
        assertTrue(((Jit) jit.cpu.engine()).stats().unitsInvalidated() > 0);
    }

    @Test
    void everyConditionAfterACompareBranchesAndSelectsAsTheInterpreter() {
        long[] values = {0, 1, -1, 2, Long.MAX_VALUE, Long.MIN_VALUE, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL,
                0x1_0000_0000L, 0x1_8000_0000L};
        for (int cond = 0; cond < 16; cond++) {
            for (boolean sf : new boolean[] {true, false}) {
                int[] program = {
                    sf ? 0xeb01001f : 0x6b01001f,             // cmp x0, x1 / cmp w0, w1
                    0x9a9f07e2 | ((cond ^ 1) << 12),          // csinc x2, xzr, xzr, !cond: x2 = cond holds
                    0x54000040 | cond,                        // b.cond 1f
                    0xd2800023,                               // mov x3, #1
                    0xd2800084,                               // 1: mov x4, #4
                    0xd4200020,                               // brk #1
                };
                CpuHarness interp = machine(program, false);
                CpuHarness jit = machine(program, true);
                for (long x : values) {
                    for (long y : values) {
                        for (CpuHarness h : new CpuHarness[] {interp, jit}) {
                            h.cpu.pc = CpuHarness.CODE;
                            h.cpu.x[0] = x;
                            h.cpu.x[1] = y;
                            h.cpu.x[3] = 0;
                            h.cpu.run(100);
                        }
                        String what = String.format("cond %d, %s, x %x, y %x", cond, sf ? "64" : "32", x, y);
                        assertEquals(interp.cpu.x[2], jit.cpu.x[2], what + ": csinc");
                        assertEquals(interp.cpu.x[3], jit.cpu.x[3], what + ": b.cond");
                        assertEquals(interp.cpu.nzcv, jit.cpu.nzcv, what + ": NZCV");
                    }
                }
            }
        }
    }
}
