package a64emu.guest.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** epoll's interest and ready lists (fs/eventpoll.c ep_insert, ep_poll_callback, ep_send_events). */
class EventPollTest {
    private final List<Object> woken = new ArrayList<>();
    private final EventPoll ep = new EventPoll(woken::add);
    private final Pipe pipe = new Pipe(0, p -> { });

    private void write(String s) {
        byte[] b = s.getBytes();
        assertEquals(b.length, pipe.writeEnd.write(b, 0, b.length));
    }

    private List<EventPoll.Event> collect() {
        return ep.collect(8);
    }

    @Test
    void aLevelTriggeredItemIsReportedWhileItsFileIsReady() {
        ep.add(pipe.readEnd, 3, PollTable.POLLIN, 42);
        assertTrue(collect().isEmpty());
        write("ab");
        assertTrue(woken.contains(ep), "the write woke the epoll's sleepers");
        assertEquals(List.of(new EventPoll.Event(PollTable.POLLIN, 42)), collect(), "the events asked for, and the data");
        assertEquals(1, collect().size(), "still readable: reported again");
        pipe.readEnd.read(new byte[8], 0, 8);
        assertTrue(collect().isEmpty(), "drained: dropped from the ready list");
    }

    @Test
    void anEdgeTriggeredItemIsReportedOncePerWakeUpOfItsEvents() {
        ep.add(pipe.readEnd, 3, PollTable.POLLIN | EventPoll.EPOLLET, 1);
        write("ab");
        assertEquals(1, collect().size());
        assertTrue(collect().isEmpty(), "no new edge");
        pipe.readEnd.read(new byte[1], 0, 1);
        assertTrue(collect().isEmpty(), "a read wakes with POLLOUT, which the item does not want");
        write("c");
        assertEquals(1, collect().size());
    }

    @Test
    void aOneShotItemIsDisabledAfterItsReportUntilModified() {
        ep.add(pipe.readEnd, 3, PollTable.POLLIN | EventPoll.EPOLLONESHOT, 1);
        write("a");
        assertEquals(1, collect().size());
        write("b");
        assertTrue(collect().isEmpty());
        assertEquals(0, ep.modify(pipe.readEnd, 3, PollTable.POLLIN, 2));
        assertEquals(List.of(new EventPoll.Event(PollTable.POLLIN, 2)), collect());
    }

    @Test
    void ctlAnswersEexistEnoentAndEloop() {
        assertEquals(0, ep.add(pipe.readEnd, 3, PollTable.POLLIN, 0));
        assertEquals(-Errno.EEXIST, ep.add(pipe.readEnd, 3, PollTable.POLLIN, 0));
        assertEquals(0, ep.add(pipe.readEnd, 4, PollTable.POLLIN, 0), "the same file by another descriptor");
        assertEquals(-Errno.ENOENT, ep.modify(pipe.writeEnd, 5, PollTable.POLLOUT, 0));
        assertEquals(-Errno.ENOENT, ep.delete(pipe.writeEnd, 5));
        EventPoll inner = new EventPoll(woken::add);
        assertEquals(0, ep.add(inner, 6, PollTable.POLLIN, 0));
        assertEquals(-Errno.ELOOP, inner.add(ep, 7, PollTable.POLLIN, 0));
    }

    @Test
    void epollInstancesNestNoDeeperThanEpMaxNests() {
        // Linux 6.1's ep_loop_check_proc looks only down from the instance added, refusing one
        // met while scanning deeper than EP_MAX_NESTS: in a chain e0 <- e1 <- ..., adding e6
        // scans e1 at depth 5 and meets e0, so seven instances is the longest chain.
        List<EventPoll> chain = new ArrayList<>();
        chain.add(new EventPoll(woken::add));
        int added = 0;
        for (int i = 1; i < 20; i++) {
            EventPoll outer = new EventPoll(woken::add);
            int r = outer.add(chain.get(i - 1), i, PollTable.POLLIN, 0);
            if (r != 0) {
                assertEquals(-Errno.ELOOP, r);
                break;
            }
            chain.add(outer);
            added++;
        }
        assertEquals(EventPoll.EP_MAX_NESTS + 3, added + 1, "instances in the longest chain");
    }

    @Test
    void anItemGoesWhenTheLastReferenceToItsFileGoes() {
        pipe.readEnd.retain(); // a dup
        ep.add(pipe.readEnd, 3, PollTable.POLLIN, 0);
        pipe.readEnd.release();
        assertEquals(1, ep.interestCount(), "one descriptor closed: the item stays");
        pipe.readEnd.release();
        assertEquals(0, ep.interestCount());
        assertTrue(collect().isEmpty());
    }

    @Test
    void closingTheEpollTakesItsItemsOffTheFilesQueues() {
        ep.add(pipe.readEnd, 3, PollTable.POLLIN, 0);
        ep.release();
        woken.clear();
        write("x");
        assertTrue(woken.isEmpty());
    }

    @Test
    void anEpollIsReadableWhileAReadyItemIsReallyReady() {
        EventPoll outer = new EventPoll(woken::add);
        ep.add(pipe.readEnd, 3, PollTable.POLLIN, 0);
        outer.add(ep, 4, PollTable.POLLIN, 9);
        assertEquals(0, ep.poll(null));
        write("x");
        assertEquals(PollTable.POLLIN | PollTable.POLLRDNORM, ep.poll(null));
        assertEquals(List.of(new EventPoll.Event(PollTable.POLLIN, 9)), outer.collect(8));
        pipe.readEnd.read(new byte[1], 0, 1);
        assertEquals(0, ep.poll(null));
    }

    @Test
    void hangUpAndErrorAreReportedUnasked() {
        ep.add(pipe.writeEnd, 4, PollTable.POLLOUT, 0);
        pipe.readEnd.release();
        List<EventPoll.Event> got = collect();
        assertEquals(1, got.size());
        assertEquals(PollTable.POLLOUT | PollTable.POLLERR, got.get(0).events());
    }

    @Test
    void maxEventsLeavesTheRestFirstOnTheList() {
        Pipe other = new Pipe(0, p -> { });
        ep.add(pipe.readEnd, 3, PollTable.POLLIN | EventPoll.EPOLLET, 1);
        ep.add(other.readEnd, 5, PollTable.POLLIN | EventPoll.EPOLLET, 2);
        write("x");
        other.writeEnd.write(new byte[1], 0, 1);
        assertEquals(List.of(new EventPoll.Event(PollTable.POLLIN, 1)), ep.collect(1));
        assertEquals(List.of(new EventPoll.Event(PollTable.POLLIN, 2)), ep.collect(1));
        assertTrue(ep.collect(1).isEmpty());
    }
}
