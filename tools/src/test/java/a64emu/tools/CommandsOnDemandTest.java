package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code a64emu COMMAND ...} adds only COMMAND to picocli (reading every command's options
 * took a good part of each start); every command line must still come out as it does with
 * every command added: the same output, errors and status.
 */
class CommandsOnDemandTest {
    private record Result(int status, String out, String err) {}

    private static Result run(Function<A64emu, CommandLine> commandLine, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        A64emu a64emu = new A64emu(new ByteArrayInputStream(new byte[0]), out, err, List.of());
        int status = commandLine.apply(a64emu).execute(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertSameAsWithEveryCommand(String... args) {
        Result everyCommand = run(A64emu::commandLine, args);
        Result onDemand = run(a64emu -> a64emu.commandLine(args), args);
        assertEquals(everyCommand, onDemand, "a64emu " + String.join(" ", args));
    }

    @Test
    void everyCommandsHelpAndUsageErrorsAreTheSame() {
        List<String> names = new ArrayList<>(new A64emu(new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), new ByteArrayOutputStream(), List.of())
                .commandLine().getSubcommands().keySet());
        assertTrue(names.contains("run") && names.contains("help"), names.toString());
        for (String name : names) {
            assertSameAsWithEveryCommand(name, "--help");
            assertSameAsWithEveryCommand(name, "--no-such-option");
            assertSameAsWithEveryCommand("help", name);
        }
    }

    @Test
    void theTopLevelAndItsErrorsAreTheSame() {
        assertSameAsWithEveryCommand();
        assertSameAsWithEveryCommand("--help");
        assertSameAsWithEveryCommand("-h");
        assertSameAsWithEveryCommand("--version");
        assertSameAsWithEveryCommand("-V");
        assertSameAsWithEveryCommand("-V", "run");
        assertSameAsWithEveryCommand("--version", "--bogus");
        assertSameAsWithEveryCommand("rnu", "hello");
        assertSameAsWithEveryCommand("--bogus");
        assertSameAsWithEveryCommand("run");
        assertSameAsWithEveryCommand("run", "--ram", "1K", "hello");
        assertSameAsWithEveryCommand("run", "--engine", "fast", "hello");
    }
}
