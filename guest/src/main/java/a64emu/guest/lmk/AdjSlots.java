package a64emu.guest.lmk;

import a64emu.guest.Process;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * lmkd's process records ({@code procadjslot_list}): the processes it may kill, one list per
 * oom_score_adj, each list in the order processes were put on it, newest at the head.
 *
 * <p><b>Which processes.</b> lmkd kills only what ActivityManager registered with it: AMS
 * writes an app's /proc/PID/oom_score_adj and sends LMK_PROCPRIO in one step
 * ({@code apply_proc_prio}), and native processes, whose adj nobody sets, are never lmkd's. This
 * kernel has no ActivityManager and no lmkd socket, so a process is registered when lmkd sees
 * its oom_score_adj differ from the value it inherited at fork (taken as its parent's adj when
 * lmkd first sees it, which is what fork copied unless the parent changed its own since) or from
 * the value lmkd saw last: that is, once someone wrote it. The first process and anything nobody
 * gave an adj stay unregistered, so lmkd never kills them; only the kernel's OOM killer may. A
 * write of the value a process already had goes unseen (AMS would have sent it).
 *
 * <p><b>Order within a level</b> ({@code proc_slot} puts a record at the head of its list on
 * every LMK_PROCPRIO, {@code proc_adj_tail} kills from the tail): the tail is the process whose
 * adj was set least recently. lmkd here learns of adj changes when it looks
 * ({@link #observe}, at each of its wake-ups); those it learns of in one look go on in pid order,
 * lowest first, as if AMS had sent them in that order.
 *
 * <p>A process that has exited or been reaped leaves its list (AMS's LMK_PROCREMOVE when the
 * app dies). Records hold the pid; exec keeps the pid and the record.
 */
final class AdjSlots {
    /** One registered process: {@code struct proc}. */
    record Record(int pid, int uid, int adj, long sequence) {}

    /** adj to its records by sequence (the order they were slotted; the lowest is the tail). */
    private final NavigableMap<Integer, NavigableMap<Long, Record>> slots = new TreeMap<>();
    private final Map<Integer, Record> byPid = new HashMap<>();
    /** The adj lmkd last saw of every live process, registered or not. */
    private final Map<Integer, Integer> seen = new HashMap<>();
    private long sequence;

    /**
     * Looks at the live processes: registers those whose adj was written since lmkd last looked
     * (or since fork, for one it has not seen yet), re-slots those whose adj changed, forgets the
     * dead.
     */
    void observe(Collection<Process> processes) {
        Map<Integer, Process> live = new TreeMap<>();
        for (Process p : processes) {
            if (!p.hasExited() && !p.isReleased()) {
                live.put(p.pid, p);
            }
        }
        for (Integer pid : List.copyOf(seen.keySet())) {
            if (!live.containsKey(pid)) {
                seen.remove(pid);
                remove(pid);
            }
        }
        for (Process p : live.values()) {
            int adj = p.oomScoreAdj();
            Integer before = seen.put(p.pid, adj);
            int expected = before != null ? before : inheritedAdj(p);
            if (adj != expected) {
                slot(p.pid, (int) p.credentials.uid(), adj);
            }
        }
    }

    /** What fork gave {@code p}: its parent's adj, when the parent is still there to ask. */
    private static int inheritedAdj(Process p) {
        Process parent = p.parent();
        return parent != null && !parent.hasExited() ? parent.oomScoreAdj() : p.oomScoreAdj();
    }

    /** {@code register_oom_adj_proc}: the record goes to the head of its adj's list. */
    void slot(int pid, int uid, int adj) {
        remove(pid);
        Record r = new Record(pid, uid, adj, ++sequence);
        byPid.put(pid, r);
        slots.computeIfAbsent(adj, a -> new TreeMap<>()).put(r.sequence(), r);
    }

    /** {@code pid_remove}. */
    void remove(int pid) {
        Record r = byPid.remove(pid);
        if (r != null) {
            NavigableMap<Long, Record> list = slots.get(r.adj());
            list.remove(r.sequence());
            if (list.isEmpty()) {
                slots.remove(r.adj());
            }
        }
    }

    /** The record of {@code pid}, or null if lmkd does not know it. */
    Record get(int pid) {
        return byPid.get(pid);
    }

    /** The adj levels that have records, from {@code maxAdj} down to {@code minAdj}. */
    List<Integer> levels(int maxAdj, int minAdj) {
        if (minAdj > maxAdj) {
            return List.of();
        }
        return new ArrayList<>(slots.subMap(minAdj, true, maxAdj, true).descendingKeySet());
    }

    /** {@code proc_adj_tail}: the record of {@code adj} slotted least recently, or null. */
    Record tail(int adj) {
        NavigableMap<Long, Record> list = slots.get(adj);
        return list == null ? null : list.firstEntry().getValue();
    }

    /**
     * {@code proc_get_heaviest}: the record of {@code adj} whose process has the largest RSS
     * ({@code size}, in pages; negative when the process is gone, which drops its record), walking
     * from the head so that of equal sizes the most recently slotted wins; null when none has any.
     */
    Record heaviest(int adj, ToLongFunction<Record> size) {
        NavigableMap<Long, Record> list = slots.get(adj);
        if (list == null) {
            return null;
        }
        Record max = null;
        long maxSize = 0;
        for (Record r : List.copyOf(list.descendingMap().values())) {
            long s = size.applyAsLong(r);
            if (s < 0) {
                remove(r.pid());
            } else if (s > maxSize) {
                maxSize = s;
                max = r;
            }
        }
        return max;
    }

    /**
     * {@code find_and_kill_process}: from adj 1000 down to {@code minAdj}, the first level that
     * has a victim loses one process: the least recently slotted (the tail), or the heaviest by
     * {@code rssPages} at or below PERCEPTIBLE_APP_ADJ (a perceptible process has to go: the
     * largest, to kill as few as possible) or everywhere with {@code killHeaviestTask}.
     * {@code killOne} kills a record's process and returns the pages it held, or -1 when the
     * process was gone (the next one of the level is tried then, and lmkd stops looking further
     * down after such a level). Returns what the last {@code killOne} returned, 0 if none was tried.
     */
    long findAndKill(int minAdj, boolean killHeaviestTask, ToLongFunction<Record> rssPages,
                     ToLongFunction<Record> killOne) {
        boolean heaviest = killHeaviestTask;
        long killedSize = 0;
        for (int adj : levels(LmkProperties.OOM_SCORE_ADJ_MAX, minAdj)) {
            if (!heaviest && adj <= LmkProperties.PERCEPTIBLE_APP_ADJ) {
                heaviest = true;
            }
            while (true) {
                Record r = heaviest ? heaviest(adj, rssPages) : tail(adj);
                if (r == null) {
                    break;
                }
                killedSize = killOne.applyAsLong(r);
                remove(r.pid());
                if (killedSize >= 0) {
                    break;
                }
            }
            if (killedSize != 0) {
                break;
            }
        }
        return killedSize;
    }

    /** Registered processes, for tests and reports. */
    int size() {
        return byPid.size();
    }
}
