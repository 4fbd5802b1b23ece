package com.alertrelay.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import com.alertrelay.http.CountingInputStream;

/**
 * Enforces {@code relay.webhook.max-body-size} on webhook bodies before and while they are parsed: a
 * declared Content-Length over the limit is refused without reading; a chunked body is cut off as soon as
 * it passes the limit. Either way the client gets 413, never a half-parsed notification.
 */
@ControllerAdvice(assignableTypes = WebhookController.class)
class WebhookBodyLimit extends RequestBodyAdviceAdapter {

    private final long limit;

    WebhookBodyLimit(WebhookProperties properties) {
        this.limit = properties.maxBodySize().toBytes();
    }

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        if (message.getHeaders().getContentLength() > limit) {
            throw new PayloadTooLargeException(limit);
        }
        InputStream limited = new CountingInputStream(message.getBody(), limit, PayloadTooLargeException::new);
        HttpHeaders headers = message.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return limited;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }
}
