package a64emu.tools.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary that ends {@code dumpsys meminfo} (frameworks/base ActivityManagerService
 * {@code dumpApplicationMemoryUsage}, with MemInfoReader's sums of /proc/meminfo), over a
 * procrank table of the same moment:
 *
 * <pre>
 *   Total RAM = MemTotal
 *    Free RAM = cached pss + cached kernel + free
 *                 cached pss    = Σ Pss + SwapPss of processes with oom_score_adj ≥ 900 (CACHED_APP_MIN_ADJ)
 *                 cached kernel = Buffers + SReclaimable + Cached - Mapped
 *                 free          = MemFree
 *    Used RAM = used pss + kernel
 *                 used pss      = Σ Pss + SwapPss of the other processes
 *                 kernel        = Shmem + SUnreclaim + VmallocUsed + PageTables + KernelStack
 *    Lost RAM = MemTotal - (Σ Pss) - free - cached kernel - kernel - zram
 *        ZRAM = zram0's mem_used_total, for SwapTotal - SwapFree in swap (SwapTotal total swap)
 * </pre>
 *
 * ActivityManager's process PSS includes the swapped-out PSS (Debug.MemoryInfo.getTotalPss),
 * which Lost RAM takes back out because zram's frames count separately. The formulas follow
 * the AOSP sources; the output has not been compared with a device's.
 */
final class DumpsysMeminfo {
    /** CACHED_APP_MIN_ADJ: from here up, ActivityManager counts a process's PSS as free-able. */
    static final int CACHED_APP_MIN_ADJ = 900;

    record Summary(long totalKb, long cachedPssKb, long cachedKernelKb, long freeKb, long usedPssKb, long kernelKb,
                   long lostKb, long zramKb, long swapUsedKb, long swapTotalKb) {
        long freeRamKb() {
            return cachedPssKb + cachedKernelKb + freeKb;
        }

        long usedRamKb() {
            return usedPssKb + kernelKb;
        }

        /** The lines as dumpsys prints them (stringifyKBSize: thousands grouped, "K"). */
        List<String> lines() {
            return List.of(
                    String.format(Locale.ROOT, "Total RAM: %sK", group(totalKb)),
                    String.format(Locale.ROOT, " Free RAM: %sK (%sK cached pss + %sK cached kernel + %sK free)",
                            group(freeRamKb()), group(cachedPssKb), group(cachedKernelKb), group(freeKb)),
                    String.format(Locale.ROOT, " Used RAM: %sK (%sK used pss + %sK kernel)", group(usedRamKb()),
                            group(usedPssKb), group(kernelKb)),
                    String.format(Locale.ROOT, " Lost RAM: %sK", group(lostKb)),
                    String.format(Locale.ROOT, "     ZRAM: %sK physical used for %sK in swap (%sK total swap)",
                            group(zramKb), group(swapUsedKb), group(swapTotalKb)));
        }

        private static String group(long kb) {
            return String.format(Locale.ROOT, "%,d", kb);
        }
    }

    private DumpsysMeminfo() {}

    /** The summary of the moment {@code table} was taken. */
    static Summary of(Procrank.Table table) {
        Map<String, Long> mi = table.meminfo();
        long cachedPss = 0;
        long usedPss = 0;
        long totalPss = 0;
        for (Procrank.Row r : table.rows()) {
            long pss = r.pss() + r.swapPss();
            totalPss += r.pss();
            if (r.oomScoreAdj() >= CACHED_APP_MIN_ADJ) {
                cachedPss += pss;
            } else {
                usedPss += pss;
            }
        }
        long free = kb(mi, "MemFree");
        long reclaimable = kb(mi, "KReclaimable") != 0 ? kb(mi, "KReclaimable") : kb(mi, "SReclaimable");
        long cachedKernel = kb(mi, "Buffers") + reclaimable + kb(mi, "Cached") - kb(mi, "Mapped");
        long kernel = kb(mi, "Shmem") + kb(mi, "SUnreclaim") + kb(mi, "VmallocUsed") + kb(mi, "PageTables")
                + kb(mi, "KernelStack");
        long total = kb(mi, "MemTotal");
        long lost = total - totalPss - free - cachedKernel - kernel - table.zramKb();
        return new Summary(total, cachedPss, cachedKernel, free, usedPss, kernel, lost, table.zramKb(),
                table.swapUsedKb(), kb(mi, "SwapTotal"));
    }

    private static long kb(Map<String, Long> m, String name) {
        return m.getOrDefault(name, 0L);
    }
}
