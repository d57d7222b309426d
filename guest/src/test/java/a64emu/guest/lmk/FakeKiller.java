package a64emu.guest.lmk;

import java.util.ArrayList;
import java.util.List;

/** Records what a policy asks to kill; each kill frees {@link #pagesPerKill} pages. */
final class FakeKiller implements Killer {
    record Call(int minAdj, KillReason reason, String description) {}

    final List<Call> calls = new ArrayList<>();
    long pagesPerKill = 2048;
    /** Whether lmkd still waits for the victim after a kill (pidfd not yet readable). */
    boolean waitsAfterKill;
    private boolean waiting;

    @Override
    public long findAndKill(int minAdj, KillReason reason, String description) {
        calls.add(new Call(minAdj, reason, description));
        waiting = waitsAfterKill && pagesPerKill > 0;
        return pagesPerKill;
    }

    @Override
    public boolean waitingForKill() {
        return waiting;
    }

    Call last() {
        return calls.isEmpty() ? null : calls.get(calls.size() - 1);
    }
}
