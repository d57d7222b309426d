package a64emu.guest.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One struct linux_dirent64 record (include/linux/dirent.h) as getdents64(2) writes it:
 * d_ino u64 @0, d_off i64 @8 (the cookie lseek takes to resume after this entry),
 * d_reclen u16 @16, d_type u8 @18, NUL-terminated d_name @19, padded to 8 bytes.
 */
record Dirent64(long ino, long nextOffset, int type, String name) {
    static final int NAME_OFFSET = 19;

    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** Record length for a name of {@code nameLength} bytes: header, name, NUL, rounded up to 8. */
    static int recordLength(int nameLength) {
        return (NAME_OFFSET + nameLength + 1 + 7) & ~7;
    }

    int recordLength() {
        return recordLength(nameBytes().length);
    }

    /** Writes the record at {@code at}; returns its length. The caller checked it fits. */
    int encode(byte[] out, int at) {
        byte[] n = nameBytes();
        int reclen = recordLength(n.length);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(at, ino).putLong(at + 8, nextOffset).putShort(at + 16, (short) reclen).put(at + 18, (byte) type);
        System.arraycopy(n, 0, out, at + NAME_OFFSET, n.length);
        for (int i = at + NAME_OFFSET + n.length; i < at + reclen; i++) out[i] = 0;
        return reclen;
    }
}
