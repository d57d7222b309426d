package a64emu.tools.difftest;

import a64emu.cpu.isa.SystemRegisterAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The second oracle, for what Unicorn's QEMU 2.2 lacks: qemu-aarch64 7.2 running a small
 * static guest program ({@code qemu-oracle.c} and {@code qemu-oracle.S}, built here with
 * aarch64-linux-gnu-gcc on first use) that maps the scratch memory at its a64emu
 * addresses (page 0 included, which qemu-aarch64 allows its guest), runs each case's
 * instruction in its slot with the whole state loaded, and
 * writes the resulting state and changed bytes back. A dev-time tool: the cross
 * compiler and qemu-user are not needed by the test suite, which replays recorded
 * outcomes ({@link QemuVectors}).
 *
 * <p>Limits, by construction: the instruction must fall through (branches are not
 * generated for this oracle); TPIDR_EL0 carries the driver's own return path and is not compared; the
 * CPU is {@code max} without pointer authentication, which a64emu does not implement.
 */
final class QemuOracle implements Oracle {
    static final String CPU = "max,pauth=off";
    /** Cases per qemu-aarch64 process. */
    static final int BATCH = 4096;
    private static final int RECORD_WORDS = 103;
    private static final int STATE_WORDS = 100;
    private static final String[] SOURCES = {"qemu-oracle.c", "qemu-oracle.S"};

    private final ScratchMemory memory;
    private final Path workDir;
    private final Path driver;

    QemuOracle(ScratchMemory memory, Path workDir) {
        this.memory = memory;
        this.workDir = workDir;
        this.driver = workDir.resolve("qemu-oracle");
    }

    static boolean available() {
        return onPath("qemu-aarch64") && onPath("aarch64-linux-gnu-gcc");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Not run here: branches (the instruction must fall through to the trampoline);
     * PC-relative loads (they read the trampoline around the slot); DC ZVA and MRS
     * DCZID_EL0 (qemu's max CPU has another, implementation-defined, DC ZVA block size).
     * Unicorn checks all of them.
     */
    @Override
    public boolean canRun(DiffCase c) {
        String name = c.encoding().name();
        return !isBranch(name) && !name.contains("_LIT") && !name.equals("DC_ZVA")
                && !(name.equals("MRS") && ((c.word() >>> 5) & 0xFFFF) == SystemRegisterAccess.DCZID_EL0);
    }

    @Override
    public List<OracleQuirk> quirks() {
        return OracleQuirk.QEMU;
    }

    @Override
    public boolean comparesTpidr() {
        return false;
    }

    @Override
    public String name() {
        return "qemu-aarch64 -cpu " + CPU;
    }

    @Override
    public void close() {
        // One process per batch: nothing stays open.
    }

    private static boolean isBranch(String name) {
        return List.of("B", "BL", "B_COND", "CBZ", "CBNZ", "TBZ", "TBNZ", "BR", "BLR", "RET").contains(name);
    }

    /**
     * Runs the cases in qemu-aarch64 processes; the outcomes are in the same order. When a
     * process's output ends early, the rest run in a new process; a case after which the
     * guest program wrote nothing more is reported as an oracle failure (a mismatch), so
     * that it is looked at rather than lost.
     */
    @Override
    public List<Outcome> run(List<DiffCase> cases) {
        List<Outcome> outcomes = new ArrayList<>();
        while (outcomes.size() < cases.size()) {
            List<DiffCase> rest = cases.subList(outcomes.size(), cases.size());
            List<Outcome> got = runProcess(rest);
            if (got.isEmpty()) {
                outcomes.add(Outcome.exception(Outcome.Kind.OTHER_EXCEPTION,
                        "qemu-oracle wrote no outcome for this case (its output ended here)"));
            }
            outcomes.addAll(got);
        }
        return outcomes;
    }

    private List<Outcome> runProcess(List<DiffCase> cases) {
        try {
            build();
            // Per-process names: runs may share a work directory (the driver is built once).
            Path ref = Files.createTempFile(workDir, "reference", ".bin");
            Path in = Files.createTempFile(workDir, "cases", ".bin");
            Path out = Files.createTempFile(workDir, "outcomes", ".bin");
            Files.write(ref, memory.reference);
            ByteBuffer b = ByteBuffer.allocate(cases.size() * RECORD_WORDS * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (DiffCase c : cases) {
                MachineState s = c.input();
                for (long x : s.x) {
                    b.putLong(x);
                }
                b.putLong(s.sp).putLong(s.nzcv & 0xFFFF_FFFFL).putLong(s.fpcr).putLong(s.fpsr).putLong(s.tpidr);
                for (long v : s.v) {
                    b.putLong(v);
                }
                b.putLong(c.word() & 0xFFFF_FFFFL).putLong(s.pc).putLong(s.pc - 4);
            }
            Files.write(in, b.array());
            exec(List.of("qemu-aarch64", "-cpu", CPU, driver.toString(), ref.toString(), in.toString(), out.toString()));
            byte[] outcomes = Files.readAllBytes(out);
            Files.delete(ref);
            Files.delete(in);
            Files.delete(out);
            return parse(outcomes, cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Outcome> parse(byte[] data, List<DiffCase> cases) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        List<Outcome> outcomes = new ArrayList<>();
        for (DiffCase c : cases) {
            if (b.remaining() < 8) {
                break;
            }
            int status = (int) b.getLong();
            if (status != 0) {
                outcomes.add(Outcome.exception(kindOfSignal(status), "signal " + status));
                continue;
            }
            if (b.remaining() < 8 * (STATE_WORDS + 1)) {
                break;
            }
            long[] w = new long[STATE_WORDS];
            for (int i = 0; i < STATE_WORDS; i++) {
                w[i] = b.getLong();
            }
            MachineState s = new MachineState();
            System.arraycopy(w, 0, s.x, 0, 31);
            s.sp = w[31];
            s.nzcv = (int) w[32];
            s.fpcr = w[33];
            s.fpsr = w[34];
            s.tpidr = c.input().tpidr;
            System.arraycopy(w, 36, s.v, 0, 64);
            s.pc = c.input().pc + 4;
            long changed = b.getLong();
            if (b.remaining() < 16 * changed) {
                break;
            }
            SortedMap<Long, Byte> written = new TreeMap<>();
            for (long i = 0; i < changed; i++) {
                long at = b.getLong();
                written.put(at, (byte) b.getLong());
            }
            outcomes.add(new Outcome(Outcome.Kind.RETIRED, "", s, written));
        }
        return outcomes;
    }

    /** SIGILL 4, SIGTRAP 5, SIGBUS 7, SIGFPE 8, SIGSEGV 11 (Linux asm-generic numbers). */
    private static Outcome.Kind kindOfSignal(int signal) {
        return switch (signal) {
            case 4 -> Outcome.Kind.UNDEFINED;
            case 7, 11 -> Outcome.Kind.DATA_ABORT;
            default -> Outcome.Kind.OTHER_EXCEPTION;
        };
    }

    private void build() throws IOException {
        if (Files.isExecutable(driver)) {
            return;
        }
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of("aarch64-linux-gnu-gcc", "-O1", "-fno-delete-null-pointer-checks", "-static", "-o", driver.toString()));
        for (String name : SOURCES) {
            Path source = workDir.resolve(name);
            try (InputStream s = QemuOracle.class.getResourceAsStream(name)) {
                if (s == null) {
                    throw new IOException(name + " is missing from the class path");
                }
                Files.write(source, s.readAllBytes());
            }
            command.add(source.toString());
        }
        exec(command);
    }

    private static void exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + new String(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
