package com.alertrelay.http;

import java.util.List;

/** Missing or wrong credentials; {@link #challenges()} go into WWW-Authenticate. */
public class UnauthorizedException extends RuntimeException {

    private final List<String> challenges;

    public UnauthorizedException(String message, List<String> challenges) {
        super(message);
        this.challenges = List.copyOf(challenges);
    }

    public List<String> challenges() {
        return challenges;
    }
}
