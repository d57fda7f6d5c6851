// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import io.netty.channel.unix.Socket;
import java.io.IOException;

/**
 * The Linux socket options jwg sets on its UDP socket that Netty has no {@code ChannelOption} for,
 * applied with Netty's public raw {@code setsockopt} ({@link Socket#setIntOpt}); see socket(7),
 * ipv6(7). Constants are the Linux (asm-generic, x86_64) values.
 *
 * <p>Stateless; each call is one or two system calls on the given socket, safe from any thread.
 */
final class LinuxSocketOptions {
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    /** socket(7): the fwmark that policy routing ({@code ip rule fwmark}) matches; 0 = none. */
    static final int SO_MARK = 36;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    /** errno(3) EADDRINUSE on Linux. */
    static final int EADDRINUSE = 98;

    private LinuxSocketOptions() {
    }

    /**
     * Lets an AF_INET6 socket bound to {@code [::]} also receive IPv4 (as v4-mapped addresses).
     * The kernel default comes from {@code net.ipv6.bindv6only}, which an administrator may flip.
     */
    static void allowIpv4(Socket socket) throws IOException {
        socket.setIntOpt(IPPROTO_IPV6, IPV6_V6ONLY, 0);
    }

    /**
     * Asks for {@code bytes} of receive and send buffer. The FORCE variants ignore
     * {@code net.core.rmem_max}/{@code wmem_max} but need CAP_NET_ADMIN; without it the plain
     * options apply and the kernel caps the size. A cap is not an error: the socket works, it
     * only drops earlier under bursts.
     */
    static void requestBuffers(Socket socket, int bytes) {
        request(socket, SO_RCVBUFFORCE, bytes, () -> socket.setReceiveBufferSize(bytes));
        request(socket, SO_SNDBUFFORCE, bytes, () -> socket.setSendBufferSize(bytes));
    }

    static void setMark(Socket socket, int mark) throws IOException {
        socket.setIntOpt(SOL_SOCKET, SO_MARK, mark);
    }

    private interface Fallback {
        void apply() throws IOException;
    }

    private static void request(Socket socket, int forceOption, int bytes, Fallback fallback) {
        try {
            socket.setIntOpt(SOL_SOCKET, forceOption, bytes);
        } catch (IOException notPrivileged) {
            try {
                fallback.apply();
            } catch (IOException ignored) {
                // The kernel default buffer still works; nothing better to do.
            }
        }
    }
}
