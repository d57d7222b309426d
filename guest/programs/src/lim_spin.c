/*
 * An infinite loop: the guest never ends by itself. a64emu's --timeout (expected/lim_spin.options)
 * must end it on time with status 124, and --max-instructions (lim_spin.maxinsn) after exactly
 * that many instructions with status 125. No oracle can run it (qemu-aarch64 would spin
 * forever): "reasoned" in the oracles file, its expected files written by hand.
 */
#include <stdio.h>

int main(void) {
    volatile unsigned long spins = 0;
    printf("spinning\n");
    fflush(stdout);
    for (;;) {
        spins++;
    }
}
