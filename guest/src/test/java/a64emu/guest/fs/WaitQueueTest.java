package a64emu.guest.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Wait queues: pollers register per key, a wake-up runs and removes them (autoremove_wake_function). */
class WaitQueueTest {
    @Test
    void aWakeUpRunsEveryWaiterOnceAndEmptiesTheQueue() {
        WaitQueue q = new WaitQueue();
        int[] woken = new int[2];
        PollTable.wait(new PollTable("a", () -> woken[0]++), q);
        PollTable.wait(new PollTable("b", () -> woken[1]++), q);
        q.wakeUp();
        q.wakeUp();
        assertEquals(1, woken[0]);
        assertEquals(1, woken[1]);
        assertEquals(0, q.size());
    }

    @Test
    void aPollRunAgainReplacesItsEntryInsteadOfAddingOne() {
        WaitQueue q = new WaitQueue();
        int[] woken = {0};
        for (int i = 0; i < 3; i++) PollTable.wait(new PollTable("thread", () -> woken[0]++), q);
        assertEquals(1, q.size());
        q.wakeUp();
        assertEquals(1, woken[0]);
    }

    @Test
    void aPollThatWillNotSleepRegistersNothing() {
        WaitQueue q = new WaitQueue();
        PollTable.wait(null, q);
        assertEquals(0, q.size());
    }

    @Test
    void aPersistentWaiterSeesEachWakeUpsEventsAndStaysQueuedWhileItAsks() {
        WaitQueue q = new WaitQueue();
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        PollTable table = new PollTable("item", (WaitQueue.WakeFunction) events -> {
            seen.add(events);
            return events != PollTable.POLLHUP;
        });
        PollTable.wait(table, q);
        q.wakeUp(PollTable.POLLIN);
        q.wakeUp(PollTable.POLLOUT);
        assertEquals(1, q.size());
        q.wakeUp(PollTable.POLLHUP);
        q.wakeUp(PollTable.POLLIN);
        assertEquals(java.util.List.of(PollTable.POLLIN, PollTable.POLLOUT, PollTable.POLLHUP), seen);
        assertEquals(0, q.size());
    }

    @Test
    void releasingATableTakesItsEntriesOffEveryQueue() {
        WaitQueue a = new WaitQueue();
        WaitQueue b = new WaitQueue();
        PollTable table = new PollTable("thread", () -> { });
        PollTable.wait(table, a);
        PollTable.wait(table, b);
        table.release();
        assertEquals(0, a.size() + b.size());
    }
}
