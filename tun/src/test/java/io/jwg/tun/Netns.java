// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away network namespace for tests, plus the shell helpers they need. Names carry the
 * pid and a random suffix because other test runs share this machine.
 */
final class Netns implements AutoCloseable {

    /** Output and exit code of a finished command. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Skips the calling test unless it can create TUN devices and namespaces. */
    static void assumeAvailable() {
        assumeTrue(LibC.SUPPORTED, "LinuxTun needs 64-bit Linux");
        assumeTrue(isRoot(), "netns tests need root (CAP_NET_ADMIN), running as "
                + System.getProperty("user.name"));
        assumeTrue(Files.exists(Path.of(LinuxTun.CLONE_DEVICE)), "no " + LinuxTun.CLONE_DEVICE);
        assumeTrue(commandWorks("ip", "-V"), "the 'ip' command (iproute2) is not installed");
        assumeTrue(commandWorks("ping", "-V"), "the 'ping' command (iputils-ping) is not installed");
    }

    private static boolean isRoot() {
        try {
            // "Uid:	real	effective	saved	fs"
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    static Netns create() {
        Netns ns = new Netns("jwgtun-" + ProcessHandle.current().pid() + "-" + randomSuffix(6));
        Result r = run("ip", "netns", "add", ns.name);
        if (!r.ok()) {
            throw new IllegalStateException("ip netns add failed: " + r.output());
        }
        return ns;
    }

    /** A unique interface name of at most 15 bytes. */
    static String uniqueInterfaceName() {
        return "jwgt" + randomSuffix(8);
    }

    private static String randomSuffix(int length) {
        StringBuilder s = new StringBuilder();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            s.append(Character.forDigit(random.nextInt(36), 36));
        }
        return s.toString();
    }

    /** Runs a command inside this namespace. */
    Result exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** Runs {@code ip -n NS ARGS...}, failing the test if it fails. */
    void ip(String... args) {
        List<String> full = new ArrayList<>(List.of("ip", "-n", name));
        full.addAll(List.of(args));
        Result r = run(full.toArray(String[]::new));
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", full) + " failed: " + r.output());
        }
    }

    @Override
    public void close() {
        run("ip", "netns", "del", name);
    }

    static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static boolean commandWorks(String... command) {
        return run(command).exitCode() == 0;
    }
}
