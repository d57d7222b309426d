package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README is the first thing a user reads: its commands and help text must be true. */
class ReadmeTest {
    private static final Path README = Path.of("..", "README.md");

    @Test
    void opensWithTheTwoCommandsForAFreshMachine() throws IOException {
        List<String> lines = Files.readAllLines(README);
        assertEquals("./a64emu run guest/programs/bin/hello", lines.get(0));
        assertEquals("mvn -q verify", lines.get(1));
    }

    @Test
    void showsTheCurrentHelpOfEveryCommand() throws IOException {
        String readme = Files.readString(README);
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"run", "--help"})) {
            GuestPrograms.Run help = GuestPrograms.cli(args);
            assertEquals(0, help.status());
            assertTrue(readme.contains("```\n" + help.out() + "```\n"),
                    "README.md should show the output of 'a64emu " + String.join(" ", args) + "':\n" + help.out());
        }
    }

    @Test
    void ciRunsTheReadmesTestCommand() throws IOException {
        List<String> ci = Files.readAllLines(Path.of("..", ".ci", "run"));
        assertTrue(ci.contains("mvn -q verify"), ".ci/run: " + ci);
    }
}
