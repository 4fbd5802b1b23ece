package com.alertrelay.archfixture.notify;

/** The fixture's SPI package: what a notifier may use. */
public interface Spi {

    String name();
}
