package a64emu.tools.report;

import a64emu.guest.Kernel;
import a64emu.guest.fs.ErrnoException;
import a64emu.guest.fs.SyntheticNode;
import a64emu.guest.proc.KernelProcesses;
import a64emu.guest.proc.ProcFs;
import a64emu.guest.proc.ProcessTable;
import a64emu.guest.proc.ProcessView;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest kernel's /proc, read by the report as the kernel itself reads it (no calling
 * process, so no permission check stands in the way), the way procrank and dumpsys read a
 * phone's: every number the report shows per process (Vss, Rss, Pss, Uss, Swap, SwapPss) comes
 * from the files the guest sees ({@code status}, {@code smaps_rollup}, {@code cmdline}), so it
 * is computed once, by the kernel's own page walk, and never estimated here.
 */
final class KernelView {
    private final ProcFs proc;

    KernelView(Kernel kernel) {
        KernelProcesses processes = new KernelProcesses(kernel);
        this.proc = new ProcFs(new AsTheKernel(processes), processes, kernel.frames());
    }

    /** /proc/meminfo as name to kB ("MemFree" to 1234). */
    Map<String, Long> meminfo() {
        return keyValues(read(List.of("meminfo")));
    }

    /** The smaps_rollup and status numbers of a process, in kB; null if it has gone. */
    Map<String, Long> memory(int pid) {
        String pidDir = Integer.toString(pid);
        String rollup = read(List.of(pidDir, "smaps_rollup"));
        String status = read(List.of(pidDir, "status"));
        if (rollup == null || status == null) {
            return null;
        }
        Map<String, Long> m = keyValues(rollup);
        m.put("VmSize", keyValues(status).getOrDefault("VmSize", 0L));
        return m;
    }

    /**
     * The process's name as procrank prints it: /proc/PID/cmdline up to its first NUL, i.e.
     * argv[0] (what zygote sets to the package name); null if it has none or has gone.
     */
    String cmdline(int pid) {
        String text = read(List.of(Integer.toString(pid), "cmdline"));
        if (text == null || text.isEmpty()) {
            return null;
        }
        int nul = text.indexOf('\0');
        String first = nul < 0 ? text : text.substring(0, nul);
        return first.isEmpty() ? null : first;
    }

    /**
     * The file's text as one reader sees it from its start: through its in-place reader
     * (seq_file files such as smaps_rollup), else its contents; null if it is not there or
     * cannot be read (the process has gone).
     */
    private String read(List<String> path) {
        SyntheticNode node = proc.lookup(path);
        if (node == null) {
            return null;
        }
        try {
            SyntheticNode.PositionalReader reader = node.openReader();
            if (reader == null) {
                return new String(node.contents(), StandardCharsets.ISO_8859_1);
            }
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (long n; (n = reader.read(text.size(), buf, 0, buf.length)) > 0; ) {
                text.write(buf, 0, (int) n);
            }
            return text.toString(StandardCharsets.ISO_8859_1);
        } catch (ErrnoException gone) {
            return null;
        }
    }

    /** "Name:   1234 kB" lines to Name -> 1234 (the first number after the colon). */
    static Map<String, Long> keyValues(String text) {
        Map<String, Long> m = new HashMap<>();
        if (text == null) {
            return m;
        }
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] fields = line.substring(colon + 1).trim().split("\\s+");
            if (fields.length > 0 && fields[0].matches("\\d+")) {
                m.put(line.substring(0, colon), Long.parseLong(fields[0]));
            }
        }
        return m;
    }

    /** The process table with no current process: a read by the kernel itself. */
    private record AsTheKernel(ProcessTable table) implements ProcessTable {
        @Override
        public ProcessView current() {
            return null;
        }

        @Override
        public int currentTid() {
            return -1;
        }

        @Override
        public ProcessView find(int pid) {
            return table.find(pid);
        }

        @Override
        public List<ProcessView> processes() {
            return table.processes();
        }
    }
}
