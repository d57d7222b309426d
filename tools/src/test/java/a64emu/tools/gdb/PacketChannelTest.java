package a64emu.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PacketChannelTest {
    @Test
    void aFrameIsDollarPayloadHashAndTheByteSumModulo256() {
        assertEquals("$g#67", new String(PacketChannel.frame("g"), StandardCharsets.ISO_8859_1));
        assertEquals("$#00", new String(PacketChannel.frame(""), StandardCharsets.ISO_8859_1));
        assertEquals("$OK#9a", new String(PacketChannel.frame("OK"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void binaryEscapingCoversHashDollarBraceAndStarAndRoundTrips() {
        byte[] data = {'#', '$', '}', '*', 0x03, 'a', (byte) 0xFF};
        String escaped = PacketChannel.escape(data, 0, data.length);
        assertEquals("}\u0003}\u0004}]}\n\u0003a\u00ff", escaped);
        assertArrayEquals(data, PacketChannel.unescape(escaped));
    }

    @Test
    void goodPacketsAreAckedAndQueuedBadChecksumsNackedAndBreaksReported() {
        String wire = "+$qC#b4$g#00\u0003$m0,4#fd";
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        PacketChannel ch = new PacketChannel(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)),
                sent, () -> { });
        AtomicInteger breaks = new AtomicInteger();
        ch.start(breaks::incrementAndGet, () -> { });
        assertEquals(new PacketChannel.Packet("qC"), ch.next());
        assertEquals(new PacketChannel.Packet("m0,4"), ch.next());
        assertInstanceOf(PacketChannel.Closed.class, ch.next());
        assertEquals(1, breaks.get());
        assertEquals("+-+", sent.toString(StandardCharsets.ISO_8859_1));
    }
}
