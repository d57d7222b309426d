package a64emu.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.lmk.LmkConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel OOM killer's choice and its lines, field for field, reasoned from Linux 6.1's
 * mm/oom_kill.c on a whole run: lmk_basic (four children that wrote oom_score_adj 990, 970,
 * 950, 930 and were swapped out, a parent at 0 that grows) on 64 MiB of RAM and 32 MiB of
 * zram, with lmkd off.
 *
 * <ul>
 * <li>dump_tasks prints, per process, {@code [pid] uid tgid total_vm rss pgtables_bytes swapents
 *     oom_score_adj name}.</li>
 * <li>oom_badness: {@code rss + swapents + pgtables_bytes / PAGE_SIZE}, plus
 *     {@code oom_score_adj * (totalpages / 1000)} with totalpages = RAM + swap pages; the
 *     largest wins, a later task on a tie (select_bad_process keeps {@code points >= chosen}).</li>
 * <li>__oom_kill_process prints {@code Out of memory: Killed process PID (comm) total-vm:K(total_vm)kB,
 *     anon-rss:..kB, file-rss:..kB, shmem-rss:..kB, UID:uid pgtables:(pgtables_bytes >> 10)kB
 *     oom_score_adj:adj}, anon+file+shmem being the rss of the table row.</li>
 * </ul>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OomKillerEndToEndTest {
    private static final Path PROGRAM = Path.of("programs/bin/lmk_basic");
    private static final Pattern ROW = Pattern.compile(
            "\\[ *(\\d+)\\] +(\\d+) +(\\d+) +(\\d+) +(\\d+) +(\\d+) +(\\d+) +(-?\\d+) (\\S+)");
    private static final Pattern KILLED = Pattern.compile("Out of memory: Killed process (\\d+) \\((\\S+)\\) "
            + "total-vm:(\\d+)kB, anon-rss:(\\d+)kB, file-rss:(\\d+)kB, shmem-rss:(\\d+)kB, UID:(\\d+) "
            + "pgtables:(\\d+)kB oom_score_adj:(-?\\d+)");

    private record Row(int pid, long uid, long totalVm, long rss, long pgtablesBytes, long swapents, int adj,
                       String name) {
        long badness(long totalPages) {
            return rss + swapents + pgtablesBytes / 4096 + adj * (totalPages / 1000);
        }
    }

    @Test
    void theVictimIsTheLargestBadnessOfTheDumpedTasksAndItsLineRepeatsItsRow() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KernelConfig config = KernelConfig.defaults().withRam(64L << 20)
                .withMemory(KernelConfig.Memory.DEFAULT.withZram(32L << 20).withLmk(LmkConfig.OFF))
                .withStreams(new ByteArrayInputStream(new byte[0]), out, err);
        Kernel kernel = new Kernel(config);
        kernel.run(PROGRAM, List.of(PROGRAM.toString()), List.of("A64EMU_TEST=1"));
        long totalPages = OomKiller.totalPages(kernel.frames());

        List<String> log = kernel.kernelLog().messages().stream().map(KernelLog.Message::text).toList();
        int kills = 0;
        for (int i = 0; i < log.size(); i++) {
            if (!log.get(i).contains(" invoked oom-killer: gfp_mask=")) {
                continue;
            }
            assertEquals("Tasks state (memory values in pages):", log.get(i + 1));
            assertEquals("[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
                    log.get(i + 2));
            List<Row> rows = new ArrayList<>();
            int j = i + 3;
            for (Matcher m; (m = ROW.matcher(log.get(j))).matches(); j++) {
                rows.add(new Row(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(4)),
                        Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)),
                        Integer.parseInt(m.group(8)), m.group(9)));
                assertEquals(m.group(1), m.group(3), "tgid is the pid of a single-threaded process");
            }
            Row chosen = null;
            for (Row r : rows) {
                if (r.adj() != -1000 && (chosen == null || r.badness(totalPages) >= chosen.badness(totalPages))) {
                    chosen = r;
                }
            }
            assertTrue(chosen != null, "someone to kill: " + rows);
            assertTrue(log.get(j).startsWith("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,"
                    + "mems_allowed=0,global_oom,task_memcg=/,task=" + chosen.name() + ",pid=" + chosen.pid()
                    + ",uid=" + chosen.uid()), log.get(j));
            Matcher k = KILLED.matcher(log.get(j + 1));
            assertTrue(k.matches(), log.get(j + 1));
            assertEquals(chosen.pid(), Integer.parseInt(k.group(1)));
            assertEquals(chosen.name(), k.group(2));
            assertEquals(chosen.totalVm() * 4, Long.parseLong(k.group(3)), "total-vm is K(total_vm)");
            long rssKb = Long.parseLong(k.group(4)) + Long.parseLong(k.group(5)) + Long.parseLong(k.group(6));
            assertEquals(chosen.rss() * 4, rssKb, "anon + file + shmem rss is the row's rss");
            assertEquals(chosen.uid(), Long.parseLong(k.group(7)));
            assertEquals(chosen.pgtablesBytes() >> 10, Long.parseLong(k.group(8)));
            assertEquals(chosen.adj(), Integer.parseInt(k.group(9)));
            if (kills == 0) {
                // The first choice, by hand: a child that is all swap (about 2,050 pages) with adj
                // 990 scores 990 * 24 = 23,760 more than its pages, far over the parent's ~14,000.
                assertEquals(990, chosen.adj(), rows.toString());
            }
            kills++;
        }
        assertTrue(kills >= 1, "the OOM killer ran: " + log);
        assertEquals(kills, kernel.oomKiller().kills());
    }
}
