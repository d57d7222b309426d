package a64emu.guest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import a64emu.guest.BadUserAddressException;
import a64emu.guest.TestMachine;
import a64emu.guest.loader.InitialStack;
import a64emu.guest.loader.LoadedImage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cmdline read from the process's own stack through its own page tables. */
class RemoteMemoryTest {
    private static final LoadedImage IMAGE = new LoadedImage(0x400100, 0x400040, 6, 0, 0x500000, false);

    @Test
    void cmdlineIsTheArgumentStringsEachEndingInNulWithoutTheEnvironment() throws BadUserAddressException {
        TestMachine m = new TestMachine(48);
        InitialStack.build(m.mm, m.user, IMAGE, List.of("/bin/prog", "one", "two words"), List.of("HOME=/root"),
                "bin/prog", new byte[16], new InitialStack.Credentials(1000, 1000, 1000, 1000));
        assertEquals("/bin/prog\0one\0two words\0",
                new String(RemoteMemory.cmdline(m.mm), StandardCharsets.UTF_8));
    }

    @Test
    void argumentsOverwrittenInPlaceAreWhatCmdlineShows() throws BadUserAddressException {
        TestMachine m = new TestMachine(39);
        InitialStack.Layout l = InitialStack.build(m.mm, m.user, IMAGE, List.of("prog", "secret"), List.of(),
                "prog", new byte[16], new InitialStack.Credentials(0, 0, 0, 0));
        long arg1 = m.user.read64(l.argvAddr() + 8);
        m.user.write(arg1, "XXXXXX".getBytes(StandardCharsets.US_ASCII));
        assertEquals("prog\0XXXXXX\0", new String(RemoteMemory.cmdline(m.mm), StandardCharsets.UTF_8));
    }

    @Test
    void anAddressSpaceWithoutAStackHasAnEmptyCmdline() {
        assertEquals(0, RemoteMemory.cmdline(new TestMachine(39).mm).length);
    }
}
