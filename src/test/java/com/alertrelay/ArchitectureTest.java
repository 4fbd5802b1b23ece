package com.alertrelay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The boundaries of the code base: a notifier package (log, telegram, kakao, webhook, any new one) uses nothing of
 * the core but the SPI package {@code com.alertrelay.notify}; the demo order service uses no relay package (only the
 * shared auth, http and store); the top-level packages form no cycle.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.alertrelay");

    static final ArchRule NOTIFIERS_USE_ONLY_THE_SPI = classes().that().resideInAPackage("com.alertrelay.notify.*..")
            .should(useNothingOfTheCoreButTheSpi());

    static final ArchRule ORDERS_USE_NO_RELAY_PACKAGE = noClasses().that().resideInAPackage("com.alertrelay.order..")
            .should().dependOnClassesThat().resideInAnyPackage("com.alertrelay.webhook..", "com.alertrelay.delivery..",
                    "com.alertrelay.routing..", "com.alertrelay.notify..", "com.alertrelay.reconcile..");

    static final ArchRule NO_CYCLES = slices().matching("com.alertrelay.(*)..").should().beFreeOfCycles();

    @Test
    void aNotifierPackageUsesNothingOfTheCoreButTheSpiPackage() {
        NOTIFIERS_USE_ONLY_THE_SPI.check(MAIN);
    }

    @Test
    void theDemoOrderServiceUsesNoRelayPackage() {
        ORDERS_USE_NO_RELAY_PACKAGE.check(MAIN);
    }

    @Test
    void thePackagesFormNoCycle() {
        NO_CYCLES.check(MAIN);
    }

    @Test
    void aNotifierThatImportsTheCoreBreaksTheRule() {
        JavaClasses withFixture = new ClassFileImporter().importPackages("com.alertrelay.notify.fixture",
                "com.alertrelay.delivery");

        assertThatThrownBy(() -> NOTIFIERS_USE_ONLY_THE_SPI.check(withFixture))
                .hasMessageContaining("NotifierReachingIntoTheCore")
                .hasMessageContaining("com.alertrelay.delivery.DeliveryProperties");
    }

    private static ArchCondition<JavaClass> useNothingOfTheCoreButTheSpi() {
        return new ArchCondition<>("use nothing of com.alertrelay but com.alertrelay.notify and their own package") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String own = notifierPackage(item.getPackageName());
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getPackageName();
                    boolean allowed = !target.startsWith("com.alertrelay") || target.equals("com.alertrelay.notify")
                            || target.equals(own) || target.startsWith(own + ".");
                    if (!allowed) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    /** {@code com.alertrelay.notify.telegram} for any class in it or below. */
    private static String notifierPackage(String packageName) {
        String prefix = "com.alertrelay.notify.";
        int end = packageName.indexOf('.', prefix.length());
        return end < 0 ? packageName : packageName.substring(0, end);
    }
}
