/**
 * Security features a process applies to itself: seccomp ({@code kernel/seccomp.c}), its mode
 * and filter chain, and the classic BPF those filters are written in ({@code net/core/filter.c}).
 */
package a64emu.guest.security;
