"""Every shape has a conforming and a non-conforming example, run like the W3C SHACL manifests.

Each ``tests/shapes/*.ttl`` file holds data and the report expected for it: a node
``<urn:coopkg:expected>`` with ``sh:conforms`` and one ``sh:result`` per expected result
(focus node, path, severity). The actual results must be exactly the expected ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from coopkg.validate import validate_graph

CASES = sorted((Path(__file__).parent / "shapes").glob("*.ttl"))
EXPECTED = rdflib.URIRef("urn:coopkg:expected")
SHAPES = Path(__file__).resolve().parents[1] / "shapes"


def _split(path: Path) -> tuple[rdflib.Graph, bool, set[tuple[str, str | None, str]]]:
    graph = rdflib.Graph().parse(path, format="turtle")
    conforms = graph.value(EXPECTED, SH.conforms)
    assert conforms is not None, f"{path.name}: no <urn:coopkg:expected> sh:conforms"
    expected = set()
    for result in list(graph.objects(EXPECTED, SH.result)):
        path_node = graph.value(result, SH.resultPath)
        path_text = (
            None
            if path_node is None
            else (str(path_node) if isinstance(path_node, rdflib.URIRef) else "(complex path)")
        )
        severity = graph.value(result, SH.resultSeverity)
        expected.add((str(graph.value(result, SH.focusNode)), path_text, str(severity).rsplit("#", 1)[-1]))
        for triple in list(graph.triples((result, None, None))):
            graph.remove(triple)
        if isinstance(path_node, rdflib.BNode):
            for triple in list(graph.triples((path_node, None, None))):
                graph.remove(triple)
    for triple in list(graph.triples((EXPECTED, None, None))):
        graph.remove(triple)
    return graph, bool(conforms.toPython()), expected


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_shape_case(case: Path) -> None:
    data, conforms, expected = _split(case)
    report = validate_graph(data)
    actual = {(r.focus, r.path, r.severity) for r in report.results}
    assert report.conforms is conforms, report.text()
    assert actual == expected, report.text()


def test_every_shape_has_both_examples() -> None:
    shapes = rdflib.Graph()
    for path in SHAPES.glob("*.ttl"):
        shapes.parse(path, format="turtle")
    node_shapes = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(RDF.type, SH.NodeShape)}
    names = {c.stem for c in CASES}
    missing = sorted(
        f"{shape}.{kind}" for shape in node_shapes for kind in ("valid", "invalid") if f"{shape}.{kind}" not in names
    )
    assert not missing, f"shapes without examples: {missing}"


def test_the_shapes_pass_shacl_for_shacl() -> None:
    """The shapes graph is well formed by the W3C's shapes for shapes (SHACL Recommendation, appendix C)."""
    import pyshacl

    shapes = rdflib.Graph()
    for path in SHAPES.glob("*.ttl"):
        shapes.parse(path, format="turtle")
    shacl_shacl = rdflib.Graph().parse(Path(__file__).parent / "vocab" / "shacl-shacl.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(shapes, shacl_graph=shacl_shacl, inference="none")
    assert conforms, text
    # and it would see a broken shape: a sh:minCount that is not an integer
    broken = rdflib.Graph()
    broken.add((rdflib.URIRef("urn:x:shape"), SH.path, rdflib.URIRef("urn:x:p")))
    broken.add((rdflib.URIRef("urn:x:shape"), SH.minCount, rdflib.Literal("one")))
    assert not pyshacl.validate(broken, shacl_graph=shacl_shacl, inference="none")[0]
