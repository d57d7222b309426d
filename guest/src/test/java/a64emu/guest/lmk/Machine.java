package a64emu.guest.lmk;

import a64emu.guest.lmk.MemoryState.Watermarks;

/**
 * A synthetic memory state for the policies, in pages: a 64 MiB machine's zone (min 255, low
 * 318, high 381) with 32 MiB of zram, plenty of file cache and free swap, no reclaim so far.
 * Tests change the fields they need and take {@link #state}.
 */
final class Machine {
    long free = 5000;
    long cached = 10000;
    long swapCached = 0;
    long shmem = 0;
    long unevictable = 0;
    long swapTotal = 8192;
    long swapFree = 8192;
    long activeAnon = 1000;
    long inactiveAnon = 0;
    long activeFile = 5000;
    long inactiveFile = 5000;
    long workingsetRefaultFile = 0;
    long pgscanKswapd = 0;
    long pgscanDirect = 0;
    long pgrefill = 0;
    Watermarks watermarks = new Watermarks(255, 318, 381);
    double psiFullAvg10 = 0;
    MemoryState.Watermark breachedSince = MemoryState.Watermark.NONE;

    MemoryState state() {
        return new MemoryState(free, 0, cached, swapCached, 0, shmem, unevictable, swapTotal, swapFree, activeAnon,
                inactiveAnon, activeFile, inactiveFile, workingsetRefaultFile, pgscanKswapd, pgscanDirect, pgrefill,
                watermarks, psiFullAvg10, breachedSince);
    }

    /** kswapd scanned some more pages since the last look. */
    Machine kswapdScans() {
        pgscanKswapd += 32;
        return this;
    }

    /** Direct reclaim scanned some more pages since the last look. */
    Machine directReclaimScans() {
        pgscanDirect += 32;
        return this;
    }
}
