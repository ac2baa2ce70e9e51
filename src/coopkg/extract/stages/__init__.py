"""The stages of the extraction pipeline, in order; each takes and returns one :class:`~coopkg.extract.doc.Doc`.

segment → quantities → names → projects → coreference → fundings → relations → indicators
(then :func:`coopkg.extract.stages.assemble.assemble` turns the document into facts).
"""
