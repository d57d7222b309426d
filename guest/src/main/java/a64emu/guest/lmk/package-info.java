/**
 * Android's low memory killer daemon, lmkd ({@code system/memory/lmkd/lmkd.cpp}), as a kernel
 * thread of the guest kernel ({@link a64emu.guest.lmk.Lmkd}), split as lmkd's work divides:
 * what {@code --lmk} selects ({@link a64emu.guest.lmk.LmkConfig}, with the minfree table of
 * {@link a64emu.guest.lmk.MinfreeTable}) and the {@code ro.lmk.*} properties
 * ({@link a64emu.guest.lmk.LmkProperties}); what lmkd reads of the machine at a wake-up
 * ({@link a64emu.guest.lmk.MemoryState}); the two kill policies, {@code mp_event_psi}
 * ({@link a64emu.guest.lmk.PsiPolicy}) and {@code mp_event_common} with minfree levels
 * ({@link a64emu.guest.lmk.MinfreePolicy}); the polling after a PSI event
 * ({@link a64emu.guest.lmk.Polling}); the processes it may kill and the order it kills them in
 * ({@link a64emu.guest.lmk.AdjSlots}); and the record and log line of a kill
 * ({@link a64emu.guest.lmk.LmkKill}).
 */
package a64emu.guest.lmk;
