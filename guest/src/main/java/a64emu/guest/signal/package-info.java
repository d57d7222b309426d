/**
 * Signals: numbers, codes and default actions ({@link a64emu.guest.signal.Signal}), a
 * signal with its siginfo ({@link a64emu.guest.signal.SignalInfo}), the dispositions a
 * process sets ({@link a64emu.guest.signal.SignalActions}), the arm64 signal frame
 * ({@link a64emu.guest.signal.SignalFrame}) and sending, dequeueing and delivering
 * ({@link a64emu.guest.signal.SignalDelivery}).
 */
package a64emu.guest.signal;
