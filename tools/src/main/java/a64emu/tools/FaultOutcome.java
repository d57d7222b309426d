package a64emu.tools;

import a64emu.guest.mm.FaultCounts;
import java.util.StringJoiner;

/** What the kernel did with a page fault, read from its fault handler's counters around it. */
public final class FaultOutcome {
    private FaultOutcome() {}

    /** What the fault handler's counters say it did, in Linux's words. */
    public static String describe(FaultCounts before, FaultCounts after) {
        StringJoiner j = new StringJoiner(" + ");
        if (after.stackGrowth() > before.stackGrowth()) j.add("stack growth");
        if (after.zeroFill() > before.zeroFill()) j.add("zero-fill");
        if (after.file() > before.file()) j.add("file page");
        if (after.cow() > before.cow()) j.add("COW");
        if (after.swapIn() > before.swapIn()) j.add("swap-in (major: read from the swap device)");
        if (after.swapCache() > before.swapCache()) j.add("swap-in from the swap cache");
        if (after.agedAccessFlag() > before.agedAccessFlag()) {
            j.add("access flag set (page aged by reclaim, used again)");
        } else if (after.accessFlag() > before.accessFlag()) {
            j.add("access flag set");
        }
        if (after.other() > before.other()) j.add("permissions updated (dirty/stale TLB/PROT_NONE)");
        if (after.sigsegv() > before.sigsegv()) j.add("SIGSEGV");
        if (after.sigbus() > before.sigbus()) j.add("SIGBUS");
        if (after.oomKill() > before.oomKill()) j.add("SIGKILL (out of memory)");
        return j.length() == 0 ? "nothing (retried)" : j.toString();
    }
}
