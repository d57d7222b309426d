package a64emu.guest.proc;

import a64emu.guest.mm.SwapSpace;
import a64emu.guest.mm.VmLayout;

/**
 * /proc/swaps (Linux 6.1 mm/swapfile.c, swap_show): a header, then one line per swap area in
 * use: its path, padded to 40 columns; "partition" for a block device ("file" and a tab for a
 * swap file); its size and the part in use in kB, each followed by a second tab while it has
 * fewer than 8 digits; its priority. Without swap only the header is shown.
 *
 * <p>The one area is zram0, a block device: a partition in swap_show's words, at the priority
 * swapon gave it.
 */
final class Swaps {
    private Swaps() {}

    static final String HEADER = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
    /** The column the type starts in, unless the path is longer. */
    private static final int PATH_COLUMN = 40;
    /** Sizes of fewer digits than this get a second tab, to keep the columns. */
    private static final long ONE_TAB_FROM = 10_000_000;

    static byte[] show(SwapSpace swap) {
        SeqFile m = new SeqFile().puts(HEADER);
        if (swap == null) return m.bytes();
        long kbPerPage = VmLayout.PAGE_SIZE >> 10;
        long bytes = swap.totalPages() * kbPerPage;
        long inuse = swap.usedPages() * kbPerPage;
        String path = escape(swap.device().path());
        m.puts(path);
        int pad = path.length() < PATH_COLUMN ? PATH_COLUMN - path.length() : 1;
        m.puts(" ".repeat(pad));
        // S_ISBLK: zram0 is a block device.
        m.puts("partition");
        m.putDecimal("\t", bytes).puts(bytes < ONE_TAB_FROM ? "\t" : "");
        m.putDecimal("\t", inuse).puts(inuse < ONE_TAB_FROM ? "\t" : "");
        m.putSigned("\t", swap.priority()).putc('\n');
        return m.bytes();
    }

    /**
     * seq_file_path's mangle_path with the characters " \t\n\\": each of them in the path is
     * written as a backslash and three octal digits.
     */
    static String escape(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
                b.append('\\').append((char) ('0' + ((c >> 6) & 7))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
