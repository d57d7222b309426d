package a64emu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.GuestException;
import a64emu.memory.PhysicalMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data-driven check of decoding: each vector in {@code descriptor-vectors.txt} is placed in
 * a real table, and the MMU's granted rights and {@link Descriptor#describe} must match.
 */
class DescriptorVectorsTest {
    record Vector(int level, long descriptor, String el0, String el1, String name, String description) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (InputStream in = DescriptorVectorsTest.class.getResourceAsStream("descriptor-vectors.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+", 6);
                out.add(new Vector(Integer.parseInt(f[0]), Long.parseUnsignedLong(f[1].substring(2), 16),
                        f[2], f[3], f[4], f[5]));
            }
        }
        assertTrue(out.size() >= 15);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vectorDecodesToItsRightsAndDescription(Vector v) {
        assertEquals(v.description(), Descriptor.describe(v.descriptor(), v.level()));

        PhysicalMemory ram = new PhysicalMemory(16L << 20);
        TestTables tables = new TestTables(ram, 0x10_0000, 39);
        long va = 0x40_0000_0000L;
        tables.write(va, v.level(), 0); // creates the tables above
        tables.write(va, v.level(), v.descriptor());
        Mmu mmu = tables.mmu(1, 0);
        assertEquals(v.el0(), rights(mmu, va, 0), "EL0 rights");
        assertEquals(v.el1(), rights(mmu, va, 1), "EL1 rights");
        assertEquals(Descriptor.outputAddress(v.descriptor(), v.level()) | 0x18,
                mmu.traceWalk(va | 0x18, AccessType.READ, 1).pa());
    }

    private static String rights(Mmu mmu, long va, int el) {
        return (allowed(mmu, va, AccessType.READ, el) ? "r" : "-")
                + (allowed(mmu, va, AccessType.WRITE, el) ? "w" : "-")
                + (allowed(mmu, va, AccessType.EXECUTE, el) ? "x" : "-");
    }

    private static boolean allowed(Mmu mmu, long va, AccessType access, int el) {
        try {
            mmu.translate(va, access, el);
            return true;
        } catch (GuestException e) {
            assertEquals(Fault.Kind.PERMISSION, e.fault.kind(), e::getMessage);
            return false;
        }
    }
}
