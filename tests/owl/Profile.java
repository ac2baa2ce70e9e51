// The OWL 2 DL profile check of OWLAPI 5 (Debian's libowlapi-java), over ontology documents.
// Run with Java's source launcher:  java -cp '/usr/share/java/*' Profile.java FILE...
//
// For each FILE, a line "file\t<FILE>", then one line "violation\t<kind>\t<violation>" per OWL 2 DL
// profile violation (kind: the OWLAPI class naming it). Each FILE stands alone: no owl:imports.

import java.io.File;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.profiles.Profiles;

public class Profile {
    public static void main(String[] args) throws Exception {
        for (String path : args) {
            OWLOntology ontology = OWLManager.createOWLOntologyManager()
                    .loadOntologyFromOntologyDocument(new File(path));
            System.out.println("file\t" + path);
            for (OWLProfileViolation violation : Profiles.OWL2_DL.checkOntology(ontology).getViolations()) {
                System.out.println("violation\t" + violation.getClass().getSimpleName() + "\t"
                        + violation.toString().replace('\n', ' '));
            }
        }
    }
}
