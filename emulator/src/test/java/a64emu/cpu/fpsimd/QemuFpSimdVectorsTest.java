package a64emu.cpu.fpsimd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.EncodingTable;
import a64emu.cpu.isa.FloatingPoint;
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
 * Replays scalar FP and Advanced SIMD instructions whose results were recorded from
 * qemu-aarch64 -cpu cortex-a53 (see make-qemu-fpsimd-vectors.py beside the data): every
 * register, NZCV and the FPSR flags must match, and words qemu rejected must be
 * undefined here too.
 */
class QemuFpSimdVectorsTest {
    private static final long CODE = 0x1000;

    @Test
    void fpAndSimdDataProcessingMatchesQemu() throws IOException {
        Cpu cpu = new Cpu(new Mmu(new PhysicalMemory(1 << 20)));
        List<String> failures = new ArrayList<>();
        int cases = 0;
        int undefined = 0;
        try (InputStream in = getClass().getResourceAsStream("qemu-fpsimd-vectors.txt")) {
            assertNotNull(in, "qemu-fpsimd-vectors.txt missing");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                cases++;
                String[] parts = line.split(" \\| ");
                String[] head = parts[0].trim().split(" ");
                int word = Integer.parseUnsignedInt(head[0], 16);

                java.util.Arrays.fill(cpu.x, 0);
                java.util.Arrays.fill(cpu.v, 0);
                cpu.fpcr = Long.parseUnsignedLong(head[1], 16);
                cpu.nzcv = (int) Long.parseUnsignedLong(head[2], 16);
                cpu.fpsr = 0;
                long[] expectedX = new long[32];
                long[] expectedV = new long[64];
                apply(parts[1], cpu.x, cpu.v);
                apply(parts[1], expectedX, expectedV);

                cpu.ram.write32(CODE, word);
                cpu.pc = CODE;
                ExceptionInfo e = cpu.step();
                String result = parts[2].trim();
                String where = String.format("%08x %s", word, parts.length > 3 ? parts[3] : "");
                if (result.equals("UNDEF") && isBeyondCortexA53(word)) {
                    continue; // a64emu implements it; qemu-ext-vectors.txt (-cpu max) checks it
                }
                if (result.equals("UNDEF")) {
                    undefined++;
                    if (e == null || e.ec() != Esr.EC_UNKNOWN) {
                        failures.add(where + ": qemu says undefined, a64emu gave " + e);
                    }
                    continue;
                }
                if (e != null) {
                    failures.add(where + ": unexpected " + e);
                    continue;
                }
                long expectedNzcv = 0;
                long expectedFpsr = 0;
                for (String token : result.split(" ")) {
                    if (token.startsWith("nzcv=")) {
                        expectedNzcv = Long.parseUnsignedLong(token.substring(5), 16);
                    } else if (token.startsWith("fpsr=")) {
                        expectedFpsr = Long.parseUnsignedLong(token.substring(5), 16);
                    }
                }
                apply(result, expectedX, expectedV);
                StringBuilder diff = new StringBuilder();
                for (int r = 0; r < 31; r++) {
                    if (cpu.x[r] != expectedX[r]) {
                        diff.append(String.format(" x%d=%x (qemu %x)", r, cpu.x[r], expectedX[r]));
                    }
                }
                for (int r = 0; r < 64; r++) {
                    if (cpu.v[r] != expectedV[r]) {
                        diff.append(String.format(" v%d.%s=%x (qemu %x)", r / 2, r % 2 == 0 ? "lo" : "hi",
                                cpu.v[r], expectedV[r]));
                    }
                }
                if ((cpu.nzcv & 0xFFFF_FFFFL) != expectedNzcv) {
                    diff.append(String.format(" nzcv=%x (qemu %x)", cpu.nzcv, expectedNzcv));
                }
                if (cpu.fpsr != expectedFpsr) {
                    diff.append(String.format(" fpsr=%x (qemu %x)", cpu.fpsr, expectedFpsr));
                }
                if (cpu.pc != CODE + 4) {
                    diff.append(" pc=").append(Long.toHexString(cpu.pc));
                }
                if (diff.length() > 0) {
                    failures.add(where + " fpcr=" + head[1] + ":" + diff);
                }
            }
        }
        assertTrue(cases > 1000, "too few cases: " + cases);
        assertTrue(undefined > 0 && undefined < cases, "the data should mix defined and undefined words");
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " of " + cases + " cases differ from qemu");
    }

    /**
     * Words of features the recording CPU (Cortex-A53, ARMv8.0) lacks and a64emu
     * implements, so that the A53's UNDEF no longer applies: the FEAT_FRINTTS scalar
     * forms (FP data-processing one source, opcode 0100xx, ftype 0x) and the FEAT_FP16
     * scalar forms (ftype 11 in the scalar FP groups). qemu-ext-vectors (-cpu max)
     * check both.
     */
    private static boolean isBeyondCortexA53(int word) {
        boolean fpDp1 = (word & 0xFF20_7C00) == 0x1E20_4000;
        int opcode = (word >>> 15) & 0x3F;
        boolean frintts = fpDp1 && (opcode & 0b111100) == 0b010000 && ((word >>> 23) & 1) == 0;
        boolean scalarFp = EncodingTable.groupOf(DECODER.decode(word)) == FloatingPoint.class;
        return frintts || (scalarFp && ((word >>> 22) & 3) == 3);
    }

    private static final Decoder DECODER = new Decoder(EncodingTable.all());

    /** Applies "xN=hex" and "vN=lo,hi" assignments; other tokens are ignored. */
    private static void apply(String assignments, long[] x, long[] v) {
        for (String token : assignments.trim().split(" ")) {
            if (token.isEmpty() || token.indexOf('=') < 0) {
                continue;
            }
            String name = token.substring(0, token.indexOf('='));
            String value = token.substring(token.indexOf('=') + 1);
            if (name.startsWith("x")) {
                x[Integer.parseInt(name.substring(1))] = Long.parseUnsignedLong(value, 16);
            } else if (name.startsWith("v")) {
                int r = Integer.parseInt(name.substring(1));
                String[] halves = value.split(",");
                v[2 * r] = Long.parseUnsignedLong(halves[0], 16);
                v[2 * r + 1] = Long.parseUnsignedLong(halves[1], 16);
            }
        }
    }
}
