package a64emu.cpu.disasm;

import java.util.OptionalLong;

/**
 * The text of one instruction as objdump prints it: a mnemonic and its operands. When the
 * last operand is a PC-relative address, {@code target} holds it so that a caller with
 * symbols can annotate it ({@code b 400530 <main+0x10>}).
 */
public record Disassembly(String mnemonic, String operands, OptionalLong target) {

    static Disassembly of(String mnemonic, String operands) {
        return new Disassembly(mnemonic, operands, OptionalLong.empty());
    }

    /** Operands whose last element is the address {@code target}, printed by the caller's symbolizer. */
    static Disassembly withTarget(String mnemonic, String operandsBefore, long target) {
        return new Disassembly(mnemonic, operandsBefore, OptionalLong.of(target));
    }

    /** {@code mnemonic<TAB>operands}, the target printed by {@code symbolizer}. */
    public String text(Symbolizer symbolizer) {
        StringBuilder sb = new StringBuilder(mnemonic);
        String ops = operands;
        if (target.isPresent()) {
            String t = symbolizer.address(target.getAsLong());
            ops = ops.isEmpty() ? t : ops + ", " + t;
        }
        if (!ops.isEmpty()) {
            sb.append('\t').append(ops);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text(Symbolizer.PLAIN);
    }
}
