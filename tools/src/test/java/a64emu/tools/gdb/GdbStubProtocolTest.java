package a64emu.tools.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.tools.A64emu;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stub spoken to byte by byte: what gdb may send that is wrong, and a disconnect. */
@Timeout(30)
class GdbStubProtocolTest {
    /** A bare client: sends packets, acks replies. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void sendRaw(String bytes) throws IOException {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Sends a packet and returns the reply's payload. */
        String ask(String payload) throws IOException {
            sendRaw(new String(PacketChannel.frame(payload), StandardCharsets.ISO_8859_1));
            return reply();
        }

        String reply() throws IOException {
            int b;
            while ((b = in.read()) != '$') {
                if (b == -1) {
                    throw new IOException("connection closed");
                }
            }
            StringBuilder sb = new StringBuilder();
            while ((b = in.read()) != '#') {
                sb.append((char) b);
            }
            in.read();
            in.read();
            out.write('+');
            out.flush();
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void badPacketsGetErrorsOrEmptyRepliesAndTheDisconnectLetsTheGuestRunToItsEnd() throws Exception {
        int port = GdbSession.freePort();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        A64emu cli = new A64emu(new ByteArrayInputStream(new byte[0]), out, err, List.of());
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.execute("run", "-g",
                Integer.toString(port), GdbSession.BIN.resolve("hello").toString()));
        GdbSession.awaitListening(err, run);
        try (Client gdb = new Client(port)) {
            assertTrue(gdb.ask("qSupported:swbreak+;hwbreak+").contains("qXfer:features:read+"));
            gdb.sendRaw("$g#00");
            assertEquals('-', gdb.in.read(), "a bad checksum is answered '-'");
            assertEquals("T05thread:" + Integer.toHexString(4242) + ";", gdb.ask("?").replaceAll("thread:[0-9a-f]+",
                    "thread:" + Integer.toHexString(4242)));
            assertEquals(GdbStub.E_FAULT, gdb.ask("m0,4"), "unmapped memory");
            assertEquals(GdbStub.E_FAULT, gdb.ask("mffffffffffff0000,10"), "far above the user range");
            assertEquals("7f454c46", gdb.ask("m400000,4"), "the ELF header, mapped at the start of text");
            assertEquals(GdbStub.E_INVALID, gdb.ask("mzz,4"));
            assertEquals(GdbStub.E_INVALID, gdb.ask("m400000"));
            assertEquals(GdbStub.E_INVALID, gdb.ask("Z0,400000"));
            assertEquals(GdbStub.E_INVALID, gdb.ask("G00"));
            assertEquals(GdbStub.E_FAULT, gdb.ask("p999"));
            assertEquals(GdbStub.E_FAULT, gdb.ask("M0,1:00"));
            assertEquals("", gdb.ask("Z9,400000,4"), "an unknown Z type is unsupported");
            assertEquals("", gdb.ask("xyzzy"), "an unknown packet is unsupported");
            assertEquals("E00", gdb.ask("qXfer:features:read:nosuch.xml:0,100"));
            assertEquals(GdbStub.E_INVALID, gdb.ask("vCont;r400000,400004"));
            assertTrue(gdb.ask("qXfer:features:read:target.xml:0,ffb").contains("aarch64-core.xml"));
            assertEquals(8 * 2, gdb.ask("p20").length(), "pc is 8 bytes");
            assertEquals(4 * 2, gdb.ask("p21").length(), "cpsr is 4 bytes");
            assertEquals(16 * 2, gdb.ask("p22").length(), "v0 is 16 bytes");
            assertEquals(788 * 2, gdb.ask("g").length());
            String first = gdb.ask("qRcmd," + Hex.encode("maps"));
            assertTrue(first.startsWith("O"), first);
            StringBuilder maps = new StringBuilder(new String(Hex.decode(first.substring(1)), StandardCharsets.UTF_8));
            for (String r = gdb.reply(); !r.equals("OK"); r = gdb.reply()) {
                maps.append(new String(Hex.decode(r.substring(1)), StandardCharsets.UTF_8));
            }
            assertTrue(maps.toString().contains("r-xp") && maps.toString().contains("hello"), maps.toString());
            assertEquals("OK", gdb.ask("Z0,400534,4"));
            gdb.sendRaw(new String(PacketChannel.frame("vCont;c"), StandardCharsets.ISO_8859_1));
            assertTrue(gdb.reply().startsWith("T05thread:"), "stopped at main");
            assertEquals("3405400000000000", gdb.ask("p20"), "pc 0x400534, little-endian");
        } // gdb goes away while the guest is stopped: the stub detaches, the guest runs on
        assertEquals(0, run.get(20, TimeUnit.SECONDS));
        assertEquals("Hello from AArch64, running on a64emu!\n", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("gdb disconnected"), err.toString());
    }

    @Test
    void breakStopsAGuestWhoseOnlyThreadWaitsForStandardInputThatNeverComes() throws Exception {
        int port = GdbSession.freePort();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PipedOutputStream nobodyWrites = new PipedOutputStream();
        A64emu cli = new A64emu(new PipedInputStream(nobodyWrites), new ByteArrayOutputStream(), err, List.of());
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> cli.execute("run", "-g",
                Integer.toString(port), GdbSession.BIN.resolve("read_stdin").toString()));
        GdbSession.awaitListening(err, run);
        try (Client gdb = new Client(port)) {
            gdb.ask("qSupported:swbreak+;hwbreak+");
            gdb.sendRaw(new String(PacketChannel.frame("vCont;c"), StandardCharsets.ISO_8859_1));
            Thread.sleep(500); // the guest reaches its read(0, ...) and every thread sleeps
            gdb.socket.setSoTimeout(5000);
            long sent = System.nanoTime();
            gdb.out.write(PacketChannel.BREAK);
            gdb.out.flush();
            String stop = gdb.reply();
            assertTrue(stop.startsWith(String.format("T%02xthread:", GdbSignals.INT)), stop);
            assertTrue(System.nanoTime() - sent < TimeUnit.SECONDS.toNanos(3), "the stop came promptly");
            assertEquals("OK", gdb.ask("vKill;1"));
        }
        run.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aPortThatIsNotANumberIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        A64emu cli = new A64emu(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err, List.of());
        assertEquals(2, cli.execute("run", "--gdb", "nope", GdbSession.BIN.resolve("hello").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--gdb"), err.toString());
    }
}
