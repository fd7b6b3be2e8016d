package io.breachwatch.detect;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The network an IP address belongs to: its first {@code prefix} bits, as text such as {@code v4:0a00/16}. Parses
 * IPv4 and IPv6 literals itself: {@code InetAddress.getByName} falls back to a DNS lookup on text it cannot read,
 * which a stream thread must never do. IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) count as IPv4.
 */
final class Networks {
    static final String V4 = "v4:";
    static final String V6 = "v6:";
    private Networks() {
    }

    /** The network of {@code ip}, or null when {@code ip} is not an IP literal. A prefix of 0 puts every address in one network. */
    static String of(String ip, int ipv4Prefix, int ipv6Prefix) {
        if (ip == null) {
            return null;
        }
        var text = ip.trim();
        var bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        if (bytes == null) {
            return null;
        }
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        var v4 = bytes.length == 4;
        var prefix = v4 ? ipv4Prefix : ipv6Prefix;
        return (v4 ? V4 : V6) + HexFormat.of().formatHex(mask(bytes, prefix)) + "/" + prefix;
    }

    private static byte[] mask(byte[] address, int prefix) {
        var out = new byte[(prefix + 7) / 8];
        for (int i = 0; i < out.length; i++) {
            var bits = Math.min(8, prefix - 8 * i);
            out[i] = (byte) (address[i] & (0xff << (8 - bits)));
        }
        return out;
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /** Four dot-separated decimal parts of 1-3 digits, each at most 255; null otherwise. Per event: no split, no stream. */
    static byte[] ipv4(String text) {
        var out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            var c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    static byte[] ipv6(String text) {
        var zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        var out = new byte[16];
        var halves = text.split("::", -1);
        if (halves.length > 2) {
            return null;
        }
        var head = groups(halves[0]);
        var tail = halves.length == 2 ? groups(halves[1]) : new int[0];
        if (head == null || tail == null) {
            return null;
        }
        var total = head.length + tail.length;
        if (halves.length == 1 ? total != 8 : total > 7) {
            return null;
        }
        for (int i = 0; i < head.length; i++) {
            put(out, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            put(out, 8 - tail.length + i, tail[i]);
        }
        return out;
    }

    /** 16-bit groups of one side of "::"; a trailing dotted IPv4 counts as two groups. */
    private static int[] groups(String side) {
        if (side.isEmpty()) {
            return new int[0];
        }
        var parts = side.split(":", -1);
        var last = parts[parts.length - 1];
        var v4 = last.indexOf('.') >= 0 ? ipv4(last) : null;
        if (last.indexOf('.') >= 0 && v4 == null) {
            return null;
        }
        var n = parts.length + (v4 == null ? 0 : 1);
        var out = new int[n];
        for (int i = 0; i < parts.length - (v4 == null ? 0 : 1); i++) {
            var p = parts[i];
            if (p.isEmpty() || p.length() > 4 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return null;
            }
            out[i] = Integer.parseInt(p, 16);
        }
        if (v4 != null) {
            out[n - 2] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
            out[n - 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        }
        return out;
    }

    private static void put(byte[] out, int group, int value) {
        out[2 * group] = (byte) (value >> 8);
        out[2 * group + 1] = (byte) value;
    }
}
