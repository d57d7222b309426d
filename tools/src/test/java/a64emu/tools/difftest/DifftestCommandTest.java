package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DifftestCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new DifftestCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void listClassesNamesEveryDecoderClassWithItsEncodings() {
        assertEquals(0, run("--list-classes"));
        for (DecoderClass c : DecoderClass.all()) {
            assertTrue(out.toString().contains(c.name() + " "), c.name());
        }
        assertTrue(out.toString().contains("ADD_IMM"));
    }

    @Test
    void aRunEndsWithASummaryOfCasesClassesMismatchesAndTime() {
        assertEquals(0, run("--cases", "300", "--seed", "4", "--class", "DataProcessingImmediate"), out::toString);
        assertTrue(out.toString().matches("(?s).*seed 4: 300 cases in 1 classes, 0 mismatches, [0-9.]+ s .*"), out::toString);
    }

    @Test
    void anUnknownClassIsAUsageErrorThatListsTheClasses() {
        assertEquals(2, run("--class", "NoSuchGroup"));
        assertTrue(err.toString().contains("DataProcessingImmediate"), err::toString);
    }
}
