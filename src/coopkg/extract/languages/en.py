"""English phrasing of cooperation news."""

from coopkg.extract.languages import Lexicon

_BY = r"(?:jointly\s+|mainly\s+|fully\s+|partly\s+)?by"

LEXICON = Lexicon(
    language="en",
    funded_by=(
        (rf"\b(?:co-?)?(?:funded|financed|bankrolled|sponsored)\s+{_BY}", "unspecified", 0.9),
        (
            r"\bwith\s+(?:financial\s+|technical\s+and\s+financial\s+)?(?:support|funding|financing|backing|grants?)\s+from",
            "unspecified",
            0.8,
        ),
        (
            r"\b(?:an?|the)\s+(?:[^;]{0,40}?\s)??(?P<kind>grant|loan|credit)\s+(?:[^;]{0,70}?\s)??from",
            "unspecified",
            0.85,
        ),
        (r"\bthrough\s+(?:an?\s+)?(?P<kind>grant|loan|credit|funding)\s+from", "unspecified", 0.85),
        (r"\bsupported\s+(?:financially\s+)?by\s+(?:an?\s+)?(?:(?P<kind>grant|loan)\s+from\s+)?", "unspecified", 0.7),
        (r"\b(?:provided|granted|awarded|extended)\s+by", "unspecified", 0.75),
    ),
    funds=(
        (
            r"\b(?:co-?)?(?:funds|will\s+fund|is\s+funding|finances|will\s+finance|(?:funded|financed)(?!\s+(?:\w+\s+)?by))\b",
            "unspecified",
            0.8,
        ),
        (
            r"\b(?:has\s+|have\s+|will\s+)?(?:approved|provided|granted|awarded|extended|committed|signed|allocated|"
            r"disbursed|announced|provides|will\s+provide|contributes|contributed|is\s+providing)[\s,]+(?:an?\s+|a\s+new\s+)?"
            r"(?:[^.;]{0,50}?\s)??(?P<kind>grant|loan|credit|funding|"
            r"financing)",
            "unspecified",
            0.85,
        ),
    ),
    receives_from=(
        (
            r"\b(?:benefits?|benefited|benefiting|received|receives|will\s+receive|secured)\s+(?:from\s+)?(?:an?\s+|the\s+)?"
            r"(?:[^;]{0,50}?\s)??(?P<kind>grant|loan|funding|financing|support)\s+(?:[^;]{0,50}?\s)??from",
            "unspecified",
            0.85,
        ),
    ),
    roles=(
        (r"\b(?:initiated|led|launched|spearheaded|coordinated|steered)\s+by\b", "lead"),
        (r"\b(?:implemented|executed|carried\s+out|run|managed|operated|delivered)\s+by\b", "implementer"),
        (
            r"\bin\s+(?:partnership|collaboration|cooperation|association)\s+with\b|\btogether\s+with\b|\bjointly\s+with\b",
            "partner",
        ),
        (r"\bfor\s+the\s+benefit\s+of\b|\bbenefiting\b|\bto\s+benefit\b", "beneficiary"),
    ),
    project_nouns=r"projects?|programmes?|programs?|initiatives?|twinning|interventions?|schemes?|compacts?|activity|activities",
    agreement_nouns=(
        r"partnership\s+agreements?|cooperation\s+agreements?|framework\s+agreements?|memorand(?:um|a)\s+of\s+"
        r"understanding|mous?|letters?\s+of\s+intent|financing\s+agreements?|grant\s+agreements?|loan\s+agreements?"
    ),
    project_anaphora=r"\b(?:the|this|that)\s+(?:project|programme|program|initiative|compact|scheme|activity)\b",
    organisation_anaphora=r"\b(?:the|this)\s+(?:institution|establishment|centre|center|facility)\b",
    organisation_heads=(
        "agency",
        "office",
        "ministry",
        "department",
        "directorate",
        "university",
        "institute",
        "bank",
        "fund",
        "foundation",
        "association",
        "federation",
        "confederation",
        "council",
        "centre",
        "center",
        "organization",
        "organisation",
        "union",
        "chamber",
        "society",
        "group",
        "commission",
        "delegation",
        "embassy",
        "secretariat",
        "school",
        "academy",
        "observatory",
        "authority",
        "corporation",
        "company",
        "cooperative",
        "alliance",
        "network",
        "trust",
        "board",
        "committee",
        "college",
        "bureau",
        "government",
    ),
    coordination=r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+as\s+well\s+as\s+|\s+or\s+)",
    determiners=r"(?:the|a|an|of\s+the|of)",
    equivalence=r"\b(?:i\.e\.|that\s+is|or\s+about|equivalent\s+to|equal\s+to|roughly)\b",
    locative=r"(?:\bin|\bat|\bacross|\bthroughout|\bcovering|\btargeting|\bregions?\s+of|\bcity\s+of|\bprovince\s+of)\s*(?:the)?\s*$",
    start_cues=r"\b(?:launched|started|starting|since|began|begun|signed|kicked\s+off|effective)\b",
    not_units=frozenset(
        [
            "times",
            "years",
            "year",
            "months",
            "month",
            "days",
            "day",
            "hours",
            "hour",
            "weeks",
            "percent",
            "per",
            "steps",
            "phases",
            "editions",
            "points",
            "million",
            "millions",
            "billion",
            "billions",
            "thousand",
            "st",
            "nd",
            "rd",
            "th",
            "km",
            "ha",
            "and",
        ]
    ),
    loan_words=r"\b(?:loans?|credits?|concessional\s+financing)\b",
    grant_words=r"\b(?:grants?|donations?)\b",
    between=r"\bbetween\s+",
)
