// SPDX-License-Identifier: MIT
package io.jwg.tun;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A test program run inside a namespace ({@code ip netns exec NS java ... TcpCopy}): {@code sink
 * PORT} accepts one TCP connection and prints the SHA-256 and length of everything it received;
 * {@code send HOST PORT FILE} sends a file and closes.
 */
public final class TcpCopy {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("sink")) {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getByName("::"), Integer.parseInt(args[1])));
                System.out.println("listening");
                System.out.flush();
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[1 << 16];
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                        total += n;
                    }
                    System.out.println(HexFormat.of().formatHex(sha.digest()) + " " + total);
                }
            }
        } else {
            try (Socket s = new Socket(args[1], Integer.parseInt(args[2]));
                 OutputStream out = s.getOutputStream()) {
                Files.copy(Path.of(args[3]), out);
            }
        }
    }
}
