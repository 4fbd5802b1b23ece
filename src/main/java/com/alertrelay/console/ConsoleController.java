package com.alertrelay.console;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import com.alertrelay.delivery.ChannelActivity;
import com.alertrelay.delivery.DeliveryOverview;
import com.alertrelay.routing.Channel;
import com.alertrelay.routing.ChannelRegistry;

/**
 * The operator console, served by the relay itself: every asset is in the jar, nothing comes from a CDN (many
 * installs are on closed networks). Server-rendered with Thymeleaf, which escapes every value it inserts.
 */
@Controller
class ConsoleController {

    private static final Duration WINDOW = Duration.ofHours(1);

    private final ChannelRegistry channels;
    private final DeliveryOverview overview;

    ConsoleController(ChannelRegistry channels, DeliveryOverview overview) {
        this.channels = channels;
        this.overview = overview;
    }

    @GetMapping("/")
    String root() {
        return "redirect:/console";
    }

    @GetMapping("/login")
    String login() {
        return "console/login";
    }

    @GetMapping("/console")
    String overview(Model model) {
        model.addAttribute("channels", rows());
        return "console/overview";
    }

    /** The channel table alone, which the overview page fetches every few seconds to refresh itself in place. */
    @GetMapping("/console/overview/channels")
    String channelTable(Model model) {
        model.addAttribute("channels", rows());
        return "console/overview :: channels";
    }

    private List<ChannelRow> rows() {
        Map<String, ChannelActivity> activity = overview.activity(WINDOW);
        return channels.channels().stream()
                .sorted(Comparator.comparing(Channel::name))
                .map(c -> new ChannelRow(c.name(), c.type(), activity.getOrDefault(c.name(), ChannelActivity.none(c.name())),
                        ChannelStatuses.of(c)))
                .toList();
    }
}
