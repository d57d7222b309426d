package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamically linked programs (guest/programs/bin/dyn_*, built without -static): their
 * interpreter is found through --sysroot, A64EMU_LD_PREFIX or the default
 * /usr/aarch64-linux-gnu, and a missing one is refused as a shell would (127) with what to
 * install. Their output against the oracle is checked by {@link GuestProgramsTest}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DynamicProgramsTest {
    /** Debian's cross libc (libc6-arm64-cross), which the dynamic programs run against. */
    static final Path CROSS_LIBC = Path.of("/usr/aarch64-linux-gnu");
    static final Path CROSS_INTERPRETER = CROSS_LIBC.resolve("lib/ld-linux-aarch64.so.1");

    /** Skips a dyn_ program's run when the cross libc is not installed; other programs run. */
    static void assumeCrossLibc(String run) {
        if (run.startsWith("dyn_")) {
            assumeTrue(Files.exists(CROSS_INTERPRETER), CROSS_INTERPRETER
                    + " is absent: the dynamically linked programs need Debian's libc6-arm64-cross");
        }
    }

    private static String hello() {
        return GuestPrograms.binary("dyn_hello").toString();
    }

    @Test
    void dynamicHelloRunsWithAnExplicitSysroot() {
        assumeCrossLibc("dyn_hello");
        GuestPrograms.Run run = GuestPrograms.cli("run", "--sysroot", CROSS_LIBC.toString(), hello());

        assertEquals(0, run.status(), run.stderr());
        assertTrue(run.out().startsWith("hello from a dynamically linked program\n0 apple\n"), run.out());
        assertTrue(run.out().contains("AT_BASE (the interpreter) is set\nAT_ENTRY is _start: yes\n"), run.out());
    }

    @Test
    void dashLIsTheSysrootsShortName() {
        assumeCrossLibc("dyn_hello");
        GuestPrograms.Run run = GuestPrograms.cli("run", "-L", CROSS_LIBC.toString(), "--no-aslr", hello());

        assertEquals(0, run.status(), run.stderr());
        assertTrue(run.out().startsWith("hello from a dynamically linked program\n"), run.out());
    }

    @Test
    void theSysrootMustNameADirectory() {
        GuestPrograms.Run run = GuestPrograms.cli("run", "--sysroot", "/nonexistent/sysroot", hello());

        assertEquals(2, run.status(), run.stderr());
        assertTrue(run.stderr().contains("--sysroot: '/nonexistent/sysroot' is not a directory"), run.stderr());
    }

    @Test
    void dlopenFindsTheLibraryBesideTheProgramAndCallsIt() {
        assumeCrossLibc("dyn_dlopen");
        GuestPrograms.Run run = GuestPrograms.cli("run", GuestPrograms.binary("dyn_dlopen").toString());

        assertEquals(0, run.status(), run.stderr());
        assertTrue(run.out().contains("libdlplugin: constructor ran\nplugin_answer(40) = 42\n"), run.out());
        assertTrue(run.out().endsWith("libdlplugin: destructor ran after 3 calls\ndlclose: 0\n"), run.out());
    }

    @Test
    void aMissingInterpreterIsStatus127WithWhatToInstall(@TempDir Path root) throws IOException {
        // A root that has the program and no libc: neither /lib/ld-linux-aarch64.so.1 nor the default sysroot.
        Files.copy(GuestPrograms.binary("dyn_hello"), root.resolve("dyn_hello"));
        GuestPrograms.Run run = GuestPrograms.cli("run", "--root", root.toString(), "/dyn_hello");

        assertEquals(127, run.status(), run.stderr());
        assertEquals("", run.out());
        assertTrue(run.stderr().contains("a64emu: cannot run '/dyn_hello': dynamically linked, and its interpreter"
                + " /lib/ld-linux-aarch64.so.1 is not found"), run.stderr());
        assertTrue(run.stderr().contains("apt-get install libc6-arm64-cross"), run.stderr());
        assertTrue(run.stderr().contains("--sysroot"), run.stderr());
    }

    @Test
    void underARootTheSysrootIsAPathInsideIt(@TempDir Path root) throws IOException {
        assumeCrossLibc("dyn_hello");
        Files.copy(GuestPrograms.binary("dyn_hello"), root.resolve("dyn_hello"));
        Path lib = Files.createDirectories(root.resolve("cross/lib"));
        try (var files = Files.list(CROSS_LIBC.resolve("lib"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("(ld-linux-aarch64|libc)\\.so.*"))
                    .toList()) {
                Files.copy(f, lib.resolve(f.getFileName()));
            }
        }
        GuestPrograms.Run run = GuestPrograms.cli("run", "--root", root.toString(), "--sysroot", "/cross",
                "/dyn_hello");

        assertEquals(0, run.status(), run.stderr());
        assertTrue(run.out().startsWith("hello from a dynamically linked program\n"), run.out());
    }
}
