package io.triad.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.report.AcceptanceReport;
import io.triad.report.SingleFile;
import io.triad.run.ExitCodes;
import io.triad.sim.SimulatedTriad;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.triad.cli.BadInputTest.triad;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report as its readers get it, from bin/triad drill against the simulated triad: the single
 * file opened in Debian's headless Chromium from file:// (scenarios, traceability matrix, a drill's
 * timeline picture visible, nothing fetched from the network, screenshots under reports/), the
 * manifest check on the real run, and the exit codes of runs with an undefined step, a failed
 * item, a waived and an expired waiver, the last of which carries the trend of the runs before.
 */
class ReportEndToEndTest {

    static final Path ROOT = SimulatedTriad.root();
    static final Path SCREENSHOTS = ROOT.resolve("reports/report-check");
    static final ObjectMapper JSON = new ObjectMapper();

    static Path fresh(String name) throws Exception {
        Path dir = ROOT.resolve("target/" + name);
        new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
        return Files.createDirectories(dir);
    }

    @Test
    void aDrillsReportOpensOfflineInChromiumWithMatrixAndTimeline() throws Exception {
        Path reports = fresh("report-e2e");
        BadInputTest.Outcome run = triad("drill", "--tags", "@runbook:4.1 or @drill:controlled-demotion", "--reports", reports.toString());
        assertEquals(ExitCodes.PASSED, run.code(), run.stderr());
        Path dir = reports.resolve("latest").toRealPath();
        Path report = dir.resolve(AcceptanceReport.FILE);
        assertTrue(Files.isRegularFile(report), "no " + report);
        for (String output : List.of("junit.xml", "cucumber.json", "cucumber.html", "allure-results", "run.json",
                "drills/drill-controlled-demotion.jsonl", "drills/drill-controlled-demotion.svg")) {
            assertTrue(Files.exists(dir.resolve(output)), "the run directory has no " + output);
        }

        WebDriver browser = chromium();
        try {
            browser.get(report.toUri().toString());
            JavascriptExecutor js = (JavascriptExecutor) browser;
            visible(browser, By.cssSelector("a.side-nav__link[href='#suites']")).click();
            visible(browser, By.xpath("//div[contains(@class,'node__name')][contains(normalize-space(.),'Acceptance of zone sim')]")).click();
            visible(browser, By.xpath("//a[contains(@class,'node__leaf')][contains(normalize-space(.),'Traceability matrix')]")).click();
            WebElement matrix = visible(browser, By.cssSelector(".triad-matrix"));
            List<WebElement> rows = matrix.findElements(By.cssSelector("tr.triad-row"));
            assertEquals(49 + 8, rows.size(), "every runbook item and every drill of the features has a row");
            assertEquals("PASSED", row(matrix, "4.1").findElement(By.cssSelector(".triad-verdict")).getText());
            assertEquals("NOT SELECTED IN THIS RUN", row(matrix, "5.1").findElement(By.cssSelector(".triad-verdict")).getText());
            assertTrue(row(matrix, "4.1").isDisplayed());
            screenshot(browser, "traceability-matrix");

            WebElement evidence = row(matrix, "drill:controlled-demotion").findElement(By.tagName("a"));
            assertTrue(evidence.getAttribute("href").contains("#testresult/"), evidence.getAttribute("href"));
            evidence.click();
            WebElement timeline = visible(browser, By.cssSelector("img.triad-timeline"));
            await("the timeline picture to load").atMost(Duration.ofSeconds(10)).until(() ->
                    ((Number) js.executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0", timeline)).intValue() > 0);
            assertTrue(timeline.getSize().getWidth() > 300, "the timeline is drawn at a readable size: " + timeline.getSize());
            js.executeScript("arguments[0].scrollIntoView()", timeline);
            screenshot(browser, "drill-timeline");

            browser.get(report.toUri().toString() + "#suites");
            visible(browser, By.xpath("//div[contains(@class,'node__name')][contains(normalize-space(.),'4 Service installation')]"));
            screenshot(browser, "suites");
            List<String> fetched = requested(browser);
            assertTrue(fetched.stream().anyMatch(u -> u.startsWith("file:")), "the browser's log shows no request at all: " + fetched);
            List<String> network = fetched.stream().filter(u -> u.startsWith("http:") || u.startsWith("https:")).toList();
            assertEquals(List.of(), network, "the report fetched from the network");
            acceptanceDocument(browser, dir);
        } finally {
            browser.quit();
        }

        assertEquals(ExitCodes.PASSED, triad("verify-report", dir.toString()).code(), "a fresh run verifies");
        Path junit = dir.resolve("junit.xml");
        byte[] bytes = Files.readAllBytes(junit);
        bytes[bytes.length / 2] ^= 1;
        Files.write(junit, bytes);
        BadInputTest.Outcome tampered = triad("verify-report", dir.toString());
        assertEquals(ExitCodes.FAILED, tampered.code(), "one changed byte fails: " + tampered.stderr());

        fleetOfTwoProfiles(reports);
    }

    /**
     * A second zone of another profile (the unibus cluster, one item) run into the same reports
     * directory, then {@code triad fleet} over it: the page has both zones, each linked to its own
     * acceptance document, which opens in the browser.
     */
    static void fleetOfTwoProfiles(Path reports) throws Exception {
        BadInputTest.Outcome unibus = triad("drill", "--env", ROOT.resolve("environments/unibus/simulated.yaml").toString(),
                "--tags", "@runbook:pre.1", "--reports", reports.toString());
        assertEquals(ExitCodes.PASSED, unibus.code(), unibus.stderr());
        assertEquals(ExitCodes.FAILED, triad("fleet", reports.toString()).code(), "neither zone is accepted: each ran some items only");
        Path page = reports.resolve(io.triad.report.Fleet.FILE);
        WebDriver browser = chromium();
        try {
            browser.get(page.toUri().toString());
            List<WebElement> rows = browser.findElements(By.cssSelector("tr.zone"));
            assertEquals(List.of("sim", "unibus-sim"), rows.stream().map(r -> r.getAttribute("data-zone")).toList());
            assertTrue(rows.get(1).getText().contains("unibus"), rows.get(1).getText());
            assertEquals("PARTIAL", rows.get(1).getAttribute("data-outcome"));
            screenshot(browser, "fleet");
            rows.get(1).findElement(By.tagName("a")).click();
            WebElement verdict = visible(browser, By.id("verdict"));
            assertTrue(browser.getTitle().startsWith("Acceptance of zone unibus-sim"), browser.getTitle());
            assertTrue(verdict.getText().startsWith("NOT A FULL ACCEPTANCE"), verdict.getText());
            assertEquals("PASSED", browser.findElement(By.id("item-pre.1")).getAttribute("data-verdict"));
            List<String> signers = browser.findElements(By.xpath("//section[@id='handoff']//table//tr[td]")).stream()
                    .map(r -> r.findElement(By.tagName("td")).getText()).toList();
            assertEquals(List.of("performed by", "approved by"), signers, "a runbook that names no signers gets the generic two");
        } finally {
            browser.quit();
        }
    }

    /**
     * The auditor's document of the same run, in the browser from file:// with no name resolution:
     * the runbook's items in its order with their verdicts, the run called what it is (some items
     * only), the handoff boxes unticked (not run), the sign-off lines, the drill's timeline drawn,
     * an item's evidence one click away, nothing fetched; no script in the file.
     */
    static void acceptanceDocument(WebDriver browser, Path dir) throws Exception {
        Path document = dir.resolve(io.triad.report.AcceptanceDocument.FILE);
        String html = Files.readString(document);
        assertFalse(html.contains("<script"), "the document needs no script to be read");
        browser.get(document.toUri().toString());
        JavascriptExecutor js = (JavascriptExecutor) browser;
        WebElement verdict = visible(browser, By.id("verdict"));
        assertTrue(verdict.getText().startsWith("NOT A FULL ACCEPTANCE"), "a run of two items accepts nothing: " + verdict.getText());
        List<String> order = browser.findElements(By.cssSelector("tr.item")).stream().map(e -> e.getAttribute("id").substring(5)).toList();
        List<String> runbook = io.triad.runbook.Runbook.forProfile("bsfg-triad").items().stream().map(i -> i.id()).toList();
        assertEquals(runbook, order, "every runbook item, in the runbook's order");
        assertEquals("PASSED", browser.findElement(By.id("item-4.1")).getAttribute("data-verdict"));
        assertEquals("NOT_SELECTED", browser.findElement(By.id("item-5.1")).getAttribute("data-verdict"));
        assertTrue(browser.findElement(By.id("item-4.1")).getText().contains("grep -n cluster"), "the runbook's method beside it");
        WebElement evidence = browser.findElement(By.xpath("//tr[@id='item-4.1']/following-sibling::tr[1]//details/summary"));
        evidence.click();
        visible(browser, By.xpath("//tr[@id='item-4.1']/following-sibling::tr[1]//div[@class='cmd-name']"));
        List<String> commands = browser.findElements(By.xpath("//tr[@id='item-4.1']/following-sibling::tr[1]//div[@class='cmd-name']"))
                .stream().map(WebElement::getText).toList();
        assertTrue(commands.stream().anyMatch(c -> c.matches("(?s)(alpha|beta|gamma)\\$ .* -> exit 0 in \\d+ ms")),
                "commands with their host and exit code: " + commands);
        List<WebElement> boxes = browser.findElements(By.cssSelector("#handoff .triad-box"));
        assertEquals(9, boxes.size(), "the runbook's nine handoff criteria");
        assertTrue(boxes.stream().allMatch(b -> b.getText().equals("\u2610")), "none ticked: none was run");
        assertEquals(2, browser.findElements(By.xpath("//section[@id='handoff']//table[2]//tr[td]")).size(), "two sign-off lines");
        WebElement timeline = visible(browser, By.cssSelector("#item-drill\\:controlled-demotion img.triad-timeline"));
        js.executeScript("arguments[0].scrollIntoView()", timeline);
        await("the drill's timeline to load").atMost(Duration.ofSeconds(10)).until(() ->
                ((Number) js.executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0", timeline)).intValue() > 0);
        screenshot(browser, "acceptance-drill");
        browser.get(document.toUri().toString());
        screenshot(browser, "acceptance-top");
        List<String> network = requested(browser).stream().filter(u -> u.startsWith("http:") || u.startsWith("https:")).toList();
        assertEquals(List.of(), network, "the acceptance document fetched from the network");
        acceptancePdf(dir);
    }

    /**
     * The PDF beside the document, looked at as a person would: its pages rendered by poppler's
     * pdftoppm (each one drawn, not blank), and its text per page (pdftotext): every runbook
     * section, the handoff and the drills each begin on a page of their own, the drill's timeline
     * is on a page.
     */
    static void acceptancePdf(Path dir) throws Exception {
        Path pdf = dir.resolve(io.triad.report.AcceptancePdf.FILE);
        assertTrue(Files.size(pdf) > 10_000, pdf + " is written");
        Path pages = Files.createDirectories(SCREENSHOTS.resolve("acceptance-pdf"));
        try (var old = Files.list(pages)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        assertEquals(0, new ProcessBuilder("pdftoppm", "-r", "50", "-png", pdf.toString(), pages.resolve("page").toString())
                .inheritIO().start().waitFor());
        List<Path> pngs;
        try (var list = Files.list(pages)) {
            pngs = list.sorted().toList();
        }
        List<String> sections = io.triad.runbook.Runbook.forProfile("bsfg-triad").items().stream().map(i -> i.section()).distinct().toList();
        assertTrue(pngs.size() >= sections.size() + 3, "a page or more per runbook section, the handoff and the drills: " + pngs.size());
        for (Path png : pngs) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
            int inked = 0;
            for (int y = 0; y < image.getHeight(); y += 2) {
                for (int x = 0; x < image.getWidth(); x += 2) {
                    inked += (image.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
                }
            }
            assertTrue(inked > 100, png.getFileName() + " is drawn (" + inked + " inked samples)");
        }
        List<String> text = new java.util.ArrayList<>();
        for (int page = 1; page <= pngs.size(); page++) {
            Process p = new ProcessBuilder("pdftotext", "-layout", "-f", String.valueOf(page), "-l", String.valueOf(page), pdf.toString(), "-")
                    .redirectErrorStream(true).start();
            // NFKC: the PDF's text draws "ff" as its ligature
            text.add(java.text.Normalizer.normalize(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    java.text.Normalizer.Form.NFKC));
            assertEquals(0, p.waitFor());
        }
        java.util.Set<Integer> starts = new java.util.TreeSet<>();
        for (String heading : List.of("1. Preconditions", "4. Service Installation", "9. Handoff Criteria",
                "Handoff criteria and sign-off", "Drills")) {
            int page = -1;
            for (int i = 0; i < text.size() && page < 0; i++) {
                if (text.get(i).strip().lines().findFirst().orElse("").strip().equals(heading)) {
                    page = i;
                }
            }
            assertTrue(page >= 0, "no page begins the heading '" + heading + "'");
            assertTrue(text.get(page).strip().startsWith(heading), "'" + heading + "' begins its page " + (page + 1) + ":\n" + text.get(page));
            starts.add(page);
        }
        assertEquals(5, starts.size(), "each on a page of its own: " + starts);
        assertTrue(text.stream().anyMatch(t -> t.contains("4.1") && t.contains("PASSED")), "4.1 PASSED is in the PDF");
        assertTrue(text.stream().anyMatch(t -> t.contains("\u2610")), "the handoff's unticked boxes are in the PDF's text");
    }

    @Test
    void exitCodesOfUndefinedFailedWaivedAndExpiredRuns() throws Exception {
        Path reports = fresh("report-exit-codes");
        String strictness = ROOT.resolve("src/test/resources/features/strictness").toString();

        BadInputTest.Outcome undefined = triad("drill", "--features", strictness, "--tags", "@undefined", "--reports", reports.toString());
        assertEquals(ExitCodes.FAILED, undefined.code(), undefined.stderr());
        assertTrue(undefined.stderr().contains("FAILED A scenario with an undefined step"), undefined.stderr());
        assertTrue(undefined.stderr().contains("undefined step"), undefined.stderr());

        BadInputTest.Outcome failed = triad("drill", "--features", strictness, "--tags", "@failing-item", "--reports", reports.toString());
        assertEquals(ExitCodes.FAILED, failed.code(), failed.stderr());
        assertTrue(failed.stderr().contains("FAILED An item whose check fails"), failed.stderr());
        assertEquals("FAILED", matrixVerdict(reports, "3.7"));
        assertTrue(Files.readString(reports.resolve("latest").resolve(io.triad.report.AcceptanceDocument.FILE))
                .contains("class=\"verdict rejected\">NOT ACCEPTED: "), "a failed item: not accepted");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Path waivers = reports.resolve("waivers.yaml");
        Files.writeString(waivers, "waivers:\n  - item: \"3.7\"\n    justification: the clock source is replaced next week\n"
                + "    approver: Jane Roe, platform lead\n    expires: " + today.plusDays(30) + "\n");
        BadInputTest.Outcome waived = triad("drill", "--features", strictness, "--tags", "@failing-item", "--waivers", waivers.toString(),
                "--reports", reports.toString());
        assertEquals(ExitCodes.PASSED, waived.code(), waived.stderr());
        assertTrue(waived.stderr().contains("VERDICT: PASSED WITH 1 WAIVED FAILURE(S)"), waived.stderr());
        assertEquals("WAIVED", matrixVerdict(reports, "3.7"), "a waived failure is shown as waived, not passed");

        Files.writeString(waivers, Files.readString(waivers).replace("expires: " + today.plusDays(30), "expires: " + today.minusDays(1)));
        BadInputTest.Outcome expired = triad("drill", "--features", strictness, "--tags", "@failing-item", "--waivers", waivers.toString(),
                "--reports", reports.toString());
        assertEquals(ExitCodes.FAILED, expired.code(), expired.stderr());
        assertTrue(expired.stderr().contains("EXPIRED WAIVER for 3.7"), expired.stderr());

        String trend = embedded(reports.resolve("latest").resolve(AcceptanceReport.FILE), "history/history-trend.json");
        assertTrue(JSON.readTree(trend).size() >= 4, "the report carries the trend of the runs before it: " + trend);
        // the acceptance document carries each item's history: 3.7 failed, then failed under a waiver, in the runs before
        String document = Files.readString(reports.resolve("latest").resolve(io.triad.report.AcceptanceDocument.FILE));
        Matcher history = Pattern.compile("id=\"item-3\\.7\".*?<td class=\"history\">(.*?)</td>", Pattern.DOTALL).matcher(document);
        assertTrue(history.find(), "3.7 has a history cell");
        assertTrue(history.group(1).replaceAll("<[^>]+>", "").startsWith("WF-"), "newest first: waived, failed, not selected: "
                + history.group(1));
        assertTrue(history.group(1).contains("failed 2 of the last 3 runs"), history.group(1));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static WebDriver chromium() {
        File driver = new File("/usr/bin/chromedriver");
        File binary = new File("/usr/bin/chromium");
        assertTrue(driver.canExecute() && binary.canExecute(),
                "Debian's chromium and chromium-driver are needed (fixtures/ensure-test-tools.sh installs them)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1600",
                "--host-resolver-rules=MAP * ~NOTFOUND");
        options.setCapability("goog:loggingPrefs", java.util.Map.of("performance", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver).build();
        return new ChromeDriver(service, options);
    }

    /** Every URL the browser requested, from its performance log (DevTools' network events). */
    static List<String> requested(WebDriver browser) throws Exception {
        List<String> urls = new java.util.ArrayList<>();
        for (org.openqa.selenium.logging.LogEntry e : browser.manage().logs().get(org.openqa.selenium.logging.LogType.PERFORMANCE)) {
            JsonNode message = JSON.readTree(e.getMessage()).path("message");
            if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                urls.add(message.path("params").path("request").path("url").asText());
            }
        }
        return urls;
    }

    static WebElement visible(WebDriver browser, By what) {
        return await("'" + what + "' to be visible").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> browser.findElements(what).stream().filter(WebElement::isDisplayed).findFirst()
                        .orElse(null), e -> e != null);
    }

    static WebElement row(WebElement matrix, String item) {
        return matrix.findElement(By.cssSelector("tr.triad-row[data-item='" + item + "']"));
    }

    static void screenshot(WebDriver browser, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** An embedded file of a single-file report, decoded. */
    static String embedded(Path report, String name) throws Exception {
        byte[] content = SingleFile.read(report).entries(name).get(name);
        assertTrue(content != null, report + " embeds no " + name);
        return new String(content, StandardCharsets.UTF_8);
    }

    /** The verdict the latest report's traceability matrix gives an item. */
    static String matrixVerdict(Path reports, String item) throws Exception {
        for (byte[] testCase : SingleFile.read(reports.resolve("latest").resolve(AcceptanceReport.FILE))
                .entries("data/test-cases/").values()) {
            JsonNode c = JSON.readTree(testCase);
            String description = c.path("descriptionHtml").asText("");
            if (c.path("name").asText().startsWith("Traceability matrix")) {
                Matcher row = Pattern.compile("data-item=\"" + Pattern.quote(item) + "\".*?class=\"triad-verdict\"[^>]*>([^<]+)<")
                        .matcher(description);
                assertTrue(row.find(), "the matrix has no row " + item);
                // the auditor's document of the same run says the same
                String document = Files.readString(reports.resolve("latest").resolve(io.triad.report.AcceptanceDocument.FILE));
                Matcher inDocument = Pattern.compile("id=\"item-" + Pattern.quote(item) + "\" data-verdict=\"([A-Z_]+)\"").matcher(document);
                assertTrue(inDocument.find(), "the acceptance document has no row " + item);
                assertEquals(row.group(1), io.triad.report.Acceptance.Verdict.valueOf(inDocument.group(1)).label.toUpperCase(),
                        "the acceptance document and the matrix disagree on " + item);
                return row.group(1);
            }
        }
        throw new AssertionError("the report has no traceability matrix");
    }
}
