package a64emu.guest.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import org.junit.jupiter.api.Test;

class HostInputTest {

    @Test
    void nothingYetThenTheBytesThenTheEnd() throws IOException {
        PipedOutputStream feed = new PipedOutputStream();
        HostInput in = new HostInput(new PipedInputStream(feed));
        byte[] b = new byte[16];
        assertEquals(HostInput.WOULD_BLOCK, in.read(b, 0, b.length), "nothing has arrived");
        assertFalse(in.ready());
        feed.write(new byte[] {'a', 'b', 'c'});
        feed.flush();
        in.await(10_000_000_000L);
        assertTrue(in.ready());
        assertEquals(3, in.read(b, 0, b.length));
        assertEquals('c', b[2]);
        feed.close();
        in.await(10_000_000_000L);
        assertEquals(0, in.read(b, 0, b.length), "the end of the stream");
        assertEquals(0, in.read(b, 0, b.length), "and it stays ended");
    }

    @Test
    void aWaitWithATimeoutReturnsWithoutInput() {
        HostInput in = new HostInput(new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
        });
        long start = System.nanoTime();
        in.await(50_000_000L);
        assertFalse(in.ready());
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }

    @Test
    void aFailingHostStreamIsAFailureNotAnEnd() {
        HostInput in = new HostInput(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("gone");
            }
        });
        byte[] b = new byte[4];
        assertEquals(HostInput.WOULD_BLOCK, in.read(b, 0, 4));
        in.await(10_000_000_000L);
        assertEquals(HostInput.FAILED, in.read(b, 0, 4));
    }

    @Test
    void moreThanTheBufferHoldsArrivesWhole() throws IOException {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        HostInput in = new HostInput(new java.io.ByteArrayInputStream(data));
        byte[] got = new byte[data.length];
        int total = 0;
        byte[] b = new byte[7000];
        while (true) {
            int n = in.read(b, 0, b.length);
            if (n == HostInput.WOULD_BLOCK) {
                in.await(10_000_000_000L);
                continue;
            }
            if (n == 0) {
                break;
            }
            System.arraycopy(b, 0, got, total, n);
            total += n;
        }
        assertEquals(data.length, total);
        assertTrue(java.util.Arrays.equals(data, got));
    }
}
