package a64emu.tools.debug;

import static org.junit.jupiter.api.Assertions.assertFalse;

import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import a64emu.guest.loader.ElfFormatException;
import a64emu.guest.loader.ElfSymbols;
import a64emu.tools.debug.console.Console;
import a64emu.tools.debug.console.LineSource;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the console debugger's command parser and commands ({@link Console}, wired to a
 * {@link DebugSession} as {@code a64emu debug --batch -x FILE} wires it): each input is the
 * command file (Latin-1 text, one command a line), run against the small {@code nostdlib}
 * program in a temporary root. A bad command must be a message (gdb's words: "Undefined
 * command", "No symbol", "Cannot access memory"...): the console's "internal error" line (an
 * exception inside a command) or an emulator bug fails the test.
 */
class ConsoleCommandFuzzTest {
    private static final Path ROOT;
    private static final ElfSymbols SYMBOLS;

    static {
        try {
            ROOT = Files.createTempDirectory("a64emu-fuzz-console");
            Path prog = Files.copy(Path.of("..", "guest", "programs", "bin", "nostdlib"), ROOT.resolve("prog"));
            ROOT.toFile().deleteOnExit();
            prog.toFile().deleteOnExit();
            SYMBOLS = ElfSymbols.read(Files.readAllBytes(prog));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ElfFormatException e) {
            throw new AssertionError(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void everyCommandLineGetsAnAnswerNeverAnInternalError(byte[] input) {
        ByteArrayOutputStream guestErr = new ByteArrayOutputStream();
        KernelConfig config = KernelConfig.defaults().withRam(16L << 20).withRoot(ROOT)
                .withStreams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), guestErr);
        Kernel kernel = new Kernel(config);
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        Console console = new Console(out, LineSource.ofText(new String(input, StandardCharsets.ISO_8859_1)), SYMBOLS);
        console.attach(new DebugSession(kernel, console, null));
        int status = kernel.run(Path.of("/prog"), List.of("/prog"), List.of());
        console.finished(status);
        // The report's own line; a command echoed back may hold the same words.
        assertFalse(text.toString().lines().anyMatch(l -> l.startsWith("a64emu: internal error in ")), text.toString());
        String err = guestErr.toString(StandardCharsets.ISO_8859_1);
        assertFalse(err.lines().anyMatch(l -> l.startsWith("a64emu: emulator bug ")), err);
    }
}
