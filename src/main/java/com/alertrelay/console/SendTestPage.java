package com.alertrelay.console;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

import com.alertrelay.delivery.AcceptedNotification;
import com.alertrelay.delivery.DeliveryView;
import com.alertrelay.delivery.DeliveryWorkers;
import com.alertrelay.delivery.NotificationDetail;
import com.alertrelay.delivery.NotificationSearch;
import com.alertrelay.delivery.NotificationStore;
import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.routing.Channel;
import com.alertrelay.routing.ChannelRegistry;

import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /console/test}: sends a test notification to one channel the way every alert goes — stored with one
 * delivery, claimed by the channel's worker, rate-limited, retried, dead-lettered — so what the page shows is the
 * chat's real answer. The notification is a real one: the operator API and the notification list show it.
 */
@Controller
class SendTestPage {

    /**
     * The route test notifications are stored under. No webhook posts to it (it is not a configured route, which
     * startup checks), so it never sends a test anywhere but to the one chosen channel.
     */
    static final String TEST_ROUTE = "@console-test";
    static final String ALERTNAME = "AlertRelayTest";
    private static final Instant FIRING_END = Instant.parse("0001-01-01T00:00:00Z");

    private final ChannelRegistry channels;
    private final NotificationStore store;
    private final DeliveryWorkers workers;
    private final NotificationSearch search;
    private final MessageSource messages;
    private final Clock clock;

    SendTestPage(ChannelRegistry channels, NotificationStore store, DeliveryWorkers workers, NotificationSearch search,
            MessageSource messages, Clock clock) {
        if (channels.route(TEST_ROUTE).isPresent()) {
            throw new IllegalStateException("relay.routes." + TEST_ROUTE + ": this route name is reserved for the "
                    + "console's test notifications; name the route differently");
        }
        this.channels = channels;
        this.store = store;
        this.workers = workers;
        this.search = search;
        this.messages = messages;
        this.clock = clock;
    }

    /** The test's one delivery as its result shows it; {@code done} once it cannot change by itself any more. */
    public record TestResult(long notificationId, DeliveryView delivery) {

        public boolean done() {
            return delivery == null || "delivered".equals(delivery.state()) || "dead".equals(delivery.state());
        }
    }

    @GetMapping("/console/test")
    String form(Model model) {
        model.addAttribute("channelNames", channelNames());
        return "console/test";
    }

    @PostMapping("/console/test")
    String send(@RequestParam(defaultValue = "") String channel, Principal who, Model model,
            RedirectAttributes redirect, HttpServletResponse response) {
        Optional<Channel> target = channels.channel(channel);
        if (target.isEmpty()) {
            return refused(model, response, channel, text("test.unknownChannel", channel));
        }
        AlertGroup group = testGroup(channel, who == null ? text("test.someone") : who.getName(), clock.instant());
        if (target.get().select(group).isEmpty()) {
            // the worker would mark it delivered without sending: say so instead of a false "delivered"
            return refused(model, response, channel, text("test.filtered", channel));
        }
        AcceptedNotification accepted = store.accept(TEST_ROUTE, group, List.of(channel));
        workers.wake(accepted.channels());
        redirect.addAttribute("id", accepted.notificationId());
        return "redirect:/console/test/{id}";
    }

    @GetMapping("/console/test/{id}")
    String result(@PathVariable long id, Model model, HttpServletResponse response) {
        Optional<TestResult> result = find(id);
        if (result.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
        }
        model.addAttribute("channelNames", channelNames());
        model.addAttribute("result", result.orElse(null));
        model.addAttribute("missing", result.isEmpty() ? text("test.noTest", id) : null);
        result.map(r -> r.delivery() == null ? null : r.delivery().channel())
                .ifPresent(c -> model.addAttribute("chosen", c));
        return "console/test";
    }

    /** The result alone, which the page fetches every two seconds until the delivery is delivered or dead. */
    @GetMapping("/console/test/{id}/result")
    String resultFragment(@PathVariable long id, Model model, HttpServletResponse response) {
        Optional<TestResult> result = find(id);
        if (result.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
        }
        model.addAttribute("result", result.orElse(null));
        return "console/test :: result";
    }

    private Optional<TestResult> find(long id) {
        return search.notification(id)
                .filter(n -> TEST_ROUTE.equals(n.summary().route()))
                .map(n -> new TestResult(id, delivery(n)));
    }

    private static DeliveryView delivery(NotificationDetail n) {
        return n.deliveries().isEmpty() ? null : n.deliveries().get(0).delivery();
    }

    private String refused(Model model, HttpServletResponse response, String channel, String problem) {
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        model.addAttribute("channelNames", channelNames());
        model.addAttribute("chosen", channel);
        model.addAttribute("problem", problem);
        return "console/test";
    }

    /**
     * One firing alert of severity info, labelled as a test, in a group of its own (a test never edits or resolves
     * the message of an earlier one).
     */
    private AlertGroup testGroup(String channel, String who, Instant now) {
        String at = ConsoleTimes.UTC.format(now);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", ALERTNAME);
        labels.put("severity", "info");
        labels.put("relay_test", "true");
        labels.put("channel", channel);
        Map<String, String> annotations = Map.of(
                "summary", text("test.summary", who, at),
                "description", text("test.description", channel));
        Alert alert = new Alert("firing", labels, annotations, now, FIRING_END, null, null);
        String groupKey = "{}/" + TEST_ROUTE + ":{alertname=\"" + ALERTNAME + "\", channel=\"" + channel + "\", sent=\""
                + now.toEpochMilli() + "\"}";
        return new AlertGroup("alert-relay-console", "firing", List.of(alert), Map.of("alertname", ALERTNAME),
                labels, annotations, null, "4", groupKey, 0L, null, Map.of());
    }

    private List<String> channelNames() {
        return channels.channels().stream().map(Channel::name).sorted().toList();
    }

    private String text(String key, Object... args) {
        return messages.getMessage(key, args, LocaleContextHolder.getLocale());
    }
}
