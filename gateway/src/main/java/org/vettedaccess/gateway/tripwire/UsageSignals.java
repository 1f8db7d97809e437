package org.vettedaccess.gateway.tripwire;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.Trip;
import org.vettedaccess.contracts.policy.TripReport;
import org.vettedaccess.contracts.policy.TripwireRule;
import org.vettedaccess.gateway.config.GatewayConfig;

/**
 * The tripwires' side of the call path (docs/adr/0050-tripwires-on-shared-counters.md): every forwarded call is
 * counted, when it ends, in the shared counters; a subject rule is checked on the subject's hour right then, and
 * every replica checks the model rules (rates, off hours) on the model's window every
 * {@code gateway.tripwire.evaluate-interval}; a CALLS_FROM_SCOPE rule also checks that no call came from the scope
 * of a kill switch already engaged on its model (ADR 0045). A rule whose figures cross its threshold is reported to
 * access-policy, which engages its action (a MODEL kill switch, a grant's suspension) at once; the kill switch
 * reaches every replica through the change feed like any other. Nothing here blocks a call: counting is one
 * asynchronous Redis script, and a Redis outage only stops the counting (a warning and a metric), never a call.
 */
@Singleton
public class UsageSignals implements CallCounter {

    private static final Logger LOG = Logger.getLogger(UsageSignals.class);
    /** After a report, the same rule (and grant) is not reported again for this long. */
    private static final long REPORT_PAUSE_NANOS = 1_000_000_000L;

    private static final String CALLS_FROM_SCOPE = "CALLS_FROM_SCOPE";

    private final TripwireConfig config;
    private final SignalStore store;
    private final TripwireClient client;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final TripwireRules rules = new TripwireRules();
    private final ExecutorService reporters = Executors.newVirtualThreadPerTaskExecutor();
    /** Reports in flight or recently made, by rule (and grant), to when they may be made again. */
    private final Map<String, Long> paused = new ConcurrentHashMap<>();
    /** The second each model rule last tripped from this replica, until access-policy's list says so. */
    private final Map<UUID, Long> trippedAt = new ConcurrentHashMap<>();

    private final Set<UUID> evaluating = ConcurrentHashMap.newKeySet();
    private final Counter storeFailures;
    private volatile String ruleVersions = "";
    private volatile boolean rulesFailing;
    private volatile long lastFailureLog = System.nanoTime() - 120_000_000_000L;
    private long rulesTimer = -1;
    private long evaluateTimer = -1;

    public UsageSignals(
            TripwireConfig config,
            GatewayConfig gateway,
            Instance<Redis> redis,
            TripwireClient client,
            Vertx vertx,
            MeterRegistry metrics) {
        this.config = config;
        this.store = gateway.quota().store().equals("redis")
                ? new RedisSignalStore(redis.get())
                : new MemorySignalStore(Clock.systemUTC());
        this.client = client;
        this.vertx = vertx;
        this.metrics = metrics;
        this.storeFailures = Counter.builder("gateway.tripwire.counter.failures")
                .description("Calls the tripwire counters could not count (Redis unreachable)")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.warn("tripwires are disabled (gateway.tripwire.enabled=false): no rule is checked here");
            return;
        }
        reporters.execute(this::refreshRules);
        rulesTimer = vertx.setPeriodic(config.rulesInterval().toMillis(), id -> reporters.execute(this::refreshRules));
        evaluateTimer = vertx.setPeriodic(config.evaluateInterval().toMillis(), id -> evaluateModelRules());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(rulesTimer);
        vertx.cancelTimer(evaluateTimer);
        reporters.shutdownNow();
    }

    /** Counts a call that was forwarded, when it ends; never blocks and never fails the call. */
    @Override
    public void record(CallFacts facts) {
        if (!config.enabled()) {
            return;
        }
        try {
            store.record(facts).whenComplete((counted, failure) -> {
                if (failure != null) {
                    counterFailed(failure);
                } else {
                    checkSubject(facts, counted[0], counted[1]);
                }
            });
        } catch (RuntimeException e) {
            counterFailed(e);
        }
    }

    private void refreshRules() {
        try {
            List<TripwireRule> read = client.activeRules();
            String versions = read.stream()
                    .map(r -> r.id() + "v" + r.version())
                    .sorted()
                    .toList()
                    .toString();
            if (!versions.equals(ruleVersions)) {
                LOG.infof("tripwire rules now checked here: %d active %s", read.size(), versions);
                ruleVersions = versions;
            }
            rules.replace(read);
            rulesFailing = false;
        } catch (RuntimeException e) {
            // The last good list stays in force: a rule never stops being checked because access-policy is away.
            if (!rulesFailing) {
                LOG.warnf("could not read the tripwire rules (the last ones read stay in force): %s", e.toString());
            }
            rulesFailing = true;
        }
    }

    /** A counting failure: a metric each time, a warning at most once a minute. */
    private void counterFailed(Throwable failure) {
        storeFailures.increment();
        long now = System.nanoTime();
        if (now - lastFailureLog > 60_000_000_000L) {
            lastFailureLog = now;
            LOG.warnf(
                    "tripwire counters failed (calls go on, rules are not checked meanwhile): %s", failure.toString());
        }
    }

    private void checkSubject(CallFacts facts, long now, long tokensThisHour) {
        for (TripwireRule rule : rules.subjectRules(facts.model())) {
            if (!RuleChecks.overFloor(rule, tokensThisHour)) {
                continue;
            }
            String key = rule.id() + ":" + facts.grantId();
            if (isPaused(key)) {
                continue;
            }
            store.hours(facts.model(), facts.subject()).whenComplete((hours, failure) -> {
                if (failure != null) {
                    counterFailed(failure);
                    return;
                }
                long[] history = Windows.history(hours, Windows.hourOf(now));
                Map<String, Long> figures = RuleChecks.subjectFigures(rule, tokensThisHour, history);
                if (figures != null) {
                    report(key, rule, facts.subject(), facts.grantId(), figures, null);
                }
            });
        }
    }

    private void evaluateModelRules() {
        for (TripwireRule rule : rules.modelRules()) {
            String key = rule.id().toString();
            if (rule.kind().equals(CALLS_FROM_SCOPE)) {
                if (evaluating.add(rule.id())) {
                    evaluateScopeRule(rule, key);
                }
                continue;
            }
            if (isPaused(key) || !evaluating.add(rule.id())) {
                continue;
            }
            long since = since(rule);
            try {
                store.window(rule.model(), rule.windowSeconds(), since, rule.allowedFromHour(), rule.allowedToHour())
                        .whenComplete((sums, failure) -> {
                            evaluating.remove(rule.id());
                            if (failure != null) {
                                counterFailed(failure);
                                return;
                            }
                            Map<String, Long> figures = RuleChecks.modelFigures(rule, sums);
                            if (figures != null) {
                                trippedAt.put(rule.id(), sums.now() + 1);
                                report(key, rule, null, null, figures, null);
                            }
                        });
            } catch (RuntimeException e) {
                evaluating.remove(rule.id());
                counterFailed(e);
            }
        }
    }

    private long since(TripwireRule rule) {
        return Math.max(
                rule.lastTrippedAt() == null ? 0 : rule.lastTrippedAt().getEpochSecond() + 1,
                trippedAt.getOrDefault(rule.id(), 0L));
    }

    /**
     * CALLS_FROM_SCOPE (ADR 0045): the calls to the rule's model from its scope, and, per engaged switch whose scope
     * covers the model, the calls from that scope started after the propagation bound (there should be none: such a
     * call is a control that failed, and its report engages a MODEL switch). All from one script on the shared
     * counters, so every replica's calls are seen.
     */
    private void evaluateScopeRule(TripwireRule rule, String key) {
        List<Windows.ScopeAsk> asks = new ArrayList<>();
        long since = since(rule);
        asks.add(new Windows.ScopeAsk(Windows.scopeField(rule.scope(), rule.scopeValue()), since));
        for (TripwireRule.EngagedScope engaged : rule.engagedScopes()) {
            asks.add(new Windows.ScopeAsk(
                    Windows.scopeField(engaged.scope(), engaged.value()),
                    RuleChecks.firstSecondAfterBound(engaged.engagedAt())));
        }
        try {
            store.scopes(rule.model(), rule.windowSeconds(), since, asks).whenComplete((sums, failure) -> {
                evaluating.remove(rule.id());
                if (failure != null) {
                    counterFailed(failure);
                    return;
                }
                Map<String, Long> figures = RuleChecks.scopeFigures(rule, sums.calls(), sums.scoped()[0]);
                if (figures != null && !isPaused(key)) {
                    trippedAt.put(rule.id(), sums.now() + 1);
                    report(key, rule, null, null, figures, null);
                }
                for (int i = 0; i < rule.engagedScopes().size(); i++) {
                    UUID failed = rule.engagedScopes().get(i).switchId();
                    Map<String, Long> control = RuleChecks.controlFailureFigures(rule, sums.scoped()[i + 1]);
                    if (control != null) {
                        report(key + ":" + failed, rule, null, null, control, failed);
                    }
                }
            });
        } catch (RuntimeException e) {
            evaluating.remove(rule.id());
            counterFailed(e);
        }
    }

    private boolean isPaused(String key) {
        Long until = paused.get(key);
        return until != null && System.nanoTime() - until < 0;
    }

    private void report(
            String key,
            TripwireRule rule,
            String subject,
            UUID grantId,
            Map<String, Long> figures,
            UUID failedSwitchId) {
        if (isPaused(key)) {
            return;
        }
        // Paused while the report is in flight (a race lets two through: access-policy engages once anyway).
        paused.put(key, System.nanoTime() + 60_000_000_000L);
        reporters.execute(() -> {
            try {
                Trip trip = client.trip(
                        rule.id(), new TripReport(rule.version(), subject, grantId, figures, failedSwitchId));
                String outcome = trip.alreadyInForce() ? "in_force" : "engaged";
                Counter.builder("gateway.tripwire.trips")
                        .description("Tripwire trips this replica reported")
                        .tag("kind", rule.kind())
                        .tag("outcome", outcome)
                        .register(metrics)
                        .increment();
                LOG.warnf(
                        "TRIPWIRE %s v%d (%s on %s) tripped: %s; access-policy %s %s",
                        rule.id(),
                        rule.version(),
                        rule.kind(),
                        rule.model(),
                        figures,
                        outcome,
                        trip.killSwitchId() != null ? "kill switch " + trip.killSwitchId() : "grant " + trip.grantId());
                paused.put(key, System.nanoTime() + REPORT_PAUSE_NANOS);
            } catch (RuntimeException e) {
                LOG.warnf("could not report tripwire %s's trip to access-policy (tried again): %s", rule.id(), e);
                // A model rule counts from its last trip again: this one did not happen.
                if (failedSwitchId == null) {
                    trippedAt.remove(rule.id());
                }
                paused.remove(key);
            }
        });
    }
}
