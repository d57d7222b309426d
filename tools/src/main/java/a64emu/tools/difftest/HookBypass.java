package a64emu.tools.difftest;

import java.util.Set;

/**
 * Instructions whose QEMU 2.2 helper stores straight into host memory, past Unicorn's
 * memory-write hooks (DC ZVA: {@code helper_dc_zva} memsets the block through
 * {@code tlb_vaddr_to_host}). For them the runner compares all of memory instead.
 */
final class HookBypass {
    private HookBypass() {}

    private static final Set<String> ENCODINGS = Set.of("DC_ZVA");

    static boolean storesPastHooks(String encodingName) {
        return ENCODINGS.contains(encodingName);
    }
}
