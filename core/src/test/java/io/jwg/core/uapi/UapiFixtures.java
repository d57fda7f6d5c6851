// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.core.ConfigException;
import io.jwg.core.Device;
import io.jwg.core.DeviceOptions;
import io.jwg.core.ManualClock;
import io.jwg.core.ManualScheduler;
import io.jwg.core.transport.MemoryBind;
import io.jwg.core.transport.MemoryNetwork;
import io.jwg.tun.memory.MemoryTun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Shared pieces of the UAPI tests: the golden files captured from wireguard-go and wg (see the
 * README beside them), their fixed keys, and in-memory devices to run requests against.
 */
final class UapiFixtures {
    static final InetAddress HOST = address("192.0.2.1");
    static final String ZERO_KEY = "0".repeat(64);

    private UapiFixtures() {}

    /** A fixture file's exact bytes, one char per byte. */
    static String resource(String name) {
        try (InputStream in = UapiFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** keys.txt as name to hex ({@code dev.private}, {@code peer1.public}, {@code psk1.preshared}...). */
    static Map<String, String> hexKeys() {
        return keys(2);
    }

    /** keys.txt as name to base64. */
    static Map<String, String> base64Keys() {
        return keys(1);
    }

    private static Map<String, String> keys(int column) {
        Map<String, String> out = new HashMap<>();
        for (String line : resource("keys.txt").split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] f = line.split("\t");
                out.put(f[0], f[column]);
            }
        }
        return out;
    }

    /** The body lines of a raw {@code set=1} request: without the operation line and the end. */
    static List<String> setLines(String request) {
        if (!request.startsWith("set=1\n")) {
            throw new IllegalArgumentException("not a set request: " + request);
        }
        List<String> out = new ArrayList<>();
        for (String line : request.substring("set=1\n".length()).split("\n", -1)) {
            if (line.isEmpty()) {
                break;
            }
            out.add(line);
        }
        return out;
    }

    /** A get reply as its device lines and, per peer (first 8 hex digits of its key), its lines. */
    record GetState(List<String> device, Map<String, List<String>> peers) {
        static GetState parse(String reply) {
            if (!reply.endsWith("errno=0\n\n")) {
                throw new IllegalArgumentException("not a successful get reply: " + reply);
            }
            List<String> device = new ArrayList<>();
            Map<String, List<String>> peers = new LinkedHashMap<>();
            List<String> current = device;
            for (String line : reply.substring(0, reply.length() - "errno=0\n\n".length()).split("\n")) {
                if (line.startsWith("public_key=")) {
                    current = new ArrayList<>();
                    peers.put(line.substring("public_key=".length(), "public_key=".length() + 8), current);
                } else if (!line.isEmpty()) {
                    current.add(line);
                }
            }
            return new GetState(device, peers);
        }

        /**
         * The change from {@code this} to {@code after} in the notation of the fixtures'
         * wireguard-go-set-cases.tsv: {@code -line}/{@code +line} for device lines,
         * {@code -peer ID}, {@code +peer ID(allowed_ip=...,endpoint=...)},
         * {@code -ID:line}/{@code +ID:line}; or {@code unchanged}.
         */
        String diff(GetState after) {
            List<String> out = new ArrayList<>();
            device.stream().filter(l -> !after.device.contains(l)).forEach(l -> out.add("-" + l));
            after.device.stream().filter(l -> !device.contains(l)).forEach(l -> out.add("+" + l));
            peers.keySet().stream().filter(k -> !after.peers.containsKey(k)).forEach(k -> out.add("-peer " + k));
            after.peers.forEach((k, lines) -> {
                if (!peers.containsKey(k)) {
                    out.add("+peer " + k + "(" + String.join(",", lines.stream()
                            .filter(l -> l.startsWith("allowed_ip") || l.startsWith("endpoint")).toList()) + ")");
                }
            });
            peers.forEach((k, lines) -> {
                List<String> now = after.peers.get(k);
                if (now != null) {
                    lines.stream().filter(l -> !now.contains(l)).forEach(l -> out.add("-" + k + ":" + l));
                    now.stream().filter(l -> !lines.contains(l)).forEach(l -> out.add("+" + k + ":" + l));
                }
            });
            return out.isEmpty() ? "unchanged" : String.join(" ", out);
        }
    }

    /** Undoes the Python-style escapes of the tsv's request and response columns. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case '\\', '\'', '"' -> b.append(n);
                case 'x' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + n + " in " + s);
            }
        }
        return b.toString();
    }

    /** One device on a memory network, with a manual clock (so no timer ever fires on its own). */
    static final class TestDevice implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final MemoryNetwork network;
        final MemoryBind bind;
        final Device device;

        TestDevice() {
            this(new MemoryNetwork());
        }

        TestDevice(MemoryNetwork network) {
            this.network = network;
            this.bind = network.newBind(HOST);
            this.device = Device.create(new MemoryTun(), bind, DeviceOptions.builder().name("uapi")
                    .clock(clock).scheduler(new ManualScheduler(clock)).random(new SplittableRandom(7)).build());
        }

        TestDevice up() {
            try {
                device.up();
            } catch (ConfigException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        /** Applies a raw request ({@code set=1\n...\n\n}) and fails unless it is accepted. */
        TestDevice set(String request) {
            int errno = Uapi.set(device, setLines(request));
            if (errno != 0) {
                throw new AssertionError("errno=" + errno + " for " + request);
            }
            return this;
        }

        String get() {
            return Uapi.get(device);
        }

        @Override
        public void close() {
            device.close();
        }
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
