package com.alertrelay.archfixture.webhook;

import java.time.Instant;

/** A relay package of the fixture. */
public interface Hook {

    Instant received();
}
