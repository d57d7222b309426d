package a64emu.tools.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Strings, flags and errors as strace(1) writes them. */
class StraceStringsTest {
    private static String quote(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return StraceStrings.quote(b, b.length);
    }

    @Test
    void controlCharactersHaveTheirCNamesAndOthersAreOctal() {
        assertEquals("\"a\\tb\\n\\\"q\\\"\\\\\"", quote("a\tb\n\"q\"\\"));
        assertEquals("\"\\0\\33[0m\"", quote("\0\033[0m"));
        assertEquals("\"\\0001\"", quote("\0" + "1"), "three digits when an octal digit follows");
        assertEquals("\"\\377\"", quote("\377"));
    }

    @Test
    void moreThanThirtyTwoBytesAreCutWithAnEllipsisAfterTheQuote() {
        assertEquals("\"" + "x".repeat(32) + "\"...", quote("x".repeat(40)));
        assertEquals("\"" + "x".repeat(32) + "\"", quote("x".repeat(32)));
    }

    @Test
    void flagsAreNamedInStracesOrder() {
        assertEquals("O_RDONLY|O_CLOEXEC", FlagNames.openFlags(02000000));
        assertEquals("O_WRONLY|O_CREAT|O_TRUNC", FlagNames.openFlags(01101));
        assertEquals("PROT_READ|PROT_WRITE", FlagNames.prot(3));
        assertEquals("PROT_NONE", FlagNames.prot(0));
        assertEquals("MAP_PRIVATE|MAP_ANONYMOUS", FlagNames.mapFlags(0x22));
        assertEquals("MAP_SHARED|MAP_FIXED|0x80000000", FlagNames.mapFlags(0x80000011L));
        assertEquals("CLONE_VM|CLONE_VFORK|SIGCHLD", FlagNames.cloneFlags(0x4111));
        assertEquals("TCGETS", FlagNames.ioctl(0x5401));
        assertEquals("0x1234", FlagNames.ioctl(0x1234));
    }

    @Test
    void errorsAreMinusOneWithTheNameAndStrerrorsText() {
        assertEquals("-1 ENOENT (No such file or directory)", ErrnoText.of(-2));
        assertEquals("-1 ENOSYS (Function not implemented)", ErrnoText.of(-38));
    }
}
