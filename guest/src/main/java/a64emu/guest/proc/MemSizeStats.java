package a64emu.guest.proc;

/**
 * Linux's {@code struct mem_size_stats} (fs/proc/task_mmu.c): what a walk over page entries
 * adds up for one area or, for smaps_rollup, a whole process. Sizes are in bytes; the
 * proportional sums are in bytes shifted left by {@link #PSS_SHIFT}, so that a page shared by
 * three keeps its fractions until the total is printed, exactly as Linux rounds.
 */
final class MemSizeStats {
    /** Linux PSS_SHIFT: fixed-point fraction bits of the pss fields. */
    static final int PSS_SHIFT = 12;

    long resident;
    long sharedClean;
    long sharedDirty;
    long privateClean;
    long privateDirty;
    long referenced;
    long anonymous;
    long lazyfree;
    long swap;
    long pss;
    long pssAnon;
    long pssFile;
    long pssShmem;
    long pssDirty;
    long pssLocked;
    long swapPss;
    /** Not in smaps, but counted on the same walk: resident pages by kind, for status and statm. */
    long rssAnonPages;
    long rssFilePages;
    long rssShmemPages;
    long swapEntries;

    /** Linux smaps_page_accumulate: one page (or part of one, by pss) into the sharing-dependent fields. */
    void accumulatePage(long size, long pssPart, boolean dirty, boolean locked, boolean isPrivate,
                        boolean anon, boolean shmem) {
        pss += pssPart;
        if (anon) {
            pssAnon += pssPart;
        } else if (shmem) {
            pssShmem += pssPart;
        } else {
            pssFile += pssPart;
        }
        if (locked) pssLocked += pssPart;
        if (dirty) {
            pssDirty += pssPart;
            if (isPrivate) privateDirty += size;
            else sharedDirty += size;
        } else {
            if (isPrivate) privateClean += size;
            else sharedClean += size;
        }
    }

    /** USS, the memory that would be freed if the process went away: Private_Clean + Private_Dirty. */
    long uss() {
        return privateClean + privateDirty;
    }
}
