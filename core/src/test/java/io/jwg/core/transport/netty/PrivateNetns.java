// SPDX-License-Identifier: MIT
package io.jwg.core.transport.netty;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away network namespace for the transport tests ({@code ip netns add}), private to this
 * package, and a way to run code inside it: a fresh thread that setns(2)s into the namespace before
 * it runs the task, so only that thread (and the sockets it creates) lives there.
 */
final class PrivateNetns implements AutoCloseable {
    final String name;

    private PrivateNetns(String name) {
        this.name = name;
    }

    /** Creates {@code jwgnb-<pid>-<random>} with loopback up; skips the test without root. */
    static PrivateNetns create() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2 (ip)");
        String name = "jwgnb-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        run("ip", "netns", "add", name);
        PrivateNetns ns = new PrivateNetns(name);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (Exception e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Turns IPv6 off in this namespace only, as an administrator would with sysctl. */
    void disableIpv6() throws IOException, InterruptedException {
        exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        exec("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
        exec("sysctl", "-q", "-w", "net.ipv6.conf.lo.disable_ipv6=1");
    }

    /** Runs a command inside the namespace and returns its standard output. */
    String exec(String... command) throws IOException, InterruptedException {
        List<String> argv = new java.util.ArrayList<>(List.of("ip", "netns", "exec", name));
        argv.addAll(List.of(command));
        return run(argv.toArray(String[]::new));
    }

    /** Calls {@code task} on a new thread that has entered this namespace. */
    <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(() -> {
            int fd = TestLibc.open("/var/run/netns/" + name, TestLibc.O_RDONLY | TestLibc.O_CLOEXEC);
            try {
                TestLibc.setns(fd, TestLibc.CLONE_NEWNET);
            } finally {
                TestLibc.close(fd);
            }
            return task.call();
        });
        Thread t = new Thread(future, "in-" + name);
        t.start();
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("ip", "netns", "del", name);
    }
}
