package a64emu.tools.debug.console;

import a64emu.tools.debug.DebugSession;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C while the guest runs: the terminal's SIGINT stops the guest (the session's
 * interrupt, "Program interrupted.") rather than ending a64emu, as in gdb. The handler is
 * there only while the guest runs; at the prompt the JVM's own is back, so Ctrl-C there
 * ends the console as before.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) is the JDK's only way to catch a signal; a JVM
 * that keeps SIGINT to itself ({@code -Xrs}) refuses it, and then Ctrl-C ends the run as it
 * does without a debugger.
 */
final class InterruptKey {
    private static final String SIGINT = "INT";

    /** The handler to put back, while ours is installed. */
    private SignalHandler previous;

    /** The guest runs on: Ctrl-C interrupts {@code session}. */
    void arm(DebugSession session) {
        if (previous != null) {
            return;
        }
        try {
            previous = Signal.handle(new Signal(SIGINT), signal -> session.interrupt());
        } catch (IllegalArgumentException e) {
            // SIGINT is the JVM's (-Xrs) or unknown to the host: Ctrl-C keeps its usual meaning.
        }
    }

    /** The guest stopped: Ctrl-C means what it meant before. */
    void disarm() {
        if (previous != null) {
            Signal.handle(new Signal(SIGINT), previous);
            previous = null;
        }
    }
}
