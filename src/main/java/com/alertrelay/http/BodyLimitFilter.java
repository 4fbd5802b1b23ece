package com.alertrelay.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code relay.http.max-body-size} on every endpoint except the webhook (whose own, larger limit
 * {@code relay.webhook.max-body-size} is enforced by the webhook while it parses, after its credentials are
 * checked). A declared {@code Content-Length} over the limit is answered 413 here, before anything reads the
 * body; a body without one (chunked) is counted while it is read and the read fails once it passes the limit,
 * which the exception handlers answer with the same 413 ({@link Problems#tooLarge}) — or this filter, when the
 * body was read outside any handler method.
 *
 * <p>It runs before the credentials are checked, so an oversized declared body is 413 even without them; it
 * is not read either way.
 */
@Component
@EnableConfigurationProperties(HttpProperties.class)
public class BodyLimitFilter extends OncePerRequestFilter implements Ordered {

    /** After Spring's request observation (a 413 is counted in {@code http_server_requests}), before form parsing. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private final long limit;

    BodyLimitFilter(HttpProperties properties) {
        this.limit = properties.maxBodySize().toBytes();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isWebhook(request)) {
            chain.doFilter(request, response);
            return;
        }
        if (request.getContentLengthLong() > limit) {
            tooLarge(new BodyTooLargeException(limit, HttpProperties.MAX_BODY_SIZE), request, response);
            return;
        }
        try {
            chain.doFilter(new LimitedRequest(request, limit), response);
        } catch (IOException | ServletException e) {
            // read by something that is no handler method (Spring's FormContentFilter for a PUT form, say), so no
            // exception handler answered: answer here instead of letting it become a 500
            BodyTooLargeException tooLarge = cause(e);
            if (tooLarge == null || response.isCommitted()) {
                throw e;
            }
            response.reset();
            tooLarge(tooLarge, request, response);
        }
    }

    private static void tooLarge(BodyTooLargeException tooLarge, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(
                Problems.toJson(Problems.tooLarge(tooLarge, request.getRequestURI()))));
    }

    private static BodyTooLargeException cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    /**
     * The webhook's paths, by the path the container dispatches ({@code /webhook/../api/chaos} is not the
     * webhook) as well as the one Spring MVC maps: a request is exempt only when both say webhook.
     */
    static boolean isWebhook(HttpServletRequest request) {
        String mapped = PATHS.getPathWithinApplication(request);
        String dispatched = request.getServletPath() + Objects.toString(request.getPathInfo(), "");
        return webhookPath(mapped) && (dispatched.isEmpty() || webhookPath(dispatched));
    }

    private static boolean webhookPath(String path) {
        return path.equals("/webhook") || path.startsWith("/webhook/");
    }

    /** The request with a body stream that fails with {@link BodyTooLargeException} past the limit. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream body;
        private BufferedReader reader;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (reader != null) {
                throw new IllegalStateException("getReader() has already been called for this request");
            }
            if (body == null) {
                body = new LimitedInputStream(super.getInputStream(), limit);
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                if (body != null) {
                    throw new IllegalStateException("getInputStream() has already been called for this request");
                }
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(
                        new LimitedInputStream(super.getInputStream(), limit), charset));
            }
            return reader;
        }
    }

    /** The servlet's body stream, counted ({@link CountingInputStream}). */
    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream in;
        private final CountingInputStream counted;

        LimitedInputStream(ServletInputStream in, long limit) {
            this.in = in;
            this.counted = new CountingInputStream(in, limit,
                    max -> new BodyTooLargeException(max, HttpProperties.MAX_BODY_SIZE));
        }

        @Override
        public int read() throws IOException {
            return counted.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return counted.read(buffer, offset, length);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
