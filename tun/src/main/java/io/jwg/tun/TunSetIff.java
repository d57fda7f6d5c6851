// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code TUNSETIFF} request (Documentation/networking/tuntap.rst) that turns an open
 * {@code /dev/net/tun} descriptor into a named TUN interface, with the name rules of Linux
 * ({@code dev_valid_name}) checked up front and the kernel's refusals explained to the user.
 *
 * <p>How the kernel answers for a name already in use (drivers/net/tun.c, {@code tun_set_iff}):
 * a TUN interface with a descriptor attached gives {@code EBUSY}, whoever holds it (this process
 * too); an interface of another kind gives {@code EINVAL}, which we report as busy, like
 * wireguard-go's users would see it; a persistent TUN interface without a descriptor (made with
 * {@code ip tuntap add}) is simply attached to, which is how an administrator pre-creates one.
 *
 * <p>Stateless and thread-safe.
 */
final class TunSetIff {

    /** Longest interface name Linux accepts, in bytes (IFNAMSIZ minus the terminating NUL). */
    static final int MAX_NAME_BYTES = Ifreq.IFNAMSIZ - 1;

    private TunSetIff() {
    }

    /**
     * The name as bytes for the kernel.
     *
     * @throws IllegalArgumentException if Linux would refuse it
     */
    static byte[] validName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + bytes.length
                    + " bytes long; Linux allows at most " + MAX_NAME_BYTES);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
                throw new IllegalArgumentException("interface name '" + name
                        + "' contains '" + c + "'; Linux forbids '/', ':' and whitespace");
            }
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid interface name");
        }
        return bytes;
    }

    /**
     * Attaches {@code tunFd} to the TUN interface {@code name} (creating it), carrying bare IP
     * packets ({@code IFF_TUN | IFF_NO_PI}), plus {@code extraFlags} (e.g. {@code IFF_VNET_HDR}).
     *
     * @return the request as the kernel filled it in: its name is the one assigned
     * @throws IOException with a message for the user
     */
    static Ifreq attach(int tunFd, String name, byte[] nameBytes, int extraFlags) throws IOException {
        Ifreq ifr = new Ifreq().name(nameBytes).flags((short) (LibC.IFF_TUN | LibC.IFF_NO_PI | extraFlags));
        if (!ifr.ioctl(tunFd, LibC.TUNSETIFF)) {
            throw failure(name, LibC.errno());
        }
        return ifr;
    }

    private static IOException failure(String name, int err) {
        String what = "cannot create TUN interface '" + name + "': ";
        return switch (err) {
            case LibC.EPERM, LibC.EACCES -> new IOException(what + LibC.describe(err)
                    + " (creating interfaces needs CAP_NET_ADMIN: run as root)");
            case LibC.EBUSY -> new IOException(what + LibC.describe(err)
                    + " (a TUN interface with that name is already open,"
                    + " in another process or this one)");
            case LibC.EINVAL -> interfaceExists(name)
                    ? new IOException(what + LibC.describe(LibC.EBUSY)
                            + " (an interface with that name exists and is not a TUN device)")
                    : new IOException(what + LibC.describe(err));
            default -> new IOException(what + LibC.describe(err));
        };
    }

    private static boolean interfaceExists(String name) {
        int sock = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (sock < 0) {
            return false;
        }
        try {
            return new Ifreq().name(name.getBytes(StandardCharsets.UTF_8))
                    .ioctl(sock, LibC.SIOCGIFINDEX);
        } finally {
            LibC.close(sock);
        }
    }
}
