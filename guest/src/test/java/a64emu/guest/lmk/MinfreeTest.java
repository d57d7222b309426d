package a64emu.guest.lmk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The old strategy: ActivityManager's minfree table for the RAM size (ProcessList.updateOomLevels)
 * and mp_event_common's match of free memory and file cache against it.
 */
class MinfreeTest {
    private static int[] pages(MinfreeTable t) {
        return IntStream.range(0, t.levels()).map(t::minfree).toArray();
    }

    @Test
    void aPhoneWithAGigabyteOrMoreGetsTheHighEndTableRaisedForSixtyFourBit() {
        MinfreeTable t = MinfreeTable.android(4L * 1024 * 1024);
        assertEquals(List.of(18432, 23040, 27648, 32256, 55296, 80640), IntStream.of(pages(t)).boxed().toList());
        assertEquals("18432:0,23040:100,27648:200,32256:250,55296:900,80640:950", t.minfreeLevels());
    }

    @Test
    void sixtyFourMegabytesGetTheLowEndTable() {
        // MemTotal of --ram 64M: 16383 managed pages.
        MinfreeTable t = MinfreeTable.android(16383 * 4);
        assertEquals(List.of(3072, 4608, 6144, 9216, 10752, 12288), IntStream.of(pages(t)).boxed().toList());
    }

    @Test
    void halfAGigabyteIsScaledBetweenTheTwo() {
        // 512 MiB: (511 - 350) / 350 = 0.46 of the way.
        MinfreeTable t = MinfreeTable.android(512 * 1024 - 4);
        assertEquals(List.of(0, 100, 200, 250, 900, 950), IntStream.range(0, 6).map(t::adj).boxed().toList());
        int low = 12288;
        int high = 73728;
        int kb = (int) (low + ((high - low) * ((float) (511 - 350) / 350)));
        assertEquals(kb * 1024 / 4096, t.minfree(0));
    }

    @Test
    void theFirstLevelWhereFreeAndFileAreBothBelowGivesTheAdj() {
        MinfreeTable t = MinfreeTable.of(new int[] {1000, 2000, 3000}, new int[] {0, 500, 900});
        assertEquals(2, t.level(2500, 2999));
        assertEquals(1, t.level(1999, 10));
        assertEquals(0, t.level(999, 999));
        assertEquals(-1, t.level(3000, 10), "free at the top level's minfree is not below it");
        assertEquals(-1, t.level(10, 5000), "plenty of file cache: nothing to kill");
        assertEquals(2, t.level(10, 2500), "much free? no: file 2500 fails level 1, level 2 matches");
    }

    @Test
    void otherFreeIsFreeLessTheReserveAndOtherFileTheCacheThatIsNotShmemUnevictableOrSwapCache() {
        Machine m = new Machine();
        m.free = 5000;
        m.cached = 3000;
        m.swapCached = 100;
        m.shmem = 200;
        m.unevictable = 50;
        MemoryState s = m.state();
        assertEquals(5000 - 381, s.otherFree());
        assertEquals(3000 + 100 - 200 - 50 - 100, s.otherFile());
        m.cached = 100;
        assertEquals(0, m.state().otherFile());
    }

    @Test
    void aMatchKillsDownToTheLevelsAdjAndReportsWhatItReclaimed() {
        MinfreePolicy p = new MinfreePolicy(MinfreeTable.of(new int[] {1000, 3000}, new int[] {200, 900}));
        FakeKiller killer = new FakeKiller();
        killer.pagesPerKill = 100;
        List<String> log = new ArrayList<>();
        Machine m = new Machine();
        m.free = 2381; // other_free 2000
        m.cached = 1500; // other_file 1500
        assertEquals(900, p.handle(1_000_000_000L, m.state(), killer, log::add));
        assertEquals(new FakeKiller.Call(900, KillReason.NONE, null), killer.last());
        assertEquals(List.of("Reclaimed 400kB, cache(6000kB) and free(9524kB)-reserved(1524kB) below min(12000kB) "
                + "for oom_score_adj 900"), log);
    }

    @Test
    void noMatchIgnoresTheEvent() {
        MinfreePolicy p = new MinfreePolicy(MinfreeTable.of(new int[] {1000}, new int[] {900}));
        FakeKiller killer = new FakeKiller();
        List<String> log = new ArrayList<>();
        assertEquals(-1, p.handle(1_000_000_000L, new Machine().state(), killer, log::add));
        assertTrue(killer.calls.isEmpty());
        assertTrue(log.isEmpty());
    }

    @Test
    void findingNothingToKillIsReportedAtMostOnceASecond() {
        MinfreePolicy p = new MinfreePolicy(MinfreeTable.of(new int[] {100000}, new int[] {900}));
        FakeKiller killer = new FakeKiller();
        killer.pagesPerKill = 0;
        List<String> log = new ArrayList<>();
        MemoryState s = new Machine().state();
        p.handle(2_000_000_000L, s, killer, log::add);
        p.handle(2_500_000_000L, s, killer, log::add);
        p.handle(2_900_000_000L, s, killer, log::add);
        assertEquals(1, log.size());
        p.handle(3_000_000_000L, s, killer, log::add);
        assertEquals(3, log.size());
        assertEquals("Suppressed 2 failed kill reports", log.get(2));
        assertTrue(log.get(1).startsWith("Reclaimed 0kB, "), log.get(1));
    }
}
