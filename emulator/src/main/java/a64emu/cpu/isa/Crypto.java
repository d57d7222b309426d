package a64emu.cpu.isa;

import a64emu.cpu.Cpu;
import a64emu.cpu.decode.Encoding;

import java.util.List;

/**
 * The cryptographic extension groups of ARM ARM C4.1.6: "Cryptographic AES"
 * ("01001110 size 10100 opcode 10 Rn Rd"), "Cryptographic three-register SHA"
 * ("01011110 size 0 Rm 0 opcode 00 Rn Rd") and "Cryptographic two-register SHA"
 * ("01011110 size 10100 opcode 10 Rn Rd"). Only size 00 is allocated. The semantics
 * follow the ARM ARM pseudocode (shared/functions/crypto): the 128-bit state is the
 * AES state in column-major byte order, or four 32-bit SHA words, element 0 lowest.
 * PMULL (the 64-bit polynomial multiply of FEAT_PMULL) lives with the three-different
 * group. FEAT_SHA512 and FEAT_SHA3 (ARMv8.2) are here too; SM3/SM4 are not implemented.
 */
public final class Crypto {
    private Crypto() {}

    //                    3         2         1         0
    //                   10987654321098765432109876543210
    public static final List<Encoding> ENCODINGS = List.of(
            Encoding.of("AESE", "0100111000101000010010nnnnnddddd", Crypto::aese),
            Encoding.of("AESD", "0100111000101000010110nnnnnddddd", Crypto::aesd),
            Encoding.of("AESMC", "0100111000101000011010nnnnnddddd", Crypto::aesmc),
            Encoding.of("AESIMC", "0100111000101000011110nnnnnddddd", Crypto::aesimc),
            Encoding.of("SHA1C", "01011110000mmmmm000000nnnnnddddd", Crypto::sha1c),
            Encoding.of("SHA1P", "01011110000mmmmm000100nnnnnddddd", Crypto::sha1p),
            Encoding.of("SHA1M", "01011110000mmmmm001000nnnnnddddd", Crypto::sha1m),
            Encoding.of("SHA1SU0", "01011110000mmmmm001100nnnnnddddd", Crypto::sha1su0),
            Encoding.of("SHA256H", "01011110000mmmmm010000nnnnnddddd", Crypto::sha256h),
            Encoding.of("SHA256H2", "01011110000mmmmm010100nnnnnddddd", Crypto::sha256h2),
            Encoding.of("SHA256SU1", "01011110000mmmmm011000nnnnnddddd", Crypto::sha256su1),
            Encoding.of("SHA1H", "0101111000101000000010nnnnnddddd", Crypto::sha1h),
            Encoding.of("SHA1SU1", "0101111000101000000110nnnnnddddd", Crypto::sha1su1),
            Encoding.of("SHA256SU0", "0101111000101000001010nnnnnddddd", Crypto::sha256su0),
            // FEAT_SHA512: "Cryptographic three-register SHA512" and "two-register SHA512".
            Encoding.of("SHA512H", "11001110011mmmmm100000nnnnnddddd", Crypto::sha512h),
            Encoding.of("SHA512H2", "11001110011mmmmm100001nnnnnddddd", Crypto::sha512h2),
            Encoding.of("SHA512SU1", "11001110011mmmmm100010nnnnnddddd", Crypto::sha512su1),
            Encoding.of("SHA512SU0", "1100111011000000100000nnnnnddddd", Crypto::sha512su0),
            // FEAT_SHA3: "Cryptographic four-register", RAX1 and XAR.
            Encoding.of("EOR3", "11001110000mmmmm0aaaaannnnnddddd", Crypto::eor3),
            Encoding.of("BCAX", "11001110001mmmmm0aaaaannnnnddddd", Crypto::bcax),
            Encoding.of("RAX1", "11001110011mmmmm100011nnnnnddddd", Crypto::rax1),
            Encoding.of("XAR", "11001110100mmmmmiiiiiinnnnnddddd", Crypto::xar));

    // ---- AES ------------------------------------------------------------------------------------

    private static final int[] SBOX = new int[256];
    private static final int[] INV_SBOX = new int[256];

    static {
        // FIPS-197 5.1.1: the multiplicative inverse in GF(2^8) followed by the affine map.
        for (int x = 0; x < 256; x++) {
            int inv = x == 0 ? 0 : gfInverse(x);
            int s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
            SBOX[x] = s;
            INV_SBOX[s] = x;
        }
    }

    private static int rotl8(int x, int n) {
        return ((x << n) | (x >>> (8 - n))) & 0xFF;
    }

    /** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 4.2). */
    static int gfMul(int a, int b) {
        int r = 0;
        for (int i = 0; i < 8; i++) {
            if ((b & 1) != 0) {
                r ^= a;
            }
            a = (a << 1) ^ ((a & 0x80) != 0 ? 0x11B : 0);
            b >>>= 1;
        }
        return r & 0xFF;
    }

    private static int gfInverse(int x) {
        // x^254 = x^-1 in GF(2^8).
        int r = 1;
        int base = x;
        for (int e = 254; e != 0; e >>>= 1) {
            if ((e & 1) != 0) {
                r = gfMul(r, base);
            }
            base = gfMul(base, base);
        }
        return r;
    }

    /** AESE: AESSubBytes(AESShiftRows(Vd EOR Vn)); byte r + 4c is row r, column c. */
    public static void aese(Cpu cpu, int word) {
        aesRound(cpu, word, false);
    }

    /** AESD: AESInvSubBytes(AESInvShiftRows(Vd EOR Vn)). */
    public static void aesd(Cpu cpu, int word) {
        aesRound(cpu, word, true);
    }

    private static void aesRound(Cpu cpu, int word, boolean inverse) {
        int d = word & 31;
        int n = (word >>> 5) & 31;
        long stateLo = cpu.v[2 * d] ^ cpu.v[2 * n];
        long stateHi = cpu.v[2 * d + 1] ^ cpu.v[2 * n + 1];
        long lo = 0;
        long hi = 0;
        for (int row = 0; row < 4; row++) {
            for (int col = 0; col < 4; col++) {
                int from = inverse ? (col - row + 4) % 4 : (col + row) % 4;
                int x = (int) Vectors.lane(stateLo, stateHi, row + 4 * from, 8);
                long b = inverse ? INV_SBOX[x] : SBOX[x];
                int i = row + 4 * col;
                if (i < 8) {
                    lo |= b << (8 * i);
                } else {
                    hi |= b << (8 * (i - 8));
                }
            }
        }
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    /** The first row of the AESMixColumns and AESInvMixColumns circulant matrices. */
    private static final int[] MIX_COLUMNS = {2, 3, 1, 1};
    private static final int[] INV_MIX_COLUMNS = {14, 11, 13, 9};

    public static void aesmc(Cpu cpu, int word) {
        mixColumns(cpu, word, MIX_COLUMNS);
    }

    public static void aesimc(Cpu cpu, int word) {
        mixColumns(cpu, word, INV_MIX_COLUMNS);
    }

    /** AESMixColumns / AESInvMixColumns: each column times the circulant matrix of {@code coeff}. */
    private static void mixColumns(Cpu cpu, int word, int[] coeff) {
        int n = (word >>> 5) & 31;
        long aLo = cpu.v[2 * n];
        long aHi = cpu.v[2 * n + 1];
        long lo = 0;
        long hi = 0;
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                int x = 0;
                for (int k = 0; k < 4; k++) {
                    x ^= gfMul((int) Vectors.lane(aLo, aHi, 4 * col + k, 8), coeff[(k - row + 4) % 4]);
                }
                int i = 4 * col + row;
                if (i < 8) {
                    lo |= (long) x << (8 * i);
                } else {
                    hi |= (long) x << (8 * (i - 8));
                }
            }
        }
        Vectors.writeQ(cpu, word & 31, lo, hi);
        cpu.pc += 4;
    }

    // ---- SHA ------------------------------------------------------------------------------------

    private static int[] words(Cpu cpu, int n) {
        long lo = cpu.v[2 * n];
        long hi = cpu.v[2 * n + 1];
        return new int[] {(int) lo, (int) (lo >>> 32), (int) hi, (int) (hi >>> 32)};
    }

    private static void writeWords(Cpu cpu, int d, int[] w) {
        Vectors.writeQ(cpu, d, (w[0] & 0xFFFF_FFFFL) | ((long) w[1] << 32),
                (w[2] & 0xFFFF_FFFFL) | ((long) w[3] << 32));
    }

    private interface Sha1Function {
        int apply(int x, int y, int z);
    }

    /**
     * SHA1C/SHA1P/SHA1M: four rounds on X = Qd (a,b,c,d) and Y = Sn (e) with the
     * schedule words of Vm; after each round ROL(Y:X, 32).
     */
    private static void sha1Rounds(Cpu cpu, int word, Sha1Function f) {
        int d = word & 31;
        int[] x = words(cpu, d);
        int y = (int) cpu.v[2 * ((word >>> 5) & 31)];
        int[] w = words(cpu, (word >>> 16) & 31);
        for (int e = 0; e < 4; e++) {
            int t = f.apply(x[1], x[2], x[3]);
            y = y + Integer.rotateLeft(x[0], 5) + t + w[e];
            x[1] = Integer.rotateLeft(x[1], 30);
            int top = x[3];
            x[3] = x[2];
            x[2] = x[1];
            x[1] = x[0];
            x[0] = y;
            y = top;
        }
        writeWords(cpu, d, x);
        cpu.pc += 4;
    }

    public static void sha1c(Cpu cpu, int word) {
        sha1Rounds(cpu, word, (x, y, z) -> ((y ^ z) & x) ^ z);
    }

    public static void sha1p(Cpu cpu, int word) {
        sha1Rounds(cpu, word, (x, y, z) -> x ^ y ^ z);
    }

    public static void sha1m(Cpu cpu, int word) {
        sha1Rounds(cpu, word, (x, y, z) -> (x & y) | ((x | y) & z));
    }

    /** SHA1H: ROL(Sn, 30). */
    public static void sha1h(Cpu cpu, int word) {
        int n = (word >>> 5) & 31;
        Vectors.writeScalar(cpu, word & 31, Integer.rotateLeft((int) cpu.v[2 * n], 30) & 0xFFFF_FFFFL);
        cpu.pc += 4;
    }

    /** SHA1SU0: (Vn<63:0> : Vd<127:64>) EOR Vd EOR Vm. */
    public static void sha1su0(Cpu cpu, int word) {
        int d = word & 31;
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long lo = cpu.v[2 * d + 1] ^ cpu.v[2 * d] ^ cpu.v[2 * m];
        long hi = cpu.v[2 * n] ^ cpu.v[2 * d + 1] ^ cpu.v[2 * m + 1];
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    /** SHA1SU1: T = Vd EOR LSR(Vn, 32); W[i] = ROL(T[i], 1), W[3] also EOR ROL(T[0], 2). */
    public static void sha1su1(Cpu cpu, int word) {
        int d = word & 31;
        int[] x = words(cpu, d);
        int[] y = words(cpu, (word >>> 5) & 31);
        int[] t = {x[0] ^ y[1], x[1] ^ y[2], x[2] ^ y[3], x[3]};
        int[] r = new int[4];
        for (int i = 0; i < 4; i++) {
            r[i] = Integer.rotateLeft(t[i], 1);
        }
        r[3] ^= Integer.rotateLeft(t[0], 2);
        writeWords(cpu, d, r);
        cpu.pc += 4;
    }

    /** ARM ARM SHA256hash: four rounds; returns X (part1, SHA256H) or Y (SHA256H2). */
    private static int[] sha256Hash(int[] x, int[] y, int[] w, boolean part1) {
        x = x.clone();
        y = y.clone();
        for (int e = 0; e < 4; e++) {
            int chs = ((y[1] ^ y[2]) & y[0]) ^ y[2];
            int maj = (x[0] & x[1]) | ((x[0] | x[1]) & x[2]);
            int sigma1 = Integer.rotateRight(y[0], 6) ^ Integer.rotateRight(y[0], 11) ^ Integer.rotateRight(y[0], 25);
            int sigma0 = Integer.rotateRight(x[0], 2) ^ Integer.rotateRight(x[0], 13) ^ Integer.rotateRight(x[0], 22);
            int t = y[3] + sigma1 + chs + w[e];
            x[3] = t + x[3];
            y[3] = t + sigma0 + maj;
            // <Y, X> = ROL(Y : X, 32)
            int yTop = y[3];
            int xTop = x[3];
            y[3] = y[2];
            y[2] = y[1];
            y[1] = y[0];
            y[0] = xTop;
            x[3] = x[2];
            x[2] = x[1];
            x[1] = x[0];
            x[0] = yTop;
        }
        return part1 ? x : y;
    }

    public static void sha256h(Cpu cpu, int word) {
        int d = word & 31;
        writeWords(cpu, d, sha256Hash(words(cpu, d), words(cpu, (word >>> 5) & 31),
                words(cpu, (word >>> 16) & 31), true));
        cpu.pc += 4;
    }

    public static void sha256h2(Cpu cpu, int word) {
        int d = word & 31;
        writeWords(cpu, d, sha256Hash(words(cpu, (word >>> 5) & 31), words(cpu, d),
                words(cpu, (word >>> 16) & 31), false));
        cpu.pc += 4;
    }

    /** SHA256SU0: T = Vn<31:0> : Vd<127:32>; result[e] = sigma0(T[e]) + Vd[e]. */
    public static void sha256su0(Cpu cpu, int word) {
        int d = word & 31;
        int[] a = words(cpu, d);
        int[] b = words(cpu, (word >>> 5) & 31);
        int[] t = {a[1], a[2], a[3], b[0]};
        int[] r = new int[4];
        for (int e = 0; e < 4; e++) {
            r[e] = (Integer.rotateRight(t[e], 7) ^ Integer.rotateRight(t[e], 18) ^ (t[e] >>> 3)) + a[e];
        }
        writeWords(cpu, d, r);
        cpu.pc += 4;
    }

    /** SHA256SU1: the second half of the message schedule update (ARM ARM pseudocode). */
    public static void sha256su1(Cpu cpu, int word) {
        int d = word & 31;
        int[] a = words(cpu, d);
        int[] b = words(cpu, (word >>> 5) & 31);
        int[] c = words(cpu, (word >>> 16) & 31);
        int[] t0 = {b[1], b[2], b[3], c[0]};
        int[] t1 = {c[2], c[3]};
        int[] r = new int[4];
        for (int e = 0; e < 4; e++) {
            int elt = e < 2 ? t1[e] : r[e - 2];
            elt = Integer.rotateRight(elt, 17) ^ Integer.rotateRight(elt, 19) ^ (elt >>> 10);
            r[e] = elt + a[e] + t0[e];
        }
        writeWords(cpu, d, r);
        cpu.pc += 4;
    }

    // ---- SHA512 ---------------------------------------------------------------------------------

    private static long sigma512Big1(long x) {
        return Long.rotateRight(x, 14) ^ Long.rotateRight(x, 18) ^ Long.rotateRight(x, 41);
    }

    private static long sigma512Big0(long x) {
        return Long.rotateRight(x, 28) ^ Long.rotateRight(x, 34) ^ Long.rotateRight(x, 39);
    }

    /** SHA512H: two rounds' Sigma1/Ch part (ARM ARM C7.2 SHA512H). X = Qn, Y = Vm, W = Qd. */
    public static void sha512h(Cpu cpu, int word) {
        int d = word & 31;
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long xLo = cpu.v[2 * n];
        long xHi = cpu.v[2 * n + 1];
        long yLo = cpu.v[2 * m];
        long yHi = cpu.v[2 * m + 1];
        long wLo = cpu.v[2 * d];
        long wHi = cpu.v[2 * d + 1];
        long hi = ((yHi & xLo) ^ (~yHi & xHi)) + sigma512Big1(yHi) + wHi;
        long tmp = hi + yLo;
        long lo = ((tmp & yHi) ^ (~tmp & xLo)) + sigma512Big1(tmp) + wLo;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    /** SHA512H2: the Sigma0/Maj part. */
    public static void sha512h2(Cpu cpu, int word) {
        int d = word & 31;
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        long xLo = cpu.v[2 * n];
        long yLo = cpu.v[2 * m];
        long yHi = cpu.v[2 * m + 1];
        long wLo = cpu.v[2 * d];
        long wHi = cpu.v[2 * d + 1];
        long hi = ((xLo & yHi) ^ (xLo & yLo) ^ (yHi & yLo)) + sigma512Big0(yLo) + wHi;
        long lo = ((hi & yLo) ^ (hi & yHi) ^ (yHi & yLo)) + sigma512Big0(hi) + wLo;
        Vectors.writeQ(cpu, d, lo, hi);
        cpu.pc += 4;
    }

    private static long sigma512Small0(long x) {
        return Long.rotateRight(x, 1) ^ Long.rotateRight(x, 8) ^ (x >>> 7);
    }

    private static long sigma512Small1(long x) {
        return Long.rotateRight(x, 19) ^ Long.rotateRight(x, 61) ^ (x >>> 6);
    }

    /** SHA512SU0: W[0] + sigma0(W[1]), W[1] + sigma0(Vn[0]), W = Vd. */
    public static void sha512su0(Cpu cpu, int word) {
        int d = word & 31;
        int n = (word >>> 5) & 31;
        long wLo = cpu.v[2 * d];
        long wHi = cpu.v[2 * d + 1];
        Vectors.writeQ(cpu, d, wLo + sigma512Small0(wHi), wHi + sigma512Small0(cpu.v[2 * n]));
        cpu.pc += 4;
    }

    /** SHA512SU1: W + sigma1(Vn) + Vm, lane by lane. */
    public static void sha512su1(Cpu cpu, int word) {
        int d = word & 31;
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        Vectors.writeQ(cpu, d,
                cpu.v[2 * d] + sigma512Small1(cpu.v[2 * n]) + cpu.v[2 * m],
                cpu.v[2 * d + 1] + sigma512Small1(cpu.v[2 * n + 1]) + cpu.v[2 * m + 1]);
        cpu.pc += 4;
    }

    // ---- SHA3 -----------------------------------------------------------------------------------

    /** EOR3: Vn EOR Vm EOR Va. */
    public static void eor3(Cpu cpu, int word) {
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        int a = (word >>> 10) & 31;
        Vectors.writeQ(cpu, word & 31, cpu.v[2 * n] ^ cpu.v[2 * m] ^ cpu.v[2 * a],
                cpu.v[2 * n + 1] ^ cpu.v[2 * m + 1] ^ cpu.v[2 * a + 1]);
        cpu.pc += 4;
    }

    /** BCAX: Vn EOR (Vm AND NOT Va). */
    public static void bcax(Cpu cpu, int word) {
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        int a = (word >>> 10) & 31;
        Vectors.writeQ(cpu, word & 31, cpu.v[2 * n] ^ (cpu.v[2 * m] & ~cpu.v[2 * a]),
                cpu.v[2 * n + 1] ^ (cpu.v[2 * m + 1] & ~cpu.v[2 * a + 1]));
        cpu.pc += 4;
    }

    /** RAX1: Vn EOR ROL(Vm, 1) on each doubleword. */
    public static void rax1(Cpu cpu, int word) {
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        Vectors.writeQ(cpu, word & 31, cpu.v[2 * n] ^ Long.rotateLeft(cpu.v[2 * m], 1),
                cpu.v[2 * n + 1] ^ Long.rotateLeft(cpu.v[2 * m + 1], 1));
        cpu.pc += 4;
    }

    /** XAR: ROR(Vn EOR Vm, imm6) on each doubleword. */
    public static void xar(Cpu cpu, int word) {
        int n = (word >>> 5) & 31;
        int m = (word >>> 16) & 31;
        int imm6 = (word >>> 10) & 0x3F;
        Vectors.writeQ(cpu, word & 31, Long.rotateRight(cpu.v[2 * n] ^ cpu.v[2 * m], imm6),
                Long.rotateRight(cpu.v[2 * n + 1] ^ cpu.v[2 * m + 1], imm6));
        cpu.pc += 4;
    }
}
