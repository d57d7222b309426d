package a64emu.cpu.disasm;

import java.util.Map;

import static a64emu.cpu.disasm.Disassembly.of;

/** Cryptographic extension: AES, SHA1, SHA256, SHA512 and SHA3 (EOR3, BCAX, RAX1, XAR). */
final class CryptoFormats {
    private CryptoFormats() {}

    static void register(Map<String, Format> t) {
        for (String n : new String[] {"AESE", "AESD", "AESMC", "AESIMC"}) {
            t.put(n, i -> of(Simd.mnemonic(i), Simd.two(i, "16b")));
        }
        for (String n : new String[] {"SHA1C", "SHA1P", "SHA1M"}) {
            t.put(n, i -> of(Simd.mnemonic(i), Reg.fp(16, i.rd()) + ", " + Reg.fp(4, i.rn()) + ", " + Reg.v(i.rm(), "4s")));
        }
        for (String n : new String[] {"SHA256H", "SHA256H2"}) {
            t.put(n, i -> of(Simd.mnemonic(i), Reg.fp(16, i.rd()) + ", " + Reg.fp(16, i.rn()) + ", " + Reg.v(i.rm(), "4s")));
        }
        for (String n : new String[] {"SHA512H", "SHA512H2"}) {
            t.put(n, i -> of(Simd.mnemonic(i), Reg.fp(16, i.rd()) + ", " + Reg.fp(16, i.rn()) + ", " + Reg.v(i.rm(), "2d")));
        }
        t.put("SHA1SU0", i -> of("sha1su0", Simd.three(i, "4s")));
        t.put("SHA256SU1", i -> of("sha256su1", Simd.three(i, "4s")));
        t.put("SHA1H", i -> of("sha1h", Reg.fp(4, i.rd()) + ", " + Reg.fp(4, i.rn())));
        t.put("SHA1SU1", i -> of("sha1su1", Simd.two(i, "4s")));
        t.put("SHA256SU0", i -> of("sha256su0", Simd.two(i, "4s")));
        t.put("SHA512SU0", i -> of("sha512su0", Simd.two(i, "2d")));
        t.put("SHA512SU1", i -> of("sha512su1", Simd.three(i, "2d")));
        t.put("RAX1", i -> of("rax1", Simd.three(i, "2d")));
        t.put("EOR3", i -> of("eor3", Simd.three(i, "16b") + ", " + Reg.v(i.ra(), "16b")));
        t.put("BCAX", i -> of("bcax", Simd.three(i, "16b") + ", " + Reg.v(i.ra(), "16b")));
        t.put("XAR", i -> of("xar", Simd.three(i, "2d") + ", " + Imm.dec(i.bits(15, 10))));
    }
}
