// SPDX-License-Identifier: MIT
package io.jwg.core;

import static io.jwg.core.AllowedIpsNode.bit;
import static io.jwg.core.AllowedIpsNode.commonBits;
import static io.jwg.core.AllowedIpsNode.high;
import static io.jwg.core.AllowedIpsNode.low;
import static io.jwg.core.AllowedIpsNode.maskHi;
import static io.jwg.core.AllowedIpsNode.maskLo;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.IdentityHashMap;
import java.util.Objects;

/**
 * Cryptokey routing (whitepaper section 2): maps IPv4 and IPv6 prefixes to the peer that may send
 * from them and receives traffic for them, answering with the longest matching prefix.
 *
 * <p>Like the Linux kernel's allowedips it is a path-compressed binary trie per address family:
 * every node carries a prefix, children extend it by at least one bit, and a node with no peer
 * exists only to join two subtrees that diverge at its length. Addresses are held as two longs
 * (IPv4 in the top 32 bits of the first) so lookups compare whole words and allocate nothing.
 *
 * <p>Thread-safety, the RCU idea: lookups take no lock and may run while another thread writes.
 * Writers serialize on a private lock. A node's prefix is final; its peer and children are
 * volatile. A writer builds any new node completely (children included) before a single volatile
 * store links it in, and unlinks a node with a single store that leaves the node's own links
 * intact, so a reader that is already inside it still walks a consistent subtree. A concurrent
 * lookup therefore answers from the table as it was either before or after each write, never from
 * a half-built node. Garbage collection plays the part of RCU's grace period.
 *
 * <p>Peers are compared by identity: {@code remove} deletes a prefix only if the very same peer
 * object owns it.
 *
 * @param <P> the peer type
 */
public final class AllowedIps<P> {
    private final Object writeLock = new Object();
    private volatile AllowedIpsNode<P> root4;
    private volatile AllowedIpsNode<P> root6;
    private volatile int size;
    /**
     * Each peer's prefixes in the order they were (last) assigned, as the kernel and wireguard-go
     * list them to {@code wg show}; re-assigning a prefix moves it to the end. Guarded by writeLock.
     */
    private final Map<P, LinkedHashSet<Prefix>> ordered = new IdentityHashMap<>();

    /**
     * Routes {@code addr/cidr} to {@code peer}. Host bits beyond {@code cidr} are ignored. If
     * another peer held exactly this prefix, it moves to {@code peer}, as the kernel does.
     *
     * @throws IllegalArgumentException if addr is not 4 or 16 bytes or cidr is out of range
     */
    public void insert(byte[] addr, int cidr, P peer) {
        Objects.requireNonNull(peer, "peer");
        boolean v6 = family(addr, cidr);
        long hi = high(addr) & maskHi(cidr);
        long lo = low(addr) & maskLo(cidr);
        synchronized (writeLock) {
            AllowedIpsNode<P> parent = null;
            AllowedIpsNode<P> node = root(v6);
            while (node != null && node.cidr <= cidr && node.covers(hi, lo)) {
                if (node.cidr == cidr) {
                    if (node.peer == null) {
                        size++;
                    }
                    Prefix prefix = node.toPrefix(v6);
                    forget(node.peer, prefix);
                    node.peer = peer;
                    remember(peer, prefix);
                    return;
                }
                parent = node;
                node = node.child(bit(hi, lo, node.cidr));
            }
            AllowedIpsNode<P> fresh = new AllowedIpsNode<>(hi, lo, cidr, peer);
            size++;
            remember(peer, fresh.toPrefix(v6));
            if (node == null) {
                link(v6, parent, fresh);
                return;
            }
            // node sits where the new prefix belongs but does not contain it: either the new prefix
            // contains node, or the two diverge and need a peerless node at their common length.
            int common = Math.min(Math.min(cidr, node.cidr), commonBits(hi, lo, node.hi, node.lo));
            if (common == cidr) {
                fresh.setChild(bit(node.hi, node.lo, cidr), node);
                link(v6, parent, fresh);
                return;
            }
            AllowedIpsNode<P> join = new AllowedIpsNode<>(hi & maskHi(common), lo & maskLo(common), common, null);
            join.setChild(bit(hi, lo, common), fresh);
            join.setChild(bit(node.hi, node.lo, common), node);
            link(v6, parent, join);
        }
    }

    /** {@link #insert(byte[], int, Object)} for a parsed prefix. */
    public void insert(Prefix prefix, P peer) {
        insert(prefix.bytes(), prefix.cidr(), peer);
    }

    /**
     * Removes exactly {@code addr/cidr} if {@code peer} owns it (a UAPI {@code allowed_ip=-PREFIX}).
     *
     * @return whether a route was removed
     * @throws IllegalArgumentException if addr is not 4 or 16 bytes or cidr is out of range
     */
    public boolean remove(byte[] addr, int cidr, P peer) {
        boolean v6 = family(addr, cidr);
        long hi = high(addr) & maskHi(cidr);
        long lo = low(addr) & maskLo(cidr);
        synchronized (writeLock) {
            return removeLocked(v6, hi, lo, cidr, peer);
        }
    }

    /** {@link #remove(byte[], int, Object)} for a parsed prefix. */
    public boolean remove(Prefix prefix, P peer) {
        return remove(prefix.bytes(), prefix.cidr(), peer);
    }

    /** Removes every route owned by {@code peer}. */
    public void removeByPeer(P peer) {
        synchronized (writeLock) {
            for (boolean v6 : new boolean[] {false, true}) {
                List<AllowedIpsNode<P>> owned = new ArrayList<>();
                collect(root(v6), peer, v6, null, owned);
                for (AllowedIpsNode<P> n : owned) {
                    removeLocked(v6, n.hi, n.lo, n.cidr, peer);
                }
            }
        }
    }

    /** The prefixes routed to {@code peer}, in the order they were assigned to it. */
    public List<Prefix> entriesForPeer(P peer) {
        synchronized (writeLock) {
            LinkedHashSet<Prefix> set = ordered.get(peer);
            return set == null ? List.of() : List.copyOf(set);
        }
    }

    private void remember(P peer, Prefix prefix) {
        ordered.computeIfAbsent(peer, k -> new LinkedHashSet<>()).add(prefix);
    }

    private void forget(P peer, Prefix prefix) {
        if (peer == null) {
            return;
        }
        LinkedHashSet<Prefix> set = ordered.get(peer);
        if (set != null && set.remove(prefix) && set.isEmpty()) {
            ordered.remove(peer);
        }
    }

    /** Number of prefixes routed to a peer. */
    public int size() {
        return size;
    }

    /** Drops every route; concurrent lookups see either the old table or an empty one. */
    public void clear() {
        synchronized (writeLock) {
            root4 = null;
            root6 = null;
            size = 0;
            ordered.clear();
        }
    }

    /** The peer for an IPv4 address (as a big-endian int), or null. Lock-free, no allocation. */
    public P lookupV4(int addr) {
        return find(root4, (long) addr << 32, 0L);
    }

    /** The peer for an IPv6 address given as its two big-endian halves, or null. Lock-free. */
    public P lookupV6(long hi, long lo) {
        return find(root6, hi, lo);
    }

    /**
     * The peer for the address at absolute index {@code addrOffset} of {@code packet} (its
     * position and limit are left alone), for IP {@code version} 4 or 6. Addresses are read in
     * network order whatever the buffer's byte order. Returns null for an unknown version or an
     * address that does not fit below the limit. Lock-free, no allocation.
     */
    public P lookup(ByteBuffer packet, int addrOffset, int version) {
        boolean swap = packet.order() == ByteOrder.LITTLE_ENDIAN;
        if (version == 4) {
            if (addrOffset < 0 || addrOffset > packet.limit() - 4) {
                return null;
            }
            int a = packet.getInt(addrOffset);
            return lookupV4(swap ? Integer.reverseBytes(a) : a);
        }
        if (version == 6) {
            if (addrOffset < 0 || addrOffset > packet.limit() - 16) {
                return null;
            }
            long hi = packet.getLong(addrOffset);
            long lo = packet.getLong(addrOffset + 8);
            return swap ? lookupV6(Long.reverseBytes(hi), Long.reverseBytes(lo)) : lookupV6(hi, lo);
        }
        return null;
    }

    private static <P> P find(AllowedIpsNode<P> node, long hi, long lo) {
        P best = null;
        while (node != null && node.covers(hi, lo)) {
            P p = node.peer;
            if (p != null) {
                best = p;
            }
            // A full-length node never has children, so the bit read past its end is harmless.
            node = node.child(bit(hi, lo, node.cidr));
        }
        return best;
    }

    private boolean removeLocked(boolean v6, long hi, long lo, int cidr, P peer) {
        AllowedIpsNode<P> grandparent = null;
        AllowedIpsNode<P> parent = null;
        AllowedIpsNode<P> node = root(v6);
        while (node != null && node.cidr < cidr && node.covers(hi, lo)) {
            grandparent = parent;
            parent = node;
            node = node.child(bit(hi, lo, node.cidr));
        }
        if (node == null || node.cidr != cidr || node.hi != hi || node.lo != lo || node.peer != peer
                || peer == null) {
            return false;
        }
        forget(peer, node.toPrefix(v6));
        node.peer = null;
        size--;
        AllowedIpsNode<P> zero = node.zero;
        AllowedIpsNode<P> one = node.one;
        if (zero != null && one != null) {
            return true; // still needed to join its two subtrees
        }
        AllowedIpsNode<P> only = zero != null ? zero : one;
        replace(v6, parent, node, only);
        if (only == null && parent != null && parent.peer == null) {
            // parent was a join node and now has one child: splice it out too.
            replace(v6, grandparent, parent, parent.zero != null ? parent.zero : parent.one);
        }
        return true;
    }

    /** Depth-first, zero side first, so results come out in address order. */
    private static <P> void collect(AllowedIpsNode<P> node, P peer, boolean v6, List<Prefix> prefixes,
            List<AllowedIpsNode<P>> nodes) {
        if (node == null) {
            return;
        }
        if (node.peer == peer) {
            if (prefixes != null) {
                prefixes.add(node.toPrefix(v6));
            }
            if (nodes != null) {
                nodes.add(node);
            }
        }
        collect(node.zero, peer, v6, prefixes, nodes);
        collect(node.one, peer, v6, prefixes, nodes);
    }

    private AllowedIpsNode<P> root(boolean v6) {
        return v6 ? root6 : root4;
    }

    /** Publishes child below parent (or as the root) in the slot its own bits select. */
    private void link(boolean v6, AllowedIpsNode<P> parent, AllowedIpsNode<P> child) {
        if (parent == null) {
            setRoot(v6, child);
        } else {
            parent.setChild(bit(child.hi, child.lo, parent.cidr), child);
        }
    }

    private void replace(boolean v6, AllowedIpsNode<P> parent, AllowedIpsNode<P> old, AllowedIpsNode<P> with) {
        if (parent == null) {
            setRoot(v6, with);
        } else if (parent.zero == old) {
            parent.zero = with;
        } else {
            parent.one = with;
        }
    }

    private void setRoot(boolean v6, AllowedIpsNode<P> node) {
        if (v6) {
            root6 = node;
        } else {
            root4 = node;
        }
    }

    /** Validates addr and cidr; returns whether the address is IPv6. */
    private static boolean family(byte[] addr, int cidr) {
        Objects.requireNonNull(addr, "addr");
        int bits = addr.length * 8;
        if (bits != 32 && bits != 128) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + addr.length);
        }
        if (cidr < 0 || cidr > bits) {
            throw new IllegalArgumentException("prefix length " + cidr + " is outside 0.." + bits);
        }
        return bits == 128;
    }

    /**
     * An IP prefix as configured in AllowedIPs: an address with its host bits cleared and a
     * length. IPv4-mapped IPv6 addresses stay IPv6 (they are never confused with IPv4).
     */
    public record Prefix(InetAddress address, int cidr) {
        /** Masks the host bits. */
        public Prefix {
            Objects.requireNonNull(address, "address");
            byte[] bytes = address.getAddress();
            family(bytes, cidr);
            long hi = high(bytes) & maskHi(cidr);
            long lo = low(bytes) & maskLo(cidr);
            ByteBuffer b = ByteBuffer.allocate(16).putLong(hi).putLong(lo);
            b.get(0, bytes);
            address = toInet(bytes);
        }

        /** The prefix {@code addr/cidr} from 4 or 16 raw bytes. */
        public static Prefix of(byte[] addr, int cidr) {
            family(addr, cidr);
            return new Prefix(toInet(addr.clone()), cidr);
        }

        /**
         * Parses "10.1.2.0/24", "fd00::/64" or a bare address (a host route: /32 or /128). Never
         * resolves names.
         *
         * @throws IllegalArgumentException naming what is wrong with the text
         */
        public static Prefix parse(String text) {
            Objects.requireNonNull(text, "text");
            String s = text.strip();
            int slash = s.indexOf('/');
            try {
                byte[] addr = IpLiterals.parse(slash < 0 ? s : s.substring(0, slash));
                int bits = addr.length * 8;
                int cidr = bits;
                if (slash >= 0) {
                    String len = s.substring(slash + 1);
                    if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        throw new IllegalArgumentException("prefix length \"" + len + "\" is not a number");
                    }
                    cidr = Integer.parseInt(len);
                    if (cidr > bits) {
                        throw new IllegalArgumentException("prefix length " + cidr + " is above " + bits);
                    }
                }
                return of(addr, cidr);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid IP prefix \"" + text + "\": " + e.getMessage(), e);
            }
        }

        /** The masked address as 4 or 16 bytes (a fresh copy). */
        public byte[] bytes() {
            return address.getAddress();
        }

        /** Whether this is an IPv4 prefix. */
        public boolean isV4() {
            return address instanceof Inet4Address;
        }

        @Override
        public String toString() {
            return IpLiterals.format(address.getAddress()) + "/" + cidr;
        }

        private static InetAddress toInet(byte[] bytes) {
            try {
                // Inet6Address.getByAddress keeps IPv4-mapped addresses as IPv6.
                return bytes.length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }
}
