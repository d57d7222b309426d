package a64emu.guest.lmk;

import java.util.Arrays;

/**
 * lmkd's minfree levels ({@code lowmem_minfree[]} and {@code lowmem_adj[]}, what
 * ActivityManager sends in LMK_TARGET): level {@code i} says "when both free memory and
 * file cache are below {@code minfree(i)} pages, kill processes with oom_score_adj
 * {@code adj(i)} or more". The old kill strategy ({@code use_minfree_levels}) takes the first
 * level, in table order, where both are below ({@code mp_event_common}).
 *
 * <p>{@link #android} is the table ActivityManager computes for the device
 * ({@code ProcessList.updateOomLevels}); {@link #parse} reads an explicit one.
 */
public final class MinfreeTable {
    /** lmkd's MAX_TARGETS: LMK_TARGET carries at most six levels. */
    public static final int MAX_TARGETS = 6;

    /** ProcessList.mOomAdj: FOREGROUND, VISIBLE, PERCEPTIBLE, PERCEPTIBLE_LOW, CACHED_APP_MIN, CACHED_APP_LMK_FIRST. */
    static final int[] ANDROID_ADJ = {0, 100, 200, 250, 900, 950};
    /** ProcessList.mOomMinFreeLow, kB: an HVGA or smaller phone with less than 512 MB. */
    static final int[] ANDROID_MINFREE_LOW_KB = {12288, 18432, 24576, 36864, 43008, 49152};
    /** ProcessList.mOomMinFreeHigh, kB: a 1280x800 or larger screen with about 1 GB. */
    static final int[] ANDROID_MINFREE_HIGH_KB = {73728, 92160, 110592, 129024, 147456, 184320};

    private static final int PAGE_KB = 4;

    private final int[] minfreePages;
    private final int[] adj;

    private MinfreeTable(int[] minfreePages, int[] adj) {
        this.minfreePages = minfreePages;
        this.adj = adj;
    }

    /**
     * An explicit table, checked as a usage error would be: one to {@link #MAX_TARGETS} levels,
     * as many adj values as minfree levels, adj within -1000..1000, minfree non-negative and
     * strictly increasing (the first level that matches wins, so a level below a smaller one
     * could never be reached).
     */
    public static MinfreeTable of(int[] minfreePages, int[] adj) {
        if (minfreePages.length != adj.length) {
            throw new IllegalArgumentException(minfreePages.length + " minfree levels but " + adj.length
                    + " adj values: each level needs both");
        }
        if (minfreePages.length == 0 || minfreePages.length > MAX_TARGETS) {
            throw new IllegalArgumentException("a table has 1 to " + MAX_TARGETS + " levels (lmkd's MAX_TARGETS), not "
                    + minfreePages.length);
        }
        for (int i = 0; i < adj.length; i++) {
            if (adj[i] < LmkProperties.OOM_SCORE_ADJ_MIN || adj[i] > LmkProperties.OOM_SCORE_ADJ_MAX) {
                throw new IllegalArgumentException("adj " + adj[i] + " is outside -1000..1000");
            }
            if (minfreePages[i] < 0) {
                throw new IllegalArgumentException("minfree " + minfreePages[i] + " is negative");
            }
            if (i > 0 && minfreePages[i] <= minfreePages[i - 1]) {
                throw new IllegalArgumentException("minfree levels must increase: " + minfreePages[i]
                        + " after " + minfreePages[i - 1]);
            }
        }
        return new MinfreeTable(minfreePages.clone(), adj.clone());
    }

    /**
     * {@code PAGES,...,adj=A,...}, the text after {@code minfree=} in {@code --lmk}: the minfree
     * levels in pages, then the oom_score_adj of each.
     */
    public static MinfreeTable parse(String text) {
        int at = text.indexOf("adj=");
        if (at < 0) {
            throw new IllegalArgumentException("'" + text + "' has no adj=A,... after the minfree levels");
        }
        String pages = text.substring(0, at);
        if (pages.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no minfree levels before adj=");
        }
        if (!pages.endsWith(",")) {
            throw new IllegalArgumentException("'" + text + "': a comma separates the minfree levels from adj=");
        }
        return of(numbers(pages.substring(0, pages.length() - 1), "minfree level (pages)"),
                numbers(text.substring(at + "adj=".length()), "adj value"));
    }

    private static int[] numbers(String list, String what) {
        String[] parts = list.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parts[i] + "' is not a number (" + what + ")");
            }
        }
        return out;
    }

    /**
     * ActivityManager's table for a device with {@code memTotalKb} of MemTotal and no display
     * ({@code ProcessList.updateOomLevels(0, 0, ...)} on a 64-bit build): each level scaled
     * from the low-end to the high-end value by {@code (MemTotal MB - 350) / 350}, clamped to
     * 0..1 (the display's scale, negative without a screen, never wins); the two cached levels'
     * high ends raised by 3/2 and 7/4 for 64-bit; converted from kB to pages as LMK_TARGET sends
     * them. config_lowMemoryKillerMinFreeKbytesAbsolute (-1) and ...Adjust (0) are AOSP's
     * defaults and change nothing. A 64 MiB machine gets the low-end values, 1 GiB or more the
     * high-end ones: {18432, 23040, 27648, 32256, 55296, 80640} pages.
     */
    public static MinfreeTable android(long memTotalKb) {
        long totalMemMb = memTotalKb * 1024 / (1024 * 1024);
        // Java float arithmetic as ProcessList's, so the truncations land where they do on a device.
        float scaleMem = ((float) (totalMemMb - 350)) / (700 - 350);
        float scaleDisp = ((float) 0 - 480 * 800) / (1280 * 800 - 480 * 800);
        float scale = Math.max(scaleMem, scaleDisp);
        scale = Math.min(1, Math.max(0, scale));
        int[] pages = new int[ANDROID_ADJ.length];
        for (int i = 0; i < pages.length; i++) {
            int low = ANDROID_MINFREE_LOW_KB[i];
            int high = ANDROID_MINFREE_HIGH_KB[i];
            if (i == 4) {
                high = high * 3 / 2;
            } else if (i == 5) {
                high = high * 7 / 4;
            }
            int kb = (int) (low + ((high - low) * scale));
            pages[i] = kb * 1024 / 4096;
        }
        return new MinfreeTable(pages, ANDROID_ADJ.clone());
    }

    public int levels() {
        return adj.length;
    }

    /** Level {@code i}'s threshold in pages. */
    public int minfree(int i) {
        return minfreePages[i];
    }

    /** Level {@code i}'s oom_score_adj. */
    public int adj(int i) {
        return adj[i];
    }

    /**
     * The oom_score_adj of the first level where both {@code otherFree} and {@code otherFile}
     * (pages) are below its minfree, or -1 for none (then there is nothing to kill).
     */
    public int level(long otherFree, long otherFile) {
        for (int i = 0; i < adj.length; i++) {
            if (otherFree < minfreePages[i] && otherFile < minfreePages[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The table as {@code --lmk minfree=} takes it. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int p : minfreePages) {
            b.append(p).append(',');
        }
        b.append("adj=");
        for (int i = 0; i < adj.length; i++) {
            b.append(i == 0 ? "" : ",").append(adj[i]);
        }
        return b.toString();
    }

    /** The table as sys.lmk.minfree_levels shows it: {@code minfree:adj,...} in pages. */
    public String minfreeLevels() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < adj.length; i++) {
            b.append(i == 0 ? "" : ",").append(minfreePages[i]).append(':').append(adj[i]);
        }
        return b.toString();
    }

    /** Level {@code i}'s threshold in kB. */
    public long minfreeKb(int i) {
        return (long) minfreePages[i] * PAGE_KB;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MinfreeTable t && Arrays.equals(minfreePages, t.minfreePages) && Arrays.equals(adj, t.adj);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(minfreePages) + Arrays.hashCode(adj);
    }
}
