package a64emu.guest.net;

import a64emu.guest.fs.OpenFile;
import java.util.List;

/**
 * One sk_buff on a receive queue: the bytes of one send (a datagram or record, or a piece
 * of a stream), what is left of it to read, the sender (whose send buffer it counts against
 * until read), the sender's address for recvfrom, and the files sent with it (SCM_RIGHTS),
 * each holding a reference until received or dropped, and the credentials sent.
 */
final class Message {
    final byte[] data;
    int offset;
    final UnixSocket sender;
    final UnixAddress from;
    List<OpenFile> files;
    /** The sender's credentials (SCM_CREDENTIALS), or null when not passed. */
    final Credentials creds;

    Message(byte[] data, UnixSocket sender, UnixAddress from, List<OpenFile> files, Credentials creds) {
        this.data = data;
        this.sender = sender;
        this.from = from;
        this.files = files.isEmpty() ? List.of() : files;
        this.creds = creds;
    }

    int remaining() {
        return data.length - offset;
    }

    /** Drops the files it still carries (the message was dropped unread, or they were not received). */
    void releaseFiles() {
        for (OpenFile f : files) {
            f.release();
        }
        files = List.of();
    }
}
