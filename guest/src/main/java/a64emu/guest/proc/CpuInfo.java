package a64emu.guest.proc;

import a64emu.cpu.SystemIds;
import a64emu.guest.sched.Scheduler;

/**
 * /proc/cpuinfo in arm64's format (Linux 6.1 arch/arm64/kernel/cpuinfo.c, c_show): for each
 * online CPU its number, BogoMIPS, the Features line and the fields of MIDR_EL1, each CPU's
 * block ending in a blank line.
 *
 * <p>Features names, in hwcap_str's order, exactly the bits the kernel gives programs in
 * AT_HWCAP and AT_HWCAP2: the caller passes the same values the loader writes into the
 * auxiliary vector, so the two cannot disagree. A bit with no name in Linux 6.1's table is an
 * emulator bug (a feature no Linux of that version could announce) and fails loudly.
 */
final class CpuInfo {
    private CpuInfo() {}

    /** hwcap_str for AT_HWCAP: the name of bit n at index n (asm/hwcap.h HWCAP_*). */
    static final String[] HWCAP_NAMES = {
        "fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32",
        "atomics", "fphp", "asimdhp", "cpuid", "asimdrdm", "jscvt", "fcma", "lrcpc",
        "dcpop", "sha3", "sm3", "sm4", "asimddp", "sha512", "sve", "asimdfhm",
        "dit", "uscat", "ilrcpc", "flagm", "ssbs", "sb", "paca", "pacg",
    };

    /** hwcap_str for AT_HWCAP2, which follows AT_HWCAP's names: bit n at index n (HWCAP2_*). */
    static final String[] HWCAP2_NAMES = {
        "dcpodp", "sve2", "sveaes", "svepmull", "svebitperm", "svesha3", "svesm4", "flagm2",
        "frint", "svei8mm", "svef32mm", "svef64mm", "svebf16", "i8mm", "bf16", "dgh",
        "rng", "bti", "mte", "ecv", "afp", "rpres", "mte3", "sme",
        "smei16i64", "smef64f64", "smei8i32", "smef16f32", "smeb16f32", "smef32f32", "smefa64", "wfxt",
        "ebf16", "sveebf16",
    };

    static byte[] show(SystemIds ids, long hwcap, long hwcap2) {
        long midr = ids.midr();
        SeqFile m = new SeqFile();
        for (int cpu = 0; cpu < Scheduler.NR_CPUS; cpu++) {
            m.printf("processor\t: %d\n", cpu);
            long lpj = loopsPerJiffy(ids.cntfrq());
            m.printf("BogoMIPS\t: %d.%02d\n", lpj / (500000 / Scheduler.HZ), lpj / (5000 / Scheduler.HZ) % 100);
            m.puts("Features\t:").puts(features(hwcap, hwcap2)).putc('\n');
            m.printf("CPU implementer\t: 0x%02x\n", (midr >>> 24) & 0xff);
            m.puts("CPU architecture: 8\n");
            m.printf("CPU variant\t: 0x%x\n", (midr >>> 20) & 0xf);
            m.printf("CPU part\t: 0x%03x\n", (midr >>> 4) & 0xfff);
            m.printf("CPU revision\t: %d\n\n", midr & 0xf);
        }
        return m.bytes();
    }

    /**
     * arm64's time_init calibrates the delay loop from the generic timer: lpj_fine, and so
     * loops_per_jiffy, is the timer's frequency over HZ.
     */
    static long loopsPerJiffy(long timerHz) {
        return timerHz / Scheduler.HZ;
    }

    /** " name" for each set bit, AT_HWCAP's bits first, each set in ascending order. */
    static String features(long hwcap, long hwcap2) {
        StringBuilder b = new StringBuilder();
        names(b, hwcap, HWCAP_NAMES, "AT_HWCAP");
        names(b, hwcap2, HWCAP2_NAMES, "AT_HWCAP2");
        return b.toString();
    }

    private static void names(StringBuilder b, long bits, String[] table, String vector) {
        for (int bit = 0; bit < 64; bit++) {
            if ((bits & (1L << bit)) == 0) {
                continue;
            }
            if (bit >= table.length) {
                throw new IllegalStateException(vector + " bit " + bit + " has no name in Linux 6.1's hwcap_str");
            }
            b.append(' ').append(table[bit]);
        }
    }
}
