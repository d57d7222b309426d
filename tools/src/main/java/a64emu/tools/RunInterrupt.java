package a64emu.tools;

import a64emu.guest.Kernel;
import a64emu.guest.RunStop;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during {@code run}: the terminal's SIGINT ends the run as the guest's own end
 * would, so that a64emu says where the guest was, prints {@code --stats} if asked and exits
 * 130 (128 + SIGINT, what a shell reports for a command Ctrl-C ended). The guest does not
 * see the signal: it is a64emu's, as a debugger's interrupt is. A second SIGINT, should the
 * run not have ended by then, ends a64emu at once with the same status.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) is the JDK's only way to catch a signal (see
 * the debugger's {@code InterruptKey}); a JVM that keeps SIGINT to itself ({@code -Xrs})
 * refuses it, and Ctrl-C then ends the JVM at once as it would without this.
 */
final class RunInterrupt implements AutoCloseable {
    private static final String SIGINT = "INT";

    /** The handler to put back; null if ours could not be installed. */
    private final SignalHandler previous;
    private volatile boolean requested;

    /** From now until {@link #close}, SIGINT ends {@code kernel}'s run. */
    RunInterrupt(Kernel kernel) {
        SignalHandler before;
        try {
            before = Signal.handle(new Signal(SIGINT), signal -> {
                if (requested) {
                    Runtime.getRuntime().halt(RunStop.INTERRUPTED.status);
                }
                requested = true;
                kernel.requestStop(RunStop.INTERRUPTED);
            });
        } catch (IllegalArgumentException e) {
            before = null; // SIGINT is the JVM's (-Xrs) or unknown to the host
        }
        previous = before;
    }

    /** The run is over: SIGINT means what it meant before. */
    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(new Signal(SIGINT), previous);
        }
    }
}
