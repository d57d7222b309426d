package a64emu.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import a64emu.cpu.Cpu;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;
import org.junit.jupiter.api.Test;

class RegistersTest {
    private final Cpu cpu = new Cpu(new Mmu(new PhysicalMemory(1 << 20)));

    @Test
    void theGReplyIs788BytesInGdbsOrderEachLittleEndian() {
        cpu.pc = 0x400580;
        cpu.nzcv = 0x6000_0000;
        cpu.x[1] = 0x1122_3344_5566_7788L;
        String g = Registers.readAll(cpu);
        assertEquals(2 * 788, g.length());
        assertEquals("8877665544332211", g.substring(2 * 8, 2 * 16));
        assertEquals("8005400000000000", g.substring(2 * 256, 2 * 264));
        assertEquals("00000060", g.substring(2 * 264, 2 * 268));
    }

    @Test
    void aVectorRegisterSendsItsLowHalfFirst() {
        assertEquals("0001020304050607" + "2222222222222222", writeAndRead(Registers.V0,
                "00010203040506072222222222222222"));
        assertEquals(0x0706050403020100L, cpu.v[0]);
        assertEquals(0x2222222222222222L, cpu.v[1]);
    }

    @Test
    void cpsrKeepsOnlyTheFlagsAnEl0ProgramHas() {
        assertEquals("000000f0", writeAndRead(Registers.CPSR, "c50300ff"));
    }

    @Test
    void gWrittenBackIsReadTheSameAndWrongSizesAreRejected() {
        cpu.sp = 0x5500_8005_90L;
        cpu.fpcr = 0x0300_0000;
        String g = Registers.readAll(cpu);
        Cpu other = new Cpu(new Mmu(new PhysicalMemory(1 << 20)));
        Registers.writeAll(other, g);
        assertEquals(g, Registers.readAll(other));
        assertThrows(IllegalArgumentException.class, () -> Registers.write(cpu, Registers.PC, "00"));
        assertThrows(IllegalArgumentException.class, () -> Registers.writeAll(cpu, "0011"));
        assertFalse(Registers.write(cpu, Registers.COUNT, "00000000"));
        assertNull(Registers.read(cpu, 0x999));
    }

    private String writeAndRead(int n, String hex) {
        Registers.write(cpu, n, hex);
        return Registers.read(cpu, n);
    }
}
