package a64emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
import java.util.function.Predicate;

/**
 * Replays a file of single instructions recorded from qemu-aarch64 by make-qemu-fpsimd-vectors.py
 * or make-qemu-ext-vectors.py (their common parts in qemu_recorder.py): a line a case,
 * {@code word fpcr nzcv | inputs | result | disassembly}. Each word runs once at {@link #CODE}
 * with the inputs in X/V (every other register zero), that NZCV and FPCR, and the buffer at
 * {@link #BUF} filled with the recorder's per-case pattern. Every register, NZCV, the FPSR
 * flags and every byte of the buffer must then be as qemu left them; a word qemu rejected
 * with SIGILL (UNDEF) must be undefined here, SIGBUS must be an alignment fault and SIGSEGV
 * another abort.
 */
public final class QemuVectorReplay {
    public static final long CODE = 0x1000;
    /** The recorder's memory buffer (the harness maps it at this address). */
    public static final long BUF = 0x20_0000;
    public static final int BUFLEN = 8192;
    /** At most this many differences are listed in a failure. */
    private static final int SHOWN = 20;

    private QemuVectorReplay() {}

    /** One line of a vector file. */
    public record Vector(int word, long fpcr, long nzcv, String inputs, String result, String disassembly) {
        static Vector parse(String line) {
            String[] parts = line.split(" \\| ");
            String[] head = parts[0].trim().split(" ");
            return new Vector(Integer.parseUnsignedInt(head[0], 16), Long.parseUnsignedLong(head[1], 16),
                    Long.parseUnsignedLong(head[2], 16), parts[1], parts[2].trim(), parts.length > 3 ? parts[3] : "");
        }
    }

    /** What a replay found: the cases read, how many qemu called UNDEF, and every disagreement. */
    public record Result(int cases, int undefined, List<String> failures) {
        public void assertMatchesQemu() {
            assertEquals(List.of(), failures.subList(0, Math.min(SHOWN, failures.size())),
                    failures.size() + " of " + cases + " cases differ from qemu");
        }
    }

    /**
     * Replays the resource {@code file} beside {@code owner}, leaving out the cases
     * {@code qemuIsNotTheReference} names (each still runs, so the machine state they leave is
     * as before).
     */
    public static Result replay(Class<?> owner, String file, Predicate<Vector> qemuIsNotTheReference)
            throws IOException {
        Cpu cpu = new Cpu(new Mmu(new PhysicalMemory(4 << 20)));
        List<String> failures = new ArrayList<>();
        int cases = 0;
        int undefined = 0;
        try (InputStream in = owner.getResourceAsStream(file)) {
            assertNotNull(in, file + " missing");
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                Vector v = Vector.parse(line);
                byte[] expectedMem = initialBuffer(cases++);
                ExceptionInfo e = run(cpu, v, expectedMem);
                if (qemuIsNotTheReference.test(v)) {
                    continue;
                }
                undefined += v.result().equals("UNDEF") ? 1 : 0;
                String failure = compare(cpu, v, e, expectedMem);
                if (failure != null) {
                    failures.add(String.format("%08x %s", v.word(), v.disassembly()) + failure);
                }
            }
        }
        return new Result(cases, undefined, failures);
    }

    /** Sets up the machine as the recorder did for {@code v} and steps its word once. */
    private static ExceptionInfo run(Cpu cpu, Vector v, byte[] buffer) {
        Arrays.fill(cpu.x, 0);
        Arrays.fill(cpu.v, 0);
        cpu.fpcr = v.fpcr();
        cpu.nzcv = (int) v.nzcv();
        cpu.fpsr = 0;
        cpu.clearExclusive();
        cpu.ram.write(BUF, buffer, 0, BUFLEN);
        apply(v.inputs(), cpu.x, cpu.v, null);
        cpu.ram.write32(CODE, v.word());
        cpu.pc = CODE;
        return cpu.step();
    }

    /** Null if the step that gave {@code e} left what qemu recorded, else the differences. */
    private static String compare(Cpu cpu, Vector v, ExceptionInfo e, byte[] expectedMem) {
        switch (v.result()) {
            case "UNDEF":
                return e == null || e.ec() != Esr.EC_UNKNOWN ? ": qemu says undefined, a64emu gave " + e : null;
            case "SIGBUS":
                return e == null || e.fault() == null || e.fault().kind() != Fault.Kind.ALIGNMENT
                        ? ": qemu raised SIGBUS, a64emu gave " + e : null;
            case "SIGSEGV":
                return e == null || !e.isAbort() || e.fault().kind() == Fault.Kind.ALIGNMENT
                        ? ": qemu raised SIGSEGV, a64emu gave " + e : null;
            default:
                if (e != null) {
                    return ": unexpected " + e;
                }
        }
        long[] expectedX = new long[32];
        long[] expectedV = new long[64];
        apply(v.inputs(), expectedX, expectedV, null);
        apply(v.result(), expectedX, expectedV, expectedMem);
        long expectedNzcv = 0;
        long expectedFpsr = 0;
        for (String token : v.result().split(" ")) {
            if (token.startsWith("nzcv=")) {
                expectedNzcv = Long.parseUnsignedLong(token.substring(5), 16);
            } else if (token.startsWith("fpsr=")) {
                expectedFpsr = Long.parseUnsignedLong(token.substring(5), 16);
            }
        }
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
        return diff.length() == 0 ? null : " fpcr=" + Long.toHexString(v.fpcr()) + ":" + diff;
    }

    /** The recorder's per-case buffer pattern (qemu_recorder.py fills it the same way). */
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
