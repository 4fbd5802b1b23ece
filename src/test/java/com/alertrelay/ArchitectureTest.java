package com.alertrelay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The package boundaries that make notifiers pluggable and keep the demo apart, checked on the compiled classes.
 * Each rule takes the root package, so that it is also run against the small set of classes in
 * {@code com.alertrelay.archfixture}, which breaks every rule once, to show that it fails when it should.
 */
class ArchitectureTest {

    private static final String ROOT = "com.alertrelay";

    /** The relay's own classes; test classes (and so the fixtures) are left out. */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages(ROOT + ".archfixture");

    /**
     * A notifier package ({@code notify.log}, {@code notify.telegram}, {@code notify.kakao} and any later one) uses
     * of the relay only the SPI package {@code notify} and its own package: whatever else it needs (the send
     * budget, operator access, durable state) the SPI hands it.
     */
    static ArchRule notifiersUseOnlyTheSpi(String root) {
        String spi = root + ".notify";
        return classes().that().resideInAPackage(spi + ".*..")
                .should(new ArchCondition<JavaClass>("depend on nothing of " + root + " but " + spi
                        + " and their own notifier package") {
                    @Override
                    public void check(JavaClass notifierClass, ConditionEvents events) {
                        String own = notifierPackage(spi, notifierClass.getPackageName());
                        for (Dependency dependency : notifierClass.getDirectDependenciesFromSelf()) {
                            String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
                            boolean allowed = !within(root, target) || target.equals(spi) || within(own, target);
                            if (!allowed) {
                                events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                            }
                        }
                    }
                })
                .allowEmptyShould(false);
    }

    /**
     * The demo order service runs without the relay ({@code APP_ROLES=orders}), so it uses no relay package; only
     * the infrastructure both roles share: {@code store} (timestamps, pruning) and {@code http} (the problems every
     * endpoint answers alike, the body limit).
     */
    static ArchRule theDemoUsesNoRelayPackage(String root) {
        String order = root + ".order";
        return classes().that().resideInAPackage(order + "..")
                .should().onlyDependOnClassesThat(DescribedPredicate.describe(
                        "are outside " + root + " or in " + order + ", " + root + ".store or " + root + ".http",
                        (JavaClass target) -> {
                            String pkg = target.getBaseComponentType().getPackageName();
                            return !within(root, pkg) || within(order, pkg) || within(root + ".store", pkg)
                                    || within(root + ".http", pkg);
                        }))
                .allowEmptyShould(false);
    }

    /** The top-level packages ({@code webhook}, {@code delivery}, {@code routing}, {@code notify} …) form no cycle. */
    static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    private static boolean within(String pkg, String candidate) {
        return candidate.equals(pkg) || candidate.startsWith(pkg + ".");
    }

    /** {@code <spi>.telegram} for {@code <spi>.telegram.x.y}. */
    private static String notifierPackage(String spi, String pkg) {
        String rest = pkg.substring(spi.length() + 1);
        int dot = rest.indexOf('.');
        return spi + "." + (dot < 0 ? rest : rest.substring(0, dot));
    }

    @Test
    void notifierPackagesUseOnlyTheSpiOfTheRelay() {
        notifiersUseOnlyTheSpi(ROOT).check(MAIN);
    }

    @Test
    void theDemoOrderServiceUsesNoRelayPackage() {
        theDemoUsesNoRelayPackage(ROOT).check(MAIN);
    }

    @Test
    void packagesFormNoCycle() {
        noCycles(ROOT).check(MAIN);
    }

    // The same rules against the fixture, which breaks each of them once (and keeps to them otherwise).

    private static final String FIXTURE_ROOT = ROOT + ".archfixture";

    private static List<String> violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(FIXTURE);
        assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        return result.getFailureReport().getDetails();
    }

    @Test
    void aNotifierThatUsesTheCoreBreaksTheRule() {
        assertThat(violations(notifiersUseOnlyTheSpi(FIXTURE_ROOT))).isNotEmpty().allSatisfy(violation ->
                assertThat(violation).contains("archfixture.notify.chat.ChatNotifier.budget")
                        .contains("archfixture.delivery.Lease")
                        .doesNotContain("archfixture.notify.Spi", "archfixture.notify.chat.ChatSettings"));
    }

    @Test
    void aDemoThatUsesARelayPackageBreaksTheRule() {
        assertThat(violations(theDemoUsesNoRelayPackage(FIXTURE_ROOT))).isNotEmpty().allSatisfy(violation ->
                assertThat(violation).contains("archfixture.order.Shop.order").contains("archfixture.webhook.Hook")
                        .doesNotContain("archfixture.store"));
    }

    @Test
    void packagesThatUseEachOtherBreakTheRule() {
        assertThat(violations(noCycles(FIXTURE_ROOT))).singleElement().asString()
                .containsPattern("Cycle detected: Slice delivery ->\\s+Slice routing ->\\s+Slice delivery");
    }
}
