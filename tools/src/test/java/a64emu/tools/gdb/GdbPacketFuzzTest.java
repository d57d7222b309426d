package a64emu.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertFalse;

import a64emu.guest.Kernel;
import a64emu.guest.KernelConfig;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes the GDB remote stub: the packet framing ({@link PacketChannel}) and every packet's
 * parsing and answer ({@link GdbStub} and the classes it dispatches to), with the stub in
 * front of a real run of the small {@code nostdlib} program (confined to a temporary root),
 * stopped at its first instruction. Input byte 0 chooses how the rest is sent: bit 0 set,
 * as raw bytes (framing, checksums, escapes, breaks); clear, as packets, one per line, each
 * framed with a good checksum. Acknowledgements are off (QStartNoAckMode), and a kill packet
 * follows the input. A bad packet must get an error or empty reply: the stub's "failed on
 * packet" report (an exception inside it) or an emulator bug fails the test.
 */
class GdbPacketFuzzTest {
    private static final Path ROOT = root();

    private static Path root() {
        try {
            Path dir = Files.createTempDirectory("a64emu-fuzz-gdb");
            Files.copy(Path.of("..", "guest", "programs", "bin", "nostdlib"), dir.resolve("prog"));
            dir.toFile().deleteOnExit();
            dir.resolve("prog").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "5m")
    void everyPacketGetsAReplyNeverAnException(byte[] input) {
        ByteArrayOutputStream toGdb = new ByteArrayOutputStream();
        PacketChannel channel = new PacketChannel(new ByteArrayInputStream(stream(input)), toGdb, () -> { });
        channel.stopAcknowledging();
        StringWriter stubErr = new StringWriter();
        ByteArrayOutputStream guestErr = new ByteArrayOutputStream();
        KernelConfig config = KernelConfig.defaults().withRam(16L << 20).withRoot(ROOT)
                .withStreams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), guestErr);
        Kernel kernel = new Kernel(config);
        GdbStub stub = new GdbStub(channel, new PrintWriter(stubErr, true), ROOT.resolve("prog").toString());
        stub.attach(kernel);
        int status = kernel.run(Path.of("/prog"), List.of("/prog"), List.of());
        stub.finish(status);
        assertFalse(stubErr.toString().contains("failed on packet"), stubErr.toString());
        String err = guestErr.toString(StandardCharsets.ISO_8859_1);
        assertFalse(err.lines().anyMatch(l -> l.startsWith("a64emu: emulator bug ")), err);
    }

    /** What the stub reads: the input as the first byte says, then a kill. */
    static byte[] stream(byte[] input) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        if (input.length > 0) {
            byte[] rest = java.util.Arrays.copyOfRange(input, 1, input.length);
            if ((input[0] & 1) != 0) {
                s.writeBytes(rest);
            } else {
                for (String payload : new String(rest, StandardCharsets.ISO_8859_1).split("\n", -1)) {
                    s.writeBytes(PacketChannel.frame(payload));
                }
            }
        }
        // Ends a packet the input left open (its checksum digits, then a new '$'), then kills.
        s.writeBytes("00$k#6b".getBytes(StandardCharsets.ISO_8859_1));
        return s.toByteArray();
    }
}
