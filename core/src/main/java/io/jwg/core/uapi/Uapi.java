// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.core.ConfigException;
import io.jwg.core.Device;
import java.util.List;

/**
 * The cross-platform userspace configuration protocol (wireguard.com/xplatform) on a
 * {@link Device}: the bodies of {@code get=1} and {@code set=1} requests, answered as Debian's
 * wireguard-go 0.0.20220316 answers them (docs/uapi-notes.md), except that a refused set changes
 * nothing. Framing (reading requests from a socket) is {@link UapiServer}'s job.
 *
 * <p>Thread-safe: a get reads one consistent {@link Device#state()} snapshot, and a set is
 * parsed by the calling thread and applied with one {@link Device#apply}, which the device
 * serializes.
 */
public final class Uapi {
    private static final System.Logger LOG = System.getLogger(Uapi.class.getName());

    private Uapi() {}

    /**
     * The complete reply to {@code get=1}: key=value lines, then {@code errno=0} and an empty line.
     */
    public static String get(Device device) {
        return GetResponse.of(device.state());
    }

    /**
     * Applies one {@code set=1} request, given as its lines without the operation line and
     * without the terminating empty line (an empty line ends the request, as on the wire; line
     * endings must already be removed). All or nothing: on error nothing changes.
     *
     * @return 0, or a negative errno as wireguard-go reports it (-22 EINVAL, -71 EPROTO, -98
     *     EADDRINUSE, -5 EIO)
     */
    public static int set(Device device, List<String> lines) {
        SetRequest request = new SetRequest();
        for (String line : lines) {
            if (line.isEmpty()) {
                break;
            }
            request.line(line);
        }
        return apply(device, request);
    }

    /** Applies a parsed request, or reports why it was refused. */
    static int apply(Device device, SetRequest request) {
        UapiError error = request.error();
        if (error == null) {
            try {
                device.apply(request.config());
                return 0;
            } catch (ConfigException e) {
                error = e.kind() == ConfigException.Kind.ADDRESS_IN_USE ? UapiError.EADDRINUSE : UapiError.EIO;
                LOG.log(System.Logger.Level.INFO, "{0}: UAPI set refused: {1}", device.name(), e.getMessage());
                return error.errno();
            }
        }
        LOG.log(System.Logger.Level.INFO, "{0}: UAPI set refused: {1}", device.name(), request.errorMessage());
        return error.errno();
    }
}
