// SPDX-License-Identifier: MIT
package io.jwg.cli;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP endpoint Prometheus scrapes, on Netty's HTTP/1.1 codec: {@code GET /metrics} (and
 * HEAD) answers with {@link MetricsText}, any other path 404, any other method 405; one request
 * per connection ({@code Connection: close}), request line and headers limited to 8 KiB, and a
 * connection that sends no complete request within 10 s is closed.
 *
 * <p>The socket is bound with {@code IP_FREEBIND}: the address is usually one that wg-quick adds
 * to the interface only after the daemon has started, and the server must not depend on that
 * order. One event-loop thread, started only when metrics are asked for.
 */
final class MetricsServer implements AutoCloseable {
    static final String PATH = "/metrics";
    private static final int MAX_REQUEST_HEAD = 8192;
    private static final int REQUEST_TIMEOUT_SECONDS = 10;
    private static final Pattern NATIVE_ERROR = Pattern.compile("bind\\(\\.\\.\\) failed with error\\(-\\d+\\): (.*)");
    private static final Logger LOG = Logger.getLogger(MetricsServer.class.getName());
    private static final String TEXT = "text/plain; charset=utf-8";

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
                            ch.pipeline().addLast(
                                    new ReadTimeoutHandler(REQUEST_TIMEOUT_SECONDS),
                                    new HttpServerCodec(MAX_REQUEST_HEAD, MAX_REQUEST_HEAD, 8192),
                                    new Exchange(metrics));
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
        Matcher nativeError = NATIVE_ERROR.matcher(m);
        if (nativeError.matches()) {
            BindException e = new BindException(nativeError.group(1));
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

    /** One connection: answers its first request, then closes. */
    private static final class Exchange extends SimpleChannelInboundHandler<HttpObject> {
        private final Supplier<String> metrics;
        private boolean answered;

        Exchange(Supplier<String> metrics) {
            this.metrics = metrics;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (answered || !(msg instanceof HttpRequest request)) {
                return; // the body of a request (ignored) or anything after the one answer
            }
            answered = true;
            if (request.decoderResult().isFailure()) {
                boolean tooLong = request.decoderResult().cause() instanceof TooLongFrameException;
                respond(ctx, tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : HttpResponseStatus.BAD_REQUEST, TEXT, tooLong ? "request header too large\n"
                        : "bad request\n", true);
                return;
            }
            HttpMethod method = request.method();
            boolean headOnly = method.equals(HttpMethod.HEAD);
            if (!method.equals(HttpMethod.GET) && !headOnly) {
                respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "only GET and HEAD\n", true);
                return;
            }
            if (!new QueryStringDecoder(request.uri()).path().equals(PATH)) {
                respond(ctx, HttpResponseStatus.NOT_FOUND, TEXT, "not found: metrics are at " + PATH + "\n", !headOnly);
                return;
            }
            String body;
            try {
                body = metrics.get();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "rendering metrics failed", e);
                respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "internal error\n", !headOnly);
                return;
            }
            respond(ctx, HttpResponseStatus.OK, MetricsText.CONTENT_TYPE, body, !headOnly);
        }

        /** Sends the response and closes; a HEAD gets the GET's headers without the body. */
        private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String contentType,
                String body, boolean withBody) {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    withBody ? Unpooled.wrappedBuffer(content) : Unpooled.EMPTY_BUFFER);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, content.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            }
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.FINE, "metrics connection closed", cause);
            ctx.close();
        }
    }
}
