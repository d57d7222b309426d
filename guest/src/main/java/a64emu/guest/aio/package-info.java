/**
 * Linux native asynchronous I/O ({@code fs/aio.c}): contexts whose completion ring is mapped
 * into the process, requests (read, write, fsync, poll) and their completion events.
 */
package a64emu.guest.aio;
