package a64emu.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code a64emu walk} and {@code a64emu ptdump} on a committed guest program. */
class WalkPtdumpTest {
    private static final String HELLO = GuestPrograms.binary("hello").toString();
    /** Linux ptdump's range at the start of a line. */
    private static final Pattern RANGE = Pattern.compile("^0x([0-9a-f]{16})-0x([0-9a-f]{16}) ");
    private static final Pattern RIGHTS = Pattern.compile("rights: (EL0 [r-][w-][x-] EL1 [r-][w-][x-])");

    @Test
    void walkOfATextAndADataAddressShowsEveryLevelWithTheRightsPtdumpShows() {
        GuestPrograms.Run dump = GuestPrograms.cli("ptdump", HELLO);
        assertEquals(0, dump.status(), dump.stderr());
        assertTrue(dump.out().contains("---[ User space ]---"), dump.out());

        for (String va : List.of("main", "_IO_2_1_stdout_")) {
            GuestPrograms.Run walk = GuestPrograms.cli("walk", HELLO, va);
            assertEquals(0, walk.status(), walk.out() + walk.stderr());
            String out = walk.out();
            for (int level = 0; level <= 3; level++) {
                assertTrue(Pattern.compile("(?m)^L" + level + " ").matcher(out).find(), "level " + level + ":\n" + out);
            }
            Matcher m = RIGHTS.matcher(out);
            assertTrue(m.find(), out);
            long address = Long.parseUnsignedLong(out.replaceAll("(?s).*?\nVA 0x([0-9a-f]{16}).*", "$1"), 16);
            String line = lineCovering(dump.out(), address);
            assertEquals(m.group(1), rightsOf(line), va + " in walk:\n" + out + "\nand in ptdump: " + line);
        }
    }

    @Test
    void textIsReadOnlyExecutableAndDataIsWritableNotExecutableFromEl0() {
        assertTrue(GuestPrograms.cli("walk", HELLO, "main").out().contains("rights: EL0 r-x EL1 r--"));
        assertTrue(GuestPrograms.cli("walk", "--write", HELLO, "_IO_2_1_stdout_").out()
                .contains("rights: EL0 rw- EL1 rw-"));
        GuestPrograms.Run exec = GuestPrograms.cli("walk", "--exec", HELLO, "_IO_2_1_stdout_");
        assertEquals(1, exec.status());
        assertTrue(exec.out().contains("=> Permission fault, level 3"), exec.out());
        assertTrue(exec.out().contains("EC     0x20      Instruction Abort from a lower Exception level"),
                exec.out());
        assertTrue(exec.out().contains("IFSC   0x0f    Permission fault, level 3"), exec.out());
    }

    @Test
    void walkOfTheNullPageEndsWithATranslationFaultAndItsEsrFieldByField() {
        GuestPrograms.Run walk = GuestPrograms.cli("walk", HELLO, "0x0");
        assertEquals(1, walk.status(), walk.stderr());
        String out = walk.out();
        assertTrue(out.contains("=> Translation fault, level"), out);
        assertTrue(out.contains("ESR_EL1 0x9200000"), out);
        assertTrue(out.contains("EC     0x24      Data Abort from a lower Exception level"), out);
        assertTrue(out.contains("WnR    0       read"), out);
        assertTrue(out.contains("FAR_EL1 0x0000000000000000"), out);
    }

    @Test
    void walkAtASymbolStopsTheFirstTimeThePcGetsThere() {
        GuestPrograms.Run walk = GuestPrograms.cli("walk", "--at", "main", HELLO, "main");
        assertEquals(0, walk.status(), walk.stderr());
        assertTrue(walk.out().startsWith("a64emu walk: "), walk.out());
        assertTrue(walk.out().lines().findFirst().orElseThrow().contains("at main (pc 0x400530"), walk.out());
        assertTrue(walk.guestStderr().isEmpty(), "main has not printed yet: " + walk.stderr());
    }

    @Test
    void vaThatIsNeitherANumberNorASymbolIsAUsageError() {
        GuestPrograms.Run walk = GuestPrograms.cli("walk", HELLO, "nowhere");
        assertEquals(2, walk.status());
        assertTrue(walk.stderr().contains("VA: 'nowhere' is neither an address nor a symbol of"), walk.stderr());
        assertEquals("main+0x10 is 0x400540", "main+0x10 is 0x"
                + GuestPrograms.cli("walk", HELLO, "main+0x10").out().replaceAll("(?s).*?\nVA 0x0*(\\p{XDigit}+).*", "$1"));
    }

    @Test
    void unknownSymbolIsAnErrorNamingIt() {
        GuestPrograms.Run walk = GuestPrograms.cli("ptdump", "--at", "no_such_function", HELLO);
        assertEquals(1, walk.status());
        assertTrue(walk.stderr().contains("no symbol 'no_such_function'"), walk.stderr());
    }

    @Test
    void ptdumpNamesEachRangesVmaAndSaysTtbr1IsNotWalked() {
        String out = GuestPrograms.cli("ptdump", HELLO).out();
        assertTrue(out.lines().anyMatch(l -> l.contains(" PTE ") && l.contains(" r-xp /")
                && l.endsWith("/guest/programs/bin/hello")), out);
        assertTrue(out.lines().anyMatch(l -> l.endsWith("rw-p [stack]")), out);
        assertTrue(out.contains("---[ Kernel space ]---\n(none: TCR_EL1.EPD1=1"), out);
    }

    /** The ptdump line whose range holds {@code va}. */
    private static String lineCovering(String dump, long va) {
        for (String line : dump.split("\n")) {
            Matcher m = RANGE.matcher(line);
            if (m.find()) {
                long start = Long.parseUnsignedLong(m.group(1), 16);
                long end = Long.parseUnsignedLong(m.group(2), 16);
                if (Long.compareUnsigned(va, start) >= 0 && Long.compareUnsigned(va, end) < 0) {
                    return line;
                }
            }
        }
        throw new AssertionError(String.format("no ptdump range holds 0x%x:%n%s", va, dump));
    }

    /**
     * EL0/EL1 rights from ptdump's bit columns (ARM ARM D8.4): USR gives EL0 data access,
     * RW (not ro) writes, UXN and NX forbid execution at EL0 and EL1, and EL1 may never
     * execute what EL0 can write.
     */
    private static String rightsOf(String line) {
        List<String> f = Arrays.asList(line.split("\\s+"));
        boolean user = f.contains("USR");
        boolean writable = f.contains("RW");
        boolean el0Exec = !f.contains("UXN");
        boolean el1Exec = !f.contains("NX") && !(user && writable);
        return String.format("EL0 %s%s%s EL1 r%s%s", user ? "r" : "-", user && writable ? "w" : "-",
                el0Exec ? "x" : "-", writable ? "w" : "-", el1Exec ? "x" : "-");
    }
}
