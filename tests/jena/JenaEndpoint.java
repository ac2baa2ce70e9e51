// A SPARQL 1.1 Protocol endpoint over Apache Jena TDB2 (Debian's libapache-jena-java 4.5; Debian has
// no Fuseki), for the remote store tests: Jena's answers to coopkg's queries, as a cross-check.
// Compiled once per test session (javac: the source launcher would compile it again in every JVM),
// then run:  java -cp CLASSES:JARS JenaEndpoint PORT, with the jars tests/conftest.py names
// (JENA_JARS: /usr/share/java/* whole holds other packages' conflicting jars).
//
//   /query   GET ?query=… or POST (form `query=`, or application/sparql-query), with the protocol's
//            default-graph-uri and named-graph-uri; SELECT and ASK answered in SPARQL JSON, XML, CSV
//            or TSV, CONSTRUCT and DESCRIBE in N-Triples, Turtle, RDF/XML, JSON-LD… as Accept asks
//   /update  POST (application/sparql-update, or form `update=`)
//
// An in-memory TDB2 dataset whose default graph is the union of its named graphs (TDB2's
// unionDefaultGraph, as Fuseki's tdb2:unionDefaultGraph sets it), which is how coopkg reads a store;
// the stored default graph is not in that union (tests/test_engines.py records it).
// Each request is one TDB2 transaction: readers see a snapshot, writers take turns. No Graph Store
// Protocol: the remote backend writes with updates when it is given none. On 127.0.0.1 only.
// Syntax: SPARQL 1.1 as written (not ARQ's extensions), so coopkg's queries are checked against it.

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.apache.jena.query.ARQ;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.QueryParseException;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.shared.JenaException;
import org.apache.jena.sparql.core.DatasetDescription;
import org.apache.jena.sparql.core.DynamicDatasets;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.TDB2Factory;
import org.apache.jena.update.UpdateExecutionFactory;
import org.apache.jena.update.UpdateFactory;
import org.apache.jena.update.UpdateRequest;

public class JenaEndpoint {
    // Named as Fuseki names itself ("Apache Jena Fuseki (4.10.0)"): Apache Jena, then what runs it.
    static final String SERVER = "Apache Jena " + ARQ.VERSION + " (TDB2; coopkg's tests/jena/JenaEndpoint.java)";
    static final List<String> RESULT_TYPES = List.of("application/sparql-results+json",
            "application/sparql-results+xml", "text/csv", "text/tab-separated-values");
    static final List<String> GRAPH_TYPES = List.of("application/n-triples", "text/turtle",
            "application/rdf+xml", "application/ld+json", "application/n-quads", "text/plain");

    static Dataset dataset;

    public static void main(String[] args) throws IOException {
        // Without it the JDK's server waits on delayed ACKs: ~40 ms added to every small answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        dataset = TDB2Factory.createDataset();
        dataset.getContext().set(TDB2.symUnionDefaultGraph, true);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/query", exchange -> serve(exchange, false));
        server.createContext("/update", exchange -> serve(exchange, true));
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        System.out.println("listening on 127.0.0.1:" + port);
    }

    static void serve(HttpExchange exchange, boolean update) throws IOException {
        try {
            Map<String, List<String>> params = parameters(exchange);
            if (update) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    answer(exchange, 405, "text/plain", bytes("an update is POSTed"));
                    return;
                }
                update(exchange, one(params, "update"));
            } else {
                query(exchange, one(params, "query"), params);
            }
        } catch (QueryParseException error) {
            answer(exchange, 400, "text/plain", bytes("Parse error: " + error.getMessage()));
        } catch (IllegalArgumentException error) {
            answer(exchange, 400, "text/plain", bytes(error.getMessage()));
        } catch (JenaException error) {
            answer(exchange, 500, "text/plain", bytes(error.getClass().getSimpleName() + ": " + error.getMessage()));
        } finally {
            exchange.close();
        }
    }

    /** The request's parameters: its URL's, its form's, or its body as the query or update. */
    static Map<String, List<String>> parameters(HttpExchange exchange) throws IOException {
        Map<String, List<String>> params = new LinkedHashMap<>();
        decode(exchange.getRequestURI().getRawQuery(), params);
        if (exchange.getRequestMethod().equals("POST")) {
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"))
                    .split(";")[0].trim().toLowerCase(Locale.ROOT);
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            switch (type) {
                case "application/x-www-form-urlencoded" -> decode(body, params);
                case "application/sparql-query" -> params.computeIfAbsent("query", k -> new ArrayList<>()).add(body);
                case "application/sparql-update" -> params.computeIfAbsent("update", k -> new ArrayList<>()).add(body);
                default -> throw new IllegalArgumentException("unsupported Content-Type " + type);
            }
        }
        return params;
    }

    static void decode(String text, Map<String, List<String>> params) {
        if (text == null || text.isEmpty()) {
            return;
        }
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    static String one(Map<String, List<String>> params, String name) {
        List<String> values = params.getOrDefault(name, List.of());
        if (values.size() != 1) {
            throw new IllegalArgumentException("give exactly one `" + name + "` parameter");
        }
        return values.get(0);
    }

    static void query(HttpExchange exchange, String text, Map<String, List<String>> params) throws IOException {
        Query query = QueryFactory.create(text, Syntax.syntaxSPARQL_11);
        List<String> defaults = params.getOrDefault("default-graph-uri", List.of());
        List<String> named = params.getOrDefault("named-graph-uri", List.of());
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        String type = negotiate(accept, query.isSelectType() || query.isAskType() ? RESULT_TYPES : GRAPH_TYPES);
        if (type == null) {
            answer(exchange, 406, "text/plain", bytes("no answer in the formats of Accept: " + accept));
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Txn.executeRead(dataset, () -> {
            Dataset target = dataset;
            if (!defaults.isEmpty() || !named.isEmpty()) {
                target = DynamicDatasets.dynamicDataset(DatasetDescription.create(defaults, named), dataset, false);
            }
            try (QueryExecution execution = QueryExecutionFactory.create(query, target)) {
                if (query.isSelectType()) {
                    switch (type) {
                        case "application/sparql-results+xml" -> ResultSetFormatter.outputAsXML(out, execution.execSelect());
                        case "text/csv" -> ResultSetFormatter.outputAsCSV(out, execution.execSelect());
                        case "text/tab-separated-values" -> ResultSetFormatter.outputAsTSV(out, execution.execSelect());
                        default -> ResultSetFormatter.outputAsJSON(out, execution.execSelect());
                    }
                } else if (query.isAskType()) {
                    boolean yes = execution.execAsk();
                    switch (type) {
                        case "application/sparql-results+xml" -> ResultSetFormatter.outputAsXML(out, yes);
                        case "text/csv" -> ResultSetFormatter.outputAsCSV(out, yes);
                        case "text/tab-separated-values" -> ResultSetFormatter.outputAsTSV(out, yes);
                        default -> ResultSetFormatter.outputAsJSON(out, yes);
                    }
                } else {
                    Model model = query.isConstructType() ? execution.execConstruct() : execution.execDescribe();
                    Lang lang = type.equals("text/plain") ? Lang.NTRIPLES : RDFLanguages.contentTypeToLang(type);
                    RDFDataMgr.write(out, model, lang);
                }
            }
        });
        answer(exchange, 200, type + "; charset=utf-8", out.toByteArray());
    }

    static void update(HttpExchange exchange, String text) throws IOException {
        UpdateRequest request = UpdateFactory.create(text, Syntax.syntaxSPARQL_11);
        // One write transaction: the request's operations commit together, or none of them.
        Txn.executeWrite(dataset, () -> UpdateExecutionFactory.create(request, dataset).execute());
        answer(exchange, 204, null, new byte[0]);
    }

    /** The first of ``offered`` that Accept takes, by its q values (none given: the first offered). */
    static String negotiate(String accept, List<String> offered) {
        if (accept == null || accept.isBlank()) {
            return offered.get(0);
        }
        String best = null;
        double bestQ = 0;
        for (String part : accept.split(",")) {
            String[] pieces = part.trim().split(";");
            String range = pieces[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].trim();
                if (p.startsWith("q=")) {
                    q = Double.parseDouble(p.substring(2));
                }
            }
            String match = null;
            for (String type : offered) {
                if (range.equals(type) || range.equals("*/*") || range.equals(type.split("/")[0] + "/*")) {
                    match = type;
                    break;
                }
            }
            if (match != null && q > bestQ) {
                best = match;
                bestQ = q;
            }
        }
        return best;
    }

    static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Server", SERVER);
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
