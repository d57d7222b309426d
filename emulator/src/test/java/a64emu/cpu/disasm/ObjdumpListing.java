package a64emu.cpu.disasm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The instruction lines of a GNU objdump listing, each with a64emu's text for the same word. */
final class ObjdumpListing {
    static final String OBJDUMP = "aarch64-linux-gnu-objdump";
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]{8}) \\t([^\\t]+)\\t?(.*)$");

    private ObjdumpListing() {}

    /**
     * One instruction: objdump's mnemonic as printed, and both texts without symbol
     * annotations and comments, whitespace normalised.
     */
    record Line(long pc, int word, String mnemonic, String objdump, String a64emu) {
        boolean agrees() {
            return objdump.equals(a64emu);
        }
    }

    static boolean objdumpInstalled() {
        try {
            Process p = new ProcessBuilder(OBJDUMP, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** objdump's text without symbol annotations and comments, whitespace normalised. */
    static String normalise(String text) {
        int comment = text.indexOf("//");
        String t = comment >= 0 ? text.substring(0, comment) : text;
        return t.replaceAll(" <[^>]*>", "").trim().replaceAll("\\s+", " ");
    }

    /** Runs objdump with {@code args} and pairs each instruction line with {@code disassembler}'s text. */
    static List<Line> of(Disassembler disassembler, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(OBJDUMP));
        command.addAll(List.of(args));
        Symbolizer bareHex = Symbolizer.withSymbols(address -> "");
        List<Line> lines = new ArrayList<>();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    long pc = Long.parseUnsignedLong(m.group(1), 16);
                    int word = Integer.parseUnsignedInt(m.group(2), 16);
                    lines.add(new Line(pc, word, m.group(3).trim(), normalise(m.group(3) + " " + m.group(4)),
                            normalise(disassembler.disassemble(pc, word).text(bareHex))));
                }
            }
        }
        assertEquals(0, p.waitFor(), String.join(" ", command) + " failed");
        return lines;
    }
}
