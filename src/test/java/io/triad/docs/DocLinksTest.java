package io.triad.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README a newcomer reads first, and the pages under docs/: the README stays short, its first
 * lines are the two commands and both are targets of the Makefile, and every relative link of the
 * README and of docs/ reaches a file, and its #anchor a heading of that file.
 */
class DocLinksTest {

    static final Path ROOT = Path.of(System.getProperty("triad.root", ".")).toAbsolutePath();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    @Test
    void theReadmeIsShortAndOpensWithTheTwoCommandsBothMakeTargets() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertTrue(readme.length() < 12 * 1024, "README.md is " + readme.length() + " bytes: the rest belongs under docs/");
        List<String> lines = readme.lines().toList();
        int open = lines.indexOf("```");
        assertTrue(open > 0 && open < 4, "the README's first lines open a code block with the commands");
        List<String> commands = lines.subList(open + 1, lines.subList(open + 1, lines.size()).indexOf("```") + open + 1);
        assertEquals(List.of("make drill", "make test mutants"), commands, "exactly two commands: the main job, then the tests");
        Set<String> targets = makeTargets(ROOT.resolve("Makefile"));
        for (String c : commands) {
            for (String target : c.substring("make ".length()).split("\\s+")) {
                assertTrue(targets.contains(target), "'" + c + "': the Makefile has no target " + target);
            }
        }
    }

    @Test
    void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertTrue(pages.size() > 10, "the docs pages are found: " + pages);
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            links += links(page).size();
            broken.addAll(broken(page));
        }
        assertTrue(links > 30, "links are found in the pages (" + links + ")");
        assertEquals(List.of(), broken, "links that reach no file or no heading");
    }

    @Test
    void aLinkToNoFileAndAnAnchorToNoHeadingAreFound(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.md"), "# A page\n\n## The `second` part, here\n\n"
                + "[ok](b.md) [ok](#the-second-part-here) [ok](b.md#b-title) [web](https://example.org/x.md)\n"
                + "[gone](c.md) [no heading](#nowhere) [no heading there](b.md#nothing)\n"
                + "```\n[in code](not-a-link.md)\n```\n");
        Files.writeString(dir.resolve("b.md"), "# B title\n");
        assertEquals(List.of("a.md: (c.md) reaches no file", "a.md: (#nowhere) names no heading of a.md",
                "a.md: (b.md#nothing) names no heading of b.md"), broken(dir.resolve("a.md")).stream()
                .map(s -> s.replace(dir + "/", "")).toList());
    }

    /** The lines of a Markdown file outside its code blocks. */
    static List<String> prose(Path md) {
        List<String> out = new ArrayList<>();
        boolean code = false;
        for (String line : read(md).lines().toList()) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code) {
                out.add(line);
            }
        }
        return out;
    }

    /** Links outside code blocks. */
    static List<String> links(Path page) {
        List<String> out = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** Each relative link of the page that reaches no file, or whose anchor names no heading there. */
    static List<String> broken(Path page) {
        List<String> out = new ArrayList<>();
        for (String link : links(page)) {
            if (link.matches("^[a-z]+:.*")) {
                continue; // http:, https:, mailto:
            }
            int hash = link.indexOf('#');
            String file = hash < 0 ? link : link.substring(0, hash);
            Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            if (!Files.exists(target)) {
                out.add(page + ": (" + link + ") reaches no file");
                continue;
            }
            if (hash >= 0 && !anchors(target).contains(link.substring(hash + 1))) {
                out.add(page + ": (" + link + ") names no heading of " + target.getFileName());
            }
        }
        return out;
    }

    /** The anchors of a Markdown file's headings, as GitHub makes them. */
    static Set<String> anchors(Path md) {
        Set<String> out = new HashSet<>();
        for (String line : prose(md)) {
            if (line.startsWith("#")) {
                String text = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
                out.add(text.replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-'));
            }
        }
        return out;
    }

    static Set<String> makeTargets(Path makefile) throws IOException {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^([a-z][a-z0-9-]*):").matcher(Files.readString(makefile));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
