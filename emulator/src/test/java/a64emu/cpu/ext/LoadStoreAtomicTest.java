package a64emu.cpu.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.cpu.CpuHarness;
import a64emu.cpu.ExceptionInfo;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.AccessType;
import a64emu.mmu.Descriptor;
import a64emu.mmu.Fault;
import a64emu.mmu.Mmu;
import a64emu.mmu.Tcr;

import org.junit.jupiter.api.Test;

/** FEAT_LSE atomics, hand-checked (qemu-lse-vectors.txt covers the encodings at random). */
class LoadStoreAtomicTest {
    private static final long DATA = CpuHarness.DATA;
    private final CpuHarness h = new CpuHarness();

    @Test
    void ldaddReturnsTheOldValueAndStoresTheSum() {
        h.mem64(DATA, 40).x(0, DATA).x(1, 2);
        h.run(0xf8210002); // ldadd x1, x2, [x0]
        assertEquals(40, h.x(2));
        assertEquals(42, h.mem64(DATA));
    }

    @Test
    void staddIsLdaddIntoXzr() {
        h.mem64(DATA, 40).x(0, DATA).x(1, 2);
        h.run(0xf821001f); // stadd x1, [x0]
        assertEquals(42, h.mem64(DATA));
    }

    @Test
    void byteAndHalfwordFormsWorkOnTheirSizeOnly() {
        h.mem64(DATA, 0x1122_3344_5566_80F0L).x(0, DATA).x(1, 0x7F);
        h.run(0x38216002); // ldumaxb w1, w2, [x0]: max(0xF0, 0x7F) unsigned
        assertEquals(0xF0, h.x(2));
        assertEquals(0x1122_3344_5566_80F0L, h.mem64(DATA));
        h.x(1, 0x0001);
        h.run(0x78215002); // ldsminh w1, w2, [x0]: min(0x80F0 signed, 1) = 0x80F0
        assertEquals(0x80F0, h.x(2));
        assertEquals(0x1122_3344_5566_80F0L, h.mem64(DATA));
    }

    @Test
    void ldclrClearsTheBitsOfRs() {
        h.mem64(DATA, 0xFF).x(0, DATA).x(1, 0x0F);
        h.run(0xf8211002); // ldclr x1, x2, [x0]
        assertEquals(0xFF, h.x(2));
        assertEquals(0xF0, h.mem64(DATA));
    }

    @Test
    void swpExchanges() {
        h.mem64(DATA, 5).x(0, DATA).x(1, 9);
        h.run(0xf8218002); // swp x1, x2, [x0]
        assertEquals(5, h.x(2));
        assertEquals(9, h.mem64(DATA));
    }

    @Test
    void casStoresOnlyWhenMemoryEqualsRsAndAlwaysReturnsTheOldValue() {
        h.mem64(DATA, 7).x(0, DATA).x(1, 7).x(2, 100);
        h.run(0xc8a17c02); // cas x1, x2, [x0]
        assertEquals(100, h.mem64(DATA));
        assertEquals(7, h.x(1));
        h.x(1, 8).x(2, 200);
        h.run(0xc8a17c02);
        assertEquals(100, h.mem64(DATA), "compare failed: memory unchanged");
        assertEquals(100, h.x(1), "Rs receives the value read");
    }

    @Test
    void casbComparesTheLowByteOfRs() {
        h.mem64(DATA, 0xAB).x(0, DATA).x(1, 0xFFFF_FFAB).x(2, 0x12);
        h.run(0x08a17c02); // casb w1, w2, [x0]
        assertEquals(0x12, h.mem64(DATA));
        assertEquals(0xAB, h.x(1));
    }

    @Test
    void caspComparesAndSwapsAPair() {
        h.mem64(DATA, 1).mem64(DATA + 8, 2).x(0, DATA).x(2, 1).x(3, 2).x(4, 10).x(5, 20);
        h.run(0x48227c04); // casp x2, x3, x4, x5, [x0]
        assertEquals(10, h.mem64(DATA));
        assertEquals(20, h.mem64(DATA + 8));
        assertEquals(1, h.x(2));
        assertEquals(2, h.x(3));
    }

    @Test
    void caspWithAnOddRegisterIsUndefined() {
        h.assertUndefined(0x48237c04); // casp x3, x4, x4, x5, [x0]
    }

    @Test
    void misalignedAtomicTakesAnAlignmentFaultAsAWrite() {
        h.mem64(DATA, 40).x(0, DATA + 4).x(1, 2).x(2, 77);
        ExceptionInfo e = h.runExpectingException(0xf8210002); // ldadd x1, x2, [x0]
        assertEquals(Fault.Kind.ALIGNMENT, e.fault().kind());
        assertEquals(AccessType.WRITE, e.fault().access());
        assertEquals(DATA + 4, e.far());
        assertEquals(77, h.x(2), "no register written");
        assertEquals(40, h.mem64(DATA));
    }

    @Test
    void atomicsToAReadOnlyPageArePermissionFaultsForAWriteEvenWhenCasFails() {
        // A 39-bit, 3-level table: code RX at VA 0x1000, data EL0 read-only at VA 0x2000.
        PhysicalMemory ram = new PhysicalMemory(1 << 22);
        long l1 = 0x10_0000;
        long l2 = l1 + Descriptor.TABLE_BYTES;
        long l3 = l2 + Descriptor.TABLE_BYTES;
        ram.write64(l1, Descriptor.table(l2));
        ram.write64(l2, Descriptor.table(l3));
        ram.write64(l3 + 8, Descriptor.page(0x20_0000, Descriptor.PAGE_READONLY_EXEC));
        ram.write64(l3 + 16, Descriptor.page(0x20_1000, Descriptor.PAGE_READONLY));
        Mmu mmu = new Mmu(ram);
        mmu.setTcr(Tcr.t0sz(39) | Tcr.t1sz(48) | Tcr.TG1_4K_FIELD | Tcr.ips(48) | Tcr.AS);
        mmu.setTtbr0(l1);
        mmu.setSctlr(Mmu.SCTLR_M);
        Cpu cpu = new Cpu(mmu);
        ram.write64(0x20_1000, 7);
        int[] words = {0xf8210002, 0xc8a17c02, 0xf8218002}; // ldadd, cas (compare fails), swp
        for (int word : words) {
            ram.write32(0x20_0000, word);
            cpu.pc = 0x1000;
            cpu.x[0] = 0x2000;
            cpu.x[1] = 99;
            cpu.x[2] = 55;
            ExceptionInfo e = cpu.step();
            assertEquals(Fault.Kind.PERMISSION, e.fault().kind(), () -> String.format("%08x: %s", word, e));
            assertEquals(AccessType.WRITE, e.fault().access());
            assertEquals(0x2000, e.far());
            assertEquals(55, cpu.x[2]);
            assertEquals(99, cpu.x[1]);
            assertEquals(7, ram.read64(0x20_1000));
        }
    }

    @Test
    void atomicToUnmappedMemoryFaultsAsAWrite() {
        h.x(0, CpuHarness.RAM_SIZE).x(1, 1);
        ExceptionInfo e = h.runExpectingException(0xc8a17c02); // cas x1, x2, [x0]
        assertTrue(e.isAbort(), e.toString());
        assertEquals(AccessType.WRITE, e.fault().access());
        assertEquals(CpuHarness.CODE, h.pc());
    }
}
