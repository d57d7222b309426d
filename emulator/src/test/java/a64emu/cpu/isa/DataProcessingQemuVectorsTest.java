package a64emu.cpu.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.cpu.ExceptionInfo;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Mmu;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays integer data-processing instructions whose results were recorded from
 * qemu-aarch64 (an oracle no one here wrote): see make-qemu-vectors.py beside the data.
 */
class DataProcessingQemuVectorsTest {
    private static final long FIRST_PC = 0x400020;
    private static final int CASE_STRIDE = 52;

    private record Case(int index, int word, long[] before, long[] after, String text) {}

    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = DataProcessingQemuVectorsTest.class.getResourceAsStream("qemu-vectors.txt")) {
            assertNotNull(in, "qemu-vectors.txt missing");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            int index = 0;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.split(" \\| ");
                cases.add(new Case(index++, Integer.parseUnsignedInt(parts[0], 16),
                        parseValues(parts[1]), parseValues(parts[2]), parts[3]));
            }
        }
        return cases;
    }

    private static long[] parseValues(String field) {
        String[] tokens = field.trim().split(" ");
        long[] values = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            values[i] = Long.parseUnsignedLong(tokens[i], 16);
        }
        return values;
    }

    @Test
    void integerDataProcessingMatchesQemu() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 500, "expected the recorded vectors, found " + cases.size());
        PhysicalMemory ram = new PhysicalMemory(8L << 20);
        Cpu cpu = new Cpu(new Mmu(ram));
        List<String> mismatches = new ArrayList<>();
        for (Case c : cases) {
            long pc = FIRST_PC + (long) CASE_STRIDE * c.index();
            ram.write32(pc, c.word());
            for (int r = 0; r < 8; r++) {
                cpu.x[r] = c.before()[r];
            }
            cpu.nzcv = (int) c.before()[8];
            cpu.pc = pc;
            ExceptionInfo e = cpu.step();
            assertNull(e, () -> c.text() + ": " + e);
            for (int r = 0; r < 8; r++) {
                if (cpu.x[r] != c.after()[r]) {
                    mismatches.add(String.format("%s: x%d = %x, qemu %x", c.text(), r, cpu.x[r], c.after()[r]));
                }
            }
            if ((cpu.nzcv & 0xFFFF_FFFFL) != c.after()[8]) {
                mismatches.add(String.format("%s: nzcv = %x, qemu %x", c.text(), cpu.nzcv, c.after()[8]));
            }
            assertEquals(pc + 4, cpu.pc, c.text());
        }
        assertEquals(List.of(), mismatches);
    }
}
