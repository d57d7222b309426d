package a64emu.cpu.isa;

/**
 * The register-number fields of an A64 instruction word, which sit at the same bits in
 * every encoding that has them: Rd (or Rt) in 4:0, Rn in 9:5, Ra (or Rt2) in 14:10 and
 * Rm (or Rs) in 20:16.
 */
final class RegisterFields {
    private RegisterFields() {}

    static int rd(int word) {
        return word & 31;
    }

    static int rn(int word) {
        return (word >>> 5) & 31;
    }

    static int ra(int word) {
        return (word >>> 10) & 31;
    }

    static int rm(int word) {
        return (word >>> 16) & 31;
    }
}
