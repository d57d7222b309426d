/**
 * Signals: numbers and codes ({@link a64emu.guest.signal.Signal}), the signal a fault or
 * an instruction raises ({@link a64emu.guest.signal.SignalInfo}) and the dispositions and
 * masks a process sets ({@link a64emu.guest.signal.SignalActions}). Only default actions
 * are carried out for now; running user handlers comes with issue 5.
 */
package a64emu.guest.signal;
