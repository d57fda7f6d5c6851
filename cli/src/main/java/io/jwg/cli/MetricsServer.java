// SPDX-License-Identifier: MIT
package io.jwg.cli;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The smallest HTTP/1.1 server that Prometheus can scrape: {@code GET /metrics} (and HEAD) answers
 * with {@link MetricsText}, any other path 404, any other method 405; one request per connection
 * ({@code Connection: close}), headers limited to 8 KiB, and a connection that sends no complete
 * request within 10 s is closed.
 *
 * <p>The socket is bound with {@code IP_FREEBIND}: the address is usually one that wg-quick adds
 * to the interface only after the daemon has started, and the server must not depend on that
 * order. One event-loop thread, started only when metrics are asked for.
 */
final class MetricsServer implements AutoCloseable {
    static final String PATH = "/metrics";
    private static final int MAX_REQUEST_HEAD = 8192;
    private static final long REQUEST_TIMEOUT_SECONDS = 10;
    private static final java.util.regex.Pattern NATIVE_ERROR =
            java.util.regex.Pattern.compile("bind\\(\\.\\.\\) failed with error\\(-\\d+\\): (.*)");
    private static final Logger LOG = Logger.getLogger(MetricsServer.class.getName());

    private final EventLoopGroup group;
    private final Channel channel;

    private MetricsServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Serves {@code metrics} on {@code address}; the IOException says why it cannot. */
    static MetricsServer start(InetSocketAddress address, Supplier<String> metrics) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty's native epoll is not available: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("jwg-metrics", true),
                EpollIoHandler.newFactory());
        SocketProtocolFamily family = address.getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channelFactory(() -> new EpollServerSocketChannel(family))
                    .option(EpollChannelOption.IP_FREEBIND, true)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                        @Override
                        protected void initChannel(EpollSocketChannel ch) {
                            ch.pipeline().addLast(new Exchange(metrics));
                        }
                    });
            var bound = b.bind(address).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw bindFailure(bound.cause());
            }
            return new MetricsServer(group, bound.channel());
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Netty's "bind(..) failed with error(-98): Address already in use" as a BindException saying the reason. */
    private static IOException bindFailure(Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        java.util.regex.Matcher native_ = NATIVE_ERROR.matcher(m);
        if (native_.matches()) {
            BindException e = new BindException(native_.group(1));
            e.initCause(cause);
            return e;
        }
        return cause instanceof IOException io ? io : new IOException(m, cause);
    }

    /** The address actually bound (the port is the one asked for). */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /** One connection: collects the request head, answers once, closes. */
    private static final class Exchange extends ChannelInboundHandlerAdapter {
        private final Supplier<String> metrics;
        private final StringBuilder head = new StringBuilder(256);
        private ScheduledFuture<?> timeout;
        private boolean answered;

        Exchange(Supplier<String> metrics) {
            this.metrics = metrics;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timeout = ctx.executor().schedule(() -> {
                ctx.close();
            }, REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (answered) {
                    return;
                }
                head.append(in.toString(StandardCharsets.ISO_8859_1));
            } finally {
                in.release();
            }
            int end = head.indexOf("\r\n\r\n");
            if (end < 0) {
                end = head.indexOf("\n\n");
            }
            if (end >= 0) {
                answer(ctx, head.substring(0, end));
            } else if (head.length() > MAX_REQUEST_HEAD) {
                respond(ctx, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8",
                        "request header too large\n", true);
            }
        }

        private void answer(ChannelHandlerContext ctx, String requestHead) {
            int eol = requestHead.indexOf('\n');
            String line = (eol < 0 ? requestHead : requestHead.substring(0, eol)).strip();
            String[] parts = line.split(" ");
            if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
                respond(ctx, 400, "Bad Request", "text/plain; charset=utf-8", "bad request\n", true);
                return;
            }
            String method = parts[0];
            boolean headOnly = method.equals("HEAD");
            if (!method.equals("GET") && !headOnly) {
                respond(ctx, 405, "Method Not Allowed", "text/plain; charset=utf-8", "only GET and HEAD\n", true);
                return;
            }
            String target = parts[1];
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            if (!path.equals(PATH)) {
                respond(ctx, 404, "Not Found", "text/plain; charset=utf-8",
                        "not found: metrics are at " + PATH + "\n", !headOnly);
                return;
            }
            String body;
            try {
                body = metrics.get();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rendering metrics failed", e);
                respond(ctx, 500, "Internal Server Error", "text/plain; charset=utf-8", "internal error\n", !headOnly);
                return;
            }
            respond(ctx, 200, "OK", MetricsText.CONTENT_TYPE, body, !headOnly);
        }

        private void respond(ChannelHandlerContext ctx, int status, String reason, String contentType, String body,
                boolean withBody) {
            answered = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String headers = String.format(Locale.ROOT, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                    + (status == 405 ? "Allow: GET, HEAD\r\n" : "") + "Connection: close\r\n\r\n",
                    status, reason, contentType, content.length);
            ByteBuf out = Unpooled.buffer(headers.length() + (withBody ? content.length : 0));
            out.writeBytes(headers.getBytes(StandardCharsets.ISO_8859_1));
            if (withBody) {
                out.writeBytes(content);
            }
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.FINE, "metrics connection failed", cause);
            ctx.close();
        }
    }
}
