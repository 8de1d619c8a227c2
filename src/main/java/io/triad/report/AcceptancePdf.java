package io.triad.report;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.svgsupport.BatikSVGDrawer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The acceptance document as a PDF, {@value #FILE}, written beside it with no browser: the same
 * HTML parsed by jsoup and laid out by openhtmltopdf (PDFBox) under its print stylesheet (A4,
 * each runbook section from a new page, the evidence left to the HTML), the drills' timelines
 * drawn through Batik, the text in DejaVu Sans where Debian's fonts-dejavu-core is installed
 * (its ballot boxes for the handoff criteria; the PDF's standard fonts have none).
 */
public final class AcceptancePdf {

    public static final String FILE = "acceptance.pdf";
    static final Path FONTS = Path.of("/usr/share/fonts/truetype/dejavu");

    private AcceptancePdf() { }

    /** Writes acceptance.pdf beside the document and returns it. */
    public static Path write(Path document) {
        // the layout engine's own log (its INFO lines, CSS it does not know) is not the run's progress
        com.openhtmltopdf.util.XRLog.setLoggingEnabled(false);
        Path pdf = document.resolveSibling(FILE);
        try (OutputStream out = Files.newOutputStream(pdf)) {
            org.jsoup.nodes.Document html = org.jsoup.Jsoup.parse(document.toFile(), "UTF-8");
            html.outputSettings().syntax(org.jsoup.nodes.Document.OutputSettings.Syntax.xml);
            html.select("img[src^=data:image/svg+xml;base64,]").forEach(AcceptancePdf::printableSvg);
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.useSVGDrawer(new BatikSVGDrawer());
            for (String[] font : List.of(new String[] {"DejaVuSans.ttf", "400", "NORMAL"}, new String[] {"DejaVuSans-Bold.ttf", "700", "NORMAL"},
                    new String[] {"DejaVuSansMono.ttf", "400", "NORMAL"})) {
                Path file = FONTS.resolve(font[0]);
                if (Files.isReadable(file)) {
                    builder.useFont(file.toFile(), font[0].startsWith("DejaVuSansMono") ? "DejaVu Sans Mono" : "DejaVu Sans",
                            Integer.parseInt(font[1]), PdfRendererBuilder.FontStyle.valueOf(font[2]), true);
                }
            }
            builder.withW3cDocument(new org.jsoup.helper.W3CDom().fromJsoup(html), document.getParent().toUri().toString());
            builder.toStream(out);
            builder.run();
            return pdf;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pdf, e);
        }
    }

    /**
     * A timeline picture as the PDF renderer draws it: its width and height written as whole numbers
     * (JFreeSVG writes "960.0", which Batik's drawer refuses, clipping the picture) and the picture
     * fitted to the page's width.
     */
    static void printableSvg(org.jsoup.nodes.Element img) {
        String prefix = "data:image/svg+xml;base64,";
        String svg = new String(java.util.Base64.getDecoder().decode(img.attr("src").substring(prefix.length())),
                java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher w = java.util.regex.Pattern.compile("(<svg[^>]*?\\swidth=['\"])(\\d+)(?:\\.\\d+)?(['\"])").matcher(svg);
        svg = w.replaceFirst("$1$2$3");
        java.util.regex.Matcher h = java.util.regex.Pattern.compile("(<svg[^>]*?\\sheight=['\"])(\\d+)(?:\\.\\d+)?(['\"])").matcher(svg);
        svg = h.replaceFirst("$1$2$3");
        img.attr("src", prefix + java.util.Base64.getEncoder().encodeToString(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        img.attr("style", "width:100%;border:1px solid #ddd");
    }
}
