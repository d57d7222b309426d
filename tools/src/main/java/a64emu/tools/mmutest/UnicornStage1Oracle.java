package a64emu.tools.mmutest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import unicorn.Arm64Const;
import unicorn.Unicorn;
import unicorn.UnicornConst;

/**
 * One data access made by Unicorn 1.x (QEMU 2.2's AArch64 core) with its MMU on, so the
 * address goes through QEMU's own stage 1 table walker ({@code get_phys_addr_lpae}).
 *
 * <p>Unicorn starts at EL1 with the MMU off. The program below, placed at {@code codePa},
 * writes MAIR/TCR/TTBR0/TTBR1, sets SCTLR_EL1 bits, and makes one access; the caller must
 * have identity-mapped the code page in the TTBR0 tables, because the instructions after
 * the SCTLR write are fetched through the MMU. EL0 accesses use LDTR/STTR, which EL1 executes
 * with EL0's permissions. Unicorn 1.x also insists that the VA be mapped in its flat
 * physical space (its softmmu checks the VA before QEMU translates it), so that page is mapped
 * too. When a translation faults, Unicorn 1.x kills the JVM (reference/oracles.md): run
 * accesses that may fault through {@link #main} in a child JVM ({@link UnicornChild}).
 */
public final class UnicornStage1Oracle {
    private static final long PAGE = 0x1000;

    // Hand-assembled (aarch64-linux-gnu-as), see the mnemonics beside each word.
    private static final int[] PROLOGUE = {
            0xd518a201, // msr mair_el1, x1
            0xd5182042, // msr tcr_el1, x2
            0xd5182003, // msr ttbr0_el1, x3
            0xd5182024, // msr ttbr1_el1, x4
            0xd5033fdf, // isb
            0xd5381008, // mrs x8, sctlr_el1
            0xaa050108, // orr x8, x8, x5
            0xd5181008, // msr sctlr_el1, x8   (ends QEMU's translation block: next fetch is translated)
            0xd5033fdf, // isb
    };
    public static final int LDR = 0xf94000c0;   // ldr  x0, [x6]
    public static final int LDTR = 0xf84008c0;  // ldtr x0, [x6]   (EL0 permissions)
    public static final int STR = 0xf90000c7;   // str  x7, [x6]
    public static final int STTR = 0xf80008c7;  // sttr x7, [x6]   (EL0 permissions)
    private static final int NOP = 0xd503201f;

    /** The registers a case sets, as MSR writes them. */
    public record Registers(long mair, long tcr, long ttbr0, long ttbr1, long sctlrBits) {}

    /**
     * One access to make, as a line of text so that a child JVM can run it: a crash inside
     * Unicorn then ends the child, not the test run.
     */
    public record Job(String name, Registers regs, long codePa, int accessWord, long va, long storeValue, long observePa,
               Map<Long, Long> memory) {
        String toLine() {
            StringBuilder sb = new StringBuilder(name);
            for (long v : new long[] {regs.mair(), regs.tcr(), regs.ttbr0(), regs.ttbr1(), regs.sctlrBits(), codePa,
                    accessWord & 0xffff_ffffL, va, storeValue, observePa}) {
                sb.append(' ').append(Long.toHexString(v));
            }
            memory.forEach((pa, v) -> sb.append(' ').append(Long.toHexString(pa)).append('=').append(Long.toHexString(v)));
            return sb.toString();
        }

        static Job parse(String line) {
            String[] w = line.split(" ");
            long[] f = new long[10];
            for (int i = 0; i < f.length; i++) {
                f[i] = Long.parseUnsignedLong(w[i + 1], 16);
            }
            Map<Long, Long> memory = new LinkedHashMap<>();
            for (int i = 11; i < w.length; i++) {
                int eq = w[i].indexOf('=');
                memory.put(Long.parseUnsignedLong(w[i].substring(0, eq), 16), Long.parseUnsignedLong(w[i].substring(eq + 1), 16));
            }
            return new Job(w[0], new Registers(f[0], f[1], f[2], f[3], f[4]), f[5], (int) f[6], f[7], f[8], f[9], memory);
        }
    }

    /**
     * Child-JVM entry point: reads {@link Job} lines from stdin and answers each with
     * {@code RESULT name hex} or {@code ERROR name message}, flushing after every line.
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Job j = Job.parse(line);
                out.println("START " + j.name());
                try {
                    long r = access(j.memory(), j.regs(), j.codePa(), j.accessWord(), j.va(), j.storeValue(), j.observePa());
                    out.println("RESULT " + j.name() + " " + Long.toHexString(r));
                } catch (RuntimeException e) {
                    out.println("ERROR " + j.name() + " " + e.toString().replace('\n', ' '));
                }
            }
        }
    }

    /** Fails with the loader's error if the native library cannot be used here. */
    public static void probe() {
        Unicorn uc = new Unicorn(UnicornConst.UC_ARCH_ARM64, UnicornConst.UC_MODE_ARM);
        uc.closeAll();
    }

    /**
     * Runs {@code accessWord} (one of LDR/LDTR/STR/STTR) on {@code va} with {@code memory}
     * (8-byte words by PA; every page holding one is mapped) and returns X0 after a load, or
     * the 8 bytes at {@code observePa} after a store of {@code storeValue}.
     */
    static long access(Map<Long, Long> memory, Registers regs, long codePa, int accessWord, long va,
                       long storeValue, long observePa) {
        Unicorn uc = new Unicorn(UnicornConst.UC_ARCH_ARM64, UnicornConst.UC_MODE_ARM);
        try {
            Set<Long> pages = new TreeSet<>();
            for (long pa : memory.keySet()) {
                pages.add(pa & -PAGE);
            }
            pages.add(codePa & -PAGE);
            pages.add(observePa & -PAGE);
            for (long p : pages) {
                uc.mem_map(p, PAGE, UnicornConst.UC_PROT_ALL);
            }
            // Unicorn 1.x looks the *virtual* address up in its flat map before QEMU's TLB
            // translates it (softmmu "memory might be still unmapped" check), so the VA's page
            // must exist there too. It stays zero: a walk that wrongly ends at PA=VA reads zeros.
            if (!pages.contains(va & -PAGE)) {
                uc.mem_map(va & -PAGE, PAGE, UnicornConst.UC_PROT_ALL);
            }
            for (Map.Entry<Long, Long> e : memory.entrySet()) {
                uc.mem_write(e.getKey(), le64(e.getValue()));
            }
            ByteBuffer code = ByteBuffer.allocate(4 * (PROLOGUE.length + 2)).order(ByteOrder.LITTLE_ENDIAN);
            for (int w : PROLOGUE) {
                code.putInt(w);
            }
            code.putInt(accessWord);
            code.putInt(NOP);
            uc.mem_write(codePa, code.array());
            uc.reg_write(Arm64Const.UC_ARM64_REG_X1, regs.mair());
            uc.reg_write(Arm64Const.UC_ARM64_REG_X2, regs.tcr());
            uc.reg_write(Arm64Const.UC_ARM64_REG_X3, regs.ttbr0());
            uc.reg_write(Arm64Const.UC_ARM64_REG_X4, regs.ttbr1());
            uc.reg_write(Arm64Const.UC_ARM64_REG_X5, regs.sctlrBits());
            uc.reg_write(Arm64Const.UC_ARM64_REG_X6, va);
            uc.reg_write(Arm64Const.UC_ARM64_REG_X7, storeValue);
            long end = codePa + 4L * (PROLOGUE.length + 1);
            uc.emu_start(codePa, end, 0, PROLOGUE.length + 1);
            long pc = ((Number) uc.reg_read(Arm64Const.UC_ARM64_REG_PC)).longValue();
            if (pc != end) {
                throw new IllegalStateException(String.format("Unicorn stopped at PC 0x%x, not 0x%x", pc, end));
            }
            if (accessWord == LDR || accessWord == LDTR) {
                return ((Number) uc.reg_read(Arm64Const.UC_ARM64_REG_X0)).longValue();
            }
            return ByteBuffer.wrap(uc.mem_read(observePa, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } finally {
            uc.closeAll();
        }
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private UnicornStage1Oracle() {}
}
