// SPDX-License-Identifier: MIT
package io.jwg.core;

/**
 * IP address literals without name resolution: strict dotted-quad IPv4 (no octal, no short
 * forms, as inet_pton) and RFC 4291 section 2.2 IPv6 text, formatted back per RFC 5952.
 *
 * <p>Exists because {@link java.net.InetAddress#getByName} falls back to DNS for anything that is
 * not a valid literal, and turns IPv4-mapped IPv6 addresses into IPv4 ones, which routing must
 * keep apart.
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /** Parses an IPv4 or IPv6 literal into 4 or 16 bytes; IllegalArgumentException says why not. */
    public static byte[] parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        if (text.indexOf(':') < 0) {
            byte[] out = new byte[4];
            parseV4(text, out, 0);
            return out;
        }
        return parseV6(text);
    }

    /** RFC 5952 text: IPv4 dotted quad, IPv6 lower-case with the longest zero run as "::". */
    public static String format(byte[] addr) {
        if (addr.length == 4) {
            return (addr[0] & 0xff) + "." + (addr[1] & 0xff) + "." + (addr[2] & 0xff) + "." + (addr[3] & 0xff);
        }
        if (addr.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + addr.length);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((addr[2 * i] & 0xff) << 8) | (addr[2 * i + 1] & 0xff);
        }
        if (isV4Mapped(groups)) {
            return "::ffff:" + (addr[12] & 0xff) + "." + (addr[13] & 0xff) + "." + (addr[14] & 0xff) + "."
                    + (addr[15] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 4.2.2: a single zero group is never shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static boolean isV4Mapped(int[] groups) {
        for (int i = 0; i < 5; i++) {
            if (groups[i] != 0) {
                return false;
            }
        }
        return groups[5] == 0xffff;
    }

    private static void parseV4(String text, byte[] out, int at) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("IPv4 address \"" + text + "\" must have four dot-separated parts");
        }
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !allDigits(p)) {
                throw new IllegalArgumentException("IPv4 address \"" + text + "\" has a bad part \"" + p + "\"");
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                throw new IllegalArgumentException("IPv4 address \"" + text + "\" has a leading zero in \"" + p + "\"");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("IPv4 address \"" + text + "\" has a part above 255: " + p);
            }
            out[at + i] = (byte) v;
        }
    }

    private static byte[] parseV6(String text) {
        if (text.indexOf('%') >= 0) {
            throw new IllegalArgumentException("IPv6 address \"" + text + "\" has a zone; zones are not allowed here");
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw new IllegalArgumentException("IPv6 address \"" + text + "\" has more than one \"::\"");
        }
        // Groups as 16-bit values; an embedded IPv4 tail counts as two.
        int[] head = gap < 0 ? groups(text, text, true) : groups(text.substring(0, gap), text, false);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), text, true);
        int total = head.length + tail.length;
        if (gap < 0 && total != 8) {
            throw new IllegalArgumentException("IPv6 address \"" + text + "\" must have 8 groups or use \"::\"");
        }
        if (gap >= 0 && total > 7) {
            throw new IllegalArgumentException("IPv6 address \"" + text + "\" has too many groups for \"::\"");
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) {
            putGroup(out, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            putGroup(out, 8 - tail.length + i, tail[i]);
        }
        return out;
    }

    private static int[] groups(String side, String whole, boolean mayEndInV4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        String last = parts[parts.length - 1];
        boolean v4Tail = mayEndInV4 && last.indexOf('.') >= 0;
        int[] out = new int[parts.length + (v4Tail ? 1 : 0)];
        for (int i = 0; i < parts.length - (v4Tail ? 1 : 0); i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4 || !allHex(p)) {
                throw new IllegalArgumentException("IPv6 address \"" + whole + "\" has a bad group \"" + p + "\"");
            }
            out[i] = Integer.parseInt(p, 16);
        }
        if (v4Tail) {
            byte[] quad = new byte[4];
            parseV4(last, quad, 0);
            out[out.length - 2] = ((quad[0] & 0xff) << 8) | (quad[1] & 0xff);
            out[out.length - 1] = ((quad[2] & 0xff) << 8) | (quad[3] & 0xff);
        }
        return out;
    }

    private static void putGroup(byte[] out, int group, int value) {
        out[2 * group] = (byte) (value >>> 8);
        out[2 * group + 1] = (byte) value;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean allHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
