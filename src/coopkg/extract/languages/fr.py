"""French phrasing of cooperation news."""

from coopkg.extract.languages import Lexicon

_PAR = r"(?:conjointement\s+|notamment\s+|principalement\s+|entièrement\s+|en\s+partie\s+)?par"
_DE = r"(?:de\s+la|de\s+l['’]|du|des|de|d['’])"

LEXICON = Lexicon(
    language="fr",
    funded_by=(
        (rf"\b(?:co-?)?financ(?:é|e)e?s?\s+{_PAR}", "unspecified", 0.9),
        (rf"\bsur\s+(?:un\s+)?(?:co-?)?financement\s+{_DE}", "unspecified", 0.9),
        (rf"\b(?:avec|grâce\s+à|via)\s+(?:le|un|au)?\s*(?:co-?)?financement\s+{_DE}", "unspecified", 0.85),
        (rf"\bgrâce\s+au\s+(?:co-?)?financement\s+{_DE}", "unspecified", 0.85),
        (rf"\b(?:avec|grâce\s+à)\s+l['’](?:appui|aide|soutien)\s+financi(?:er|ère)\s+{_DE}", "unspecified", 0.85),
        (rf"\b(?:avec|grâce\s+à)\s+(?:le|au)\s+(?:soutien|concours|appui)\s+financier\s+{_DE}", "unspecified", 0.85),
        (rf"\bgrâce\s+(?:à\s+un|au)\s+(?P<kind>don|prêt|subvention)\s+{_DE}", "unspecified", 0.85),
        (rf"\bsubventionn(?:é|e)e?s?\s+{_PAR}", "grant", 0.85),
        (rf"\b(?:octroy|accord|allou|mobilis|consenti)(?:é|e)e?s?\s+{_PAR}", "unspecified", 0.8),
        (rf"\bsoutenue?s?\s+financièrement\s+{_PAR}", "unspecified", 0.8),
        (rf"\bappuy(?:é|e)e?s?\s+financièrement\s+{_PAR}", "unspecified", 0.8),
        (rf"\bavec\s+(?:l['’]appui|le\s+soutien)\s+{_DE}", "unspecified", 0.65),
    ),
    funds=(
        (r"\b(?:co)?financ(?:e|ent|era|eront|ait|aient)\b", "unspecified", 0.8),
        (r"\ba\s+(?:co)?financé\b", "unspecified", 0.8),
        (
            r"\b(?:a|ont|va|vont|avait|avaient)?\s*(?:octroyé|accordé|alloué|débloqué|consenti|approuvé|signé|mobilisé|"
            r"apporté|octroie|accorde|alloue|apporte|apportera|apportent|fournit|fournira|verse|versera|consacre|"
            r"octroyer|accorder|approuve)[\s,]+(?:[^.;]{0,60}?\s)??(?:un|une|des|le|la)?\s*(?:nouvel(?:le)?\s+)?"
            r"(?P<kind>don|prêt|subvention|financement|enveloppe|crédit|appui\s+financier|contribution)\b",
            "unspecified",
            0.85,
        ),
    ),
    receives_from=(
        (
            rf"\b(?:a\s+|ont\s+|avait\s+)?(?:obtenu|reçu|obtient|reçoit|décroché|décroche|signé)\s+(?:un|une|des|le|la)\s+"
            rf"(?:nouvel(?:le)?\s+)?(?P<kind>financement|don|prêt|subvention|appui\s+financier|enveloppe)\b"
            rf"(?:\s+(?:{_DE}|auprès\s+(?:de\s+la|de\s+l['’]|du|des|de)))?",
            "unspecified",
            0.85,
        ),
        (
            rf"\bbénéfici(?:e|ent|era|eront|ait|é)\s+(?:d['’]un|d['’]une|du|de\s+la|de\s+l['’]|des)\s*(?P<kind>financement|"
            rf"don|prêt|subvention|appui\s+financier|soutien\s+financier)\s+(?:[^;]{{0,70}}?\s)??{_DE}",
            "unspecified",
            0.85,
        ),
    ),
    roles=(
        (
            r"\b(?:initi|port|pilot|lanc|coordonn|dirig)(?:é|e)e?s?\s+par\b|\bà\s+l['’]initiative\s+(?:de|du|des)",
            "lead",
        ),
        (
            r"\b(?:mise?s?\s+en\s+œuvre|mise?s?\s+en\s+oeuvre|exécut(?:é|e)e?s?|réalis(?:é|e)e?s?|"
            r"conduite?s?|g(?:é|e)r(?:é|e)e?s?|opér(?:é|e)e?s?)\s+par\b",
            "implementer",
        ),
        (
            r"\ben\s+(?:partenariat|collaboration|coopération|association)\s+avec\b|\bavec\s+la\s+participation\s+(?:de|du|des)\b"
            r"|\bavec\s+le\s+concours\s+(?:de|du|des)\b",
            "partner",
        ),
        (r"\bau\s+(?:profit|bénéfice)\s+(?:de|du|des)\b|\ben\s+faveur\s+(?:de|du|des)\b", "beneficiary"),
    ),
    project_nouns=r"projets?|programmes?|initiatives?|jumelages?|interventions?|chantiers?",
    agreement_nouns=(
        r"conventions?\s+de\s+(?:financement|prêt|don|subvention)|accords?\s+de\s+(?:prêt|don|financement)|"
        r"conventions?(?:-cadres?)?\s+de\s+(?:partenariat|coopération)|conventions?-cadres?|accords?\s+de\s+"
        r"(?:partenariat|coopération|financement|don|prêt)|accords?\s+spécifiques?|m[ée]morandums?\s+d['’]entente|"
        r"protocoles?\s+d['’]accord|lettres?\s+d['’]intention|conventions?"
    ),
    project_anaphora=(
        r"\b(?:le|ce|du|au|dudit|ledit)\s+(?:projet|programme)\b|\bcette\s+(?:initiative|intervention)\b|"
        r"\bl['’](?:initiative|intervention)\b"
    ),
    organisation_anaphora=r"\b(?:cet|l['’])\s*(?:établissement|institution|organisme)\b|\bcette\s+(?:institution|structure|cité)\b",
    organisation_heads=(
        "agence",
        "office",
        "ministère",
        "ministere",
        "département",
        "direction",
        "université",
        "institut",
        "banque",
        "fonds",
        "fondation",
        "association",
        "fédération",
        "confédération",
        "conseil",
        "centre",
        "organisation",
        "union",
        "chambre",
        "société",
        "groupe",
        "commission",
        "délégation",
        "ambassade",
        "secrétariat",
        "école",
        "académie",
        "observatoire",
        "autorité",
        "caisse",
        "coopérative",
        "alliance",
        "réseau",
        "entreprise",
        "compagnie",
        "cité",
        "haut-commissariat",
        "haut",
        "agences",
        "bureau",
        "programme des nations unies",
        "organisme",
        "établissement",
        "mutuelle",
        "syndicat",
        "comité",
        "gouvernement",
    ),
    coordination=r"(?:\s*,\s*|\s+et\s+|\s+ainsi\s+que\s+|\s+de\s+même\s+que\s+|\s+ou\s+)",
    determiners=r"(?:la|le|les|l['’]|du|de\s+la|de\s+l['’]|des|de|d['’]|au|aux|à\s+la|à\s+l['’]|un|une)",
    equivalence=r"\b(?:soit|c['’]est-à-dire|ou\s+encore|l['’]équivalent\s+de|équivalant\s+à)\b",
    locative=(
        r"(?:\bà|\bau|\baux|\ben|\bdans|\bsur|\bvers|\brégions?\s+(?:de|du|des)|\bville\s+de|\bprovince\s+de|"
        r"\bniveau\s+(?:de|du|des)|\bà\s+savoir|\bpilotes?|\bciblant|\bcouvrant)\s*(?:la|le|les|l['’])?\s*(?:région\s+(?:de|du|des)\s*)?(?:la|le|l['’])?\s*$"
    ),
    start_cues=r"\b(?:lancement|lancée?|démarrée?|démarrage|depuis|à\s+partir\s+d|débutée?|signée?s?|entamée?|initiée?)\b",
    not_units=frozenset(
        [
            "fois",
            "degrés",
            "degré",
            "mètres",
            "mètre",
            "reprises",
            "ans",
            "an",
            "mois",
            "jours",
            "jour",
            "heures",
            "heure",
            "semaines",
            "années",
            "année",
            "minutes",
            "pour",
            "cent",
            "étapes",
            "axes",
            "volets",
            "niveaux",
            "phases",
            "éditions",
            "édition",
            "points",
            "point",
            "millions",
            "million",
            "milliards",
            "milliard",
            "mille",
            "er",
            "ème",
            "e",
            "et",
            "h",
            "km²",
            "ha",
        ]
    ),
    loan_words=r"\b(?:prêts?|crédits?|emprunts?)\b",
    grant_words=r"\b(?:dons?|subventions?|aides?\s+non\s+remboursables?)\b",
    between=r"\bentre\s+",
)
