// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.core.AllowedIps;
import io.jwg.core.transport.Endpoint;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * The value syntaxes of {@code set=1} lines, with wireguard-go's exact acceptance rules (Go's
 * {@code strconv.ParseUint}, {@code hex.DecodeString}, {@code netip.ParseAddrPort} and
 * {@code netip.ParsePrefix}, and its Linux bind's zone lookup): nothing is trimmed, nothing is
 * resolved, and every refusal is {@link UapiError#EINVAL}. Stateless.
 */
final class UapiValues {
    static final int KEY_HEX_LENGTH = 64;

    private UapiValues() {}

    /** 32 bytes from 64 hex digits of either case. */
    static byte[] key(String value, String what) throws UapiException {
        if (value.length() != KEY_HEX_LENGTH) {
            throw invalid(what + " must be 64 hex digits");
        }
        byte[] out = new byte[KEY_HEX_LENGTH / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = IpText.hexValue(value.charAt(2 * i));
            int lo = IpText.hexValue(value.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw invalid(what + " must be 64 hex digits");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * Go's {@code strconv.ParseUint(value, 10, bits)}: decimal digits only (no sign, no space, no
     * {@code 0x}), leading zeros allowed, at most {@code 2^bits - 1}.
     */
    static long unsigned(String value, int bits, String what) throws UapiException {
        if (value.isEmpty()) {
            throw invalid(what + " is empty");
        }
        long max = (1L << bits) - 1;
        long v = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw invalid(what + " is not a decimal number: \"" + value + "\"");
            }
            int d = c - '0';
            if (v > (max - d) / 10) {
                throw invalid(what + " is above " + max + ": \"" + value + "\"");
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** {@code true}, the only value wireguard-go accepts for its flags. */
    static void flag(String value, String key) throws UapiException {
        if (!value.equals("true")) {
            throw invalid(key + " must be \"true\", not \"" + value + "\"");
        }
    }

    /**
     * {@code a.b.c.d:port} or {@code [ipv6]:port} (the last ':' separates the port). An IPv6 zone
     * must name an interface of this network namespace or be a number, as wireguard-go's Linux
     * bind requires; it becomes the address's scope.
     */
    static Endpoint endpoint(String value) throws UapiException {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw invalid("endpoint \"" + value + "\" has no port");
        }
        String host = value.substring(0, colon);
        String portText = value.substring(colon + 1);
        if (host.isEmpty() || portText.isEmpty()) {
            throw invalid("endpoint \"" + value + "\" needs an address and a port");
        }
        boolean bracketed = host.charAt(0) == '[';
        if (bracketed) {
            if (host.length() < 2 || host.charAt(host.length() - 1) != ']') {
                throw invalid("endpoint \"" + value + "\" is missing ']'");
            }
            host = host.substring(1, host.length() - 1);
        }
        int port = (int) unsigned(portText, 16, "endpoint port");
        IpText.Addr addr;
        try {
            addr = IpText.parse(host);
        } catch (IllegalArgumentException e) {
            throw invalid("endpoint: " + e.getMessage());
        }
        if (bracketed == addr.isV4()) {
            throw invalid(bracketed ? "endpoint \"" + value + "\": brackets are for IPv6 only"
                    : "endpoint \"" + value + "\": IPv6 needs brackets");
        }
        try {
            InetAddress ip = addr.isV4() ? InetAddress.getByAddress(addr.bytes())
                    : Inet6Address.getByAddress(null, addr.bytes(), scope(addr.zone()));
            return Endpoint.of(ip, port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes never fail", e);
        }
    }

    /** The scope id for a zone, or -1 (none); zone 0 also means none. */
    private static int scope(String zone) throws UapiException {
        if (zone == null) {
            return -1;
        }
        try {
            NetworkInterface nic = NetworkInterface.getByName(zone);
            if (nic != null) {
                return nic.getIndex();
            }
        } catch (SocketException e) {
            // No interface list: the zone may still be a number.
        }
        long id = unsigned(zone, 32, "endpoint zone (no such interface)");
        return id == 0 || id > Integer.MAX_VALUE ? -1 : (int) id;
    }

    /**
     * Go's {@code netip.ParsePrefix}: an address without zone, '/', and a length as Go's
     * {@code strconv.Atoi} reads it (an optional sign, leading zeros allowed: {@code /+8},
     * {@code /032}). Host bits are cleared.
     */
    static AllowedIps.Prefix prefix(String value) throws UapiException {
        int slash = value.lastIndexOf('/');
        if (slash < 0) {
            throw invalid("allowed IP \"" + value + "\" has no '/'");
        }
        IpText.Addr addr;
        try {
            addr = IpText.parse(value.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw invalid("allowed IP: " + e.getMessage());
        }
        if (addr.zone() != null) {
            throw invalid("allowed IP \"" + value + "\" has a zone");
        }
        long bits = signedDecimal(value.substring(slash + 1), "allowed IP prefix length");
        int max = addr.isV4() ? 32 : 128;
        if (bits < 0 || bits > max) {
            throw invalid("allowed IP \"" + value + "\": prefix length out of range");
        }
        return AllowedIps.Prefix.of(addr.bytes(), (int) bits);
    }

    /** Go's {@code strconv.Atoi} in base 10: optional '+' or '-', then at least one digit. */
    private static long signedDecimal(String text, String what) throws UapiException {
        boolean negative = false;
        String digits = text;
        if (!text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-')) {
            negative = text.charAt(0) == '-';
            digits = text.substring(1);
        }
        long v = unsigned(digits, 63, what);
        return negative ? -v : v;
    }

    static UapiException invalid(String message) {
        return new UapiException(UapiError.EINVAL, message);
    }
}
