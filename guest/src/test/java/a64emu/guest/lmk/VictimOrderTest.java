package a64emu.guest.lmk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * find_and_kill_process over lmkd's process records: adj levels from 1000 down to the decision's
 * minimum, the least recently prioritised process of a cached level, the heaviest of a
 * perceptible one, and nothing below the minimum.
 */
class VictimOrderTest {
    private final AdjSlots slots = new AdjSlots();
    private final Map<Integer, Long> rss = new HashMap<>();
    private final Set<Integer> gone = new HashSet<>();
    private final List<Integer> killed = new ArrayList<>();

    private void register(int pid, int adj, long rssPages) {
        slots.slot(pid, 10000 + pid, adj);
        rss.put(pid, rssPages);
    }

    /** One find_and_kill_process; the pid killed, or -1 for none. */
    private int killOne(int minAdj, boolean heaviest) {
        int before = killed.size();
        slots.findAndKill(minAdj, heaviest, r -> gone.contains(r.pid()) ? -1 : rss.get(r.pid()), r -> {
            if (gone.contains(r.pid())) {
                return -1;
            }
            killed.add(r.pid());
            return rss.get(r.pid());
        });
        return killed.size() == before ? -1 : killed.get(before);
    }

    @Test
    void theHighestAdjGoesFirst() {
        register(101, 900, 10);
        register(102, 999, 10);
        register(103, 950, 10);
        assertEquals(102, killOne(0, false));
        assertEquals(103, killOne(0, false));
        assertEquals(101, killOne(0, false));
        assertEquals(-1, killOne(0, false));
    }

    @Test
    void withinACachedLevelTheLeastRecentlyPrioritisedGoesFirstWhateverItsSize() {
        register(201, 900, 10);
        register(202, 900, 5000);
        register(203, 900, 20);
        slots.slot(201, 10201, 900); // set again: back to the head of its list
        assertEquals(202, killOne(0, false));
        assertEquals(203, killOne(0, false));
        assertEquals(201, killOne(0, false));
    }

    @Test
    void atOrBelowPerceptibleTheHeaviestGoesFirst() {
        register(301, 200, 100);
        register(302, 200, 900);
        register(303, 200, 500);
        assertEquals(302, killOne(0, false));
        assertEquals(303, killOne(0, false));
    }

    @Test
    void killHeaviestTaskPicksTheHeaviestOfACachedLevelToo() {
        register(401, 950, 100);
        register(402, 950, 900);
        assertEquals(402, killOne(0, true));
    }

    @Test
    void ofEqualWeightTheMostRecentlyPrioritisedGoes() {
        register(411, 100, 300);
        register(412, 100, 300);
        assertEquals(412, killOne(0, false));
    }

    @Test
    void aProcessWithoutResidentPagesIsNeverTheHeaviest() {
        register(421, 100, 0);
        assertEquals(-1, killOne(0, false));
    }

    @Test
    void nothingBelowTheMinimumAdjIsTouched() {
        register(501, 700, 10);
        register(502, 0, 10);
        register(503, -900, 10);
        assertEquals(-1, killOne(701, false));
        assertEquals(501, killOne(201, false));
        assertEquals(-1, killOne(201, false));
        assertEquals(502, killOne(0, false));
        // min_adj is never below 0: a process of negative adj is out of reach.
        assertEquals(-1, killOne(0, false));
        assertEquals(503, slots.get(503).pid());
    }

    @Test
    void aProcessAlreadyGoneIsForgottenAndTheNextOfItsLevelTried() {
        register(601, 900, 10);
        register(602, 900, 10);
        gone.add(601);
        assertEquals(602, killOne(0, false));
        assertNull(slots.get(601));
        assertNull(slots.get(602));
    }

    @Test
    void aGoneProcessAsTheLastOfItsLevelEndsTheSearchAsLmkdDoes() {
        // kill_one_process returns -1 and find_and_kill_process stops at that level.
        register(701, 950, 10);
        register(702, 900, 10);
        gone.add(701);
        assertEquals(-1, killOne(0, false));
        assertEquals(702, killOne(0, false));
    }

    @Test
    void aChangedAdjMovesTheRecordToItsNewLevel() {
        register(801, 900, 10);
        register(802, 950, 10);
        slots.slot(802, 10802, 100);
        assertEquals(801, killOne(0, false));
        assertEquals(802, killOne(0, false));
    }
}
