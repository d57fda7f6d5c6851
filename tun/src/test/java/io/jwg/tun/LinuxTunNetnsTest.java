// SPDX-License-Identifier: MIT
package io.jwg.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwg.tun.memory.Ping;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * LinuxTun against the real kernel: a TUN is created in the test's namespace, moved into a fresh
 * namespace (as one does to give a container a WireGuard interface) and exercised there with the
 * system's {@code ping}, whose echo requests this test answers through the TUN.
 */
@Tag("netns")
class LinuxTunNetnsTest {

    /** Headroom kept in front of packets, as the WireGuard data path does for its header. */
    private static final int OFFSET = 16;

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tun-test");
        t.setDaemon(true);
        return t;
    });
    private final String ifname = Netns.uniqueInterfaceName();
    private Netns ns;
    private LinuxTun tun;
    /** What stopped the echo responder early, for failure messages ("" while it runs). */
    private volatile String responderFailure = "";

    @BeforeEach
    void requireRootAndTools() {
        Netns.assumeAvailable();
    }

    @AfterEach
    void cleanUp() {
        threads.shutdownNow();
        if (tun != null) {
            tun.close();
        }
        if (ns != null) {
            ns.close();
        }
        Netns.run("ip", "link", "del", ifname); // in case a test left it in our namespace
    }

    @Test
    void answersIpv4PingsInAnotherNamespaceUsingDirectBuffers() throws Exception {
        tun = LinuxTun.create(ifname, 1420);
        assertTrue(tun.offloads());
        List<byte[]> requests = upInNamespaceAnsweringPings("10.77.0.1/24", true);

        Netns.Result ping = ns.exec("ping", "-c", "3", "-W", "1", "10.77.0.2");

        assertEquals(0, ping.exitCode(), ping.output() + responderFailure);
        assertTrue(requests.size() >= 3, "the responder saw " + requests.size() + " requests");
        Ping.Echo first = Ping.parse(requests.get(0));
        assertEquals(InetAddress.getByName("10.77.0.1"), first.source());
        assertEquals(InetAddress.getByName("10.77.0.2"), first.destination());
        assertEquals(0, tun.droppedWrites(), tun.lastWriteError());
    }

    @Test
    void answersIpv6PingsInAnotherNamespaceUsingHeapBuffers() throws Exception {
        tun = LinuxTun.create(ifname, 1420);
        moveIntoNamespace();
        ns.ip("addr", "add", "fd00:77::1/64", "dev", ifname, "nodad");
        ns.ip("link", "set", ifname, "up");
        List<byte[]> requests = startEchoResponder(false);

        Netns.Result ping = ns.exec("ping", "-6", "-c", "3", "-W", "1", "fd00:77::2");

        assertEquals(0, ping.exitCode(), ping.output() + responderFailure);
        assertTrue(requests.size() >= 3, "the responder saw " + requests.size() + " requests");
        Ping.Echo first = Ping.parse(requests.get(0));
        assertTrue(first.isIpv6());
        assertEquals(InetAddress.getByName("fd00:77::2"), first.destination());
        assertEquals(0, tun.droppedWrites(), tun.lastWriteError());
    }

    @Test
    void answersPingsWithoutOffloadsOneBarePacketPerCall() throws Exception {
        tun = LinuxTun.create(ifname, 1420, false);
        assertFalse(tun.offloads());
        assertEquals(1, tun.batchSize());
        List<byte[]> requests = upInNamespaceAnsweringPings("10.77.0.1/24", true);

        Netns.Result ping = ns.exec("ping", "-c", "3", "-W", "1", "10.77.0.2");

        assertEquals(0, ping.exitCode(), ping.output() + responderFailure);
        assertTrue(requests.size() >= 3, "the responder saw " + requests.size() + " requests");
    }

    @Test
    void deletingTheInterfaceMakesABlockedReadThrowTunClosed() throws Exception {
        tun = LinuxTun.create(ifname, 1420);
        moveIntoNamespace();
        Future<?> reader = startBlockedReader();

        ns.ip("link", "del", ifname);

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> reader.get(2, TimeUnit.SECONDS));
        assertInstanceOf(TunClosedException.class, e.getCause());
        assertThrows(TunClosedException.class,
                () -> TunWrites.write(tun, new ByteBuffer[] {ipv4Packet()}, 1, 0));
    }

    @Test
    void closeFromAnotherThreadUnblocksReadAndDeletesTheInterface() throws Exception {
        tun = LinuxTun.create(ifname, 1420);
        Future<?> reader = startBlockedReader();

        tun.close();

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> reader.get(2, TimeUnit.SECONDS));
        assertInstanceOf(TunClosedException.class, e.getCause());
        tun.close(); // idempotent
        assertThrows(TunClosedException.class, () -> tun.read(
                new ByteBuffer[] {ByteBuffer.allocateDirect(2048)}, new int[1], 0));
        assertThrows(TunClosedException.class,
                () -> TunWrites.write(tun, new ByteBuffer[] {ipv4Packet()}, 1, 0));
        assertFalse(Netns.run("ip", "link", "show", ifname).ok(), "interface still exists");
    }

    @Test
    void kernelAssignsTheNameForAPattern() throws Exception {
        String pattern = ifname.substring(0, 10) + "%d";
        tun = LinuxTun.create(pattern, 1420);

        assertTrue(tun.name().matches(ifname.substring(0, 10) + "\\d+"), tun.name());
        assertTrue(Netns.run("ip", "link", "show", tun.name()).ok());
    }

    @Test
    void creatingANameThatIsAlreadyOpenFailsWithBusy() throws Exception {
        tun = LinuxTun.create(ifname, 1420);

        IOException e = assertThrows(IOException.class, () -> LinuxTun.create(ifname, 1420));
        assertTrue(e.getMessage().contains("Device or resource busy"), e.getMessage());
        assertTrue(e.getMessage().contains("already open"), e.getMessage());
        assertTrue(Netns.run("ip", "link", "show", ifname).ok(), "the first one must survive");
    }

    @Test
    void creatingANameTakenByANonTunInterfaceFailsClearly() throws Exception {
        // A veth pair (this kernel may lack the dummy driver); deleting one end deletes both.
        Netns.Result veth = Netns.run("ip", "link", "add", ifname, "type", "veth",
                "peer", "name", Netns.uniqueInterfaceName());
        assertTrue(veth.ok(), veth.output());

        IOException e = assertThrows(IOException.class, () -> LinuxTun.create(ifname, 1420));
        assertTrue(e.getMessage().contains("Device or resource busy"), e.getMessage());
        assertTrue(e.getMessage().contains("not a TUN device"), e.getMessage());
    }

    @Test
    void mtuFollowsTheKernelAfterTheCacheExpiresAndSurvivesANamespaceMove() throws Exception {
        AtomicLong nanos = new AtomicLong();
        tun = LinuxTun.create(ifname, 1420, false, nanos::get);
        assertEquals(1420, tun.mtu());
        assertEquals("1420", sysfs("mtu"));

        assertTrue(Netns.run("ip", "link", "set", ifname, "mtu", "1380").ok());
        assertEquals(1420, tun.mtu(), "cached for a second");
        nanos.addAndGet(LinuxTun.MTU_REFRESH_NANOS);
        assertEquals(1380, tun.mtu());

        moveIntoNamespace();
        ns.ip("link", "set", ifname, "mtu", "1300");
        nanos.addAndGet(LinuxTun.MTU_REFRESH_NANOS);
        assertEquals(1380, tun.mtu(), "the last known value, since our namespace cannot see it");
    }

    @Test
    void packetsRefusedByTheKernelAreCountedNotThrown() throws Exception {
        tun = LinuxTun.create(ifname, 1420);

        TunWrites.write(tun, new ByteBuffer[] {ipv4Packet()}, 1, 0); // the link is still down: EIO
        assertEquals(1, tun.droppedWrites());
        assertTrue(tun.lastWriteError().contains("Input/output error"), tun.lastWriteError());

        assertTrue(Netns.run("ip", "link", "set", ifname, "up").ok());
        ByteBuffer notIp = ByteBuffer.allocateDirect(40); // version nibble 0: EINVAL
        TunWrites.write(tun, new ByteBuffer[] {notIp, ByteBuffer.allocate(0)}, 2, 0);
        assertEquals(3, tun.droppedWrites());
        assertTrue(tun.lastWriteError().contains("Invalid argument"), tun.lastWriteError());
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Moves the TUN into a fresh namespace, gives it an IPv4 address, and answers echo requests. */
    private List<byte[]> upInNamespaceAnsweringPings(String address, boolean direct) {
        moveIntoNamespace();
        ns.ip("addr", "add", address, "dev", ifname);
        ns.ip("link", "set", ifname, "up");
        return startEchoResponder(direct);
    }

    private void moveIntoNamespace() {
        ns = Netns.create();
        Netns.Result r = Netns.run("ip", "link", "set", ifname, "netns", ns.name);
        assertTrue(r.ok(), r.output());
    }

    private String sysfs(String attribute) throws IOException {
        return Files.readString(Path.of("/sys/class/net", ifname, attribute)).trim();
    }

    private Future<?> startBlockedReader() throws InterruptedException {
        Future<?> reader = threads.submit(() -> {
            tun.read(new ByteBuffer[] {ByteBuffer.allocateDirect(2048)}, new int[1], OFFSET);
            return null;
        });
        assertThrows(TimeoutException.class, () -> reader.get(200, TimeUnit.MILLISECONDS),
                "read must block while there is nothing to read");
        return reader;
    }

    /**
     * Answers every echo request the TUN delivers until it is closed; returns the requests seen.
     * Packets sit at {@link #OFFSET} in buffers of the given kind.
     */
    private List<byte[]> startEchoResponder(boolean direct) {
        List<byte[]> requests = new CopyOnWriteArrayList<>();
        threads.execute(() -> {
            try {
                answerEchoRequests(direct, requests);
            } catch (TunClosedException expected) {
                // the test is over
            } catch (Throwable t) {
                responderFailure = "\nthe echo responder failed: " + t;
            }
        });
        return requests;
    }

    private void answerEchoRequests(boolean direct, List<byte[]> requests) throws IOException {
        ByteBuffer in = direct ? ByteBuffer.allocateDirect(OFFSET + 2048)
                : ByteBuffer.allocate(OFFSET + 2048);
        ByteBuffer out = direct ? ByteBuffer.allocateDirect(OFFSET + 2048)
                : ByteBuffer.allocate(OFFSET + 2048);
        in.limit(OFFSET); // read fills up to the capacity, whatever the limit says
        ByteBuffer inView = in.duplicate().clear();
        ByteBuffer[] inBufs = {in};
        ByteBuffer[] outBufs = {out};
        int[] sizes = new int[1];
        while (true) {
            assertEquals(1, tun.read(inBufs, sizes, OFFSET));
            byte[] packet = new byte[sizes[0]];
            inView.get(OFFSET, packet);
            byte[] reply = Ping.reply(packet);
            if (reply == null) {
                continue; // router solicitations, MLD reports...
            }
            requests.add(packet);
            out.clear().put(OFFSET, reply).limit(OFFSET + reply.length);
            TunWrites.write(tun, outBufs, 1, OFFSET);
        }
    }

    /** A minimal valid IPv4 packet (an echo request). */
    private static ByteBuffer ipv4Packet() throws IOException {
        byte[] p = Ping.echoRequest(InetAddress.getByName("10.77.0.2"),
                InetAddress.getByName("10.77.0.1"), 1, 1, new byte[8]);
        ByteBuffer b = ByteBuffer.allocateDirect(p.length).put(p).flip();
        assertNotNull(Ping.parse(p));
        return b;
    }
}
