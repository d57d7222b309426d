package a64emu.tools.difftest;

import a64emu.cpu.decode.Encoding;
import a64emu.cpu.decode.EncodingTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder class: the encodings one decode-group class of {@code a64emu.cpu.isa}
 * contributes to the table ({@code DataProcessingImmediate}, {@code AdvSimdThreeSame},
 * ...). The group is read off the table itself: every entry's semantics is a method
 * reference written in its group class, so the lambda's host class names the group.
 */
record DecoderClass(String name, List<Encoding> encodings) {

    /** Every class of {@link EncodingTable#all()}, in table order. */
    static List<DecoderClass> all() {
        Map<String, List<Encoding>> groups = new LinkedHashMap<>();
        for (Encoding e : EncodingTable.all()) {
            groups.computeIfAbsent(groupOf(e), k -> new ArrayList<>()).add(e);
        }
        List<DecoderClass> classes = new ArrayList<>();
        groups.forEach((name, list) -> classes.add(new DecoderClass(name, List.copyOf(list))));
        return classes;
    }

    /** The class called {@code name} (case-insensitive), or an exception listing the names. */
    static DecoderClass named(String name) {
        List<DecoderClass> all = all();
        for (DecoderClass c : all) {
            if (c.name.equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no decoder class '" + name + "'; classes: "
                + all.stream().map(DecoderClass::name).toList());
    }

    /** The single-encoding class holding the encoding {@code name}, for replaying one encoding. */
    static DecoderClass ofEncoding(String name) {
        for (DecoderClass c : all()) {
            for (Encoding e : c.encodings) {
                if (e.name().equalsIgnoreCase(name)) {
                    return new DecoderClass(c.name, List.of(e));
                }
            }
        }
        throw new IllegalArgumentException("no encoding '" + name + "' in the decoder table");
    }

    /**
     * The encodings Unicorn cannot check, class by class: those of an extension after
     * ARMv8.0, and the merged scalar floating-point entries (which hold FP16, FRINTTS and
     * BF16 words). What {@code --oracle qemu --post-v8.0} runs and records.
     */
    static List<DecoderClass> postV80() {
        List<DecoderClass> classes = new ArrayList<>();
        for (DecoderClass c : all()) {
            List<Encoding> later = c.encodings.stream()
                    .filter(e -> PostV80Feature.of(e, e.value()) != null || c.name.equals("FloatingPoint")).toList();
            if (!later.isEmpty()) {
                classes.add(new DecoderClass(c.name, later));
            }
        }
        return classes;
    }

    /** The decode-group class whose table lists {@code e}, by simple name. */
    static String groupOf(Encoding e) {
        return a64emu.cpu.decode.EncodingTable.groupOf(e).getSimpleName();
    }
}
