package a64emu.tools.gdb;

/**
 * Thread-ids as GDB writes them: hex {@code TID}, or {@code pPID.TID} with the multiprocess
 * extension; {@code -1} is every thread and {@code 0} any one. The stub names threads by
 * their guest tid.
 */
final class ThreadIds {
    private ThreadIds() {}

    /** The tid in {@code text}: -1 (all), 0 (any) or a thread's tid. */
    static int parse(String text) {
        String tid = text;
        if (text.startsWith("p")) {
            int dot = text.indexOf('.');
            tid = dot < 0 ? "-1" : text.substring(dot + 1);
        }
        if (tid.equals("-1")) {
            return -1;
        }
        return Hex.count(tid);
    }
}
