package dev.gust.webserver.auth;

import dev.gust.core.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies whose forwarding headers are believed ({@code webserver.trusted_proxies}, CIDRs).
 * {@code X-Forwarded-For} is written by whoever sends the request, so only the entries appended by
 * our own proxies mean anything: the client is the right-most entry that is not itself one of
 * them. With no proxies configured nothing is believed and the client is the connection's peer.
 */
final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses CIDRs ({@code 10.0.0.0/16}, {@code 127.0.0.1}, {@code fd00::/8}); a bad one fails the start with one line. */
    static TrustedProxies of(List<String> cidrs) {
        List<Block> blocks = new ArrayList<>();
        for (String cidr : cidrs) {
            String[] parts = cidr.strip().split("/", 2);
            InetAddress network = literal(parts[0])
                    .orElseThrow(() -> new ConfigException("webserver.trusted_proxies: '" + cidr
                            + "' is not an IP address or CIDR block like 10.0.0.0/16"));
            int bits = network.getAddress().length * 8;
            int prefix;
            try {
                prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new ConfigException(
                        "webserver.trusted_proxies: '" + cidr + "' needs a prefix length from 0 to " + bits);
            }
            blocks.add(new Block(network.getAddress(), prefix));
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    /** Whether the address (an IP literal) is one of the trusted proxies. */
    boolean trusts(String address) {
        if (blocks.isEmpty()) {
            return false; // the default: no parsing on every request
        }
        return literal(address)
                .map(a -> blocks.stream().anyMatch(b -> b.contains(a.getAddress())))
                .orElse(false);
    }

    /**
     * The client's address: the peer when it is not a trusted proxy, else the right-most
     * {@code X-Forwarded-For} entry that is not a trusted proxy (the peer again when there is
     * none, or when that entry is not an IP address).
     */
    String client(String peer, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !trusts(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!trusts(hop)) {
                return literal(hop).isPresent() ? hop : peer;
            }
        }
        return hops[0].strip();
    }

    /** An IP literal, never a host name (no DNS lookup is ever made). */
    static Optional<InetAddress> literal(String text) {
        String address = text == null ? "" : text.strip();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
