package com.alertrelay.console;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.alertrelay.notify.ChannelAuthorization;
import com.alertrelay.notify.OperatorAccess;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The overview's Connect / Reconnect button of a KakaoTalk channel: starts the channel type's authorization (the
 * same as {@code GET /kakao/<channel>/authorize}) and sends the browser to Kakao's consent page. A POST with the
 * session's CSRF token, so no other site can make an operator's browser connect a channel to someone else's account.
 */
@Controller
class ChannelConnect {

    private final List<ChannelAuthorization> authorizations;
    private final OperatorAccess access;
    private final MessageSource messages;

    ChannelConnect(List<ChannelAuthorization> authorizations, OperatorAccess access, MessageSource messages) {
        this.authorizations = authorizations;
        this.access = access;
        this.messages = messages;
    }

    @PostMapping("/console/channels/{name}/kakao/connect")
    String connect(@PathVariable String name, HttpServletRequest request, HttpServletResponse response,
            RedirectAttributes redirect) {
        if (access.loopbackOnly() && !access.allows(request)) {
            // no credentials configured: the console is open, but connecting stays with the relay's own machine,
            // as on the authorize page (server.address opened explicitly must not open this too)
            redirect.addFlashAttribute("error", text("kakao.loopbackOnly", name));
            return "redirect:/console";
        }
        Optional<URI> consent = authorizations.stream().map(a -> a.start(name)).flatMap(Optional::stream).findFirst();
        if (consent.isEmpty()) {
            redirect.addFlashAttribute("error", text("kakao.noChannel", name));
            return "redirect:/console";
        }
        response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
        return "redirect:" + consent.get();
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }
}
