package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code a64emu disasm} on committed guest programs, against GNU objdump where installed. */
class DisasmCommandTest {
    private static final String OBJDUMP = "aarch64-linux-gnu-objdump";
    private static final String HELLO = GuestPrograms.binary("hello").toString();
    private static final String NOSTDLIB = GuestPrograms.binary("nostdlib").toString();

    /** Instruction lines ("  addr:\tword \ttext") and symbol headers, whitespace normalised, comments dropped. */
    private static List<String> listing(String text) {
        return Arrays.stream(text.split("\n"))
                .filter(l -> l.matches("^\\s*[0-9a-f]+:\\t.*") || l.matches("^[0-9a-f]{16} <.*>:$"))
                .map(l -> l.replaceAll("\\s*//.*$", "").trim().replaceAll("\\s+", " "))
                .collect(Collectors.toList());
    }

    /**
     * {@link #listing} without symbol names: of several symbols at one address objdump names
     * the global one, and ElfSymbols does not record binding, so names may differ there.
     */
    private static List<String> withoutSymbolNames(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll(" ?<[^>]*>:?$", "")).collect(Collectors.toList());
    }

    private static String objdump(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = OBJDUMP;
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private static boolean objdumpInstalled() {
        try {
            objdump("--version");
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void startAtASymbolPrintsItsHeaderAndCountInstructions() {
        GuestPrograms.Run run = GuestPrograms.cli("disasm", HELLO, "--start", "main", "--count", "4");
        assertEquals(0, run.status(), run.stderr());
        List<String> lines = listing(run.out());
        assertEquals(5, lines.size(), run.out());
        assertTrue(lines.get(0).matches("[0-9a-f]{16} <main>:"), lines.get(0));
        assertTrue(run.out().contains("Disassembly of section .text:"), run.out());
    }

    @Test
    void startAcceptsAHexAddressAndRejectsAnUnknownName() {
        GuestPrograms.Run bySymbol = GuestPrograms.cli("disasm", HELLO, "--start", "main", "--count", "3");
        String address = listing(bySymbol.out()).get(1).replaceAll(":.*", "");
        GuestPrograms.Run byAddress = GuestPrograms.cli("disasm", HELLO, "--start", "0x" + address, "--count", "3");
        assertEquals(listing(bySymbol.out()), listing(byAddress.out()));

        GuestPrograms.Run unknown = GuestPrograms.cli("disasm", HELLO, "--start", "no_such_symbol");
        assertEquals(1, unknown.status());
        assertTrue(unknown.stderr().contains("neither a symbol"), unknown.stderr());
    }

    @Test
    void wholeFileListingEqualsObjdumpLineForLine() throws IOException, InterruptedException {
        Assumptions.assumeTrue(objdumpInstalled(), OBJDUMP + " is not installed (Debian: binutils-aarch64-linux-gnu)");
        GuestPrograms.Run run = GuestPrograms.cli("disasm", NOSTDLIB);
        assertEquals(0, run.status(), run.stderr());
        assertEquals(listing(objdump("-d", NOSTDLIB)), listing(run.out()));
    }

    @Test
    void functionsOfAGlibcProgramEqualObjdumpUpToSymbolAliases() throws IOException, InterruptedException {
        Assumptions.assumeTrue(objdumpInstalled(), OBJDUMP + " is not installed (Debian: binutils-aarch64-linux-gnu)");
        GuestPrograms.Run run = GuestPrograms.cli("disasm", HELLO, "--start", "main", "--count", "200");
        assertEquals(0, run.status(), run.stderr());
        List<String> ours = listing(run.out());
        long first = Long.parseUnsignedLong(ours.get(1).replaceAll(":.*", ""), 16);
        String theirs = objdump("-d", "--start-address=0x" + Long.toHexString(first),
                "--stop-address=0x" + Long.toHexString(first + 4 * 200), HELLO);
        assertEquals(withoutSymbolNames(listing(theirs)), withoutSymbolNames(ours));
    }
}
