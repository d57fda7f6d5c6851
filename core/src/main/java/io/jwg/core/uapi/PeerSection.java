// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import static io.jwg.core.uapi.UapiValues.flag;
import static io.jwg.core.uapi.UapiValues.invalid;

import io.jwg.core.AllowedIps;
import io.jwg.core.PeerConfig;
import io.jwg.core.transport.Endpoint;
import io.jwg.noise.PresharedKey;
import io.jwg.noise.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * One peer section of a {@code set=1} request: a {@code public_key=} line and the peer lines up to
 * the next one (wireguard.com/xplatform).
 *
 * <p>wireguard-go applies every line the moment it reads it. jwg collects the section into
 * {@link PeerConfig}s that {@link io.jwg.core.Device#apply} runs in order, which ends in the same
 * state. One PeerConfig applies its parts in a fixed order (replace, removals, additions), so a
 * new one starts wherever the request's order would otherwise change the outcome: a removal or a
 * {@code replace_allowed_ips} after an addition (the addition may have taken the prefix from
 * another peer). Later steps are {@code update_only}: the first step created the peer, or was
 * not allowed to.
 *
 * <p>{@code update_only=true} holds for the whole section, wherever it stands. In wireguard-go,
 * a late {@code update_only} deletes the peer it has just created, which keeps nothing of what
 * the earlier lines did except prefixes they took from other peers: jwg leaves those with their
 * owners (a deliberate difference, for a request no client sends). After {@code remove=true}, the
 * rest of the section is still checked but changes nothing, as in wireguard-go.
 *
 * <p>Not thread-safe: one request is parsed by one thread.
 */
final class PeerSection {
    private final PublicKey key;
    private final List<Step> steps = new ArrayList<>();
    private Step current = new Step();
    private boolean updateOnly;
    private boolean removed;

    /** The changes of one PeerConfig. */
    private static final class Step {
        PresharedKey presharedKey;
        Endpoint endpoint;
        Integer keepalive;
        boolean replaceAllowedIps;
        boolean removePeer;
        final List<AllowedIps.Prefix> removals = new ArrayList<>();
        final List<AllowedIps.Prefix> additions = new ArrayList<>();

        boolean isEmpty() {
            return presharedKey == null && endpoint == null && keepalive == null && !replaceAllowedIps
                    && !removePeer && removals.isEmpty() && additions.isEmpty();
        }
    }

    PeerSection(PublicKey key) {
        this.key = key;
        steps.add(current);
    }

    /** Takes one peer line; throws for a refused key or value. */
    void line(String key, String value) throws UapiException {
        switch (key) {
            case "update_only" -> {
                flag(value, key);
                updateOnly |= !removed;
            }
            case "remove" -> {
                flag(value, key);
                if (!removed) {
                    removePeer();
                }
            }
            case "preshared_key" -> {
                PresharedKey psk = PresharedKey.of(UapiValues.key(value, "preshared key"));
                if (!removed) {
                    current.presharedKey = psk;
                }
            }
            case "endpoint" -> {
                Endpoint endpoint = UapiValues.endpoint(value);
                if (!removed) {
                    current.endpoint = endpoint;
                }
            }
            case "persistent_keepalive_interval" -> {
                int seconds = (int) UapiValues.unsigned(value, 16, "persistent keepalive interval");
                if (!removed) {
                    current.keepalive = seconds;
                }
            }
            case "replace_allowed_ips" -> {
                flag(value, key);
                if (!removed) {
                    startStepAfterAdditions();
                    current.replaceAllowedIps = true;
                    current.removals.clear(); // the replace removes them anyway
                }
            }
            case "allowed_ip" -> allowedIp(value);
            case "protocol_version" -> {
                if (!value.equals("1")) {
                    throw invalid("protocol_version must be 1, not \"" + value + "\"");
                }
            }
            default -> throw invalid("invalid UAPI peer key \"" + key + "\"");
        }
    }

    /** {@code allowed_ip=PREFIX} adds; {@code allowed_ip=-PREFIX} removes it from this peer only. */
    private void allowedIp(String value) throws UapiException {
        boolean removal = value.startsWith("-");
        AllowedIps.Prefix prefix = UapiValues.prefix(removal ? value.substring(1) : value);
        if (removed) {
            return;
        }
        if (removal) {
            startStepAfterAdditions();
            current.removals.add(prefix);
        } else {
            current.additions.add(prefix);
        }
    }

    private void startStepAfterAdditions() {
        if (!current.additions.isEmpty()) {
            current = new Step();
            steps.add(current);
        }
    }

    private void removePeer() {
        // Of what came before, only additions can outlive the peer: prefixes they took from others.
        if (steps.stream().allMatch(s -> s.additions.isEmpty())) {
            steps.clear();
        }
        Step remove = new Step();
        remove.removePeer = true;
        steps.add(remove);
        current = null;
        removed = true;
    }

    /** The section as PeerConfigs, to apply in order. */
    List<PeerConfig> configs() {
        List<PeerConfig> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (i > 0 && s.isEmpty()) {
                continue;
            }
            PeerConfig.Builder b = PeerConfig.builder(key);
            if (s.removePeer) {
                out.add(b.remove().build());
                continue;
            }
            if (i > 0 || updateOnly) {
                b.updateOnly();
            }
            if (s.presharedKey != null) {
                b.presharedKey(s.presharedKey);
            }
            if (s.endpoint != null) {
                b.endpoint(s.endpoint);
            }
            if (s.keepalive != null) {
                b.persistentKeepalive(s.keepalive);
            }
            if (s.replaceAllowedIps) {
                b.replaceAllowedIps();
            }
            s.removals.forEach(b::removeAllowedIp);
            s.additions.forEach(b::allowedIp);
            out.add(b.build());
        }
        return out;
    }
}
