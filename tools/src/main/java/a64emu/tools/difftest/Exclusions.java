package a64emu.tools.difftest;

import java.util.Map;

/**
 * Encodings the differential test does not generate, each with the reason. They are
 * reported in every summary so that nothing is skipped silently.
 */
final class Exclusions {
    private Exclusions() {}

    static final Map<String, String> SKIPPED = Map.of(
            "SVC", "supervisor call: a64emu hands it to the guest kernel as an exception, Unicorn "
                    + "takes it to its own EL1 vector; there is no result state to compare",
            "BRK", "breakpoint: an exception in both engines (debugger territory), no result state to compare");

    static String reason(String encodingName) {
        return SKIPPED.get(encodingName);
    }
}
