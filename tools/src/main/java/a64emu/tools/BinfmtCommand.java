package a64emu.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code a64emu binfmt}: the binfmt_misc entry (Linux Documentation/admin-guide/binfmt-misc.rst)
 * that makes the kernel hand every AArch64 ELF executable to a64emu, as qemu-user-binfmt
 * does for qemu-aarch64: the same magic and mask (qemu's scripts/qemu-binfmt-conf.sh), with
 * a64emu's binfmt interpreter, the launcher's sibling {@code a64emu-binfmt}, which runs
 * {@code a64emu run PROGRAM ARGS...}.
 */
@Command(name = "binfmt",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Prints the binfmt_misc entry that has the kernel run AArch64 ELF programs under "
                + "a64emu, as qemu-user-binfmt does for qemu-aarch64; --install registers it "
                + "(as root), --uninstall removes it.",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:printed, installed or uninstalled",
            "1:cannot install or uninstall (not root, binfmt_misc not mounted, already or not registered)",
            "2:invalid command line"})
final class BinfmtCommand implements Callable<Integer> {
    /** The entry's name: /proc/sys/fs/binfmt_misc/a64emu-aarch64. */
    static final String NAME = "a64emu-aarch64";
    /**
     * An ELF64 little-endian version-1 file for EM_AARCH64 (0xb7), e_type ET_EXEC or ET_DYN:
     * the mask ignores e_ident[EI_OSABI..] padding and bit 0 of e_type.
     */
    static final String MAGIC = "\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00";
    static final String MASK = "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff";
    /**
     * F (fix binary): the kernel opens the interpreter when the entry is registered, so it
     * also runs programs inside containers and chroots where the path does not exist.
     */
    static final String FLAGS = "F";
    /** The script next to the launcher that binfmt_misc runs as "a64emu-binfmt PROGRAM ARGS...". */
    static final String WRAPPER = "a64emu-binfmt";
    /** Set by the launcher script to its own absolute path. */
    static final String LAUNCHER_PROPERTY = "a64emu.launcher";

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Action action;

    static final class Action {
        @Option(names = "--install", description = "Register the entry (needs root and a mounted binfmt_misc).")
        boolean install;

        @Option(names = "--uninstall", description = "Remove the entry registered by --install.")
        boolean uninstall;
    }

    @Option(names = "--interpreter", paramLabel = "PATH",
            description = "The interpreter the entry names (default: a64emu-binfmt next to the a64emu launcher).")
    Path interpreter;

    /** Where binfmt_misc is mounted; tests point it elsewhere. */
    @Option(names = "--binfmt-misc", paramLabel = "DIR", hidden = true)
    Path binfmtMisc = Path.of("/proc/sys/fs/binfmt_misc");

    /** The registration line for {@code interpreter}: :name:type:offset:magic:mask:interpreter:flags. */
    static String line(String interpreter) {
        return ":" + NAME + ":M::" + MAGIC + ":" + MASK + ":" + interpreter + ":" + FLAGS;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (action != null && action.uninstall) {
            return uninstall(err);
        }
        Path interp = interpreter();
        if (interp == null) {
            err.println("a64emu binfmt: cannot tell where the a64emu launcher is (run this through "
                    + "./a64emu, or give --interpreter PATH)");
            return 2;
        }
        String path = interp.toAbsolutePath().normalize().toString();
        if (path.contains(":") || path.length() > 127) {
            // binfmt_misc splits the line at ':' and limits the interpreter to BINPRM_BUF_SIZE - 1.
            err.println("a64emu binfmt: the interpreter path " + path + " has a ':' or is over 127 characters");
            return 2;
        }
        String line = line(path);
        if (action == null || !action.install) {
            out.println(line);
            return 0;
        }
        return install(line, interp, out, err);
    }

    private Path interpreter() {
        if (interpreter != null) {
            return interpreter;
        }
        String launcher = System.getProperty(LAUNCHER_PROPERTY);
        return launcher == null || launcher.isEmpty() ? null : Path.of(launcher).resolveSibling(WRAPPER);
    }

    private int install(String line, Path interp, PrintWriter out, PrintWriter err) {
        Path register = binfmtMisc.resolve("register");
        if (!Files.exists(register)) {
            err.println("a64emu binfmt: " + register + " does not exist: binfmt_misc is not mounted "
                    + "(as root: mount -t binfmt_misc binfmt_misc " + binfmtMisc + ")");
            return 1;
        }
        if (Files.exists(binfmtMisc.resolve(NAME))) {
            err.println("a64emu binfmt: " + NAME + " is already registered (" + binfmtMisc.resolve(NAME)
                    + "); remove it first with --uninstall");
            return 1;
        }
        if (!Files.isExecutable(interp)) {
            err.println("a64emu binfmt: the interpreter " + interp + " is not an executable file");
            return 1;
        }
        if (!Files.isWritable(register)) {
            err.println("a64emu binfmt: cannot write " + register + ": registering needs root");
            return 1;
        }
        try {
            Files.writeString(register, line, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            err.println("a64emu binfmt: writing " + register + " failed: " + e.getMessage());
            return 1;
        }
        out.println("registered " + NAME + ": " + line);
        return 0;
    }

    private int uninstall(PrintWriter err) {
        Path entry = binfmtMisc.resolve(NAME);
        if (!Files.exists(entry)) {
            err.println("a64emu binfmt: " + NAME + " is not registered (no " + entry + ")");
            return 1;
        }
        if (!Files.isWritable(entry)) {
            err.println("a64emu binfmt: cannot write " + entry + ": removing the entry needs root");
            return 1;
        }
        try {
            // Writing -1 to an entry removes it.
            Files.writeString(entry, "-1", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            err.println("a64emu binfmt: writing " + entry + " failed: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
