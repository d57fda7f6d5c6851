// SPDX-License-Identifier: MIT
package io.jwg.core;

import io.jwg.noise.PrivateKey;
import io.jwg.noise.PublicKey;
import java.util.List;

/**
 * A snapshot of a device: its configuration and its peers, in the order they were added.
 *
 * @param privateKey null when the device has none
 * @param listenPort the port actually bound, 0 when not listening
 * @param fwmark 0 when unset
 */
public record DeviceState(PrivateKey privateKey, PublicKey publicKey, int listenPort, int fwmark,
        List<PeerState> peers) {}
