package a64emu.guest.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.Cpu;
import a64emu.guest.BadUserAddressException;
import a64emu.guest.Errno;
import a64emu.guest.Process;
import a64emu.guest.TestMachine;
import a64emu.guest.fs.FileSystem;
import a64emu.guest.fs.FileTable;
import a64emu.guest.loader.InitialStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The declarations of {@link SyscallStatus} against the table, against what
 * {@link Syscalls#dispatch} really does, and against the README.
 */
class SyscallStatusTest {
    private static final String REGENERATE = "mvn -o -q package -pl guest -am -DskipTests && "
            + "java -cp guest/target/classes a64emu.guest.syscall.SyscallStatus --readme README.md";

    @Test
    void everyNumberOfTheTableHasItsLinuxName() {
        for (int nr = 0; nr < SyscallNumbers.NR_SYSCALLS; nr++) {
            boolean empty = (nr >= 244 && nr <= 259) || (nr >= 295 && nr <= 423);
            if (empty) {
                assertNull(SyscallNumbers.name(nr), "arm64 has no system call " + nr);
            } else {
                assertNotNull(SyscallNumbers.name(nr), "system call " + nr + " has no name in SyscallNumbers");
            }
        }
        assertEquals("newfstatat", SyscallNumbers.name(79));
        assertEquals("set_mempolicy_home_node", SyscallNumbers.name(450));
    }

    @Test
    void everyNumberOfTheTableIsDeclared() {
        List<String> missing = new ArrayList<>();
        for (int nr = 0; nr < SyscallNumbers.NR_SYSCALLS; nr++) {
            if (SyscallStatus.of(nr) == null) {
                missing.add(nr + " (" + SyscallNumbers.name(nr) + ")");
            }
        }
        assertTrue(missing.isEmpty(), "declare these in SyscallStatus (full, partial, refused or gap): " + missing);
    }

    /**
     * Each number is called once through dispatch, every argument -1 (a bad descriptor, a bad
     * pointer, invalid flags: nothing may block); a call that reaches notImplemented leaves its
     * notice in the diagnostics stream.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void declaredStatusIsWhatDispatchDoes() {
        TestMachine m = new TestMachine(48);
        ByteArrayOutputStream notices = new ByteArrayOutputStream();
        FileSystem fs = new FileSystem(null, "/");
        FileTable files = new FileTable(fs, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), "/bin/prog");
        Process process = new Process(4242, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu),
                m.mm, m.frames, m.faults, m.user, files, 1);
        Syscalls syscalls = new Syscalls(process, new PrintStream(notices, true, StandardCharsets.UTF_8));
        List<String> wrong = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int nr = 0; nr < SyscallNumbers.NR_SYSCALLS; nr++) {
            if (nr != SyscallNumbers.EXIT && nr != SyscallNumbers.EXIT_GROUP) {
                order.add(nr);
            }
        }
        order.add(SyscallNumbers.EXIT);
        order.add(SyscallNumbers.EXIT_GROUP);
        for (int nr : order) {
            SyscallStatus.Entry declared = SyscallStatus.of(nr);
            if (declared == null) {
                continue; // everyNumberOfTheTableIsDeclared names it
            }
            long result;
            try {
                result = syscalls.dispatch(nr, -1, -1, -1, -1, -1, -1);
            } catch (BadUserAddressException e) {
                result = -Errno.EFAULT;
            } catch (RuntimeException e) {
                wrong.add("syscall " + nr + " (" + declared.name() + ") threw " + e + " for arguments of -1");
                continue;
            }
            boolean reachedNotImplemented = notices.toString(StandardCharsets.UTF_8)
                    .contains(Syscalls.unimplementedNotice(nr));
            String what = "syscall " + nr + " (" + declared.name() + ")";
            String constant = declared.name() == null ? String.valueOf(nr) : declared.name().toUpperCase();
            switch (declared.kind()) {
                case FULL, PARTIAL -> {
                    if (reachedNotImplemented) {
                        wrong.add(what + " is declared " + declared.kind() + " but dispatch answers it with "
                                + "notImplemented: implement it, or declare gap(" + constant + ")");
                    }
                }
                case NOT_IMPLEMENTED -> {
                    if (!reachedNotImplemented) {
                        wrong.add(what + " is declared not implemented but dispatch handles it: declare full("
                                + constant + ") or partial(" + constant + ", \"what is missing\")");
                    }
                }
                case REFUSED -> {
                    if (reachedNotImplemented || result != -declared.errno()) {
                        wrong.add(what + " is declared Linux's refusal " + Errno.name(declared.errno())
                                + " but dispatch answered " + (reachedNotImplemented ? "notImplemented"
                                : result < 0 ? Errno.name(-result) : String.valueOf(result))
                                + ": fix the declaration (refused/full/partial) or the handler");
                    }
                }
                default -> throw new AssertionError(declared.kind());
            }
        }
        assertTrue(wrong.isEmpty(), "SyscallStatus disagrees with Syscalls.dispatch:\n  " + String.join("\n  ", wrong));
        System.out.println("system calls: " + SyscallStatus.summary());
    }

    @Test
    void aDeclaredRefusalIsAnsweredWithoutANotice() {
        TestMachine m = new TestMachine(48);
        ByteArrayOutputStream notices = new ByteArrayOutputStream();
        FileTable files = new FileTable(new FileSystem(null, "/"), new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), "/bin/prog");
        Process process = new Process(4242, 1, new InitialStack.Credentials(1000, 1000, 1000, 1000), new Cpu(m.mmu),
                m.mm, m.frames, m.faults, m.user, files, 1);
        Syscalls syscalls = new Syscalls(process, new PrintStream(notices, true, StandardCharsets.UTF_8));
        try {
            assertEquals(-Errno.EPERM, syscalls.dispatch(SyscallNumbers.MOUNT, 0, 0, 0, 0, 0, 0));
            assertEquals(-Errno.ENOSYS, syscalls.dispatch(300, 0, 0, 0, 0, 0, 0), "295-423 are 32-bit only");
            assertEquals(-Errno.ENOSYS, syscalls.dispatch(SyscallNumbers.NFSSERVCTL, 0, 0, 0, 0, 0, 0));
        } catch (BadUserAddressException e) {
            throw new AssertionError(e);
        }
        assertEquals("", notices.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readmeTableIsTheDeclaredOne() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertEquals(SyscallStatus.withTable(text), text,
                "README.md's system call table differs from SyscallStatus; regenerate it from the top directory:\n  "
                        + REGENERATE);
    }

    @Test
    void summaryCountsEveryNumberOnce() {
        int total = SyscallStatus.counts().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(SyscallNumbers.NR_SYSCALLS, total, SyscallStatus.summary());
    }
}
