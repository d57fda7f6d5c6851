// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static io.jwg.core.uapi.UapiValues.invalid;

import io.jwg.core.DeviceConfig;
import io.jwg.core.PeerConfig;
import io.jwg.noise.PrivateKey;
import io.jwg.noise.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of a {@code set=1} request (wireguard.com/xplatform), read line by line into one
 * {@link DeviceConfig}, with wireguard-go's rules: {@code key=value} split at the first '=';
 * device keys ({@code private_key}, {@code listen_port}, {@code fwmark}, {@code replace_peers})
 * only before the first {@code public_key}, peer keys only after it (see {@link PeerSection});
 * keys and values exact and case-sensitive. The first refused line decides the answer and the
 * lines after it are ignored.
 *
 * <p>Unlike wireguard-go, which applies each line as it reads it and so keeps half of a refused
 * request, nothing is applied until the whole request has been read and accepted; the caller
 * then applies {@link #config()} at once. A device key given twice takes its last value, without
 * the side effects the earlier value would have had in wireguard-go.
 *
 * <p>Memory is proportional to what the request changes, not to its text: lines are parsed as
 * they arrive. Not thread-safe.
 */
final class SetRequest {
    /** Longest line wireguard-go reads (its bufio.Scanner's 64 KiB buffer, less the '\n'). */
    static final int MAX_LINE_LENGTH = 65535;

    private final DeviceConfig.Builder device = DeviceConfig.builder();
    private final List<PeerSection> peers = new ArrayList<>();
    private PeerSection peer;
    private UapiException failure;

    /** Takes the next line, without its line ending. Ignored once a line was refused. */
    void line(String line) {
        if (failure != null) {
            return;
        }
        if (line.length() > MAX_LINE_LENGTH) {
            fail(UapiError.EIO, "line longer than " + MAX_LINE_LENGTH + " bytes");
            return;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
            fail(UapiError.EPROTO, "line without '='");
            return;
        }
        String key = line.substring(0, eq);
        String value = line.substring(eq + 1);
        try {
            if (key.equals("public_key")) {
                peer = new PeerSection(PublicKey.of(UapiValues.key(value, "public key")));
                peers.add(peer);
            } else if (peer == null) {
                deviceLine(key, value);
            } else {
                peer.line(key, value);
            }
        } catch (UapiException e) {
            failure = e;
            peers.clear();
        }
    }

    /** Refuses the request for a reason found outside its lines (framing, size limits). */
    void fail(UapiError error, String message) {
        if (failure == null) {
            failure = new UapiException(error, message);
            peers.clear();
        }
    }

    /** The first refusal, or null when every line so far was accepted. */
    UapiError error() {
        return failure == null ? null : failure.error();
    }

    /** Why the request was refused, for the log; null when it was not. */
    String errorMessage() {
        return failure == null ? null : failure.getMessage();
    }

    /** The whole request as one change; only when {@link #error()} is null. */
    DeviceConfig config() {
        if (failure != null) {
            throw new IllegalStateException("refused request: " + failure.getMessage());
        }
        for (PeerSection p : peers) {
            for (PeerConfig c : p.configs()) {
                device.peer(c);
            }
        }
        peers.clear();
        return device.build();
    }

    private void deviceLine(String key, String value) throws UapiException {
        switch (key) {
            case "private_key" -> {
                byte[] raw = UapiValues.key(value, "private key");
                device.privateKey(PrivateKey.of(raw));
                Arrays.fill(raw, (byte) 0);
            }
            case "listen_port" -> device.listenPort((int) UapiValues.unsigned(value, 16, "listen port"));
            case "fwmark" -> device.fwmark((int) UapiValues.unsigned(value, 32, "fwmark"));
            case "replace_peers" -> {
                UapiValues.flag(value, key);
                device.replacePeers();
            }
            default -> throw invalid("invalid UAPI device key \"" + key + "\"");
        }
    }
}
