package a64emu.cpu.isa;

/**
 * The CRC32/CRC32C instructions' checksum step (ARM ARM C6.2, CRC32B..CRC32CX): a
 * bit-reflected CRC update with no initial or final inversion (software adds those).
 * CRC32 uses polynomial 0x04C11DB7, CRC32C 0x1EDC6F41; reflected they are
 * 0xEDB88320 and 0x82F63B78. Data bytes are consumed least significant first.
 */
public final class Crc32 {
    private Crc32() {}

    private static final int[] CRC32_TABLE = table(0xEDB8_8320);
    private static final int[] CRC32C_TABLE = table(0x82F6_3B78);

    private static int[] table(int reflectedPolynomial) {
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc >>> 1) ^ (reflectedPolynomial & -(crc & 1));
            }
            t[i] = crc;
        }
        return t;
    }

    /** Updates {@code acc} with the low {@code bytes} bytes of {@code data}. */
    public static int update(int acc, long data, int bytes, boolean castagnoli) {
        int[] t = castagnoli ? CRC32C_TABLE : CRC32_TABLE;
        int crc = acc;
        for (int i = 0; i < bytes; i++) {
            crc = (crc >>> 8) ^ t[(crc ^ (int) (data >>> (8 * i))) & 0xFF];
        }
        return crc;
    }
}
