package com.alertrelay.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The secrets of one notifier (a bot token, an API key, a webhook URL's token) and the one way to keep them
 * out of text that leaves it: every occurrence, also URL-encoded, becomes {@code ***}. {@link NotifierHttp}
 * applies it to every answer body and failure reason it hands out.
 */
public final class SecretMask {

    public static final String MASK = "***";

    private final List<String> secrets;

    private SecretMask(List<String> secrets) {
        this.secrets = secrets;
    }

    /** Null and empty values are ignored, so optional secrets can be passed as they are. */
    public static SecretMask of(String... secrets) {
        List<String> forms = new ArrayList<>();
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                forms.add(secret);
                String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
                if (!encoded.equals(secret)) {
                    forms.add(encoded);
                }
            }
        }
        // longest first, so that a secret containing another is masked whole
        forms.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMask(List.copyOf(forms));
    }

    /** These secrets and {@code more}. */
    public SecretMask and(String... more) {
        List<String> all = new ArrayList<>(secrets);
        for (String secret : more) {
            all.add(Objects.requireNonNullElse(secret, ""));
        }
        return of(all.toArray(String[]::new));
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
