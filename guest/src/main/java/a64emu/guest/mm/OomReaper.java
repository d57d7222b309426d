package a64emu.guest.mm;

/**
 * Linux {@code __oom_reap_task_mm} ({@code mm/oom_kill.c}), which process_mrelease runs on a
 * dying process: the pages of every private area (anonymous, or a private file mapping's
 * copies) are unmapped now, freeing their frames and swap slots, while the areas themselves
 * stay for the exit to tear down (it then finds the entries empty, so nothing is freed
 * twice). Shared mappings are left alone: their pages belong to the file or the shared
 * object, not to the dying process.
 */
public final class OomReaper {
    private OomReaper() {}

    /** Reaps {@code mm}; returns the pages it unmapped (resident before, minus after). */
    public static long reap(AddressSpace mm) {
        long before = mm.pageTables().residentPages() + mm.pageTables().swapEntries();
        for (Vma v : new java.util.ArrayList<>(mm.vmas())) {
            if (!v.isShared()) {
                mm.pageTables().zap(v.start(), v.end());
            }
        }
        return before - mm.pageTables().residentPages() - mm.pageTables().swapEntries();
    }
}
