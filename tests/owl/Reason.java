// HermiT over one ontology document, through the OWLAPI 3.4 that owlready2's HermiT.jar bundles.
// Run with Java's source launcher:  java -cp HermiT.jar Reason.java FILE [AXIOMS]
//
// Prints "consistent" or "inconsistent"; when consistent, one line "unsatisfiable\t<class>" per
// unsatisfiable named class, and for each logical axiom of AXIOMS (a second document) a line
// "entailed\t<axiom>" or "not-entailed\t<axiom>".
//
// FILE holds everything to reason over, merged, with no owl:imports: nothing is fetched.
// HermiT reasons over the OWL 2 datatype map; xsd:date, xsd:gYear and xsd:gYearMonth are outside
// it, so the axioms that use them are set aside (Configuration.ignoreUnsupportedDatatypes), which
// owlready2's own sync_reasoner cannot ask for (it stops on the first such literal).

import java.io.File;

import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLOntology;

public class Reason {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Reason FILE [AXIOMS]");
            System.exit(2);
        }
        OWLOntology ontology = OWLManager.createOWLOntologyManager()
                .loadOntologyFromOntologyDocument(new File(args[0]));
        Configuration configuration = new Configuration();
        configuration.ignoreUnsupportedDatatypes = true;
        Reasoner reasoner = new Reasoner(configuration, ontology);
        if (!reasoner.isConsistent()) {
            System.out.println("inconsistent");
            return;
        }
        System.out.println("consistent");
        for (OWLClass unsatisfiable : reasoner.getUnsatisfiableClasses().getEntitiesMinusBottom()) {
            System.out.println("unsatisfiable\t" + unsatisfiable.getIRI());
        }
        if (args.length > 1) {
            OWLOntology asked = OWLManager.createOWLOntologyManager()
                    .loadOntologyFromOntologyDocument(new File(args[1]));
            for (OWLAxiom axiom : asked.getLogicalAxioms()) {
                String verdict = reasoner.isEntailed(axiom) ? "entailed" : "not-entailed";
                System.out.println(verdict + "\t" + axiom.toString().replace('\n', ' '));
            }
        }
    }
}
