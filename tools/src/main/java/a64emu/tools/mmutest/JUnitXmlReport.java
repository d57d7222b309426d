package a64emu.tools.mmutest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The JUnit XML report CI servers read, in the shape Maven Surefire writes
 * ({@code TEST-*.xml}): one {@code testsuite} with {@code tests}, {@code failures},
 * {@code errors}, {@code skipped} and {@code time}, and a {@code testcase} per vector case
 * with {@code name}, {@code classname} (the vector file) and {@code time}, holding a
 * {@code failure} (message and decoded difference) or a {@code skipped} (known bug).
 */
public final class JUnitXmlReport {
    /** One case's line in the report. */
    public record Case(String name, String file, double seconds, String failure, String skipped) {}

    private JUnitXmlReport() {}

    public static void write(Path to, String suiteName, List<Case> cases) throws IOException {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suite = doc.createElement("testsuite");
            doc.appendChild(suite);
            long failures = cases.stream().filter(c -> c.failure() != null).count();
            long skipped = cases.stream().filter(c -> c.skipped() != null).count();
            double total = cases.stream().mapToDouble(Case::seconds).sum();
            suite.setAttribute("name", suiteName);
            suite.setAttribute("time", seconds(total));
            suite.setAttribute("tests", Integer.toString(cases.size()));
            suite.setAttribute("errors", "0");
            suite.setAttribute("skipped", Long.toString(skipped));
            suite.setAttribute("failures", Long.toString(failures));
            for (Case c : cases) {
                Element t = doc.createElement("testcase");
                t.setAttribute("name", c.name());
                t.setAttribute("classname", c.file());
                t.setAttribute("time", seconds(c.seconds()));
                if (c.failure() != null) {
                    Element f = doc.createElement("failure");
                    f.setAttribute("message", c.failure());
                    f.setAttribute("type", "a64emu.mmu.vectors.Mismatch");
                    f.setTextContent(c.failure());
                    t.appendChild(f);
                } else if (c.skipped() != null) {
                    Element s = doc.createElement("skipped");
                    s.setAttribute("message", c.skipped());
                    t.appendChild(s);
                }
                suite.appendChild(t);
            }
            Transformer tf = TransformerFactory.newInstance().newTransformer();
            tf.setOutputProperty(OutputKeys.INDENT, "yes");
            tf.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            Path parent = to.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            tf.transform(new DOMSource(doc), new StreamResult(to.toFile()));
        } catch (ParserConfigurationException | TransformerException e) {
            throw new IllegalStateException("JDK XML support: " + e, e);
        }
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
