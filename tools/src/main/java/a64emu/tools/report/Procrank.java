package a64emu.tools.report;

import a64emu.guest.Process;
import a64emu.guest.mm.PageTables;
import a64emu.guest.mm.Vma;
import a64emu.guest.mm.VmLayout;
import a64emu.mmu.SwapPte;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Android's {@code procrank} (system/memory/libmeminfo/libsmapinfo/smapinfo.cpp,
 * {@code run_procrank}) over the guest's processes at one moment: one row per process with
 * memory, sorted by Pss, the totals and the ZRAM and RAM lines, in procrank's own layout.
 *
 * <p>Vss, Rss, Pss, Uss and Swap are the kernel's own numbers ({@code status} VmSize and
 * {@code smaps_rollup}; Uss = Private_Clean + Private_Dirty). The proportional swap columns are
 * procrank's: it collects the swap offsets every process's page entries hold (libmeminfo reads
 * them from pagemap), counts how many processes reference each, and gives each process
 * PSwap = Σ 4096/n and USwap = the pages with n = 1; ZSwap = PSwap × zram's
 * mem_used_total / (SwapTotal - SwapFree).
 */
final class Procrank {
    /** One process's row, sizes in kB, with the two facts procrank does not print (for dumpsys). */
    record Row(int pid, long vss, long rss, long pss, long uss, long swap, long pswap, long uswap, long zswap,
               String cmdline, long swapPss, int oomScoreAdj) {}

    /** The table at one moment, and the meminfo and zram numbers of its footer. */
    record Table(List<Row> rows, Map<String, Long> meminfo, long zramKb) {
        boolean swapEnabled() {
            return meminfo.getOrDefault("SwapTotal", 0L) > 0;
        }

        boolean zramEnabled() {
            return swapEnabled() && zramKb > 0;
        }

        long swapUsedKb() {
            return meminfo.getOrDefault("SwapTotal", 0L) - meminfo.getOrDefault("SwapFree", 0L);
        }

        /** procrank's output, line by line. */
        List<String> lines() {
            List<String> out = new ArrayList<>();
            boolean swap = swapEnabled();
            boolean zram = zramEnabled();
            StringBuilder h = new StringBuilder(
                    String.format("%5s  %8s  %7s  %7s  %7s  ", "PID", "Vss", "Rss", "Pss", "Uss"));
            if (swap) {
                h.append(String.format("%7s  %7s  %7s  ", "Swap", "PSwap", "USwap"));
                if (zram) {
                    h.append(String.format("%7s  ", "ZSwap"));
                }
            }
            out.add(h.append("cmdline").toString());
            long pss = 0;
            long uss = 0;
            long swapKb = 0;
            long pswap = 0;
            long uswap = 0;
            long zswap = 0;
            for (Row r : rows) {
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%5d  %7dK  %6dK  %6dK  %6dK  ",
                        r.pid(), r.vss(), r.rss(), r.pss(), r.uss()));
                if (swap) {
                    b.append(String.format(Locale.ROOT, "%6dK  %6dK  %6dK  ", r.swap(), r.pswap(), r.uswap()));
                    if (zram) {
                        b.append(String.format(Locale.ROOT, "%6dK  ", r.zswap()));
                    }
                }
                out.add(b.append(r.cmdline()).toString());
                pss += r.pss();
                uss += r.uss();
                swapKb += r.swap();
                pswap += r.pswap();
                uswap += r.uswap();
                zswap += r.zswap();
            }
            StringBuilder d = new StringBuilder(
                    String.format("%5s  %8s  %7s  %7s  %7s  ", "", "", "", "------", "------"));
            if (swap) {
                d.append(String.format("%7s  %7s  %7s  ", "------", "------", "------"));
                if (zram) {
                    d.append(String.format("%7s  ", "------"));
                }
            }
            out.add(d.append("------").toString());
            StringBuilder t = new StringBuilder(
                    String.format(Locale.ROOT, "%5s  %8s  %7s  %6dK  %6dK  ", "", "", "", pss, uss));
            if (swap) {
                t.append(String.format(Locale.ROOT, "%6dK  %6dK  %6dK  ", swapKb, pswap, uswap));
                if (zram) {
                    t.append(String.format(Locale.ROOT, "%6dK  ", zswap));
                }
            }
            out.add(t.append("TOTAL").toString());
            out.add("");
            if (swap) {
                out.add(String.format(Locale.ROOT, "ZRAM: %dK physical used for %dK in swap (%dK total swap)",
                        zramKb, swapUsedKb(), meminfo.getOrDefault("SwapTotal", 0L)));
            }
            out.add(String.format(Locale.ROOT,
                    " RAM: %dK total, %dK free, %dK buffers, %dK cached, %dK shmem, %dK slab", kb("MemTotal"),
                    kb("MemFree"), kb("Buffers"), kb("Cached"), kb("Shmem"), kb("Slab")));
            return out;
        }

        long kb(String name) {
            return meminfo.getOrDefault(name, 0L);
        }
    }

    private Procrank() {}

    /**
     * procrank now: every process with memory (procrank skips those whose Vss is 0, as a
     * zombie's is), named by {@code names}.
     */
    static Table take(Iterable<Process> processes, KernelView view, long zramMemUsedTotal,
                      java.util.function.Function<Process, String> names) {
        Map<String, Long> meminfo = view.meminfo();
        long swapUsedKb = meminfo.getOrDefault("SwapTotal", 0L) - meminfo.getOrDefault("SwapFree", 0L);
        long zramKb = zramMemUsedTotal / 1024;
        // zram_compression_ratio: zram used / swap used (a float in procrank).
        double ratio = swapUsedKb > 0 && zramKb > 0 ? (float) zramKb / swapUsedKb : 0;

        record Gathered(Process p, Map<String, Long> memory, List<Long> swapOffsets) {}
        List<Gathered> gathered = new ArrayList<>();
        Map<Long, Integer> references = new HashMap<>();
        for (Process p : processes) {
            // An exiting process whose memory is still there counts (the first process at the end).
            if (p.isReleased() || p.mm.isReleased()) {
                continue;
            }
            Map<String, Long> m = view.memory(p.pid);
            if (m == null || m.getOrDefault("VmSize", 0L) == 0) {
                continue;
            }
            List<Long> offsets = swapOffsets(p);
            for (long off : offsets) {
                references.merge(off, 1, Integer::sum);
            }
            gathered.add(new Gathered(p, m, offsets));
        }
        List<Row> rows = new ArrayList<>();
        for (Gathered g : gathered) {
            // ProcessRecord::CalculateSwap, in bytes, then to kB.
            long pswap = 0;
            long uswap = 0;
            for (long off : g.swapOffsets()) {
                int n = references.get(off);
                pswap += VmLayout.PAGE_SIZE / n;
                uswap += n == 1 ? VmLayout.PAGE_SIZE : 0;
            }
            long zswap = (long) (pswap * ratio);
            Map<String, Long> m = g.memory();
            long uss = m.getOrDefault("Private_Clean", 0L) + m.getOrDefault("Private_Dirty", 0L);
            rows.add(new Row(g.p().pid, m.get("VmSize"), m.getOrDefault("Rss", 0L), m.getOrDefault("Pss", 0L), uss,
                    m.getOrDefault("Swap", 0L), pswap / 1024, uswap / 1024, zswap / 1024, names.apply(g.p()),
                    m.getOrDefault("SwapPss", 0L), g.p().oomScoreAdj()));
        }
        rows.sort(Comparator.comparingLong(Row::pss).reversed());
        return new Table(rows, meminfo, zramKb);
    }

    /** The swap offsets the process's page entries hold, one per swapped-out page. */
    private static List<Long> swapOffsets(Process p) {
        List<Long> offsets = new ArrayList<>();
        if (p.mm.pageTables().swapEntries() == 0) {
            return offsets;
        }
        PageTables pt = p.mm.pageTables();
        for (Vma v : p.mm.vmas()) {
            for (long va = v.start(); va < v.end(); va += VmLayout.PAGE_SIZE) {
                long pte = pt.pte(va);
                if (pte != 0 && PageTables.isSwap(pte)) {
                    offsets.add(SwapPte.offset(pte));
                }
            }
        }
        return offsets;
    }
}
