package a64emu.cpu.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.cpu.Esr;
import a64emu.cpu.ExceptionInfo;
import a64emu.memory.PhysicalMemory;
import a64emu.mmu.Fault;
import a64emu.mmu.Mmu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays instructions beyond the v8.0 base whose results were recorded from
 * qemu-aarch64 -cpu max (see make-qemu-ext-vectors.py beside the data): every register,
 * NZCV, the FPSR flags and every byte of the memory buffer must match; words qemu
 * rejected with SIGILL must be undefined here, SIGBUS must be an alignment fault and
 * SIGSEGV another abort.
 */
class QemuExtensionVectorsTest {
    private static final long CODE = 0x1000;
    private static final long BUF = 0x20_0000;
    private static final int BUFLEN = 8192;

    @ParameterizedTest
    @ValueSource(strings = {"qemu-lse-vectors.txt", "qemu-simd-ext-vectors.txt", "qemu-crypto-vectors.txt",
            "qemu-misc-ext-vectors.txt", "qemu-simd-memory-vectors.txt", "qemu-simd-saturating-vectors.txt", "qemu-fcma-vectors.txt", "qemu-all-simd-fp-vectors.txt", "qemu-fp16-vectors.txt", "qemu-fp-convert-vectors.txt", "qemu-fhm-vectors.txt"})
    void matchesQemu(String file) throws IOException {
        Cpu cpu = new Cpu(new Mmu(new PhysicalMemory(4 << 20)));
        List<String> failures = new ArrayList<>();
        int cases = 0;
        try (InputStream in = getClass().getResourceAsStream(file)) {
            if (in == null && !file.equals("qemu-lse-vectors.txt")) {
                return; // recorded as the corresponding instructions are added
            }
            assertNotNull(in, file + " missing");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int index = cases++;
                String[] parts = line.split(" \\| ");
                String[] head = parts[0].trim().split(" ");
                int word = Integer.parseUnsignedInt(head[0], 16);

                Arrays.fill(cpu.x, 0);
                Arrays.fill(cpu.v, 0);
                cpu.fpcr = Long.parseUnsignedLong(head[1], 16);
                cpu.nzcv = (int) Long.parseUnsignedLong(head[2], 16);
                cpu.fpsr = 0;
                cpu.clearExclusive();
                byte[] expectedMem = initialBuffer(index);
                cpu.ram.write(BUF, expectedMem, 0, BUFLEN);
                long[] expectedX = new long[32];
                long[] expectedV = new long[64];
                apply(parts[1], cpu.x, cpu.v, null);
                apply(parts[1], expectedX, expectedV, null);

                cpu.ram.write32(CODE, word);
                cpu.pc = CODE;
                ExceptionInfo e = cpu.step();
                String result = parts[2].trim();
                String where = String.format("%08x %s", word, parts.length > 3 ? parts[3] : "");
                if (oracleDiffers(word)) {
                    continue;
                }
                if (result.equals("UNDEF")) {
                    if (e == null || e.ec() != Esr.EC_UNKNOWN) {
                        failures.add(where + ": qemu says undefined, a64emu gave " + e);
                    }
                    continue;
                }
                if (result.equals("SIGBUS")) {
                    if (e == null || e.fault() == null || e.fault().kind() != Fault.Kind.ALIGNMENT) {
                        failures.add(where + ": qemu raised SIGBUS, a64emu gave " + e);
                    }
                    continue;
                }
                if (result.equals("SIGSEGV")) {
                    if (e == null || !e.isAbort() || e.fault().kind() == Fault.Kind.ALIGNMENT) {
                        failures.add(where + ": qemu raised SIGSEGV, a64emu gave " + e);
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
                apply(result, expectedX, expectedV, expectedMem);
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
                byte[] mem = new byte[BUFLEN];
                cpu.ram.read(BUF, mem, 0, BUFLEN);
                for (int k = 0; k < BUFLEN; k++) {
                    if (mem[k] != expectedMem[k]) {
                        diff.append(String.format(" m%x=%02x (qemu %02x)", k, mem[k] & 0xFF, expectedMem[k] & 0xFF));
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
        assertTrue(cases >= 300, "too few cases: " + cases);
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " of " + cases + " cases differ from qemu");
    }

    /**
     * Words where qemu-aarch64 7.2 -cpu max is not the reference, each checked by hand
     * against the ARM ARM: (1) it implements FEAT_BF16 (BFCVT), which a64emu does not
     * advertise and leaves undefined; (2) it executes FMOV (vector, immediate) with op=1,
     * o2=1, an unallocated encoding (objdump agrees); (3) for the scalar FCVTZS/FCVTZU
     * (fixed-point) of a half-precision element it writes 32 result bits, where the
     * ARM ARM's Elem[result, 0, 16] gives 16.
     */
    private static boolean oracleDiffers(int word) {
        boolean bfcvt = (word & 0xFFFF_FC00) == 0x1E63_4000;
        boolean fmovImmOp1O2 = (word & 0xBFF8_FC00) == 0x2F00_FC00;
        boolean scalarHalfFcvtz = (word & 0xDFF0_FC00) == 0x5F10_FC00;
        return bfcvt || fmovImmOp1O2 || scalarHalfFcvtz;
    }

    /** The script's per-case buffer pattern. */
    private static byte[] initialBuffer(int index) {
        byte[] b = new byte[BUFLEN];
        for (int k = 0; k < BUFLEN; k++) {
            b[k] = (byte) (k * 131 + index * 7 + (k >> 8));
        }
        return b;
    }

    /** Applies "xN=hex", "vN=lo,hi" and "mOFF=bytes" assignments; other tokens are ignored. */
    private static void apply(String assignments, long[] x, long[] v, byte[] mem) {
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
            } else if (name.startsWith("m") && mem != null) {
                int off = Integer.parseInt(name.substring(1), 16);
                for (int k = 0; k < value.length() / 2; k++) {
                    mem[off + k] = (byte) Integer.parseInt(value.substring(2 * k, 2 * k + 2), 16);
                }
            }
        }
    }
}
