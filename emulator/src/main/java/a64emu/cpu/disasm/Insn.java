package a64emu.cpu.disasm;

import a64emu.cpu.decode.Encoding;

/**
 * One decoded instruction as a formatter sees it: the word, the encoding the decoding
 * table chose for it, and its address (for PC-relative targets). Register fields sit at
 * the same bit positions in every A64 encoding (Rd/Rt 4:0, Rn 9:5, Rm/Rs 20:16,
 * Ra/Rt2 14:10; ARM ARM C4.1), so they are read by position.
 */
final class Insn {
    final int word;
    final Encoding encoding;
    final long pc;

    Insn(int word, Encoding encoding, long pc) {
        this.word = word;
        this.encoding = encoding;
        this.pc = pc;
    }

    /** A named field of the encoding's pattern. */
    int f(char letter) {
        return encoding.field(letter, word);
    }

    /** Bits hi..lo of the word, unsigned. */
    int bits(int hi, int lo) {
        return (int) ((word & 0xFFFF_FFFFL) >>> lo) & (int) ((1L << (hi - lo + 1)) - 1);
    }

    boolean bit(int n) {
        return ((word >>> n) & 1) != 0;
    }

    /** Bits hi..lo as a two's complement number. */
    long signed(int hi, int lo) {
        int width = hi - lo + 1;
        return ((long) bits(hi, lo) << (64 - width)) >> (64 - width);
    }

    int rd() {
        return word & 31;
    }

    int rn() {
        return (word >>> 5) & 31;
    }

    int rm() {
        return (word >>> 16) & 31;
    }

    int ra() {
        return (word >>> 10) & 31;
    }

    /** The sf bit (31): 64-bit operation. */
    boolean sf() {
        return word < 0;
    }

    /** A PC-relative branch or literal target: pc + offset. */
    long target(long byteOffset) {
        return pc + byteOffset;
    }
}
