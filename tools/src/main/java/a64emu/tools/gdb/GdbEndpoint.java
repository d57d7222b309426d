package a64emu.tools.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code run --gdb} waits for GDB: a TCP port on the loopback interface
 * ({@code target remote :PORT}), or a Unix socket ({@code unix:PATH}, GDB's
 * {@code target remote PATH}).
 */
sealed interface GdbEndpoint {
    /** {@code PORT} or {@code unix:PATH}; IllegalArgumentException for anything else. */
    static GdbEndpoint parse(String text) {
        if (text.startsWith("unix:")) {
            if (text.length() == "unix:".length()) {
                throw new IllegalArgumentException("unix: needs a socket path");
            }
            return new Unix(Path.of(text.substring("unix:".length())));
        }
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a TCP port nor unix:PATH");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
        return new Tcp(port);
    }

    /** Listens, says so on {@code err}, and takes the first connection. */
    PacketChannel accept(PrintWriter err) throws IOException;

    /**
     * A TCP port. Only the loopback interface listens: the stub lets its client write any
     * memory of the guest, which should not be offered to the network.
     */
    record Tcp(int port) implements GdbEndpoint {
        @Override
        public PacketChannel accept(PrintWriter err) throws IOException {
            try (ServerSocket server = new ServerSocket()) {
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                err.println("a64emu: waiting for gdb on port " + port);
                err.flush();
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                return new PacketChannel(s.getInputStream(), s.getOutputStream(), s);
            }
        }
    }

    /** A Unix socket at {@code path}, removed again once GDB is connected. */
    record Unix(Path path) implements GdbEndpoint {
        @Override
        public PacketChannel accept(PrintWriter err) throws IOException {
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                err.println("a64emu: waiting for gdb on " + path);
                err.flush();
                SocketChannel s;
                try {
                    s = server.accept();
                } finally {
                    Files.deleteIfExists(path);
                }
                // Plain streams over the channel: Channels.newInputStream would take the channel's
                // blocking lock for a read, and a write from the other thread would wait for it.
                return new PacketChannel(new InputStream() {
                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return s.read(ByteBuffer.wrap(b, off, len));
                    }
                }, new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] {(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                        while (buf.hasRemaining()) {
                            s.write(buf);
                        }
                    }
                }, s);
            }
        }
    }
}
