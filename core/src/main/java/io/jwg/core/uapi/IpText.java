// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

/**
 * IP address text as wireguard-go reads and writes it on the UAPI: Go's {@code net/netip}
 * ({@code ParseAddr}, {@code Addr.String}) of the Go release Debian's wireguard-go 0.0.20220316
 * is built with (go1.19). Its rules differ from {@link java.net.InetAddress} and from RFC 4291
 * in details that clients can see, all measured against the real program:
 *
 * <ul>
 *   <li>IPv4 is exactly four decimal fields of 0..255 without leading zeros ({@code 192.0.2.07}
 *       is refused);
 *   <li>an IPv6 field may have any number of leading zeros as long as its value fits in 16 bits
 *       ({@code fd00:00001::1} is {@code fd00:1::1});
 *   <li>an embedded IPv4 tail must take the last 32 bits, or follow a {@code ::};
 *   <li>a zone ({@code %name}) follows IPv6 only and must not be empty;
 *   <li>output is RFC 5952 (lower case, the first longest run of two or more zero fields as
 *       {@code ::}), and IPv4-mapped addresses print as {@code ::ffff:a.b.c.d}.
 * </ul>
 *
 * Never resolves names. Stateless.
 */
final class IpText {
    private IpText() {}

    /** An address: 4 or 16 bytes, and the zone text after {@code %} (IPv6 only), or null. */
    record Addr(byte[] bytes, String zone) {
        boolean isV4() {
            return bytes.length == 4;
        }
    }

    /** Go's {@code netip.ParseAddr}: the first '.', ':' or '%' decides the family. */
    static Addr parse(String s) {
        for (int i = 0; i < s.length(); i++) {
            switch (s.charAt(i)) {
                case '.':
                    return new Addr(parseV4(s), null);
                case ':':
                    return parseV6(s);
                case '%':
                    throw new IllegalArgumentException("missing IPv6 address in \"" + s + "\"");
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unable to parse IP \"" + s + "\"");
    }

    static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int field = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    throw new IllegalArgumentException("IPv4 field has a leading zero in \"" + s + "\"");
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    throw new IllegalArgumentException("IPv4 field above 255 in \"" + s + "\"");
                }
            } else if (c == '.') {
                if (i == 0 || i == s.length() - 1 || s.charAt(i - 1) == '.') {
                    throw new IllegalArgumentException("empty IPv4 field in \"" + s + "\"");
                }
                if (field == 3) {
                    throw new IllegalArgumentException("IPv4 address too long: \"" + s + "\"");
                }
                out[field++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                throw new IllegalArgumentException("unexpected character in IPv4 address \"" + s + "\"");
            }
        }
        if (field < 3) {
            throw new IllegalArgumentException("IPv4 address too short: \"" + s + "\"");
        }
        out[3] = (byte) value;
        return out;
    }

    private static Addr parseV6(String in) {
        String s = in;
        String zone = null;
        int pct = s.indexOf('%');
        if (pct >= 0) {
            zone = s.substring(pct + 1);
            s = s.substring(0, pct);
            if (zone.isEmpty()) {
                throw new IllegalArgumentException("empty zone in \"" + in + "\"");
            }
        }
        byte[] ip = new byte[16];
        int ellipsis = -1;
        int pos = 0;
        if (s.startsWith("::")) {
            ellipsis = 0;
            s = s.substring(2);
            if (s.isEmpty()) {
                return new Addr(ip, zone);
            }
        }
        while (pos < 16) {
            int off = 0;
            int acc = 0;
            for (; off < s.length(); off++) {
                int d = hexValue(s.charAt(off));
                if (d < 0) {
                    break;
                }
                acc = (acc << 4) + d;
                if (acc > 0xffff) {
                    throw new IllegalArgumentException("IPv6 field above ffff in \"" + in + "\"");
                }
            }
            if (off == 0) {
                throw new IllegalArgumentException("empty IPv6 field in \"" + in + "\"");
            }
            if (off < s.length() && s.charAt(off) == '.') {
                if (ellipsis < 0 && pos != 12) {
                    throw new IllegalArgumentException("embedded IPv4 must be the last 32 bits in \"" + in + "\"");
                }
                if (pos + 4 > 16) {
                    throw new IllegalArgumentException("no room for embedded IPv4 in \"" + in + "\"");
                }
                byte[] v4 = parseV4(s);
                System.arraycopy(v4, 0, ip, pos, 4);
                s = "";
                pos += 4;
                break;
            }
            ip[pos] = (byte) (acc >>> 8);
            ip[pos + 1] = (byte) acc;
            pos += 2;
            s = s.substring(off);
            if (s.isEmpty()) {
                break;
            }
            if (s.charAt(0) != ':') {
                throw new IllegalArgumentException("unexpected character in IPv6 address \"" + in + "\"");
            }
            if (s.length() == 1) {
                throw new IllegalArgumentException("IPv6 address ends in ':': \"" + in + "\"");
            }
            s = s.substring(1);
            if (s.charAt(0) == ':') {
                if (ellipsis >= 0) {
                    throw new IllegalArgumentException("more than one \"::\" in \"" + in + "\"");
                }
                ellipsis = pos;
                s = s.substring(1);
                if (s.isEmpty()) {
                    break;
                }
            }
        }
        if (!s.isEmpty()) {
            throw new IllegalArgumentException("trailing characters in IPv6 address \"" + in + "\"");
        }
        if (pos < 16) {
            if (ellipsis < 0) {
                throw new IllegalArgumentException("IPv6 address too short: \"" + in + "\"");
            }
            int n = 16 - pos;
            System.arraycopy(ip, ellipsis, ip, ellipsis + n, pos - ellipsis);
            java.util.Arrays.fill(ip, ellipsis, ellipsis + n, (byte) 0);
        } else if (ellipsis >= 0) {
            throw new IllegalArgumentException("\"::\" stands for no zeros in \"" + in + "\"");
        }
        return new Addr(ip, zone);
    }

    /** The value of an ASCII hex digit, or -1. */
    static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Go's {@code Addr.String} without a zone. */
    static String format(byte[] addr) {
        if (addr.length == 4) {
            return (addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff);
        }
        int[] fields = new int[8];
        for (int i = 0; i < 8; i++) {
            fields[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
        }
        if (fields[0] == 0 && fields[1] == 0 && fields[2] == 0 && fields[3] == 0 && fields[4] == 0
                && fields[5] == 0xffff) {
            return "::ffff:" + format(java.util.Arrays.copyOfRange(addr, 12, 16));
        }
        int zeroStart = -1;
        int zeroLen = 1; // a single zero field is never shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && fields[j] == 0) {
                j++;
            }
            if (j - i > zeroLen) {
                zeroStart = i;
                zeroLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == zeroStart) {
                sb.append("::");
                i += zeroLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(fields[i]));
        }
        return sb.toString();
    }
}
