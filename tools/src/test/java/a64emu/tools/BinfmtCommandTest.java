package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code a64emu binfmt}: qemu-user-binfmt's aarch64 entry with a64emu as the interpreter.
 * Nothing here touches /proc/sys/fs/binfmt_misc: installing goes to a scratch directory.
 */
class BinfmtCommandTest {
    /** qemu's scripts/qemu-binfmt-conf.sh aarch64_magic and aarch64_mask, as Debian registers them. */
    private static final String QEMU_AARCH64 = ":qemu-aarch64:M::"
            + "\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:"
            + "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:"
            + "/usr/libexec/qemu-binfmt/aarch64-binfmt-P:F";

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new A64emu(new ByteArrayInputStream(new byte[0]), out, err, List.of()).execute(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsQemuUserBinfmtsAarch64MagicAndMaskWithA64emuAsTheInterpreter() {
        Run r = run("binfmt", "--interpreter", "/opt/a64emu/a64emu-binfmt");

        assertEquals(0, r.status(), r.err());
        String qemuMagicAndMask = QEMU_AARCH64.substring(":qemu-aarch64".length(), QEMU_AARCH64.lastIndexOf(':',
                QEMU_AARCH64.lastIndexOf(':') - 1));
        assertEquals(":a64emu-aarch64" + qemuMagicAndMask + ":/opt/a64emu/a64emu-binfmt:F\n", r.out());
    }

    @Test
    void theMagicMatchesAnAarch64ElfExecutableAndPieButNotX86() throws IOException {
        byte[] hello = Files.readAllBytes(GuestPrograms.binary("hello"));
        byte[] magic = unescape(BinfmtCommand.MAGIC);
        byte[] mask = unescape(BinfmtCommand.MASK);
        assertEquals(20, magic.length);
        assertEquals(20, mask.length);
        assertTrue(matches(hello, magic, mask), "the static ET_EXEC hello");
        byte[] pie = hello.clone();
        pie[16] = 3; // ET_DYN
        assertTrue(matches(pie, magic, mask), "a PIE");
        byte[] x86 = hello.clone();
        x86[18] = 0x3e; // EM_X86_64
        assertTrue(!matches(x86, magic, mask), "an x86-64 program");
    }

    @Test
    void theDefaultInterpreterIsTheWrapperBesideTheLauncher() {
        String old = System.getProperty(BinfmtCommand.LAUNCHER_PROPERTY);
        System.setProperty(BinfmtCommand.LAUNCHER_PROPERTY, "/home/me/a64emu/a64emu");
        try {
            Run r = run("binfmt");
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().endsWith(":/home/me/a64emu/a64emu-binfmt:F\n"), r.out());
        } finally {
            if (old == null) {
                System.clearProperty(BinfmtCommand.LAUNCHER_PROPERTY);
            } else {
                System.setProperty(BinfmtCommand.LAUNCHER_PROPERTY, old);
            }
        }
    }

    @Test
    void theWrapperIsCommittedBesideTheLauncherAndRunsAnA64emuRun() throws IOException {
        Path wrapper = Path.of("..", BinfmtCommand.WRAPPER);
        assertTrue(Files.isExecutable(wrapper), wrapper + " is executable");
        assertTrue(Files.readString(wrapper).contains("a64emu\" run \"$@\""), Files.readString(wrapper));
    }

    @Test
    void anInterpreterPathWithAColonIsRefused() {
        Run r = run("binfmt", "--interpreter", "/opt/a:b/a64emu-binfmt");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("':'"), r.err());
    }

    @Test
    void installWithoutAMountedBinfmtMiscSaysSo(@TempDir Path dir) {
        Run r = run("binfmt", "--install", "--interpreter", "/bin/sh", "--binfmt-misc", dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("binfmt_misc is not mounted"), r.err());
    }

    @Test
    void installWritesTheLineToRegisterAndUninstallWritesMinusOneToTheEntry(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("register"), "");
        Run r = run("binfmt", "--install", "--interpreter", "/bin/sh", "--binfmt-misc", dir.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(BinfmtCommand.line("/bin/sh"), Files.readString(dir.resolve("register")));

        Files.writeString(dir.resolve(BinfmtCommand.NAME), "enabled\n"); // what the kernel would create
        Run again = run("binfmt", "--install", "--interpreter", "/bin/sh", "--binfmt-misc", dir.toString());
        assertEquals(1, again.status());
        assertTrue(again.err().contains("already registered"), again.err());

        Run un = run("binfmt", "--uninstall", "--binfmt-misc", dir.toString());
        assertEquals(0, un.status(), un.err());
        assertEquals("-1", Files.readString(dir.resolve(BinfmtCommand.NAME)));
    }

    @Test
    void uninstallWhenNotRegisteredAndBothActionsAreErrors(@TempDir Path dir) {
        Run r = run("binfmt", "--uninstall", "--binfmt-misc", dir.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("is not registered"), r.err());
        assertEquals(2, run("binfmt", "--install", "--uninstall").status());
    }

    private static boolean matches(byte[] file, byte[] magic, byte[] mask) {
        for (int i = 0; i < magic.length; i++) {
            if ((file[i] & mask[i]) != (magic[i] & mask[i])) {
                return false;
            }
        }
        return true;
    }

    /** binfmt_misc's own unescaping of \xHH in the magic and mask. */
    private static byte[] unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            if (s.startsWith("\\x", i)) {
                b.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 4;
            } else {
                b.write(s.charAt(i++));
            }
        }
        return b.toByteArray();
    }
}
