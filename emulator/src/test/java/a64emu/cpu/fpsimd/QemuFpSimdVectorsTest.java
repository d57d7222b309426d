package a64emu.cpu.fpsimd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import a64emu.cpu.QemuVectorReplay;
import a64emu.cpu.decode.Decoder;
import a64emu.cpu.decode.EncodingTable;
import a64emu.cpu.isa.FloatingPoint;

import java.io.IOException;

import org.junit.jupiter.api.Test;

/**
 * Replays scalar FP and Advanced SIMD instructions whose results were recorded from
 * qemu-aarch64 -cpu cortex-a53 (see make-qemu-fpsimd-vectors.py beside the data), as
 * {@link QemuVectorReplay} describes: every register, NZCV and the FPSR flags must match,
 * and words qemu rejected must be undefined here too.
 */
class QemuFpSimdVectorsTest {
    @Test
    void fpAndSimdDataProcessingMatchesQemu() throws IOException {
        QemuVectorReplay.Result r = QemuVectorReplay.replay(getClass(), "qemu-fpsimd-vectors.txt",
                v -> v.result().equals("UNDEF") && isBeyondCortexA53(v.word()));
        assertTrue(r.cases() > 1000, "too few cases: " + r.cases());
        assertTrue(r.undefined() > 0 && r.undefined() < r.cases(), "the data should mix defined and undefined words");
        r.assertMatchesQemu();
    }

    /**
     * Words of features the recording CPU (Cortex-A53, ARMv8.0) lacks and a64emu
     * implements, so that the A53's UNDEF no longer applies: the FEAT_FRINTTS scalar
     * forms (FP data-processing one source, opcode 0100xx, ftype 0x) and the FEAT_FP16
     * scalar forms (ftype 11 in the scalar FP groups). qemu-ext-vectors (-cpu max)
     * check both.
     */
    private static boolean isBeyondCortexA53(int word) {
        boolean fpDp1 = (word & 0xFF20_7C00) == 0x1E20_4000;
        int opcode = (word >>> 15) & 0x3F;
        boolean frintts = fpDp1 && (opcode & 0b111100) == 0b010000 && ((word >>> 23) & 1) == 0;
        boolean scalarFp = EncodingTable.groupOf(DECODER.decode(word)) == FloatingPoint.class;
        return frintts || (scalarFp && ((word >>> 22) & 3) == 3);
    }

    private static final Decoder DECODER = new Decoder(EncodingTable.all());
}
