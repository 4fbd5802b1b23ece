package com.alertrelay.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Times on the console's pages: written in UTC (what the page shows without script, and on hover), and turned into
 * the browser's own zone by console.js. Every console page has it as {@code times}.
 */
@ControllerAdvice(basePackageClasses = ConsoleTimes.class)
public class ConsoleTimes {

    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @ModelAttribute("times")
    ConsoleTimes times() {
        return this;
    }

    /** {@code 2026-12-04 23:35:36 UTC}, or empty for no time. */
    public String utc(Instant at) {
        return at == null ? "" : UTC.format(at);
    }
}
