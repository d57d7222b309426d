package a64emu.tools.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import org.junit.jupiter.api.Test;

/** Quirks that explain one exact difference cover that difference and nothing else. */
class OracleQuirkTest {
    /** fcvtzs h12, h16, #11 */
    private static final int FCVTZS_H12 = 0x5f15fe0c;

    private static DiffCase fcvtzs() {
        DecoderClass scalar = DecoderClass.named("AdvSimdScalar");
        var encoding = scalar.encodings().stream().filter(e -> e.name().equals("FCVTZS_FIXED_SCALAR")).findFirst()
                .orElseThrow();
        return new DiffCase(0, scalar.name(), encoding, FCVTZS_H12, 0, new MachineState());
    }

    private static Outcome withV12(long low) {
        MachineState s = new MachineState();
        s.v[24] = low;
        return new Outcome(Outcome.Kind.RETIRED, "", s, Collections.emptySortedMap());
    }

    @Test
    void qemuSignExtendingTheHalfPrecisionResultIsTheKnownQuirk() {
        OracleQuirk q = OracleQuirk.find(OracleQuirk.QEMU, fcvtzs(), withV12(0x8000), withV12(0xffff8000L));
        assertEquals("qemu7.2-fp16-fcvtzs-fixed-sign-extends", q == null ? null : q.name());
    }

    @Test
    void anyOtherDifferenceInTheSameInstructionStaysAMismatch() {
        assertNull(OracleQuirk.find(OracleQuirk.QEMU, fcvtzs(), withV12(0x8001), withV12(0xffff8000L)),
                "a different result is not sign extension");
        assertNull(OracleQuirk.find(OracleQuirk.QEMU, fcvtzs(), withV12(0x7fff), withV12(0xffff7fffL)),
                "a positive result is not sign-extended with ones");
        Outcome otherRegister = withV12(0xffff8000L);
        otherRegister.state().x[3] = 1;
        assertNull(OracleQuirk.find(OracleQuirk.QEMU, fcvtzs(), withV12(0x8000), otherRegister),
                "a difference elsewhere is not explained");
    }
}
