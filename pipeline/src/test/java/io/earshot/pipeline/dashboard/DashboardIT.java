package io.earshot.pipeline.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.contracts.AvroSerde;
import io.earshot.contracts.Topics;
import io.earshot.pipeline.api.Authenticator;
import io.earshot.pipeline.api.Principal;
import io.earshot.pipeline.config.EarshotConfig;
import io.earshot.pipeline.live.EmbeddedStack;
import io.earshot.pipeline.simulate.AudioHookClient;
import io.earshot.pipeline.simulate.CallMetadata;
import io.earshot.pipeline.simulate.FrameListener;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.pipeline.simulate.SimulationReport;
import io.earshot.pipeline.simulate.Simulator;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.CoachingNote;
import io.earshot.schemas.Role;
import io.earshot.schemas.UtteranceTranscribed;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.io.File;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import io.earshot.pipeline.api.ApiHandler;
import io.earshot.pipeline.api.CallQueries;
import io.earshot.pipeline.api.TokenStore;
import io.earshot.pipeline.store.StoreDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium) over the embedded live stack:
 * the sample calls streamed over AudioHook (voice activity only, no recogniser, for speed)
 * while a supervisor of two of the four teams watches. The analyst view reads the real query API
 * over an embedded store holding the rows of {@link StoredListening}; an agent's desk has an AGENT
 * token of its own. Screenshots go to {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    /** The product's promise: a Kafka record is on the supervisor's screen within 2 s. */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(2);
    private static final double SPEED = 1.5;
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Principal SUPERVISOR = new Principal("sup-1", Principal.Role.SUPERVISOR,
            Set.of("team-1", "team-2"));
    /** The desk of agent-9: its own nudges only. */
    private static final Principal AGENT_9 = Principal.agent("desk-9", "agent-9");
    private static final Authenticator AUTH = token -> Optional.ofNullable(
            Map.of("tok-sup", SUPERVISOR, "tok-agent-9", AGENT_9).get(token == null ? "" : token));
    /** Low enough that the short sample calls raise alerts. */
    private static final AlertRules.Thresholds THRESHOLDS = new AlertRules.Thresholds(1, 0.45, 0.5, 3000, 10_000);

    private static EmbeddedStack stack;
    private static Path storeDir;
    private static StoreDatabase store;
    private static DashboardServer dashboard;
    private static ChromeDriver browser;
    private static Path profile;
    private static KafkaConsumer<String, byte[]> liveRecords;
    private static final LinkedBlockingQueue<Arrival> ARRIVALS = new LinkedBlockingQueue<>();
    private static final AtomicBoolean FOLLOWING = new AtomicBoolean(true);
    private static Thread follower;
    private static CompletableFuture<SimulationReport> simulation;
    private static KafkaProducer<String, byte[]> producer;
    private static final AvroSerde<SpecificRecord> SERDE = AvroSerde.ofAny(CallSummaryComputed.class,
            AgentMetricsComputed.class, UtteranceTranscribed.class);

    private record Arrival(CallSummaryComputed summary, long atNanos) {
    }

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        // the tests stream faster than real time on purpose
        stack = EmbeddedStack.start(EmbeddedStack.Options.of(null).withLimits(EarshotConfig.Limits.DEFAULTS.trustedReplay()), line -> { });
        // the store and the query API beside the dashboard, as in the demo and serve: the analyst
        // view's history, ranking and coaching come from there (the rows of StoredListening)
        storeDir = Files.createTempDirectory("earshot-dashboard-store-");
        store = StoreDatabase.embedded(storeDir);
        dashboard = DashboardServer.start(stack.kafka().bootstrapServers(), AUTH,
                DashboardServer.Options.defaults().withHost("127.0.0.1").withPort(0).withThresholds(THRESHOLDS),
                AlertRules.Hook.NONE, List.of(new ApiHandler(new CallQueries(store.dataSource()),
                        new TokenStore(store.dataSource()), AUTH)));
        StoredListening.write(store.dataSource());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        followLiveValues();

        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        profile = Files.createTempDirectory("earshot-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1500,1000",
                "--user-data-dir=" + profile);
        // the network log, to see every URL the pages request (streams included)
        options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL"));
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        // as a supervisor would: the page asks for the token, which then stays out of every URL
        browser.get(dashboard.uri() + "#floor");
        new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.findElement(By.id("login")).isDisplayed());
        browser.findElement(By.id("login-token")).sendKeys("tok-sup");
        browser.findElement(By.cssSelector("#login-form button[type=submit], #login-form button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(15))
                .until(d -> "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));

        AudioHookClient client = new AudioHookClient(AudioHookClient.Config.of(stack.ingest().ingest().audioHookUri(),
                EmbeddedStack.API_KEY, stack.clientSecret(), SPEED), HttpClient.newHttpClient(), Clock.systemUTC());
        var recordings = SampleCalls.load(SampleCalls.defaultDirectory());
        simulation = CompletableFuture.supplyAsync(() -> {
            try {
                return new Simulator(client, FrameListener.NONE).run(recordings, recordings.size(),
                        new CallMetadata("agent-{i}", "team-{i}", "support"), Duration.ofMillis(300));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The test's own reader of earshot.call-live, to know when each running value was on Kafka. */
    private static void followLiveValues() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        liveRecords = new KafkaConsumer<>(c, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        List<TopicPartition> partitions = liveRecords.partitionsFor(Topics.CALL_LIVE).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        liveRecords.assign(partitions);
        liveRecords.seekToEnd(partitions);
        partitions.forEach(liveRecords::position);
        AvroSerde<CallSummaryComputed> serde = AvroSerde.of(CallSummaryComputed.class);
        follower = new Thread(() -> {
            try {
                while (FOLLOWING.get()) {
                    for (ConsumerRecord<String, byte[]> r : liveRecords.poll(Duration.ofMillis(20))) {
                        ARRIVALS.add(new Arrival(serde.deserialize(r.topic(), r.value()), System.nanoTime()));
                    }
                }
            } finally {
                liveRecords.close();
            }
        }, "test-call-live-follower");
        follower.start();
    }

    @AfterAll
    static void stop() throws Exception {
        FOLLOWING.set(false);
        if (follower != null) {
            follower.join(5_000);
        }
        if (browser != null) {
            browser.quit();
        }
        if (simulation != null) {
            simulation.cancel(true);
        }
        if (producer != null) {
            producer.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (stack != null) {
            stack.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static void screenshot(String name) throws Exception {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static WebDriverWait waitUpTo(Duration d) {
        WebDriverWait wait = new WebDriverWait(browser, d);
        wait.pollingEvery(Duration.ofMillis(25));
        // the page redraws on every push: an element found a moment ago may have been replaced
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** The agent's row as the page shows it: [duration of the call values shown, talk share text], or null. */
    @SuppressWarnings("unchecked")
    private static List<String> shownRow(String agent) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "var r = document.querySelector('#agents tr[data-agent=\"' + arguments[0] + '\"]');"
                        + "return r ? [r.dataset.durationMs, r.querySelector('.talk-share').textContent] : null;", agent);
    }

    @Test
    @Order(1)
    void shouldShowEachRunningValueOnTheSupervisorsScreenWithinTwoSeconds() throws Exception {
        Set<String> talkShares = new HashSet<>();
        int checked = 0;
        long giveUp = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (checked < 6 && System.nanoTime() < giveUp) {
            Arrival a = ARRIVALS.poll(1, TimeUnit.SECONDS);
            if (a == null || !a.summary().getAgentId().toString().equals("agent-1")) {
                continue;
            }
            long durationMs = a.summary().getDurationMs();
            long deadline = a.atNanos() + VISIBLE_WITHIN.toNanos();
            List<String> row = null;
            while (System.nanoTime() < deadline) {
                row = shownRow("agent-1");
                if (row != null && Long.parseLong(row.get(0)) >= durationMs) {
                    break;
                }
                Thread.sleep(25);
            }
            assertThat(row).as("agent-1's row").isNotNull();
            assertThat(Long.parseLong(row.get(0)))
                    .as("the page shows agent-1's values of %d ms (or newer) within %s of the Kafka record",
                            durationMs, VISIBLE_WITHIN)
                    .isGreaterThanOrEqualTo(durationMs);
            talkShares.add(row.get(1));
            checked++;
            if (checked == 3) {
                screenshot("floor-live");
            }
        }
        assertThat(checked).as("running values of agent-1 checked").isEqualTo(6);
        assertThat(talkShares).as("the talk share changes during the call").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void shouldShowOnlyTheSupervisorsTeamsSortedAndFiltered() throws Exception {
        waitUpTo(Duration.ofSeconds(20)).until(d -> d.findElements(By.cssSelector("#agents tbody tr")).size() == 2);
        assertThat(agentsShown()).containsExactly("agent-1", "agent-2");

        browser.findElement(By.cssSelector("#agents th[data-sort='agentId']")).click();
        assertThat(agentsShown()).as("second click on the column sorts descending").containsExactly("agent-2", "agent-1");

        new Select(browser.findElement(By.id("team-filter"))).selectByValue("team-2");
        assertThat(agentsShown()).containsExactly("agent-2");
        new Select(browser.findElement(By.id("team-filter"))).selectByValue("");
        assertThat(agentsShown()).hasSize(2);
    }

    private static List<String> agentsShown() {
        return waitUpTo(Duration.ofSeconds(5)).until(d -> {
            List<String> out = new ArrayList<>();
            for (WebElement tr : d.findElements(By.cssSelector("#agents tbody tr"))) {
                out.add(tr.getAttribute("data-agent"));
            }
            return out;
        });
    }

    @Test
    @Order(3)
    void shouldRaiseAnAlertThatTheSupervisorAcknowledges() throws Exception {
        By open = By.cssSelector("#alerts li[data-alert-id]:not(.acknowledged)");
        waitUpTo(Duration.ofSeconds(30)).until(d -> !d.findElements(open).isEmpty());
        String id = waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(open).getAttribute("data-alert-id"));
        assertThat(dashboard.floor().alerts().get(id)).hasValueSatisfying(a ->
                assertThat(a.team()).isIn("team-1", "team-2"));
        screenshot("alert-raised");

        By button = By.cssSelector("#alerts li[data-alert-id='" + id + "'] button.ack");
        waitUpTo(Duration.ofSeconds(5)).until(d -> {
            d.findElement(button).click();
            return true;
        });

        By acked = By.cssSelector("#alerts li.acknowledged[data-alert-id='" + id + "']");
        waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElements(acked).isEmpty());
        assertThat(dashboard.floor().alerts().get(id).orElseThrow().acknowledgedBy()).isEqualTo("sup-1");
        assertThat(browser.findElement(acked).getText()).contains("acknowledged by sup-1");
        screenshot("alert-acknowledged");
    }

    @Test
    @Order(4)
    void shouldDrawTheCallsTwoLaneTimeline() throws Exception {
        String callId = waitUpTo(Duration.ofSeconds(10)).until(d -> {
            WebElement link = d.findElement(By.cssSelector("#agents tr[data-agent='agent-1'] td.call a"));
            String id = link.getAttribute("data-call");
            link.click();
            return id;
        });

        waitUpTo(Duration.ofSeconds(10)).until(d ->
                !d.findElements(By.cssSelector("svg#timeline rect.spurt.agent")).isEmpty()
                        && !d.findElements(By.cssSelector("svg#timeline rect.spurt.customer")).isEmpty());
        waitUpTo(Duration.ofSeconds(10)).until(d ->
                callId.equals(d.findElement(By.id("timeline")).getAttribute("data-call")));
        var view = dashboard.floor().callView(callId).orElseThrow();
        assertThat(view.overlaps()).as("the sample calls overlap").isNotEmpty();
        waitUpTo(Duration.ofSeconds(10)).until(d ->
                !d.findElements(By.cssSelector("svg#timeline rect.overlap")).isEmpty());
        screenshot("call-timeline");
    }

    @Test
    @Order(5)
    void shouldChartAnAgentsLiveWindows() throws Exception {
        SimulationReport report = simulation.get(60, TimeUnit.SECONDS);
        assertThat(report.allClean()).as("every call closed cleanly: %s", report.calls()).isTrue();
        browser.findElement(By.id("nav-analyst")).click();
        new Select(browser.findElement(By.id("series-key"))).selectByValue("agent-1");

        waitUpTo(Duration.ofSeconds(30)).until(d -> {
            var charts = d.findElements(By.cssSelector("svg#chart"));
            return !charts.isEmpty() && Integer.parseInt(charts.get(0).getAttribute("data-points")) > 0;
        });
        assertThat(browser.findElements(By.cssSelector("svg#chart polyline.line"))).hasSize(1);
        screenshot("analyst-chart");
    }

    @Test
    @Order(5)
    void shouldChartAnAgentsHourlyHistoryFromTheStore() throws Exception {
        // three past hours of agent-1 (who works for team-1) and a call that ties them to the team
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO calls (call_id, agent_id, team, queue, media_start, emitted_at, end_reason,"
                    + " duration_ms, agent_talk_ms, customer_talk_ms, overlap_ms, silence_ms, agent_talk_share,"
                    + " agent_interruptions, customer_interruptions, agent_interruptions_per_10min, agent_backchannels,"
                    + " customer_backchannels, transfers, respected_transfers, pause_intrusions, dead_air_count,"
                    + " dead_air_ms, longest_agent_monologue_ms, longest_customer_story_ms, talk_share_low,"
                    + " talk_share_high, thresholds) VALUES ('history-1', 'agent-1', 'team-1', 'support',"
                    + " now() - interval '3 hours', now() - interval '3 hours', 'ended', 60000, 30000, 20000, 0, 10000,"
                    + " 0.6, 1, 0, 10.0, 0, 0, 1, 1, 0, 0, 0, 30000, 20000, 0.35, 0.55, '{}')");
            for (int h = 3; h >= 1; h--) {
                st.executeUpdate("INSERT INTO agent_windows VALUES ('AGENT', 'agent-1', 'HOURLY',"
                        + " date_trunc('hour', now()) - interval '" + h + " hours',"
                        + " date_trunc('hour', now()) - interval '" + (h - 1) + " hours',"
                        + " 600000, 300000, 200000, 10000, 100000, " + h + ", 2000, 0, 3, 1, 4, 3, 1200, 0, 5,"
                        + " 0.6, " + h + ".0, 0.75, 300)");
            }
        }
        browser.findElement(By.id("nav-analyst")).click();
        new Select(browser.findElement(By.id("series-key"))).selectByValue("agent-1");
        new Select(browser.findElement(By.id("series-window"))).selectByValue("HOURLY");

        waitUpTo(Duration.ofSeconds(10)).until(d -> {
            var charts = d.findElements(By.cssSelector("svg#chart"));
            return !charts.isEmpty() && "3".equals(charts.get(0).getAttribute("data-points"));
        });
        screenshot("analyst-history");
        new Select(browser.findElement(By.id("series-window"))).selectByValue("LIVE");
    }

    @Test
    @Order(6)
    void shouldRebuildTheFloorWhenADashboardStartsAfterTheCalls() throws Exception {
        // all four calls have ended (order 5 waited for them); a dashboard starting now replays the lookback
        FloorState rebuilt = new FloorState(new AlertRules(THRESHOLDS));
        try (FloorFeed feed = new FloorFeed(stack.kafka().bootstrapServers(), rebuilt, FloorFeed.DEFAULT_LOOKBACK,
                Clock.systemUTC()).start()) {
            assertThat(feed.awaitAssigned(Duration.ofSeconds(10))).isTrue();
            long giveUp = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < giveUp && !sameCalls(rebuilt)) {
                Thread.sleep(50);
            }
            assertThat(callsByAgent(rebuilt)).hasSize(4).isEqualTo(callsByAgent(dashboard.floor()));
            assertThat(rebuilt.callView("call01-billing-1").orElseThrow().agentSpurts())
                    .isEqualTo(dashboard.floor().callView("call01-billing-1").orElseThrow().agentSpurts());
            assertThat(rebuilt.alerts().alerts()).extracting(AlertRules.Alert::message).containsExactlyInAnyOrderElementsOf(
                    dashboard.floor().alerts().alerts().stream().map(AlertRules.Alert::message).toList());
        }
    }

    private static boolean sameCalls(FloorState rebuilt) {
        return callsByAgent(rebuilt).equals(callsByAgent(dashboard.floor()));
    }

    private static Map<String, List<Object>> callsByAgent(FloorState floor) {
        Map<String, List<Object>> out = new java.util.TreeMap<>();
        for (FloorState.AgentRow a : floor.agents()) {
            out.put(a.agentId(), java.util.Arrays.asList(a.team(), a.state(), a.callId(), a.call()));
        }
        return out;
    }

    // ---- listening: a call of agent-9 (team-1) published as the metric job would ----------------

    private static final String LISTENING_CALL = "listen-1";

    /** {@code expression} of every element {@code selector} finds (as {@code e}), read in one script. */
    @SuppressWarnings("unchecked")
    private static List<String> texts(String selector, String expression) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.prototype.map.call(document.querySelectorAll(arguments[0]), function (e) { return "
                        + expression + "; });", selector);
    }

    private static void publish(String topic, String key, SpecificRecord value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, SERDE.serialize(topic, value))).get(10, TimeUnit.SECONDS);
    }

    /** agent-9's call listen-1 so far: a transcript, its behaviours, a raised voice, a score, coaching. */
    private static CallSummaryComputed listeningValues() {
        return FloorRecords.withListening(
                FloorRecords.summary(LISTENING_CALL, "agent-9", "team-1", 60_000, 0.5, 0, List.of(), false),
                List.of(FloorRecords.behaviour(Role.AGENT, "open_question", 1500, "how can I help you today"),
                        FloorRecords.behaviour(Role.AGENT, "paraphrase", 6000, "so you were charged twice"),
                        FloorRecords.behaviour(Role.AGENT, "follow_up", 9000, "I will send you a refund by Friday")),
                List.of(FloorRecords.tone(Role.CUSTOMER, "raised_voice", 3000)), 64.0,
                List.of(new CoachingNote("good_paraphrase", 6000L, "At 0:06 you restated the customer's request."),
                        new CoachingNote("customer_raised_voice", 3000L, "At 0:03 the customer's voice rose.")));
    }

    @Test
    @Order(7)
    void shouldShowTheLiveListeningScoreAndBehaviourCountsOnTheFloor() throws Exception {
        publish(Topics.CALL_LIVE, LISTENING_CALL, listeningValues());
        publish(Topics.AGENT_METRICS, "agent-9", FloorRecords.agentWindow("agent-9", 60_000, 0, 400_000, 72.0));

        browser.findElement(By.id("nav-floor")).click();
        By row = By.cssSelector("#agents tr[data-agent='agent-9']");
        waitUpTo(Duration.ofSeconds(10)).until(d -> !d.findElements(row).isEmpty()
                && "72".equals(d.findElement(row).findElement(By.cssSelector(".score-window")).getText()));
        WebElement tr = browser.findElement(row);
        assertThat(tr.findElement(By.cssSelector(".score-call")).getText()).isEqualTo("64");
        assertThat(tr.findElement(By.cssSelector(".listening")).getText())
                .contains("2 paraphrase", "1 summary", "1 empathy", "3 open q", "1 follow-up", "1 customer raised voice")
                .doesNotContain("apology");
        screenshot("floor-listening");
    }

    @Test
    @Order(8)
    void shouldShowBehavioursToneCoachingAndTheScoreInTheCallView() throws Exception {
        publish(Topics.UTTERANCES, LISTENING_CALL, FloorRecords.utterance(LISTENING_CALL, Role.AGENT, 0, 1000,
                "hello how can I help you today", true));
        publish(Topics.UTTERANCES, LISTENING_CALL, FloorRecords.utterance(LISTENING_CALL, Role.CUSTOMER, 0, 3000,
                "my card was charged twice and I am really upset", true));
        publish(Topics.UTTERANCES, LISTENING_CALL, FloorRecords.utterance(LISTENING_CALL, Role.AGENT, 1, 6000,
                "so you were charged twice for the same order", true));
        publish(Topics.UTTERANCES, LISTENING_CALL, FloorRecords.utterance(LISTENING_CALL, Role.AGENT, 2, 9000,
                "right I will send you a refund by Friday", true));
        waitUpTo(Duration.ofSeconds(10)).until(d -> dashboard.floor().callView(LISTENING_CALL)
                .map(v -> v.transcript().size() == 4).orElse(false));

        openAs("#floor", "tok-sup");
        waitUpTo(Duration.ofSeconds(10)).until(d -> {
            d.findElement(By.cssSelector("#agents tr[data-agent='agent-9'] td.call a")).click();
            return true;
        });
        waitUpTo(Duration.ofSeconds(10)).until(d ->
                LISTENING_CALL.equals(d.findElement(By.id("timeline")).getAttribute("data-call"))
                        && d.findElements(By.cssSelector("#transcript li")).size() == 4);

        // the page redraws the call on every push: each read below is one script, so one drawing
        // on the timeline: one mark per behaviour, the customer's raised voice over the customer's lane
        assertThat(texts("svg#timeline rect.behaviour", "e.getAttribute('data-kind')"))
                .containsExactly("open_question", "paraphrase", "follow_up");
        assertThat(texts("svg#timeline rect.tone[data-kind='raised_voice']", "e.getAttribute('data-by')"))
                .containsExactly("CUSTOMER");
        // in the transcript: exactly the matched words of each behaviour
        assertThat(texts("#transcript mark.behaviour", "e.getAttribute('data-kind') + ': ' + e.textContent"))
                .containsExactly("open_question: how can I help you today", "paraphrase: so you were charged twice",
                        "follow_up: I will send you a refund by Friday");
        // the score with its components, the coaching notes with their clock times
        assertThat(texts("#call-score", "e.textContent")).containsExactly("64");
        assertThat(texts("#score-components tbody tr", "e.getAttribute('data-name')"))
                .containsExactly("interruptions", "confirmation", "empathy");
        assertThat(texts("#coaching li", "e.querySelector('button.at').textContent + ' | '"
                + " + e.querySelector('.message').textContent")).containsExactly(
                "0:06 | At 0:06 you restated the customer's request.", "0:03 | At 0:03 the customer's voice rose.");

        waitUpTo(Duration.ofSeconds(5)).until(d -> {
            d.findElements(By.cssSelector("#coaching li")).get(1).findElement(By.cssSelector("button.at")).click();
            return true;
        });
        waitUpTo(Duration.ofSeconds(5)).until(d -> texts("#transcript li.focus", "e.textContent").size() == 1);
        assertThat(texts("#transcript li.focus", "e.textContent")).singleElement().asString()
                .contains("my card was charged twice");
        assertThat(texts("svg#timeline line.cursor", "e.getAttribute('data-at-ms')")).containsExactly("3000");
        screenshot("call-listening");
    }

    // ---- the analyst view over the store: the real query API on the rows of StoredListening ---------

    /** How the page writes a score component, "open questions 9/10": points and weight to 0.1, as JS prints them. */
    private static String componentText(io.earshot.analysis.listening.ScoreComponent c) {
        return c.name().replace('_', ' ') + " " + jsNumber(c.points()) + "/" + jsNumber(c.weight());
    }

    private static String jsNumber(double v) {
        double r = Math.round(v * 10) / 10.0;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
    }

    /** A media position as the page's clock writes it, m:ss. */
    private static String clock(long ms) {
        long s = ms / 1000;
        return (s / 60) + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
    }

    /** The keys by the score of their summed daily windows, best first, ties by key: the API's order. */
    private static List<String> rankedByScore(List<String> keys, boolean teams) {
        return keys.stream().sorted(java.util.Comparator.comparingDouble(
                        (String k) -> -StoredListening.score(StoredListening.summed(k, teams)).score())
                .thenComparing(k -> k)).toList();
    }

    /**
     * Opens {@code page} (relative to the dashboard) with {@code token} in the tab's session
     * storage, where the login form puts it: as a user who signed in with that token.
     */
    private static void openAs(String page, String token) {
        browser.get(dashboard.uri() + "dashboard.css");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.setItem('earshot.token', arguments[0]);", token);
        browser.get(dashboard.uri() + page);
    }

    private static String state(String id) {
        return browser.findElement(By.id(id)).getAttribute("data-state");
    }

    /** Opens the analyst view as the supervisor and shows the coaching of {@code agent}, an agent on the floor. */
    private static void showCoachingOf(String agent) {
        openAs("#analyst", "tok-sup");
        new Select(browser.findElement(By.id("series-scope"))).selectByValue("AGENT");
        By option = By.cssSelector("#series-key option[value='" + agent + "']");
        waitUpTo(Duration.ofSeconds(10)).until(d -> !d.findElements(option).isEmpty());
        new Select(browser.findElement(By.id("series-key"))).selectByValue(agent);
        waitUpTo(Duration.ofSeconds(10)).until(d -> agent.equals(d.findElement(By.id("coaching-agent")).getText())
                && !"loading".equals(state("coaching-status")));
    }

    @Test
    @Order(9)
    void shouldRankTheSupervisorsAgentsAndTeamsByTheScoresTheApiComputesFromTheStore() throws Exception {
        openAs("#analyst", "tok-sup");
        waitUpTo(Duration.ofSeconds(15)).until(d -> "ok".equals(state("ranking-status")));

        // agents who took calls for team-1 or team-2; agent-5 (team-3) would lead, and is not the supervisor's
        List<String> agents = rankedByScore(List.of("agent-9", "agent-1", "agent-7"), false);
        assertThat(agents).as("the data ranks otherwise than by name").isNotEqualTo(List.of("agent-1", "agent-7", "agent-9"));
        assertThat(StoredListening.score(StoredListening.summed("agent-5", false)).score())
                .isGreaterThan(StoredListening.score(StoredListening.summed(agents.get(0), false)).score());
        assertThat(texts("#ranking-agents tbody tr[data-key]", "e.getAttribute('data-key')"))
                .containsExactlyElementsOf(agents);
        for (String agent : agents) {
            io.earshot.analysis.listening.ListeningScore expected =
                    StoredListening.score(StoredListening.summed(agent, false));
            String row = "#ranking-agents tr[data-key='" + agent + "']";
            assertThat(texts(row + " td.score", "e.textContent")).as(agent)
                    .containsExactly(String.valueOf(Math.round(expected.score())));
            assertThat(texts(row + " .component", "e.textContent")).as(agent).containsExactlyElementsOf(
                    expected.components().stream().map(DashboardIT::componentText).toList());
            assertThat(texts(row + " td:nth-child(3)", "e.textContent")).containsExactly(StoredListening.TEAM_OF.get(agent));
        }
        List<String> teams = rankedByScore(List.of("team-1", "team-2"), true);
        assertThat(texts("#ranking-teams tbody tr[data-key]", "e.getAttribute('data-key')"))
                .containsExactlyElementsOf(teams);
        for (String team : teams) {
            assertThat(texts("#ranking-teams tr[data-key='" + team + "'] td.score", "e.textContent")).as(team)
                    .containsExactly(String.valueOf(Math.round(
                            StoredListening.score(StoredListening.summed(team, true)).score())));
        }
        screenshot("analyst-ranking");
    }

    @Test
    @Order(10)
    void shouldShowAnAgentsStrengthsGapsAndNotesAsTheApiComputesThemFromTheStoredCalls() throws Exception {
        showCoachingOf("agent-9");

        // the components of the score of agent-9's two calls, summed
        io.earshot.analysis.listening.ListeningScore expected = StoredListening.score(
                StoredListening.AT_EASE.totals().plus(StoredListening.POOR.totals()));
        List<String> strengths = expected.components().stream()
                .filter(c -> c.counted() && c.points() / c.weight() >= CallQueries.STRENGTH_MIN_FRACTION)
                .map(DashboardIT::componentText).toList();
        List<String> gaps = expected.components().stream()
                .filter(c -> c.counted() && c.points() / c.weight() <= CallQueries.GAP_MAX_FRACTION)
                .map(DashboardIT::componentText).toList();
        assertThat(strengths).isNotEmpty();
        assertThat(gaps).isNotEmpty();
        assertThat(state("coaching-status")).isEqualTo("ok");
        assertThat(texts("#coaching-strengths li", "e.textContent")).containsExactlyElementsOf(strengths);
        assertThat(texts("#coaching-gaps li", "e.textContent")).containsExactlyElementsOf(gaps);

        // the notes by kind, most frequent first, each with its latest example (newest call, latest moment)
        Map<String, Long> counts = new java.util.TreeMap<>();
        Map<String, String> examples = new java.util.HashMap<>();
        for (CallSummaryComputed call : List.of(StoredListening.POOR.summary(), StoredListening.AT_EASE.summary())) {
            call.getCoaching().stream().sorted(java.util.Comparator.comparingLong(CoachingNote::getAtMs).reversed())
                    .forEach(n -> {
                        counts.merge(n.getKind(), 1L, Long::sum);
                        examples.putIfAbsent(n.getKind(),
                                call.getCallId() + " at " + clock(n.getAtMs()) + ": " + n.getMessage());
                    });
        }
        List<String> notes = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " | " + e.getValue() + " | " + examples.get(e.getKey())).toList();
        assertThat(texts("#coaching-notes tbody tr", "e.getAttribute('data-kind') + ' | ' + e.cells[1].textContent"
                + " + ' | ' + e.cells[2].textContent")).containsExactlyElementsOf(notes);
        screenshot("analyst-coaching");
    }

    @Test
    @Order(10)
    void shouldSayCoachingIsUnavailableWhenTheApiRefusesTheSupervisorAnAgent() throws Exception {
        // agent-2 takes calls for team-2 on the floor, but the store holds none of its calls for the
        // supervisor's teams: the API answers 403 and the page says so
        showCoachingOf("agent-2");

        assertThat(state("coaching-status")).isEqualTo("unavailable");
        assertThat(browser.findElement(By.id("coaching-status")).getText())
                .startsWith("coaching unavailable (").contains("agent-2");
        assertThat(texts("#coaching-notes tbody tr", "e.textContent")).isEmpty();
    }

    @Test
    @Order(11)
    void shouldOpenAStoredCallFromACoachingExampleWithItsTimelineTranscriptScoreAndSpeakingRates() throws Exception {
        CallSummaryComputed call = StoredListening.AT_EASE.summary();
        CoachingNote note = call.getCoaching().stream().filter(n -> n.getKind().equals("good_open_question"))
                .findFirst().orElseThrow();
        assertThat(dashboard.floor().callView(call.getCallId())).as("not in the floor's memory").isEmpty();
        showCoachingOf("agent-9");
        browser.findElement(By.cssSelector("#coaching-notes tr[data-kind='good_open_question'] a.call-link")).click();

        waitUpTo(Duration.ofSeconds(10)).until(d -> !d.findElements(By.cssSelector("svg#timeline")).isEmpty()
                && call.getCallId().equals(d.findElement(By.id("timeline")).getAttribute("data-call"))
                && "stored".equals(state("call-info")));
        // the stored spurts on their lanes, the overlap of the agent's first with the customer's
        assertThat(texts("svg#timeline rect.spurt.agent", "e.getAttribute('data-start-ms')"))
                .containsExactly("12000", "20000", "45000", "500000");
        assertThat(texts("svg#timeline rect.spurt.customer", "e.getAttribute('data-start-ms')")).containsExactly("13500");
        assertThat(texts("svg#timeline rect.overlap", "e.tagName")).hasSize(1);
        assertThat(texts("svg#timeline rect.behaviour", "e.getAttribute('data-kind')")).containsExactlyElementsOf(
                call.getBehaviours().stream().map(b -> b.getKind()).toList());
        assertThat(texts("svg#timeline rect.tone", "e.getAttribute('data-kind') + ' ' + e.getAttribute('data-by')"))
                .containsExactlyElementsOf(call.getToneEvents().stream()
                        .map(t -> t.getKind() + " " + t.getBy().name()).toList());
        // the stored transcript with each behaviour's words marked
        assertThat(texts("#transcript li", "e.className")).hasSize(5);
        assertThat(texts("#transcript mark.behaviour", "e.getAttribute('data-kind') + ': ' + e.textContent"))
                .containsExactlyElementsOf(call.getBehaviours().stream()
                        .map(b -> b.getKind() + ": " + b.getText()).toList());
        // the stored score, coaching and speaking rates
        assertThat(texts("#call-score", "e.textContent"))
                .containsExactly(String.valueOf(Math.round(call.getListeningScore().getScore())));
        assertThat(texts("#score-components tbody tr", "e.getAttribute('data-name')")).containsExactlyElementsOf(
                call.getListeningScore().getComponents().stream().map(c -> c.getName()).toList());
        assertThat(texts("#coaching li", "e.querySelector('button.at').textContent + ' | '"
                + " + e.querySelector('.message').textContent")).containsExactlyElementsOf(call.getCoaching().stream()
                .map(n -> clock(n.getAtMs()) + " | " + n.getMessage()).toList());
        for (io.earshot.schemas.VoiceBaseline b : call.getVoiceBaselines()) {
            String metric = b.getRole() == Role.AGENT ? "agent-rate" : "customer-rate";
            assertThat(texts("#call-metrics [data-metric='" + metric + "'] b", "e.textContent")).as(metric)
                    .containsExactly(Math.round(b.getSpeakingRateWpm()) + " wpm");
        }
        // the note's moment: the line spoken then, and the cursor
        String spoken = call.getBehaviours().stream().filter(b -> b.getStartMs() == note.getAtMs()).findFirst()
                .orElseThrow().getText();
        assertThat(texts("#transcript li.focus", "e.textContent")).singleElement().asString().contains(spoken);
        assertThat(texts("svg#timeline line.cursor", "e.getAttribute('data-at-ms')"))
                .containsExactly(String.valueOf(note.getAtMs()));
        screenshot("call-stored");
    }

    @Test
    @Order(12)
    void shouldTellAnAgentsTokenThatTheFloorAndTheRankingAreNotForIt() throws Exception {
        openAs("#analyst", "tok-agent-9");

        waitUpTo(Duration.ofSeconds(10)).until(d -> "unavailable".equals(state("ranking-status")));
        assertThat(browser.findElement(By.id("ranking-status")).getText()).startsWith("ranking unavailable (")
                .contains("AGENT");
        assertThat(texts("#ranking-agents tbody tr[data-key]", "e.textContent")).isEmpty();
        waitUpTo(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("login")).isDisplayed());
        assertThat(browser.findElement(By.id("login-error")).getText()).startsWith("This token may not open the floor");
        assertThat(texts("#agents tbody tr", "e.textContent")).isEmpty();
        screenshot("analyst-unavailable");
    }

    @Test
    @Order(13)
    void shouldNudgeTheAgentOnItsOwnTokenAboutANewInterruptionWithinTwoSeconds() throws Exception {
        openAs("agent.html?agent=agent-9", "tok-agent-9");
        waitUpTo(Duration.ofSeconds(10)).until(d ->
                "live".equals(d.findElement(By.id("connection")).getAttribute("data-state")));
        long now = System.currentTimeMillis();
        CallSummaryComputed values = CallSummaryComputed.newBuilder(
                        FloorRecords.summary("nudge-1", "agent-9", "team-1", 42_000, 0.5, 1, List.of(), false))
                .setMediaStartTime(Instant.ofEpochMilli(now - 42_000)).setEmittedAt(Instant.ofEpochMilli(now)).build();

        long published = System.nanoTime();
        publish(Topics.CALL_LIVE, "nudge-1", values);
        String kind = null;
        while (System.nanoTime() - published < Duration.ofSeconds(5).toNanos()) {
            kind = (String) ((JavascriptExecutor) browser).executeScript(
                    "var c = document.getElementById('current'); return c.dataset.seq !== '0' ? c.dataset.kind : null;");
            if (kind != null) {
                break;
            }
            Thread.sleep(10);
        }
        long latencyMs = (System.nanoTime() - published) / 1_000_000;
        System.out.println("nudge on the agent's page " + latencyMs + " ms after the publish");

        assertThat(kind).as("the nudge shown").isEqualTo("INTERRUPTION");
        assertThat(latencyMs).as("ms from the Kafka publish to the nudge on the page").isLessThanOrEqualTo(2000);
        assertThat(browser.findElement(By.cssSelector("#current .nudge-message")).getText())
                .isEqualTo("You interrupted the customer at 0:01.");
        assertThat(browser.findElements(By.cssSelector("#nudges li"))).hasSize(1);
        screenshot("agent-nudge");
    }

    @Test
    @Order(14)
    void shouldTellAnAgentsTokenThatAnotherAgentsPageIsNotForIt() throws Exception {
        openAs("agent.html?agent=agent-1", "tok-agent-9");

        waitUpTo(Duration.ofSeconds(10)).until(d -> d.findElement(By.id("login")).isDisplayed());
        assertThat(browser.findElement(By.id("login-error")).getText())
                .isEqualTo("this token opens the nudges of agent agent-9 only");
        assertThat(browser.findElements(By.cssSelector("#nudges li"))).isEmpty();
    }

    @Test
    @Order(15)
    void shouldKeepTheTokenOutOfEveryUrlThePagesRequestStreamsIncluded() throws Exception {
        openAs("#floor", "tok-sup");
        waitUpTo(Duration.ofSeconds(10)).until(d -> "live".equals(state("connection")));
        openAs("agent.html?agent=agent-9", "tok-agent-9");
        waitUpTo(Duration.ofSeconds(10)).until(d -> "live".equals(state("connection")));

        List<String> urls = new java.util.ArrayList<>();
        for (org.openqa.selenium.logging.LogEntry entry : browser.manage().logs().get("performance")) {
            JsonNode message = new com.fasterxml.jackson.databind.ObjectMapper().readTree(entry.getMessage())
                    .path("message");
            if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                urls.add(message.at("/params/request/url").asText());
            }
        }

        assertThat(urls).as("every request since the browser started").isNotEmpty()
                .anyMatch(u -> u.endsWith("/api/floor/stream")).anyMatch(u -> u.endsWith("/agents/agent-9/nudges"))
                .noneMatch(u -> u.contains("token=")).noneMatch(u -> u.contains("tok-sup"))
                .noneMatch(u -> u.contains("tok-agent-9"));
        assertThat(browser.getCurrentUrl()).doesNotContain("tok-");
    }
}
