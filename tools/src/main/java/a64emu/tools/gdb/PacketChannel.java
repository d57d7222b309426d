package a64emu.tools.gdb;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The remote protocol's framing on one connection: {@code $payload#cs} packets with their
 * checksums and {@code +}/{@code -} acknowledgements, the bare break byte 0x03, and binary
 * escaping. Payloads are Latin-1 strings, one char per byte, so binary data passes unchanged.
 *
 * <p>One reader thread owns the input for the whole session: it checks and acknowledges each
 * packet as it arrives (a bad checksum gets {@code -} and is dropped, so GDB resends) and
 * queues it, and it sees a break or the end of the connection even while the guest runs,
 * when nobody is waiting for a packet. Replies are written by whoever serves the packets
 * (the emulator's thread); the reader writes acks only, under the same lock.
 */
final class PacketChannel implements Closeable {
    /** What arrived: a packet, or the connection's end. */
    sealed interface Incoming permits Packet, Closed {}

    /** A packet whose checksum matched, its payload still escaped as sent. */
    record Packet(String payload) implements Incoming {}

    /** The connection ended (GDB quit or went away). */
    record Closed() implements Incoming {}

    /** The break byte GDB sends for ^C, outside any packet. */
    static final int BREAK = 0x03;
    /** How long a reply waits for its ack before it is sent again, and how often. */
    private static final long ACK_TIMEOUT_MILLIS = 2000;
    private static final int SEND_ATTEMPTS = 3;

    private final InputStream in;
    private final OutputStream out;
    private final Closeable connection;
    private final BlockingQueue<Incoming> packets = new LinkedBlockingQueue<>();
    private final BlockingQueue<Character> acks = new LinkedBlockingQueue<>();
    private volatile boolean noAck;
    private volatile boolean closed;
    private Runnable onBreak = () -> { };
    private Runnable onClose = () -> { };

    PacketChannel(InputStream in, OutputStream out, Closeable connection) {
        this.in = new BufferedInputStream(in);
        this.out = out;
        this.connection = connection;
    }

    /**
     * Starts reading: {@code onBreak} runs (on the reader thread) for each 0x03 between
     * packets, {@code onClose} once when the connection ends.
     */
    void start(Runnable onBreak, Runnable onClose) {
        this.onBreak = onBreak;
        this.onClose = onClose;
        Thread reader = new Thread(this::readLoop, "a64emu-gdb-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next packet, waiting for it; {@link Closed} once the connection has ended. */
    Incoming next() {
        try {
            return packets.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Closed();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** QStartNoAckMode: from now on neither side acknowledges. */
    void stopAcknowledging() {
        noAck = true;
    }

    /**
     * Sends {@code payload} (already escaped where it holds binary data) and, unless acks are
     * off, waits for GDB's {@code +}, sending again on {@code -} or silence. A connection that
     * fails is closed: the caller sees {@link Closed} next.
     */
    void send(String payload) {
        if (closed) {
            return;
        }
        byte[] frame = frame(payload);
        acks.clear(); // an ack left over (GDB may send one '+' on connect) is for no reply of ours
        try {
            for (int attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
                synchronized (out) {
                    out.write(frame);
                    out.flush();
                }
                if (noAck) {
                    return;
                }
                Character ack = acks.poll(ACK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                if (ack != null && ack == '+' || closed) {
                    return;
                }
            }
        } catch (IOException e) {
            connectionEnded();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            connection.close();
        } catch (IOException e) {
            // Closing a connection that already failed: nothing left to do.
        }
    }

    /** {@code $payload#cs}: the checksum is the sum of the payload's bytes mod 256. */
    static byte[] frame(String payload) {
        byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
        byte[] frame = new byte[data.length + 4];
        frame[0] = '$';
        System.arraycopy(data, 0, frame, 1, data.length);
        int sum = checksum(data, 0, data.length);
        frame[data.length + 1] = '#';
        frame[data.length + 2] = (byte) Character.forDigit(sum >> 4, 16);
        frame[data.length + 3] = (byte) Character.forDigit(sum & 0xF, 16);
        return frame;
    }

    static int checksum(byte[] data, int from, int to) {
        int sum = 0;
        for (int i = from; i < to; i++) {
            sum += data[i] & 0xFF;
        }
        return sum & 0xFF;
    }

    /** Binary data for a reply: {@code #}, {@code $}, {@code }} and {@code *} as {@code }} and the byte xor 0x20. */
    static String escape(byte[] data, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from + 16);
        for (int i = from; i < to; i++) {
            int b = data[i] & 0xFF;
            if (b == '#' || b == '$' || b == '}' || b == '*') {
                sb.append('}').append((char) (b ^ 0x20));
            } else {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /** The bytes of escaped binary data (an X packet's). */
    static byte[] unescape(String escaped) {
        byte[] out = new byte[escaped.length()];
        int n = 0;
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '}' && i + 1 < escaped.length()) {
                out[n++] = (byte) (escaped.charAt(++i) ^ 0x20);
            } else {
                out[n++] = (byte) c;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    // ---- the reader thread -----------------------------------------------------------------

    private void readLoop() {
        try {
            for (int b = in.read(); b != -1; b = in.read()) {
                switch (b) {
                    case '$' -> readPacket();
                    case '+', '-' -> acks.offer((char) b);
                    case BREAK -> onBreak.run();
                    default -> { } // noise between packets: GDB resynchronises on '$'
                }
            }
        } catch (IOException e) {
            // The connection failed: the same as its end.
        }
        connectionEnded();
    }

    /** After '$': the payload up to '#', two checksum digits; acks it and queues it, or nacks it. */
    private void readPacket() throws IOException {
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '#') {
            if (b == -1) {
                return;
            }
            if (b == '$') { // a packet cut short and a new one begun: drop the old one
                payload.reset();
                continue;
            }
            payload.write(b);
        }
        int hi = in.read();
        int lo = in.read();
        if (lo == -1) {
            return;
        }
        byte[] data = payload.toByteArray();
        int sent = Character.digit(hi, 16) << 4 | Character.digit(lo, 16);
        boolean good = Character.digit(hi, 16) >= 0 && Character.digit(lo, 16) >= 0
                && sent == checksum(data, 0, data.length);
        if (!noAck) {
            synchronized (out) {
                out.write(good ? '+' : '-');
                out.flush();
            }
        }
        if (good) {
            packets.offer(new Packet(new String(data, StandardCharsets.ISO_8859_1)));
        }
    }

    private synchronized void connectionEnded() {
        packets.offer(new Closed());
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
