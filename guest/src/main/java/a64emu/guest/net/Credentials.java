package a64emu.guest.net;

/**
 * struct ucred, what SO_PEERCRED answers: the peer's process id and effective user and group
 * at the time it connected (or created the pair, or listened). {@link #NONE} is what Linux's
 * cred_to_ucred gives for a socket without a peer: pid 0, the overflow uid and gid.
 */
public record Credentials(int pid, int uid, int gid) {
    /** Linux's overflowuid/overflowgid: 65534. */
    public static final Credentials NONE = new Credentials(0, 65534, 65534);
}
