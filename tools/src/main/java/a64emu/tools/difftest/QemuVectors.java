package a64emu.tools.difftest;

import a64emu.cpu.decode.Encoding;
import a64emu.cpu.decode.EncodingTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Recorded qemu-aarch64 outcomes, so that the test suite checks what Unicorn cannot
 * without the cross tools. One line per case:
 * {@code CLASS ENCODING WORD PC STATESEED | KIND [FIELD=VALUE...] | mem [ADDR=BYTE...]}:
 * the input state is regenerated from STATESEED ({@link CaseGenerator#inputState}), the
 * outcome lists only the registers that differ from the input. The header line
 * {@code # seed S} names the scratch memory. A change to the state randomiser means
 * recording again ({@code a64emu difftest --oracle qemu --record FILE}).
 */
final class QemuVectors {
    private QemuVectors() {}

    record Vector(DiffCase c, Outcome oracle) {}

    static void writeHeader(PrintWriter out, long seed, String command) {
        out.println("# seed " + seed);
        out.println("# qemu-aarch64 7.2 -cpu " + QemuOracle.CPU + " outcomes, recorded by: " + command);
    }

    static String line(DiffCase c, Outcome o) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%s %s %08x %x %x | %s", c.className(), c.encoding().name(), c.word(), c.input().pc,
                c.stateSeed(), o.kind()));
        if (o.kind() == Outcome.Kind.RETIRED) {
            long[] in = fields(c.input());
            long[] out = fields(o.state());
            for (int i = 0; i < in.length; i++) {
                if (in[i] != out[i]) {
                    b.append(' ').append(i).append('=').append(Long.toHexString(out[i]));
                }
            }
            b.append(" | mem");
            o.written().forEach((at, v) -> b.append(String.format(" %x=%02x", at, v & 0xFF)));
        }
        return b.toString();
    }

    /** X0-X30, SP, PC, NZCV, FPCR, FPSR, TPIDR_EL0, then the 64 halves of V0-V31. */
    private static long[] fields(MachineState s) {
        long[] f = new long[101];
        System.arraycopy(s.x, 0, f, 0, 31);
        f[31] = s.sp;
        f[32] = s.pc;
        f[33] = s.nzcv & 0xFFFF_FFFFL;
        f[34] = s.fpcr;
        f[35] = s.fpsr;
        f[36] = s.tpidr;
        System.arraycopy(s.v, 0, f, 37, 64);
        return f;
    }

    private static MachineState state(long[] f) {
        MachineState s = new MachineState();
        System.arraycopy(f, 0, s.x, 0, 31);
        s.sp = f[31];
        s.pc = f[32];
        s.nzcv = (int) f[33];
        s.fpcr = f[34];
        s.fpsr = f[35];
        s.tpidr = f[36];
        System.arraycopy(f, 37, s.v, 0, 64);
        return s;
    }

    /** Reads every vector of {@code in} into {@code vectors}; returns the seed of the header. */
    static long read(BufferedReader in, List<Vector> vectors) throws IOException {
        Map<String, Encoding> byName = new HashMap<>();
        for (Encoding e : EncodingTable.all()) {
            byName.put(e.name(), e);
        }
        long seed = 0;
        long index = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("# seed ")) {
                seed = Long.parseLong(line.substring(7).trim());
                continue;
            }
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" \\| ");
            String[] head = parts[0].split(" ");
            Encoding e = byName.get(head[1]);
            if (e == null) {
                throw new IOException("vector for an encoding no longer in the table: " + line);
            }
            int word = (int) Long.parseLong(head[2], 16);
            long pc = Long.parseLong(head[3], 16);
            long stateSeed = Long.parseUnsignedLong(head[4], 16);
            MachineState input = CaseGenerator.inputState(e, word, stateSeed, pc);
            DiffCase c = new DiffCase(index++, head[0], e, word, stateSeed, input);
            String[] out = parts[1].split(" ");
            Outcome.Kind kind = Outcome.Kind.valueOf(out[0]);
            if (kind != Outcome.Kind.RETIRED) {
                vectors.add(new Vector(c, Outcome.exception(kind, "recorded")));
                continue;
            }
            long[] f = fields(input);
            for (int i = 1; i < out.length; i++) {
                String[] kv = out[i].split("=");
                f[Integer.parseInt(kv[0])] = Long.parseUnsignedLong(kv[1], 16);
            }
            SortedMap<Long, Byte> written = new TreeMap<>();
            String mem = parts[2].substring(3).trim();
            if (!mem.isEmpty()) {
                for (String pair : mem.split(" ")) {
                    String[] kv = pair.split("=");
                    written.put(Long.parseLong(kv[0], 16), (byte) Integer.parseInt(kv[1], 16));
                }
            }
            vectors.add(new Vector(c, new Outcome(kind, "", state(f), written)));
        }
        return seed;
    }

    /**
     * Replays vectors on a64emu: the mismatch lines (empty when a64emu agrees with every
     * one, or differs only as a documented qemu quirk explains).
     */
    static List<String> replay(long seed, List<Vector> vectors) {
        return replay(seed, vectors, A64emuRunner.Engine.INTERP);
    }

    /** {@link #replay(long, List)} on a64emu's {@code engine}. */
    static List<String> replay(long seed, List<Vector> vectors, A64emuRunner.Engine engine) {
        ScratchMemory memory = new ScratchMemory(seed);
        A64emuRunner a64emu = new A64emuRunner(memory, engine);
        List<String> mismatches = new ArrayList<>();
        for (Vector v : vectors) {
            DiffCase c = v.c();
            memory.putWord(c.input().pc, c.word());
            Outcome ours = a64emu.run(c);
            List<String> d = Comparator.differences(ours, v.oracle(), memory.reference, false);
            if (!d.isEmpty() && OracleQuirk.find(OracleQuirk.QEMU, c, ours, v.oracle()) == null) {
                mismatches.add(String.format("%s %s word=0x%08x pc=%x state seed %x: %s", c.className(),
                        c.encoding().name(), c.word(), c.input().pc, c.stateSeed(), String.join("; ", d)));
            }
        }
        return mismatches;
    }
}
