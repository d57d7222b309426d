package a64emu.guest.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A record's /dev/kmsg line and syslog lines (printk.c info_print_ext_header, record_print_text). */
class RecordTest {
    private static Record record(int facility, int level, long seq, long nanos, String text) {
        return new Record(facility, level, seq, nanos, text.getBytes(StandardCharsets.UTF_8));
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void kmsgLineIsPriorityCommaSequenceCommaMicrosecondsDashSemicolonText() {
        assertEquals("3,17,12345678,-;Out of memory: Killed process 4300 (prog)\n",
                s(record(0, 3, 17, 12_345_678_901L, "Out of memory: Killed process 4300 (prog)").extended()));
    }

    @Test
    void kmsgLineCarriesTheFacilityInItsPriority() {
        assertEquals("14,0,0,-;hello\n", s(record(1, 6, 0, 999, "hello").extended()));
    }

    @Test
    void kmsgLineEscapesControlBytesHighBytesAndTheBackslash() {
        assertEquals("6,1,0,-;a\\x0ab\\x5cc\\x09\\xc3\\xa9\n", s(record(0, 6, 1, 0, "a\nb\\c\té").extended()));
    }

    @Test
    void syslogLineIsPriorityTimeAndText() {
        assertEquals("<4>[   12.345678] text\n", s(record(0, 4, 0, 12_345_678_901L, "text").syslog(true)));
        assertEquals("<14>text\n", s(record(1, 6, 0, 1, "text").syslog(false)));
    }

    @Test
    void everyLineOfAMultiLineRecordGetsThePrefix() {
        assertEquals("<6>[    0.000001] one\n<6>[    0.000001] two\n<6>[    0.000001] \n",
                s(record(0, 6, 0, 1000, "one\ntwo\n").syslog(true)));
    }

    @Test
    void syslogSizeCountsAPrefixPerLineAndTheNewline() {
        Record r = record(0, 6, 0, 1000, "one\ntwo");
        assertEquals(r.syslog(true).length, r.syslogSize(true));
        assertEquals(2 * "<6>[    0.000001] ".length() + 7 + 1, r.syslogSize(true));
    }

    @Test
    void linesThatDoNotFitConsoleLogMaxWithTheirPrefixAreDroppedWhole() {
        assertEquals("", s(record(0, 6, 0, 0, "x".repeat(2000)).syslog(true)));
        byte[] two = record(0, 6, 0, 0, "a".repeat(1000) + "\nsecond").syslog(true);
        assertEquals("<6>[    0.000000] " + "a".repeat(1000) + "\n", s(two));
    }
}
