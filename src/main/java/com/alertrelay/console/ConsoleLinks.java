package com.alertrelay.console;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import com.alertrelay.notify.AlertmanagerLinks;

/**
 * Links the console makes from alert data. Only absolute http(s) URLs become links: a {@code javascript:} URL in an
 * annotation would otherwise run in the operator's session. Every console page has this as {@code links}.
 */
@ControllerAdvice(basePackageClasses = ConsoleLinks.class)
public class ConsoleLinks {

    @ModelAttribute("links")
    ConsoleLinks links() {
        return this;
    }

    /** The URL if it is an absolute http(s) URL, else null (the template then shows no link). */
    public String safe(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri.toString() : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** Alertmanager's new-silence page for these labels, or null. */
    public String newSilence(String externalUrl, Map<String, String> labels) {
        return AlertmanagerLinks.newSilence(safe(externalUrl), labels).orElse(null);
    }
}
