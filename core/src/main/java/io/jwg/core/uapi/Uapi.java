// SPDX-License-Identifier: MIT
package io.jwg.core.uapi;

import io.jwg.core.Device;
import java.util.List;

/**
 * The cross-platform userspace configuration protocol (wireguard.com/xplatform) on a
 * {@link Device}: the body of {@code get=1} and {@code set=1} requests, as wireguard-go answers
 * them. Framing (reading request lines from a socket) is {@link UapiServer}'s job.
 *
 * <p>PLACEHOLDER: the real implementation is being written; signatures are final.
 */
public final class Uapi {
    private Uapi() {}

    /**
     * The complete reply to {@code get=1}: key=value lines, then {@code errno=0} and an empty line.
     */
    public static String get(Device device) {
        return "errno=0\n\n";
    }

    /**
     * Applies one {@code set=1} request, given as its lines without the operation line and
     * without the terminating empty line. All or nothing: on error nothing changes.
     *
     * @return 0, or a negative errno as wireguard-go reports it (-22 EINVAL, -71 EPROTO, -98
     *     EADDRINUSE, -5 EIO)
     */
    public static int set(Device device, List<String> lines) {
        return -22;
    }
}
