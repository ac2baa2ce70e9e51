"""Linked-data descriptions: a resource's description, the SPARQL service description, VoID/DCAT."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Triple

from coopkg.iris import IriMinter, digest
from coopkg.queries import internal_query
from coopkg.reference import ontology_triples
from coopkg.store.base import Repository
from coopkg.terms import DCAT, DCTERMS, ONTOLOGY_IRI, PREFIXES, RDF, RDFS, SKOS, VOID, XSD

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"


def describe(repo: Repository, iri: str) -> list[Triple]:
    """The triples about ``iri``, the labels of what it links to, and its evidence (empty if unknown)."""
    if iri.split("#", 1)[0] == ONTOLOGY_IRI:
        return describe_ontology_term(iri)
    return internal_query("describe-resource").run(repo, {"iri": iri}).graph()


def describe_ontology_term(iri: str) -> list[Triple]:
    triples = ontology_triples()
    if iri == ONTOLOGY_IRI:
        return triples
    node = NamedNode(iri)
    return [t for t in triples if t.subject == node or t.object == node]


def service_description(endpoint: str, minter: IriMinter) -> list[Triple]:
    service = NamedNode(endpoint)
    sd = lambda name: NamedNode(SD + name)  # noqa: E731
    dataset = NamedNode(minter.base + "dataset")
    triples = [
        Triple(service, RDF.type, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, RDF.type, sd("Dataset")),
        Triple(service, RDFS.label, Literal("coopkg SPARQL endpoint", language="en")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"):  # fmt: skip
        triples.append(Triple(service, sd("resultFormat"), NamedNode(FORMATS + name)))
    return triples


IANA = "http://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = NamedNode("https://www.w3.org/TR/sparql11-protocol/")
EU_THEMES = "http://publications.europa.eu/resource/authority/data-theme"
THEME = NamedNode(EU_THEMES + "/INTR")  # "International issues", of the EU's data themes
DUMP_MEDIA_TYPE = "application/n-quads"
_TEXTS = {
    "title": {"en": "coopkg: who funds what in development cooperation",
              "fr": "coopkg : qui finance quoi dans la coopération au développement",
              "ar": "coopkg: من يموّل ماذا في التعاون الإنمائي"},
    "description": {
        "en": "Organisations, projects, fundings, places and indicators extracted from news articles and press "
              "releases, each fact with its evidence: the document, the exact quote and its character span.",
        "fr": "Organisations, projets, financements, lieux et indicateurs extraits d'articles de presse et de "
              "communiqués, chaque fait avec sa preuve : le document, la citation exacte et sa position.",
        "ar": "منظمات ومشاريع وتمويلات وأماكن ومؤشرات مستخرجة من مقالات صحفية وبلاغات، وكل واقعة مع دليلها: "
              "الوثيقة والاقتباس الحرفي وموضعه.",
    },
    "keyword": {"en": "development cooperation", "fr": "coopération au développement", "ar": "التعاون الإنمائي"},
    "dump": {"en": "The whole dataset, every named graph, as N-Quads",
             "fr": "Le jeu de données entier, chaque graphe nommé, en N-Quads",
             "ar": "مجموعة البيانات كاملة، بكل رسومها المسماة، بصيغة N-Quads"},
    "dumpDescription": {
        "en": "Gzipped when the client accepts it (Content-Encoding), plain N-Quads otherwise.",
        "fr": "Compressé en gzip si le client l'accepte (Content-Encoding), N-Quads brut sinon.",
        "ar": "مضغوط بـ gzip إذا قبل العميل ذلك (Content-Encoding)، وإلا فبصيغة N-Quads عادية.",
    },
    "service": {"en": "coopkg SPARQL endpoint", "fr": "point d'accès SPARQL de coopkg", "ar": "نقطة وصول SPARQL لـ coopkg"},
}  # fmt: skip


def _texts(subject: NamedNode, predicate: NamedNode, key: str) -> list[Triple]:
    return [Triple(subject, predicate, Literal(text, language=lang)) for lang, text in _TEXTS[key].items()]


def dataset_iris(minter: IriMinter) -> dict[str, NamedNode]:
    """The IRIs of the dataset description: the dataset, its dump distribution, its SPARQL service."""
    return {
        "dataset": NamedNode(minter.base + "dataset"),
        "dump": NamedNode(minter.base + "dataset/dump"),
        "service": NamedNode(minter.base + "dataset/sparql"),
    }


def partition_iri(minter: IriMinter, cls: str) -> NamedNode:
    """``{base}dataset/class/{prefix}-{name}``: one class partition per class the ontology declares."""
    for prefix, namespace in PREFIXES.items():
        if cls.startswith(namespace) and cls[len(namespace) :].isidentifier():
            return NamedNode(f"{minter.base}dataset/class/{prefix}-{cls[len(namespace) :]}")
    return NamedNode(f"{minter.base}dataset/class/{digest(cls)[:16]}")


def dataset_description(repo: Repository, minter: IriMinter, site: str) -> list[Triple]:
    """VoID and DCAT (DCAT-AP 3.0.1): what the dataset holds, where its SPARQL endpoint and its dump are.

    The dataset, its distribution and its service are minted under the base IRI and dereference
    on the service; the dump's and the endpoint's URLs are the service's own (``site``)."""
    iris = dataset_iris(minter)
    dataset, dump, service = iris["dataset"], iris["dump"], iris["service"]
    download, endpoint = NamedNode(site + "dump"), NamedNode(site + "sparql")
    media_type = NamedNode(IANA + DUMP_MEDIA_TYPE)
    triples = [
        Triple(dataset, RDF.type, VOID.Dataset),
        Triple(dataset, RDF.type, DCAT.Dataset),
        *_texts(dataset, DCTERMS.title, "title"),
        *_texts(dataset, DCTERMS.description, "description"),
        *_texts(dataset, DCAT.keyword, "keyword"),
        Triple(dataset, VOID.sparqlEndpoint, endpoint),
        Triple(dataset, VOID.dataDump, download),
        Triple(dataset, VOID.uriSpace, Literal(minter.base + "id/")),
        Triple(dataset, VOID.vocabulary, NamedNode(ONTOLOGY_IRI)),
        Triple(dataset, VOID.feature, NamedNode(FORMATS + "N-Quads")),
        Triple(dataset, DCTERMS.conformsTo, NamedNode(ONTOLOGY_IRI)),
        Triple(NamedNode(ONTOLOGY_IRI), RDF.type, DCTERMS.Standard),
        Triple(dataset, DCAT.distribution, dump),
        Triple(dump, RDF.type, DCAT.Distribution),
        *_texts(dump, DCTERMS.title, "dump"),
        *_texts(dump, DCTERMS.description, "dumpDescription"),
        Triple(dump, DCAT.accessURL, download),
        Triple(dump, DCAT.downloadURL, download),
        Triple(dump, DCAT.mediaType, media_type),
        Triple(media_type, RDF.type, DCTERMS.MediaType),
        Triple(dump, DCTERMS.term("format"), media_type),
        Triple(media_type, RDF.type, DCTERMS.MediaTypeOrExtent),
        Triple(dump, DCAT.accessService, service),
        Triple(service, RDF.type, DCAT.DataService),
        *_texts(service, DCTERMS.title, "service"),
        *_texts(service, DCAT.keyword, "keyword"),
        Triple(service, DCAT.endpointURL, endpoint),
        Triple(service, DCAT.endpointDescription, endpoint),
        # DCAT-AP checks these ranges with sh:class rdfs:Resource, without inference: said outright.
        Triple(endpoint, RDF.type, RDFS.Resource),
        Triple(service, DCTERMS.conformsTo, SPARQL_PROTOCOL),
        Triple(SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard),
        Triple(service, DCAT.servesDataset, dataset),
        Triple(dataset, DCAT.theme, THEME),
        Triple(service, DCAT.theme, THEME),
        Triple(THEME, RDF.type, SKOS.Concept),
        Triple(THEME, SKOS.inScheme, NamedNode(EU_THEMES)),
        Triple(NamedNode(EU_THEMES), RDF.type, SKOS.ConceptScheme),
        Triple(NamedNode(EU_THEMES), DCTERMS.title, Literal("Data theme", language="en")),
        Triple(THEME, SKOS.prefLabel, Literal("International issues", language="en")),
        Triple(THEME, SKOS.prefLabel, Literal("Questions internationales", language="fr")),
        Triple(dataset, VOID.triples, Literal(str(len(repo)), datatype=XSD.integer)),
    ]
    for row in internal_query("dataset-counts").run(repo, {"ontology": minter.ontology_graph.value}).rows():
        partition = partition_iri(minter, row["class"].value)
        triples += [
            Triple(dataset, VOID.classPartition, partition),
            Triple(partition, RDF.type, VOID.Dataset),
            Triple(partition, VOID.term("class"), row["class"]),
            Triple(partition, VOID.entities, row["n"]),
        ]
    return triples
