package org.vettedaccess.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The trend chart reads the committed reports in bench/results as they are (no suite, no benchmark run). */
class TrendChartTest {

    private static final Path RESULTS = Path.of("results");

    private static TrendChart.Run run(String file) throws Exception {
        return TrendChart.parse(file, Files.readString(RESULTS.resolve(file))).orElseThrow();
    }

    @Test
    void aFullReportYieldsEveryHeadlineFigure() throws Exception {
        TrendChart.Run run = run("2026-12-02-1813-issue23-after.md");
        assertEquals(LocalDateTime.parse("2026-12-02T18:08"), run.at());
        assertEquals(7.46, run.loadBefore());
        assertEquals(
                Map.of(
                        TrendChart.Figure.GATEWAY_RPS, 218.0,
                        TrendChart.Figure.PORTKEY_RPS, 295.0,
                        TrendChart.Figure.GATEWAY_P99, 391.70,
                        TrendChart.Figure.PORTKEY_P99, 232.84,
                        TrendChart.Figure.DECISIONS_1, 48.0,
                        TrendChart.Figure.DECISIONS_16, 128.0,
                        TrendChart.Figure.LEDGER_APPENDS, 2_786.0),
                run.figures());
    }

    @Test
    void aRunWithoutTheLedgersAndPolicysSectionsHasOnlyTheGatewaysFigures() throws Exception {
        TrendChart.Run run = run("2026-12-02-0033.md");
        assertEquals(1_259.0, run.figures().get(TrendChart.Figure.GATEWAY_RPS), "thousands separator read");
        assertEquals(129.99, run.figures().get(TrendChart.Figure.GATEWAY_P99));
        assertFalse(run.figures().containsKey(TrendChart.Figure.LEDGER_APPENDS));
        assertFalse(run.figures().containsKey(TrendChart.Figure.DECISIONS_16));
    }

    @Test
    void aSingleBenchmarksFileIsNoReport() throws Exception {
        for (String file : List.of("2026-12-03-1637-ledger-export.md", "2026-12-03-1618-decisions.md")) {
            assertTrue(
                    TrendChart.parse(file, Files.readString(RESULTS.resolve(file)))
                            .isEmpty(),
                    file);
        }
    }

    @Test
    void theSvgIsWellFormedWithOnePointPerFigureOfEachRun() throws Exception {
        List<TrendChart.Run> runs = List.of(run("2026-12-02-0033.md"), run("2026-12-02-1813-issue23-after.md"));
        String svg = TrendChart.svg(runs);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document =
                factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", document.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", document.getDocumentElement().getNamespaceURI());
        NodeList points = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "circle");
        assertEquals(4 + 7, points.getLength(), "4 figures of the first run and 7 of the second");
        List<String> titles = new java.util.ArrayList<>();
        for (int i = 0; i < points.getLength(); i++) {
            titles.add(points.item(i).getTextContent());
        }
        assertTrue(
                titles.contains("gateway requests/s at 16 connections: 218.00 (2026-12-02-1813-issue23-after.md)"),
                titles.toString());
        assertTrue(titles.contains("batched, 16 clients x 100 appends/s: 2,786.00 (2026-12-02-1813-issue23-after.md)"));
        // The ledger's and access-policy's lines have one point each, so no segment; the other four join two runs.
        assertEquals(
                4,
                document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline")
                        .getLength());
    }

    @Test
    void axisStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(500, TrendChart.niceStep(463));
        assertEquals(0.2, TrendChart.niceStep(0.15), 1e-12);
        assertEquals(10_000, TrendChart.niceStep(6_500));
        assertEquals(1, TrendChart.niceStep(0));
    }
}
