package a64emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;
import org.junit.jupiter.api.Test;

/** The CPU's self-hosted-debug stops, on a flat (MMU off) machine. */
class DebugHooksTest {
    private final PhysicalMemory ram = new PhysicalMemory(1 << 20);
    private final Cpu cpu = new Cpu(new Mmu(ram));
    private final DebugHooks hooks = new DebugHooks();

    // 0x1000: mov x0, #5 ; 0x1004: str x0, [x1] ; 0x1008: ldr x2, [x1] ; 0x100c: add x0, x0, #1
    private static final int[] PROGRAM = {0xd28000a0, 0xf9000020, 0xf9400022, 0x91000400};

    DebugHooksTest() {
        for (int i = 0; i < PROGRAM.length; i++) {
            ram.write32(0x1000 + 4L * i, PROGRAM[i]);
        }
        cpu.pc = 0x1000;
        cpu.x[1] = 0x8000;
        cpu.setDebugHooks(hooks);
    }

    @Test
    void aBreakpointStopsBeforeTheInstructionAndAResumeRunsItOnce() {
        hooks.addBreakpoint(0x1008);
        ExceptionInfo ex = cpu.run(100);
        assertEquals(Esr.EC_BREAKPT_LOWER, ex.ec());
        assertEquals(0x1008, ex.elr());
        assertEquals(2, cpu.instructions, "mov and str retired, ldr not");
        hooks.resumeAt(cpu.pc);
        assertNull(cpu.run(2));
        assertEquals(0x1010, cpu.pc);
        assertEquals(5, cpu.x[2]);
    }

    @Test
    void singleStepStopsAfterEachInstructionWithElrTheNextOne() {
        hooks.setSingleStep(true);
        ExceptionInfo ex = cpu.run(100);
        assertEquals(Esr.EC_SOFTSTP_LOWER, ex.ec());
        assertEquals(0x1004, ex.elr());
        assertEquals(1, cpu.instructions);
        assertEquals(0x1008, cpu.run(100).elr());
    }

    @Test
    void aWriteWatchpointStopsAfterTheStoreWithTheAddressAndWnR() {
        hooks.addWatchpoint(new DebugHooks.Watchpoint(0x8004, 4, DebugHooks.WatchKind.WRITE));
        ExceptionInfo ex = cpu.run(100);
        assertEquals(Esr.EC_WATCHPT_LOWER, ex.ec());
        assertEquals(0x8004, ex.far(), "the first watched byte the 8-byte store touched");
        assertTrue((ex.iss() & (1 << 6)) != 0, "WnR");
        assertEquals(0x1008, ex.elr(), "the store has completed");
        assertEquals(5, ram.read64(0x8000));
        assertEquals(0x8004, hooks.takeWatchStop().address());
        assertNull(cpu.run(2), "the load does not hit a write watchpoint");
    }

    @Test
    void aReadWatchpointIgnoresTheStoreAndStopsAtTheLoad() {
        hooks.addWatchpoint(new DebugHooks.Watchpoint(0x8000, 8, DebugHooks.WatchKind.READ));
        ExceptionInfo ex = cpu.run(100);
        assertEquals(Esr.EC_WATCHPT_LOWER, ex.ec());
        assertEquals(0x100c, ex.elr());
        assertEquals(0, ex.iss() & (1 << 6));
    }

    @Test
    void withoutHooksTheCpuRunsAsBefore() {
        cpu.setDebugHooks(null);
        assertNull(cpu.run(4));
        assertEquals(6, cpu.x[0]);
    }
}
