package dev.herald.local;

import dev.herald.web.Problem;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A request line or headers longer than the server reads are answered 414 (URI too long) and 431
 * (header fields too large) as problems saying which limit, instead of the framework's 413, which
 * speaks of a body. Netty marks such a request as failed to decode; this handler sits right after
 * the HTTP codec and answers it before it reaches the router, then closes the connection.
 */
@Singleton
class RequestHeadLimits implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private final NettyHttpServerConfiguration server;
    private final JsonMapper json;

    RequestHeadLimits(NettyHttpServerConfiguration server, JsonMapper json) {
        this.server = server;
        this.json = json;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private final class Customizer implements NettyServerCustomizer {
        private final Channel channel;

        Customizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel connection, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(connection) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
                channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, "herald-request-head-limits",
                        new Handler());
            }
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof HttpRequest request && request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                if (cause instanceof TooLongHttpLineException) {
                    ReferenceCountUtil.release(message);
                    answer(context, HttpResponseStatus.REQUEST_URI_TOO_LONG, Problem.of("uri-too-long", "URI too long", 414,
                            "The request line (method, path and query) is longer than " + server.getMaxInitialLineLength()
                                    + " bytes.", null));
                    return;
                }
                if (cause instanceof TooLongHttpHeaderException) {
                    ReferenceCountUtil.release(message);
                    answer(context, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, Problem.of("headers-too-large",
                            "Request header fields too large", 431, "The request's headers are larger than "
                                    + server.getMaxHeaderSize() + " bytes.", null));
                    return;
                }
            }
            context.fireChannelRead(message);
        }

        private void answer(ChannelHandlerContext context, HttpResponseStatus status, Problem problem) {
            byte[] body;
            try {
                body = json.writeValueAsBytes(problem);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
