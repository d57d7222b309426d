package a64emu.tools.gdb;

import a64emu.guest.Process;
import a64emu.mmu.AccessType;
import a64emu.tools.debug.DebugSession;
import a64emu.tools.debug.Inspect;

/**
 * GDB's {@code monitor} commands (qRcmd): the memory-management views gdb itself cannot give,
 * the same text as the console debugger prints ({@link Inspect}).
 */
final class MonitorCommands {
    private MonitorCommands() {}

    static final String HELP = """
            a64emu monitor commands:
              monitor maps                 the process's areas, as /proc/PID/maps
              monitor walk VA [r|w|x]      the translation table walk of VA (read access by default);
                   ... [--as-vector]       the same as a case for 'a64emu mmu-test'
              monitor ptdump               the process's translation tables
              monitor tlb [VA]             the TLB's entries (those for VA only)
              monitor fault                the last MMU fault: where, the VMA, what the kernel did
            VA is hexadecimal, with or without 0x.
            """;

    /** The text {@code command} prints for {@code p} (the thread gdb looks at is p's). */
    static String run(DebugSession session, Process p, String command) {
        String[] words = command.strip().split("\\s+");
        try {
            return switch (words[0]) {
                case "maps" -> Inspect.maps(p);
                case "walk" -> {
                    boolean asVector = words.length > 1 && words[words.length - 1].equals("--as-vector");
                    String[] w = asVector ? java.util.Arrays.copyOf(words, words.length - 1) : words;
                    if (w.length < 2 || w.length > 3) {
                        yield "usage: monitor walk VA [r|w|x] [--as-vector]\n";
                    }
                    AccessType access = w.length == 3 ? access(w[2]) : AccessType.READ;
                    yield asVector ? Inspect.walkAsVector(session, p, address(w[1]), access)
                            : Inspect.walk(session, p, address(w[1]), access);
                }
                case "ptdump" -> Inspect.ptdump(session, p);
                case "tlb" -> Inspect.tlb(session, words.length > 1 ? address(words[1]) : null);
                case "fault" -> Inspect.fault(session);
                case "help", "" -> HELP;
                default -> "unknown monitor command '" + words[0] + "'\n" + HELP;
            };
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n";
        }
    }

    private static long address(String text) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a hexadecimal address");
        }
    }

    private static AccessType access(String text) {
        return switch (text) {
            case "r", "read" -> AccessType.READ;
            case "w", "write" -> AccessType.WRITE;
            case "x", "exec", "execute" -> AccessType.EXECUTE;
            default -> throw new IllegalArgumentException("'" + text + "' is not r, w or x");
        };
    }
}
