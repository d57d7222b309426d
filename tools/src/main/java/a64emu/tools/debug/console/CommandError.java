package a64emu.tools.debug.console;

/** Bad input to a console command: its message is the one line the console prints. */
public final class CommandError extends RuntimeException {
    public CommandError(String message) {
        super(message, null, false, false);
    }
}
