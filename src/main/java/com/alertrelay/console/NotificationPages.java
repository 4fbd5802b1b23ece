package com.alertrelay.console;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.alertrelay.delivery.DeadLetter;
import com.alertrelay.delivery.DeliveryDetail;
import com.alertrelay.delivery.DeliveryView;
import com.alertrelay.delivery.ManualRetry;
import com.alertrelay.delivery.NotificationDetail;
import com.alertrelay.delivery.NotificationFilter;
import com.alertrelay.delivery.NotificationPage;
import com.alertrelay.delivery.NotificationSearch;
import com.alertrelay.delivery.RetryOutcome;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.routing.Channel;
import com.alertrelay.routing.ChannelRegistry;

import jakarta.servlet.http.HttpServletResponse;

/** The console's notification list, one notification's journey through the channels, and the dead letters. */
@Controller
class NotificationPages {

    static final int PAGE_SIZE = 50;

    private final NotificationSearch search;
    private final ManualRetry retries;
    private final ChannelRegistry channels;
    private final MessageSource messages;

    NotificationPages(NotificationSearch search, ManualRetry retries, ChannelRegistry channels, MessageSource messages) {
        this.search = search;
        this.retries = retries;
        this.channels = channels;
        this.messages = messages;
    }

    @GetMapping("/console/notifications")
    String notifications(@RequestParam(required = false) String route, @RequestParam(required = false) String status,
            @RequestParam(required = false) String channel, @RequestParam(required = false) String state,
            @RequestParam(required = false) String q, @RequestParam(required = false) Long before, Model model,
            HttpServletResponse response) {
        NotificationFilter filter;
        try {
            filter = new NotificationFilter(route, status, channel, state, q);
        } catch (IllegalArgumentException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", e.getMessage());
            filter = NotificationFilter.none();
        }
        NotificationPage page = search.page(filter, before, PAGE_SIZE);
        model.addAttribute("filter", filter);
        model.addAttribute("page", page);
        model.addAttribute("routes", channels.routeNames());
        model.addAttribute("channelNames", channelNames());
        model.addAttribute("states", List.of("pending", "retrying", "delivered", "dead"));
        model.addAttribute("first", before == null);
        return "console/notifications";
    }

    @GetMapping("/console/notifications/{id}")
    String notification(@PathVariable long id, Model model, HttpServletResponse response) {
        Optional<NotificationDetail> found = search.notification(id);
        if (found.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            model.addAttribute("id", id);
            return "console/not-found";
        }
        NotificationDetail detail = found.get();
        model.addAttribute("n", detail);
        model.addAttribute("journeys", detail.deliveries().stream().map(d -> journey(detail, d)).toList());
        return "console/notification";
    }

    @PostMapping("/console/deliveries/{id}/retry")
    String retry(@PathVariable long id, @RequestParam(defaultValue = "notification") String back,
            RedirectAttributes redirect) {
        RetryOutcome outcome = retries.retry(id);
        String message;
        Long notificationId = null;
        if (outcome instanceof RetryOutcome.Retried retried) {
            message = text("retry.done", retried.delivery().id(), retried.delivery().channel());
            notificationId = retried.delivery().notificationId();
        } else if (outcome instanceof RetryOutcome.ResolvedLater later) {
            message = text("retry.resolvedLater", later.delivery().id(), later.resolvedByNotificationId());
            notificationId = later.delivery().notificationId();
        } else if (outcome instanceof RetryOutcome.AlreadyDelivered) {
            message = text("retry.alreadyDelivered", id);
        } else {
            message = text("retry.notFound", id);
        }
        redirect.addFlashAttribute(outcome instanceof RetryOutcome.Retried ? "info" : "error", message);
        if ("dead-letters".equals(back) || notificationId == null) {
            return "redirect:/console/dead-letters";
        }
        return "redirect:/console/notifications/" + notificationId;
    }

    @GetMapping("/console/dead-letters")
    String deadLetters(@RequestParam(required = false) String channel, @RequestParam(required = false) Long before,
            Model model) {
        String only = channel == null || channel.isBlank() ? null : channel;
        List<DeadLetter> dead = search.deadLetters(only, before, PAGE_SIZE + 1);
        Long older = null;
        if (dead.size() > PAGE_SIZE) {
            dead = dead.subList(0, PAGE_SIZE);
            older = dead.get(PAGE_SIZE - 1).delivery().id();
        }
        model.addAttribute("dead", dead);
        model.addAttribute("older", older);
        model.addAttribute("channel", only);
        model.addAttribute("counts", search.deadByChannel());
        return "console/dead-letters";
    }

    /** The confirmation step before every dead delivery of a channel is retried. */
    @GetMapping("/console/dead-letters/retry-all")
    String confirmRetryAll(@RequestParam String channel, Model model) {
        model.addAttribute("channel", channel);
        model.addAttribute("count", search.deadByChannel().getOrDefault(channel, 0L));
        return "console/retry-all";
    }

    @PostMapping("/console/dead-letters/retry-all")
    String retryAll(@RequestParam String channel, RedirectAttributes redirect) {
        int retried = retries.retryAllDead(channel);
        redirect.addFlashAttribute("info", text("retryAll.done", retried, channel));
        return "redirect:/console/dead-letters";
    }

    private ChannelJourney journey(NotificationDetail n, DeliveryDetail detail) {
        DeliveryView d = detail.delivery();
        Optional<Channel> channel = channels.channel(d.channel());
        if (channel.isEmpty()) {
            return new ChannelJourney(detail, null, List.of(), text("journey.unconfigured", d.channel()));
        }
        if (n.group() == null) {
            return new ChannelJourney(detail, channel.get().type(), List.of(), n.unreadable());
        }
        Optional<AlertGroup> selected = channel.get().select(n.group());
        AlertGroup group = selected.orElse(n.group());
        try {
            AlertNotification notification = new AlertNotification(n.summary().id(), n.summary().route(),
                    n.summary().receivedAt(), group, d.note());
            return new ChannelJourney(detail, channel.get().type(), channel.get().notifier().render(notification), null);
        } catch (RuntimeException e) {
            return new ChannelJourney(detail, channel.get().type(), List.of(), e.getMessage());
        }
    }

    private List<String> channelNames() {
        List<String> names = new ArrayList<>(channels.channels().stream().map(Channel::name).toList());
        names.sort(Comparator.naturalOrder());
        return names;
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }
}
