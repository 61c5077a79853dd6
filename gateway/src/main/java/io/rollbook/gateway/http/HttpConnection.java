package io.rollbook.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.rollbook.gateway.core.AddressLimit;
import io.rollbook.gateway.core.AddressRequests;
import io.rollbook.gateway.core.SendingSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection, at the end of its pipeline: hands requests to the loop's {@link RestApi} and writes the
 * answers in the order the requests came (HTTP/1.1 pipelining), each as soon as it and every earlier one is ready;
 * after a WebSocket upgrade it carries a {@link WsSession}. A client that pipelines requests without reading the
 * answers is not read from while {@value #MAX_PIPELINED} answers are outstanding or its unsent bytes are past the
 * connection's bound, and one that gets more than the codec's pipeline depth decoded in one read is closed, so it
 * cannot make the server hold more than that for it. Undecodable input is answered and ends the connection as a
 * client error; a client that shuts its sending side down gets the answers it is owed before the connection closes.
 *
 * <p>An answer that ends the connection (its request asked to close, could not be decoded, had a body refused as too
 * large with the body already coming, or timed out) ends it in stages (RFC 9112, "Tear-down"): from the moment it is
 * owed nothing more is handled, and what the client still sends is read and discarded (before the codec, by
 * {@link RequestStart}); once it is written the server shuts its sending side down, and closes when the client has
 * closed too, or at the latest {@code http.requestReadTimeoutMs} later, however long the client goes on sending.
 * Closing at once with unread input would make the kernel reset the connection, and a reset can destroy the answer
 * before the client reads it: a client still uploading a body past {@code http.maxBodyBytes} would see "connection
 * reset" instead of its 413. Over TLS the sending side ends with a {@code close_notify} before the TCP half-close
 * ({@link SendingSide}).
 *
 * <p>Two clocks bound what a plain HTTP client can hold, checked by its loop's timer: a request must arrive whole
 * within {@code http.requestReadTimeoutMs} of its first byte (the time the server itself does not read, because
 * answers are outstanding, does not count), or it is answered {@code 408 REQUEST_TIMEOUT} in its place in the answer
 * order, and ends the connection in stages as above; a connection with no request arriving and no answer owed for
 * {@code http.idleTimeoutMs} (since accept, or since its last answer was written) is closed without a word, and so
 * is one whose client does not read the answer that was to end it.
 * A request waiting for its command's release is under {@code http.requestTimeoutMs} only. A WebSocket leaves both
 * clocks at its handshake: its heartbeat keeps it.
 *
 * <p>Owned by its event loop; every method runs there.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    static final int MAX_PIPELINED = 64;
    /**
     * Signatures that may fail verification on one connection (requests and WebSocket {@code auth} together); the
     * last ends it. Each costs a verification on the event loop every session shares, and a client that signs
     * correctly never sends this many: together with the per-address connection rate, this bounds what a client
     * sending forged or garbled signatures makes the loop spend.
     */
    static final int MAX_BAD_SIGNATURES = 8;
    /** What the answer to the last of them adds to its message. */
    static final String LAST_BAD_SIGNATURE = "; it is this connection's " + MAX_BAD_SIGNATURES +
        "th, and the connection ends";

    private final HttpLoop loop;
    /** The request rate of the client's address, shared with its other connections; null if there is none. */
    private final AddressRequests requests;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private final ChannelFutureListener lingerOnceWritten = this::linger;
    private ChannelHandlerContext ctx;
    private WsSession webSocket;
    private boolean closed;
    /** The client shut down its sending side: the answers still owed are written, then the connection closes. */
    private boolean inputShutdown;
    /** A request's first byte came and its last part has not been decoded yet. */
    private boolean readingRequest;
    private long readStartNs;
    /** When the connection last had no request arriving and no answer owed (accept, or its last answer). */
    private long idleSinceNs;
    /** An answer that ends the connection is owed: nothing more is handled, and what else comes is discarded. */
    private boolean ending;
    /**
     * The last answer is written and the sending side shut down: waiting for the client to close, a read timeout at
     * most.
     */
    private boolean lingering;
    private long lingerSinceNs;
    private int badSignatures;
    /** The connection's place in its loop's list of timed connections, -1 when it is not in it. */
    int timedIndex = -1;

    /**
     * One request's place in the connection's answer order.
     */
    static final class Slot
    {
        boolean keepAlive;
        final boolean head;
        FullHttpResponse response;

        Slot(final boolean keepAlive, final boolean head)
        {
            this.keepAlive = keepAlive;
            this.head = head;
        }
    }

    HttpConnection(final HttpLoop loop, final AddressRequests requests)
    {
        this.loop = loop;
        this.requests = requests;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        idleSinceNs = System.nanoTime();
        loop.timeConnection(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (ending)
            {
                return;
            }
            if (msg instanceof FullHttpRequest)
            {
                onRequest((FullHttpRequest)msg);
            }
            else if (msg instanceof WebSocketFrame && webSocket != null)
            {
                webSocket.onFrame((WebSocketFrame)msg);
            }
        }
        finally
        {
            io.netty.util.ReferenceCountUtil.release(msg);
            loop.api().wakeSequencer();
        }
    }

    /**
     * A WebSocket ping of the client; one that comes before the handshake completes has no session to answer it
     * yet and is dropped, as RFC 6455 lets a ping go unanswered when another follows.
     */
    void onClientPing(final PingWebSocketFrame ping)
    {
        if (!ending && webSocket != null)
        {
            webSocket.onPing(ping);
        }
    }

    private void onRequest(final FullHttpRequest request)
    {
        final DecoderResult decoded = request.decoderResult();
        // The codec reads nothing more of a connection once a request fails to decode: the answer ends it.
        final Slot slot = addSlot(decoded.isSuccess() && HttpUtil.isKeepAlive(request),
            request.method().equals(io.netty.handler.codec.http.HttpMethod.HEAD));
        if (!decoded.isSuccess())
        {
            final boolean tooLong = decoded.cause() instanceof TooLongFrameException;
            respondError(slot, new ApiException(tooLong ? 431 : 400, "MALFORMED_HTTP",
                "the request is not valid HTTP/1.1: " + decoded.cause().getMessage()));
            return;
        }
        final String hostProblem = HostHeader.problem(request);
        if (hostProblem != null)
        {
            respondError(slot, ApiException.badRequest(HostHeader.CODE, hostProblem));
            return;
        }
        final ApiException overRate = overAddressRate();
        if (overRate != null)
        {
            respondError(slot, overRate);
            return;
        }
        try
        {
            loop.api().handle(this, slot, request);
        }
        catch (final ApiException ex)
        {
            respondError(slot, ex);
        }
        catch (final RuntimeException ex)
        {
            loop.unexpectedError();
            LOG.warn("unexpected error answering {} {}", request.method(), request.uri(), ex);
            respondError(slot, new ApiException(500, "INTERNAL_ERROR", "the server failed to answer: " + ex));
        }
    }

    /**
     * Counts a request or WebSocket message of this connection against its client address's request rate, before
     * anything of it is done.
     *
     * @return null if it may be handled, or the error it is answered with instead
     */
    ApiException overAddressRate()
    {
        if (requests == null || requests.tryAcquire())
        {
            return null;
        }
        loop.refusedOverAddressRate();
        final AddressLimit.Context limits = loop.gateway().context().addressLimits();
        final long retryAfterSeconds = requests.retryAfterSeconds();
        return new ApiException(429, "REQUEST_RATE_EXCEEDED", "this client address sends requests faster than it " +
            "may over all its connections (after a burst of http.requestBurstPerAddress, " +
            limits.requestBurstPerAddress() + ", one every " + limits.requestIntervalNsPerAddress() / 1_000 +
            " us: http.requestsPerSecondPerAddress); nothing was done, retry in " + retryAfterSeconds + " s",
            retryAfterSeconds, null);
    }

    private Slot addSlot(final boolean keepAlive, final boolean head)
    {
        final Slot slot = new Slot(keepAlive, head);
        slots.addLast(slot);
        if (!keepAlive)
        {
            endAfterLastAnswer();
        }
        else if (slots.size() >= MAX_PIPELINED)
        {
            ctx.channel().config().setAutoRead(false);
        }
        return slot;
    }

    /**
     * The answer just owed is the connection's last: no request after it is handled, and no part of one is timed.
     */
    private void endAfterLastAnswer()
    {
        ending = true;
        readingRequest = false;
        // Whatever the answers before the last one wait for, the input is read and discarded (RequestStart), so that
        // closing finds none unread.
        ctx.channel().config().setAutoRead(true);
    }

    /**
     * Answers a request that never reaches the API (its body is past {@code http.maxBodyBytes}) with a JSON error,
     * in its place in the answer order; unless keep-alive, the answer ends the connection.
     */
    void refuse(final boolean keepAlive, final ApiException error)
    {
        if (!ending)
        {
            respondError(addSlot(keepAlive, false), error);
        }
    }

    /**
     * Counts a signature of this connection that failed verification.
     *
     * @return true if it is the connection's {@link #MAX_BAD_SIGNATURES}th: the caller ends the connection with its
     *     answer
     */
    boolean signatureFailed()
    {
        return ++badSignatures >= MAX_BAD_SIGNATURES;
    }

    /**
     * Makes the answer owed in the slot, the request being handled, the connection's last.
     */
    void endWith(final Slot slot)
    {
        slot.keepAlive = false;
        endAfterLastAnswer();
    }

    /**
     * @return true while a request's answer is owed and not yet written
     */
    boolean owesAnswers()
    {
        return !slots.isEmpty();
    }

    boolean isReadingRequest()
    {
        return readingRequest;
    }

    /**
     * The first byte of a request arrived.
     */
    void onRequestStarted()
    {
        readingRequest = true;
        readStartNs = System.nanoTime();
    }

    /**
     * The last part of a request was decoded.
     */
    void onRequestRead()
    {
        readingRequest = false;
        idleSinceNs = System.nanoTime();
    }

    /**
     * @return false once an answer that ends the connection is owed (a 408 included): a request decoded after that
     *         is dropped unanswered, so that nothing the client sent after its last answer, or was told was not done,
     *         gets done, and the bytes that still come are discarded before the codec
     */
    boolean takesRequests()
    {
        return !ending;
    }

    /**
     * A WebSocket handshake is on its way to Netty's handler, which bounds the rest of the handshake; from here on the
     * heartbeat keeps the connection.
     */
    void onUpgrading()
    {
        readingRequest = false;
        loop.untimeConnection(this);
        ctx.pipeline().remove(RequestStart.class);
    }

    /**
     * The loop's timer: answers a request that is too slow to arrive 408, closes a connection idle for too long.
     */
    void onTimer(final long nowNs, final long readTimeoutNs, final long idleTimeoutNs)
    {
        if (lingering)
        {
            if (nowNs - lingerSinceNs >= readTimeoutNs)
            {
                loop.untimeConnection(this);
                ctx.channel().close();
            }
        }
        else if (readingRequest && !closed)
        {
            // While the server holds reading back because it owes many answers, the rest of the request cannot
            // arrive: the clock starts again when reading does (updateAutoRead).
            final boolean heldBack = !ctx.channel().config().isAutoRead() && ctx.channel().isWritable();
            if (nowNs - readStartNs >= readTimeoutNs && !heldBack)
            {
                onReadTimeout();
            }
        }
        else if (slots.isEmpty() && nowNs - idleSinceNs >= idleTimeoutNs)
        {
            // Also ends a connection whose client never reads the answer that was to close it.
            loop.untimeConnection(this);
            loop.idleTimedOut();
            closed = true;
            ctx.channel().close();
        }
    }

    private void onReadTimeout()
    {
        loop.readTimedOut();
        respondError(addSlot(false, false), new ApiException(408, "REQUEST_TIMEOUT", "the request did not " +
            "arrive whole within " + loop.gateway().context().requestReadTimeoutMs() + " ms of its first byte " +
            "(http.requestReadTimeoutMs); nothing was done"));
    }

    /**
     * Ends the WebSocket with a close frame that says why (its session's {@link WsSession#close}), in stages as after
     * an HTTP answer that ends the connection: nothing is sent after the frame, what the client still sends is read and
     * discarded ahead of the frame decoder, and once the frame is written the server's sending side shuts down and the
     * connection closes when the client's does, or a read timeout later. Closing at once would reset a connection
     * whose client is still sending (the rest of a message too large, requests after a refused signature), and the
     * client would see "connection reset" instead of the reason. A connection whose outbound buffer is full cannot
     * pass the frame: it closes at once.
     */
    void endWebSocket(final int code, final String reason)
    {
        if (ending)
        {
            return;
        }
        ending = true;
        if (!ctx.channel().isWritable())
        {
            ctx.close();
            return;
        }
        final ChannelHandlerContext decoder = ctx.pipeline().context(WebSocketFrameDecoder.class);
        ctx.pipeline().addBefore(decoder.name(), "ended", new RequestStart(this));
        ctx.channel().config().setAutoRead(true);
        idleSinceNs = System.nanoTime();
        loop.timeConnection(this);
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(lingerOnceWritten);
    }

    /**
     * The client's WebSocket input broke the protocol or the message bound: its session ends with the close code.
     */
    void refuseWebSocketInput(final int code, final String reason)
    {
        if (webSocket != null)
        {
            webSocket.close(code, reason);
        }
    }

    /**
     * @return the reason a message past {@code http.maxWebSocketFrameBytes} is refused with
     */
    String messageTooBig()
    {
        return "a message may hold at most " + loop.gateway().context().maxWebSocketFrameBytes() + " bytes";
    }

    /**
     * The connection's last answer is written: the server's side shuts down and the connection waits for the
     * client's, which the timer bounds.
     */
    private void linger(final ChannelFuture written)
    {
        if (!written.isSuccess() || inputShutdown)
        {
            ctx.channel().close();
            return;
        }
        if (!ctx.channel().isActive())
        {
            return;
        }
        lingering = true;
        lingerSinceNs = System.nanoTime();
        SendingSide.shutDown(ctx.channel());
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete)
        {
            webSocket = new WsSession(loop, this);
            loop.onWebSocketOpened(webSocket);
        }
        else if (event instanceof ChannelInputShutdownEvent)
        {
            // A client may send its last request and shut its side down: it still gets every answer owed to it.
            inputShutdown = true;
            if (lingering)
            {
                ctx.channel().close();
            }
            closeIfAnswered();
        }
        ctx.fireUserEventTriggered(event);
    }

    private void closeIfAnswered()
    {
        if (inputShutdown && !closed && (webSocket != null || slots.isEmpty()))
        {
            closed = true;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        closed = true;
        slots.clear();
        loop.untimeConnection(this);
        if (webSocket != null)
        {
            loop.onWebSocketClosed(webSocket);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (webSocket != null && cause instanceof TooLongFrameException)
        {
            // A message of several frames that together pass the bound: the client learns why, as for one frame.
            refuseWebSocketInput(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), messageTooBig());
            return;
        }
        // A client that closes in the middle of a request body is the client's doing, as is undecodable input.
        if (!(cause instanceof java.io.IOException) && !(cause instanceof io.netty.handler.codec.DecoderException) &&
            !(cause instanceof PrematureChannelClosureException))
        {
            loop.unexpectedError();
            LOG.warn("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (webSocket != null)
        {
            webSocket.onWritabilityChanged();
        }
        else
        {
            updateAutoRead();
        }
        ctx.fireChannelWritabilityChanged();
    }

    boolean isOpen()
    {
        return !closed && ctx.channel().isActive();
    }

    ChannelHandlerContext context()
    {
        return ctx;
    }

    void respondJson(final Slot slot, final int status, final CharSequence json)
    {
        respond(slot, status, "application/json", ByteBufUtil.writeUtf8(ctx.alloc(), json), 0, null);
    }

    void respondError(final Slot slot, final ApiException error)
    {
        respond(slot, error.status(), "application/json",
            ByteBufUtil.writeUtf8(ctx.alloc(), Json.error(error.code(), error.getMessage())), error.retryAfterSeconds(),
            error.allow());
    }

    void respondBytes(final Slot slot, final String contentType, final byte[] body)
    {
        respond(slot, 200, contentType, Unpooled.wrappedBuffer(body), 0, null);
    }

    void respondText(final Slot slot, final String contentType, final CharSequence body)
    {
        respond(slot, 200, contentType, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), 0, null);
    }

    private void respond(
        final Slot slot,
        final int status,
        final String contentType,
        final ByteBuf body,
        final long retryAfterSeconds,
        final String allow)
    {
        if (closed || slot.response != null)
        {
            body.release();
            return;
        }
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status), slot.head ? Unpooled.EMPTY_BUFFER : body);
        response.headers()
            .set(HttpHeaderNames.CONTENT_TYPE, contentType)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
            .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (slot.head)
        {
            body.release();
        }
        if (retryAfterSeconds > 0)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        if (allow != null)
        {
            response.headers().set(HttpHeaderNames.ALLOW, allow);
        }
        if (!slot.keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        slot.response = response;
        boolean wrote = false;
        while (!slots.isEmpty() && slots.peekFirst().response != null)
        {
            final Slot ready = slots.pollFirst();
            if (ready.keepAlive)
            {
                ctx.write(ready.response);
            }
            else
            {
                ctx.writeAndFlush(ready.response).addListener(lingerOnceWritten);
                closed = true;
                slots.clear();
                idleSinceNs = System.nanoTime();
                return;
            }
            wrote = true;
        }
        if (wrote)
        {
            if (slots.isEmpty())
            {
                idleSinceNs = System.nanoTime();
            }
            ctx.flush();
            updateAutoRead();
        }
        closeIfAnswered();
    }

    private void updateAutoRead()
    {
        final boolean read = ending || ctx.channel().isWritable() && slots.size() < MAX_PIPELINED / 2;
        if (read != ctx.channel().config().isAutoRead() && (read || slots.size() >= MAX_PIPELINED ||
            !ctx.channel().isWritable()))
        {
            if (read && readingRequest)
            {
                // The rest of the request could not arrive while the server did not read.
                readStartNs = System.nanoTime();
            }
            ctx.channel().config().setAutoRead(read);
        }
    }
}
