package a64emu.guest.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.guest.Kernel;
import a64emu.guest.fuzz.FuzzRoot;
import a64emu.guest.fuzz.GuestRun;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes exec of an ELF file ({@link ElfFile#read}, {@link ElfLoader}, the interpreter's
 * lookup and load, {@link InitialStack}) through a whole {@link Kernel#run}: mutated headers,
 * program headers, PT_INTERP paths, notes and truncated files. Each input is the whole file.
 * A file a64emu cannot run must give status 126 (or 127 for a missing interpreter) with one
 * line "a64emu: cannot run 'PATH': reason" on stderr; one it can run is loaded and killed
 * before its first instruction (137). Anything else, an emulator bug (134) above all, fails.
 *
 * <p>The root holds {@code /lib/ld-linux-aarch64.so.1} (the committed static {@code nostdlib}
 * program, an ET_EXEC "interpreter"), so that mutated PT_INTERP paths find a file to load.
 * Seeds: the committed programs' first page, {@code nostdlib} whole, and files from
 * {@link ElfImageBuilder}; see {@code ElfLoaderFuzzTestInputs/}.
 */
class ElfLoaderFuzzTest {
    private static final FuzzRoot ROOT = rootWithInterpreter();

    private static FuzzRoot rootWithInterpreter() {
        FuzzRoot root = new FuzzRoot("elf");
        try {
            root.write("lib/ld-linux-aarch64.so.1", Files.readAllBytes(Path.of("programs/bin/nostdlib")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    @FuzzTest(maxDuration = "5m")
    void execEitherLoadsTheFileOrRefusesItWithStatus126(byte[] file) {
        String program = ROOT.write("prog", file);
        GuestRun.Result r = GuestRun.run(ROOT.dir(), program, 0, null);
        assertFalse(r.emulatorBug(), r.stderr());
        if (r.budgetSpent()) {
            assertEquals(137, r.status(), r.stderr());
            assertEquals("", r.stderr());
            return;
        }
        assertTrue(r.status() == Kernel.STATUS_CANNOT_EXECUTE || r.status() == Kernel.STATUS_NOT_FOUND,
                "status " + r.status() + ": " + r.stderr());
        String[] lines = r.stderr().split("\n", -1);
        assertEquals(2, lines.length, r.stderr());
        assertTrue(lines[0].startsWith("a64emu: cannot run '" + program + "': "), r.stderr());
        assertEquals("", r.stdout());
    }
}
