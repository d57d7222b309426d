package a64emu.guest.security;

import static a64emu.guest.security.Bpf.*;
import static org.junit.jupiter.api.Assertions.*;

import a64emu.guest.security.Bpf.Insn;
import org.junit.jupiter.api.Test;

class SeccompTest {
    private static final long[] NO_ARGS = new long[6];
    private static final int GETPPID = 173;

    /** nr answers ret, every other call ALLOW. */
    private static Insn[] onCall(int nr, int ret) {
        return SeccompFilter.check(new Insn[] {
            Insn.stmt(LD | W | ABS, 0),
            Insn.jump(JMP | JEQ | K, nr, 0, 1),
            Insn.stmt(RET | K, ret),
            Insn.stmt(RET | K, Seccomp.RET_ALLOW),
        });
    }

    @Test
    void withoutFiltersEveryCallIsAllowed() {
        Seccomp s = new Seccomp();
        assertEquals(Seccomp.MODE_DISABLED, s.mode());
        assertEquals(Seccomp.RET_ALLOW, s.check(GETPPID, 0, NO_ARGS).ret());
    }

    @Test
    void theLowestActionWinsAndTheNewestFilterReturningItGivesTheData() {
        Seccomp s = new Seccomp();
        assertTrue(s.attach(onCall(GETPPID, Seccomp.RET_ERRNO | 11), false));
        assertTrue(s.attach(onCall(GETPPID, Seccomp.RET_ERRNO | 22), false));
        assertTrue(s.attach(onCall(GETPPID, Seccomp.RET_TRACE), false));
        assertTrue(s.attach(onCall(GETPPID, Seccomp.RET_LOG), true));
        Seccomp.Verdict v = s.check(GETPPID, 0, NO_ARGS);
        assertEquals(Seccomp.RET_ERRNO, v.action());
        assertEquals(22, v.data());
        assertFalse(v.log(), "the deciding filter did not ask for logging");
        assertEquals(Seccomp.MODE_FILTER, s.mode());
        assertEquals(4, s.filterCount());
        assertEquals(Seccomp.RET_ALLOW, s.check(GETPPID + 1, 0, NO_ARGS).ret());
    }

    @Test
    void killProcessIsBelowEveryOtherActionAsASignedValue() {
        Seccomp s = new Seccomp();
        s.attach(onCall(GETPPID, Seccomp.RET_KILL_PROCESS), false);
        s.attach(onCall(GETPPID, Seccomp.RET_KILL_THREAD), false);
        assertEquals(Seccomp.RET_KILL_PROCESS, s.check(GETPPID, 0, NO_ARGS).action());
    }

    @Test
    void loggedFilterDecidingIsReported() {
        Seccomp s = new Seccomp();
        s.attach(onCall(GETPPID, Seccomp.RET_TRAP | 5), true);
        Seccomp.Verdict v = s.check(GETPPID, 0, NO_ARGS);
        assertEquals(Seccomp.RET_TRAP, v.action());
        assertEquals(5, v.data());
        assertTrue(v.log());
    }

    @Test
    void strictModeAllowsReadWriteExitAndSigreturnOnly() {
        Seccomp s = new Seccomp();
        assertTrue(s.mayAssign(Seccomp.MODE_STRICT));
        s.setStrict();
        for (int nr : new int[] {63, 64, 93, 139}) {
            assertEquals(Seccomp.RET_ALLOW, s.check(nr, 0, NO_ARGS).ret(), "call " + nr);
        }
        assertEquals(Seccomp.RET_KILL_THREAD, s.check(94, 0, NO_ARGS).action(), "exit_group is not allowed");
        assertFalse(s.mayAssign(Seccomp.MODE_FILTER));
        assertTrue(s.mayAssign(Seccomp.MODE_STRICT));
    }

    @Test
    void aFilteredProcessCannotEnterStrictMode() {
        Seccomp s = new Seccomp();
        s.attach(onCall(GETPPID, Seccomp.RET_ALLOW), false);
        assertFalse(s.mayAssign(Seccomp.MODE_STRICT));
    }

    @Test
    void aCopyKeepsTheFiltersAndLaterFiltersStayOnTheirSide() {
        Seccomp parent = new Seccomp();
        parent.attach(onCall(GETPPID, Seccomp.RET_ERRNO | 1), false);
        Seccomp child = parent.copy();
        child.attach(onCall(GETPPID + 1, Seccomp.RET_ERRNO | 2), false);
        assertEquals(Seccomp.RET_ERRNO | 1, child.check(GETPPID, 0, NO_ARGS).ret());
        assertEquals(Seccomp.RET_ERRNO | 2, child.check(GETPPID + 1, 0, NO_ARGS).ret());
        assertEquals(Seccomp.RET_ALLOW, parent.check(GETPPID + 1, 0, NO_ARGS).ret());
        assertEquals(1, parent.filterCount());
        assertEquals(2, child.filterCount());
    }

    @Test
    void theChainIsLimitedToMaxInsnsPerPathWithFourChargedPerFilter() {
        Insn[] big = new Insn[MAXINSNS];
        for (int i = 0; i < big.length; i++) {
            big[i] = Insn.stmt(RET | K, Seccomp.RET_ALLOW);
        }
        Seccomp s = new Seccomp();
        // 32768 = 7 * (4096 + 4) + 4068: seven full filters fit, an eighth does not.
        for (int i = 0; i < 7; i++) {
            assertTrue(s.attach(big, false), "filter " + i);
        }
        assertFalse(s.attach(big, false));
        assertEquals(7, s.filterCount());
        assertTrue(s.attach(java.util.Arrays.copyOf(big, 4068), false));
        assertFalse(s.attach(new Insn[] {big[0]}, false));
    }

    @Test
    void tsyncReachesThreadsWithoutFiltersOrWithAChainTheCallersExtends() {
        Seccomp caller = new Seccomp();
        Seccomp fresh = new Seccomp();
        assertTrue(fresh.canSyncTo(caller));
        caller.attach(onCall(GETPPID, Seccomp.RET_ERRNO | 1), false);
        Seccomp sibling = caller.copy();
        caller.attach(onCall(GETPPID + 1, Seccomp.RET_ERRNO | 2), false);
        assertTrue(sibling.canSyncTo(caller), "the sibling's chain is an ancestor of the caller's");
        sibling.attach(onCall(GETPPID + 2, Seccomp.RET_ERRNO | 3), false);
        assertFalse(sibling.canSyncTo(caller), "the sibling added a filter of its own");
        Seccomp strict = new Seccomp();
        strict.setStrict();
        assertFalse(strict.canSyncTo(caller));
        fresh.syncFrom(caller);
        assertEquals(Seccomp.MODE_FILTER, fresh.mode());
        assertEquals(2, fresh.filterCount());
        assertEquals(Seccomp.RET_ERRNO | 2, fresh.check(GETPPID + 1, 0, NO_ARGS).ret());
    }

    @Test
    void actionAvailabilityKnowsTheEightActions() {
        assertTrue(Seccomp.actionAvailable(Seccomp.RET_KILL_PROCESS));
        assertTrue(Seccomp.actionAvailable(Seccomp.RET_USER_NOTIF));
        assertTrue(Seccomp.actionAvailable(Seccomp.RET_ALLOW));
        assertFalse(Seccomp.actionAvailable(0x0001_0000));
        assertFalse(Seccomp.actionAvailable(Seccomp.RET_ALLOW | 1));
    }
}
