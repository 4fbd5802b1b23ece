package com.alertrelay.console;

import java.util.List;
import java.util.Optional;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import com.alertrelay.delivery.NotificationDetail;
import com.alertrelay.delivery.NotificationFilter;
import com.alertrelay.delivery.NotificationSearch;
import com.alertrelay.delivery.NotificationSummary;
import com.alertrelay.routing.ChannelRegistry;
import com.alertrelay.webhook.DryRun;
import com.alertrelay.webhook.NotificationPreview;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /console/preview}: what each channel of a route would send for a payload — pasted, or a stored
 * notification's — shown as the chat shows it. The webhook's dry run does the work ({@link DryRun}): nothing is
 * stored or sent, and a payload is refused for what the webhook would refuse it for.
 */
@Controller
class PreviewPage {

    /** Stored notifications offered to pick from. */
    static final int RECENT = 20;

    private final DryRun dryRun;
    private final NotificationSearch search;
    private final ChannelRegistry channels;
    private final JsonMapper json;
    private final MessageSource messages;

    PreviewPage(DryRun dryRun, NotificationSearch search, ChannelRegistry channels, JsonMapper json,
            MessageSource messages) {
        this.dryRun = dryRun;
        this.search = search;
        this.channels = channels;
        this.json = json;
        this.messages = messages;
    }

    /** One channel's part of the preview. */
    public record ChannelBlock(String channel, String type, List<PreviewMessage> messages) {
    }

    /**
     * The form; with {@code ?notification=ID} filled with that stored notification's payload and route, and its
     * preview shown at once (a dry run changes nothing, so a GET may do it).
     */
    @GetMapping("/console/preview")
    String form(@RequestParam(required = false) Long notification, Model model, HttpServletResponse response) {
        if (notification == null) {
            return page(model, ChannelRegistry.DEFAULT_ROUTE, "", null, null);
        }
        return stored(notification, null, model, response);
    }

    /**
     * Previews the chosen stored notification when one is picked, else the pasted payload. The page then holds the
     * payload that was previewed, so the next submit previews what the text area shows.
     */
    @PostMapping("/console/preview")
    String preview(@RequestParam(defaultValue = "") String payload,
            @RequestParam(defaultValue = ChannelRegistry.DEFAULT_ROUTE) String route,
            @RequestParam(required = false) Long notification, Model model, HttpServletResponse response) {
        if (notification != null) {
            return stored(notification, route, model, response);
        }
        try {
            return page(model, route, payload, dryRun.preview(route, payload), null);
        } catch (DryRun.Refused e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return page(model, route, payload, null, e.getMessage());
        } catch (RuntimeException renderFailure) {
            // a renderer that cannot handle this payload: say so on the page, as the delivery would be dead-lettered
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return page(model, route, payload, null, text("preview.renderFailed", renderFailure.getMessage()));
        }
    }

    /** A stored notification, under {@code route} or (null) the route it arrived on. */
    private String stored(long id, String route, Model model, HttpServletResponse response) {
        Optional<NotificationDetail> found = search.notification(id);
        String chosen = route == null ? found.map(n -> n.summary().route()).orElse(ChannelRegistry.DEFAULT_ROUTE) : route;
        if (found.isEmpty() || found.get().group() == null) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return page(model, chosen, "", null, found.isEmpty() ? text("preview.noNotification", id)
                    : text("preview.unreadable", id, found.get().unreadable()));
        }
        String payload = json.writerWithDefaultPrettyPrinter().writeValueAsString(found.get().group());
        try {
            return page(model, chosen, payload, dryRun.preview(chosen, found.get().group()), null);
        } catch (DryRun.Refused e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return page(model, chosen, payload, null, e.getMessage());
        } catch (RuntimeException renderFailure) {
            response.setStatus(HttpStatus.UNPROCESSABLE_CONTENT.value());
            return page(model, chosen, payload, null, text("preview.renderFailed", renderFailure.getMessage()));
        }
    }

    private String page(Model model, String route, String payload, NotificationPreview preview, String problem) {
        model.addAttribute("routes", channels.routeNames());
        model.addAttribute("route", route);
        model.addAttribute("payload", payload);
        model.addAttribute("recent", recent());
        model.addAttribute("problem", problem);
        if (preview != null) {
            model.addAttribute("blocks", preview.channels().stream()
                    .map(c -> new ChannelBlock(c.channel(), c.type(),
                            c.messages().stream().map(m -> PreviewMessage.of(c.type(), m, json)).toList()))
                    .toList());
            model.addAttribute("skipped", preview.skipped());
        }
        return "console/preview";
    }

    private List<NotificationSummary> recent() {
        return search.page(NotificationFilter.none(), null, RECENT).notifications();
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }
}
